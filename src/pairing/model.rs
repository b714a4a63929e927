//! Pairs and groups: the matching settings of a program, the proposal built from the pure
//! `matching` module, and the consent rule (a pair exists only when every member agrees).

use std::collections::{BTreeMap, HashMap, HashSet};

use uuid::Uuid;

use crate::matching::score::{self, CRITERIA, Rule, Weights};
use crate::matching::{Edge, Objective, flow};
use crate::people::Side;
use crate::people::model::AsSide;

/// A participant of a program as matching sees them.
#[derive(Clone, Debug)]
pub struct Participant {
    pub person_id: Uuid,
    pub name: String,
    pub class_name: String,
    pub role: Side,
    pub profile: score::Profile,
    pub answered: bool,
    /// Mentors: how many mentees they take.
    pub capacity: u32,
    pub user_id: Option<Uuid>,
}

/// The curator's settings for a program (weights in percent).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub weights: BTreeMap<String, u32>,
    pub objective: Objective,
    pub min_score: u32,
    pub rule_gap: Option<i32>,
    pub same_subject: bool,
    pub version: i32,
}

impl Settings {
    /// The defaults of a form of mentorship.
    pub fn defaults(form_code: &str) -> Self {
        let w = Weights::for_form(form_code);
        let weights = CRITERIA
            .iter()
            .map(|(code, _)| {
                (
                    code.to_string(),
                    (weight_of(&w, code) * 100.0).round() as u32,
                )
            })
            .collect();
        Settings {
            weights,
            objective: Objective::Quality,
            min_score: 30,
            rule_gap: None,
            same_subject: false,
            version: 0,
        }
    }

    pub fn weights(&self) -> Weights {
        let g = |c: &str| self.weights.get(c).copied().unwrap_or(0) as f64 / 100.0;
        Weights {
            needs: g("needs"),
            interests: g("interests"),
            availability: g("availability"),
            frequency: g("frequency"),
            format: g("format"),
            rule: g("rule"),
            test: g("test"),
        }
    }

    pub fn rule(&self, form_code: &str) -> Rule {
        match (Weights::rule_for(form_code), self.rule_gap) {
            (Rule::GradeGap(_), Some(g)) => Rule::GradeGap(g),
            (Rule::Experience { gap, .. }, g) => Rule::Experience {
                gap: g.unwrap_or(gap),
                subject: self.same_subject,
            },
            (r, _) => r,
        }
    }
}

pub fn weight_of(w: &Weights, code: &str) -> f64 {
    match code {
        "needs" => w.needs,
        "interests" => w.interests,
        "availability" => w.availability,
        "frequency" => w.frequency,
        "format" => w.format,
        "rule" => w.rule,
        "test" => w.test,
        _ => 0.0,
    }
}

/// A live pair or group member as the proposal needs it: (mentor, mentee).
pub type Fixed = (Uuid, Uuid);

pub struct ProposedPair {
    pub mentor: usize,
    pub mentee: usize,
    pub scored: score::Scored,
}

pub struct Unpaired {
    pub mentee: usize,
    pub reason: String,
}

/// The result of a run: indexes into the `mentors` and `mentees` slices given to `propose`.
pub struct Proposal {
    pub pairs: Vec<ProposedPair>,
    pub unpaired: Vec<Unpaired>,
    /// For each mentee (by index): the best candidates (mentor index, score), best first.
    pub alternatives: Vec<Vec<(usize, f64)>>,
    pub total: f64,
    /// Mentees already in a live pair (skipped by this run).
    pub fixed_mentees: HashSet<usize>,
}

/// Scores every candidate, keeps the pairs already made (they use capacity), and solves the
/// assignment for the rest by the settings' objective and minimum score.
pub fn propose(
    mentors: &[&Participant],
    mentees: &[&Participant],
    form_code: &str,
    settings: &Settings,
    forbidden: &HashSet<(Uuid, Uuid)>,
    fixed: &[Fixed],
    top: usize,
) -> Proposal {
    let weights = settings.weights();
    let rule = settings.rule(form_code);
    let m = mentors.len();
    let mentor_index: HashMap<Uuid, usize> = mentors
        .iter()
        .enumerate()
        .map(|(k, p)| (p.person_id, k))
        .collect();
    let mut caps: Vec<u32> = mentors.iter().map(|p| p.capacity).collect();
    let fixed_by_mentee: HashMap<Uuid, Uuid> = fixed.iter().map(|(t, e)| (*e, *t)).collect();
    let mut fixed_mentees = HashSet::new();
    for (i, e) in mentees.iter().enumerate() {
        if let Some(t) = fixed_by_mentee.get(&e.person_id) {
            fixed_mentees.insert(i);
            if let Some(&k) = mentor_index.get(t) {
                caps[k] = caps[k].saturating_sub(1);
            }
        }
    }
    // Scores in one flat vector, row = mentee; None where impossible or not answered.
    let mut scored: Vec<Option<score::Scored>> = Vec::with_capacity(mentees.len() * m);
    let mut edges = Vec::new();
    let min = settings.min_score as f64 / 100.0;
    for (i, e) in mentees.iter().enumerate() {
        for (k, t) in mentors.iter().enumerate() {
            let s = if fixed_mentees.contains(&i) || !t.answered || !e.answered {
                None
            } else {
                let forbid = forbidden.contains(&(t.person_id, e.person_id));
                score::score(&t.profile, &e.profile, rule, &weights, forbid).ok()
            };
            if let Some(s) = &s
                && s.total + 1e-9 >= min
                && caps[k] > 0
            {
                edges.push(Edge {
                    mentee: i,
                    mentor: k,
                    score: s.total,
                });
            }
            scored.push(s);
        }
    }
    let mentor_of = flow::assign(mentees.len(), &caps, &edges, &[], settings.objective);
    let mut pairs = Vec::new();
    let mut unpaired = Vec::new();
    let mut alternatives = Vec::with_capacity(mentees.len());
    let mut total = 0.0;
    for (i, e) in mentees.iter().enumerate() {
        let row = &scored[i * m..(i + 1) * m];
        let mut alts: Vec<(usize, f64)> = row
            .iter()
            .enumerate()
            .filter_map(|(k, s)| s.as_ref().map(|s| (k, s.total)))
            .collect();
        alts.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let best = alts.first().map(|a| a.1);
        alts.truncate(top);
        if fixed_mentees.contains(&i) {
            alternatives.push(alts);
            continue;
        }
        match mentor_of[i] {
            Some(k) => {
                if let Some(s) = row[k].clone() {
                    total += s.total;
                    pairs.push(ProposedPair {
                        mentor: k,
                        mentee: i,
                        scored: s,
                    });
                }
            }
            None => {
                let reason = if !e.profile.consent {
                    "нет согласия на обработку персональных данных".to_string()
                } else if !e.answered {
                    "нет ответов на анкету наставляемого".to_string()
                } else if best.is_none() {
                    "нет наставников с заполненной анкетой и согласием".to_string()
                } else if best.is_some_and(|b| b + 1e-9 < min) {
                    format!(
                        "нет кандидата с оценкой от {} % (лучший — {} %)",
                        settings.min_score,
                        pct(best.unwrap_or(0.0))
                    )
                } else {
                    "подходящие наставники заняты в лучших для программы парах".to_string()
                };
                unpaired.push(Unpaired { mentee: i, reason });
            }
        }
        alternatives.push(alts);
    }
    Proposal {
        pairs,
        unpaired,
        alternatives,
        total,
        fixed_mentees,
    }
}

pub fn pct(v: f64) -> u32 {
    (v * 100.0).round() as u32
}

crate::codes! {
    /// Where a pair (or group) stands: proposed until every member answered; agreed, or refused
    /// by a member; cancelled by the curator; completed. Stored as its code in `pairs.status`.
    pub enum Status: "pair status" {
        Proposed = "proposed" => "предложена",
        Agreed = "agreed" => "согласована",
        Refused = "refused" => "отказ",
        Cancelled = "cancelled" => "отменена",
        Completed = "completed" => "завершена",
    }
}

pub fn scheme_label(code: &str) -> &'static str {
    match code {
        "questionnaires" => "по анкетам",
        "curator" => "предложение куратора",
        "mentor_match" => "групповая встреча (Mentor Match)",
        _ => "",
    }
}

/// The status of a pair or group from its members' answers (role, answer): the mentor's refusal
/// ends it; a mentee's refusal takes only that mentee out; it is agreed when the mentor and every
/// remaining mentee said yes.
pub fn settle<R: AsSide>(members: &[(R, Option<bool>)]) -> Status {
    let mentor = members
        .iter()
        .find(|(r, _)| r.side() == Some(Side::Mentor))
        .map(|m| m.1);
    if mentor == Some(Some(false)) || mentor.is_none() {
        return Status::Refused;
    }
    let remaining: Vec<Option<bool>> = members
        .iter()
        .filter(|(r, a)| r.side() == Some(Side::Mentee) && *a != Some(false))
        .map(|m| m.1)
        .collect();
    if remaining.is_empty() {
        return Status::Refused;
    }
    if mentor == Some(Some(true)) && remaining.iter().all(|a| *a == Some(true)) {
        Status::Agreed
    } else {
        Status::Proposed
    }
}

/// Mentor Match: from each side's ranked wishes (person ids), the mutual first choices and a
/// stable matching for the rest. Returns (mentee index, mentor index, mutual first choice,
/// both named each other).
pub fn mentor_match(
    mentors: &[&Participant],
    mentees: &[&Participant],
    wishes: &HashMap<Uuid, Vec<Uuid>>,
    capacities: &[u32],
) -> Vec<(usize, usize, bool, bool)> {
    let mi: HashMap<Uuid, usize> = mentors
        .iter()
        .enumerate()
        .map(|(k, p)| (p.person_id, k))
        .collect();
    let ei: HashMap<Uuid, usize> = mentees
        .iter()
        .enumerate()
        .map(|(k, p)| (p.person_id, k))
        .collect();
    let list = |id: Uuid, index: &HashMap<Uuid, usize>| -> Vec<usize> {
        let mut seen = HashSet::new();
        wishes
            .get(&id)
            .map(|l| {
                l.iter()
                    .filter_map(|x| index.get(x).copied())
                    .filter(|x| seen.insert(*x))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mentee_prefs: Vec<Vec<usize>> = mentees.iter().map(|p| list(p.person_id, &mi)).collect();
    let mentor_prefs: Vec<Vec<usize>> = mentors.iter().map(|p| list(p.person_id, &ei)).collect();
    let mutual: HashSet<(usize, usize)> =
        crate::matching::stable::mutual_first_choices(&mentee_prefs, &mentor_prefs)
            .into_iter()
            .collect();
    let mentor_of =
        crate::matching::stable::deferred_acceptance(&mentee_prefs, &mentor_prefs, capacities);
    mentor_of
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let m = (*m)?;
            let both = mentee_prefs[i].contains(&m) && mentor_prefs[m].contains(&i);
            Some((i, m, mutual.contains(&(i, m)), both))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pair_status_has_one_code_and_one_label() {
        let mut labels = std::collections::HashSet::new();
        for &s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
            assert!(labels.insert(s.label()), "{:?} shares its label", s);
        }
        assert_eq!(Status::parse("active"), None);
        let sql = Status::sql_label("x.status");
        assert!(sql.starts_with("CASE x.status WHEN 'proposed' THEN 'предложена'"));
        assert!(sql.contains("WHEN 'agreed' THEN 'согласована'") && sql.ends_with(" END"));
    }

    #[test]
    fn consent_of_every_member() {
        use Status::*;
        assert_eq!(
            settle(&[("mentor", None), ("mentee", Some(true))]),
            Proposed
        );
        assert_eq!(
            settle(&[("mentor", Some(true)), ("mentee", Some(true))]),
            Agreed
        );
        assert_eq!(
            settle(&[("mentor", Some(true)), ("mentee", Some(false))]),
            Refused
        );
        assert_eq!(
            settle(&[("mentor", Some(false)), ("mentee", Some(true))]),
            Refused
        );
        // A group: one mentee refuses, the others agreed → the group stands without them.
        assert_eq!(
            settle(&[
                ("mentor", Some(true)),
                ("mentee", Some(false)),
                ("mentee", Some(true))
            ]),
            Agreed
        );
        assert_eq!(
            settle(&[
                ("mentor", Some(true)),
                ("mentee", None),
                ("mentee", Some(true))
            ]),
            Proposed
        );
        assert_eq!(settle(&[("mentee", Some(true))]), Refused);
    }

    fn person(role: &str, n: u8, help: &[&str]) -> Participant {
        Participant {
            person_id: Uuid::from_bytes([n; 16]),
            name: format!("{role} {n}"),
            class_name: String::new(),
            role: Side::parse(role).expect("a side"),
            profile: score::Profile {
                id: format!("{n}"),
                consent: true,
                help_areas: help.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            },
            answered: true,
            capacity: 1,
            user_id: None,
        }
    }

    #[test]
    fn proposal_keeps_fixed_pairs_and_explains_the_unpaired() {
        let t1 = person("mentor", 1, &["математика"]);
        let t2 = person("mentor", 2, &["русский язык"]);
        let e1 = person("mentee", 11, &["математика"]);
        let e2 = person("mentee", 12, &["математика"]);
        let mut e3 = person("mentee", 13, &["русский язык"]);
        e3.answered = false;
        let s = Settings::defaults("student_student");
        let mentors = [&t1, &t2];
        let mentees = [&e1, &e2, &e3];
        let run = |forbid: &HashSet<(Uuid, Uuid)>, fixed: &[(Uuid, Uuid)]| {
            propose(&mentors, &mentees, "student_student", &s, forbid, fixed, 5)
        };
        let p = run(&HashSet::new(), &[]);
        assert_eq!(p.pairs.len(), 1, "only one mentor fits mathematics");
        assert_eq!(p.pairs[0].mentor, 0);
        assert_eq!(p.unpaired.len(), 2);
        assert!(p.unpaired.iter().any(|u| u.reason.contains("нет ответов")));
        // e1 is already paired with t1: e2 gets nobody above the minimum, t1 is full.
        let fixed = [(t1.person_id, e1.person_id)];
        let p = run(&HashSet::new(), &fixed);
        assert!(p.fixed_mentees.contains(&0));
        assert!(p.pairs.iter().all(|x| x.mentor != 0));
        // Forbidding the best pair leaves the mentee to others.
        let forbid: HashSet<_> = [(t1.person_id, e1.person_id)].into_iter().collect();
        let p = run(&forbid, &[]);
        assert!(p.pairs.iter().all(|x| !(x.mentor == 0 && x.mentee == 0)));
        assert!(p.alternatives[0].iter().all(|(k, _)| *k != 0));
    }

    #[test]
    fn custom_weights_and_rule() {
        let mut s = Settings::defaults("student_student");
        assert_eq!(
            s.weights().needs,
            Weights::for_form("student_student").needs
        );
        s.rule_gap = Some(4);
        assert_eq!(s.rule("student_student"), Rule::GradeGap(4));
        s.same_subject = true;
        assert_eq!(
            s.rule("teacher_teacher"),
            Rule::Experience {
                gap: 4,
                subject: true
            }
        );
    }

    #[test]
    fn mentor_match_reports_mutual_first_choices() {
        let t1 = person("mentor", 1, &[]);
        let t2 = person("mentor", 2, &[]);
        let e1 = person("mentee", 11, &[]);
        let e2 = person("mentee", 12, &[]);
        let wishes: HashMap<Uuid, Vec<Uuid>> = [
            (e1.person_id, vec![t1.person_id, t2.person_id]),
            (e2.person_id, vec![t1.person_id, t2.person_id]),
            (t1.person_id, vec![e1.person_id]),
            (t2.person_id, vec![e2.person_id, e1.person_id]),
        ]
        .into_iter()
        .collect();
        let got = mentor_match(&[&t1, &t2], &[&e1, &e2], &wishes, &[1, 1]);
        assert_eq!(got, vec![(0, 0, true, true), (1, 1, false, true)]);
    }
}

/// How often a pair plans to meet, in days, from the members' answers to «Как часто готовы
/// встречаться?»: the least frequent of the answers given (what every member can keep to). None
/// when nobody answered.
pub fn rhythm_from_answers<'a>(answers: impl IntoIterator<Item = &'a str>) -> Option<i32> {
    answers
        .into_iter()
        .filter_map(|a| match a {
            "раз в неделю" => Some(7),
            "два раза в месяц" => Some(14),
            "раз в месяц" => Some(30),
            _ => None,
        })
        .max()
}

#[cfg(test)]
mod rhythm_tests {
    use super::rhythm_from_answers;

    #[test]
    fn the_least_frequent_answer_sets_the_rhythm() {
        assert_eq!(
            rhythm_from_answers(["раз в неделю", "раз в месяц"]),
            Some(30)
        );
        assert_eq!(rhythm_from_answers(["раз в неделю"]), Some(7));
        assert_eq!(
            rhythm_from_answers(["два раза в месяц", "что-то ещё"]),
            Some(14)
        );
        assert_eq!(rhythm_from_answers([]), None);
    }
}
