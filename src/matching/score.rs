//! Scoring a mentor–mentee candidate: a weighted sum of criteria in [0, 1], each kept for the
//! explanation, and the hard constraints that make a pair impossible.

use std::collections::BTreeSet;

/// What matching knows about a person, from questionnaires (matching keys) and the bases.
#[derive(Clone, Debug, Default)]
pub struct Profile {
    /// Stable id for ties and constraints.
    pub id: String,
    pub consent: bool,
    /// Mentee: needs in priority order (first = most important). Mentor: what they offer.
    pub help_areas: Vec<String>,
    pub interests: BTreeSet<String>,
    pub availability: BTreeSet<String>,
    pub frequency: Option<String>,
    pub format: Option<String>,
    /// School grade (1–11) for «ученик – ученик».
    pub grade: Option<i32>,
    /// Years of experience for «учитель – учитель».
    pub experience: Option<i32>,
    pub subjects: BTreeSet<String>,
    /// Career interests (mentee) or the employer's field (mentor) for «работодатель – ученик».
    pub fields: BTreeSet<String>,
    /// The mentor test result in [0, 1].
    pub test: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// The mentor is older by at least this many grades.
    GradeGap(i32),
    /// The mentor has at least this many more years of experience; `subject`: same subject needed.
    Experience {
        gap: i32,
        subject: bool,
    },
    /// The mentee's career interests against the employer's field.
    Career,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    pub needs: f64,
    pub interests: f64,
    pub availability: f64,
    pub frequency: f64,
    pub format: f64,
    pub rule: f64,
    pub test: f64,
}

impl Weights {
    /// Defaults per form of mentorship.
    pub fn for_form(form_code: &str) -> Self {
        match form_code {
            "teacher_teacher" | "college_teacher_teacher" => Weights {
                needs: 0.35,
                interests: 0.05,
                availability: 0.2,
                frequency: 0.1,
                format: 0.05,
                rule: 0.2,
                test: 0.05,
            },
            "employer_pupil" | "employer_student" | "college_enterprise_student" => Weights {
                needs: 0.25,
                interests: 0.1,
                availability: 0.15,
                frequency: 0.1,
                format: 0.1,
                rule: 0.25,
                test: 0.05,
            },
            _ => Weights {
                needs: 0.35,
                interests: 0.15,
                availability: 0.2,
                frequency: 0.1,
                format: 0.05,
                rule: 0.1,
                test: 0.05,
            },
        }
    }

    pub fn rule_for(form_code: &str) -> Rule {
        match form_code {
            "student_student" | "student_pupil" | "college_champion_student" => Rule::GradeGap(2),
            "teacher_teacher" | "college_teacher_teacher" => Rule::Experience {
                gap: 3,
                subject: false,
            },
            "employer_pupil" | "employer_student" | "college_enterprise_student" => Rule::Career,
            _ => Rule::None,
        }
    }
}

pub const CRITERIA: [(&str, &str); 7] = [
    ("needs", "совпадение запросов"),
    ("interests", "общие интересы"),
    ("availability", "общее расписание"),
    ("frequency", "частота встреч"),
    ("format", "формат"),
    ("rule", "правило формы"),
    ("test", "тест наставника"),
];

#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub total: f64,
    /// (criterion code, value in [0, 1], weight); criteria without data are left out.
    pub parts: Vec<(&'static str, f64, f64)>,
    /// Shared availability cells, for the explanation.
    pub common_slots: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Impossible {
    NoConsent,
    SamePerson,
    Forbidden,
}

impl Impossible {
    pub fn label(self) -> &'static str {
        match self {
            Impossible::NoConsent => "нет согласия на обработку персональных данных",
            Impossible::SamePerson => "это один и тот же человек",
            Impossible::Forbidden => "куратор запретил ставить их вместе",
        }
    }
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> Option<f64> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let inter = a.intersection(b).count() as f64;
    let union = a.union(b).count() as f64;
    Some(inter / union)
}

const FREQ_ORDER: [&str; 3] = ["раз в неделю", "два раза в месяц", "раз в месяц"];

pub fn score(
    mentor: &Profile,
    mentee: &Profile,
    rule: Rule,
    w: &Weights,
    forbidden: bool,
) -> Result<Scored, Impossible> {
    if mentor.id == mentee.id {
        return Err(Impossible::SamePerson);
    }
    if !mentor.consent || !mentee.consent {
        return Err(Impossible::NoConsent);
    }
    if forbidden {
        return Err(Impossible::Forbidden);
    }
    let mut parts: Vec<(&'static str, f64, f64)> = Vec::new();
    // Needs covered by the offer, the mentee's first needs weighing most.
    if !mentee.help_areas.is_empty() && !mentor.help_areas.is_empty() {
        let n = mentee.help_areas.len();
        let (mut got, mut all) = (0.0, 0.0);
        for (k, need) in mentee.help_areas.iter().enumerate() {
            let weight = (n - k) as f64;
            all += weight;
            if mentor.help_areas.contains(need) {
                got += weight;
            }
        }
        parts.push(("needs", got / all, w.needs));
    }
    if let Some(j) = jaccard(&mentor.interests, &mentee.interests) {
        parts.push(("interests", j, w.interests));
    }
    let common_slots = mentor
        .availability
        .intersection(&mentee.availability)
        .count();
    if !mentor.availability.is_empty() && !mentee.availability.is_empty() {
        let need = mentee
            .availability
            .len()
            .min(mentor.availability.len())
            .min(3);
        parts.push((
            "availability",
            (common_slots as f64 / need as f64).min(1.0),
            w.availability,
        ));
    }
    if let (Some(a), Some(b)) = (&mentor.frequency, &mentee.frequency) {
        let pa = FREQ_ORDER.iter().position(|x| x == a);
        let pb = FREQ_ORDER.iter().position(|x| x == b);
        let v = match (pa, pb) {
            _ if a == b => 1.0,
            (Some(x), Some(y)) if x.abs_diff(y) == 1 => 0.5,
            _ => 0.0,
        };
        parts.push(("frequency", v, w.frequency));
    }
    if let (Some(a), Some(b)) = (&mentor.format, &mentee.format) {
        let both = "очно и онлайн";
        let v = if a == b || a == both || b == both {
            1.0
        } else {
            0.0
        };
        parts.push(("format", v, w.format));
    }
    match rule {
        Rule::GradeGap(gap) => {
            if let (Some(a), Some(b)) = (mentor.grade, mentee.grade) {
                let d = a - b;
                parts.push((
                    "rule",
                    if d >= gap {
                        1.0
                    } else if d == gap - 1 && d > 0 {
                        0.5
                    } else {
                        0.0
                    },
                    w.rule,
                ));
            }
        }
        Rule::Experience { gap, subject } => {
            if let (Some(a), Some(b)) = (mentor.experience, mentee.experience) {
                let mut v = if a - b >= gap {
                    1.0
                } else if a > b {
                    0.5
                } else {
                    0.0
                };
                if subject {
                    v = (v + if mentor
                        .subjects
                        .intersection(&mentee.subjects)
                        .next()
                        .is_some()
                    {
                        1.0
                    } else {
                        0.0
                    }) / 2.0;
                }
                parts.push(("rule", v, w.rule));
            }
        }
        Rule::Career => {
            if !mentor.fields.is_empty() && !mentee.fields.is_empty() {
                parts.push((
                    "rule",
                    if mentor.fields.intersection(&mentee.fields).next().is_some() {
                        1.0
                    } else {
                        0.0
                    },
                    w.rule,
                ));
            }
        }
        Rule::None => {}
    }
    if let Some(t) = mentor.test {
        parts.push(("test", t.clamp(0.0, 1.0), w.test));
    }
    let wsum: f64 = parts.iter().map(|p| p.2).sum();
    let total = if wsum > 0.0 {
        parts.iter().map(|p| p.1 * p.2).sum::<f64>() / wsum
    } else {
        0.0
    };
    Ok(Scored {
        total,
        parts,
        common_slots,
    })
}

/// «совпадение запросов 80 %, общее расписание 2 слота, …».
pub fn explain(s: &Scored) -> String {
    s.parts
        .iter()
        .map(|(code, v, _)| {
            let label = CRITERIA
                .iter()
                .find(|(c, _)| c == code)
                .map(|(_, l)| *l)
                .unwrap_or("");
            if *code == "availability" {
                format!("{label}: {} {}", s.common_slots, slots(s.common_slots))
            } else {
                format!("{label} {} %", (v * 100.0).round() as i64)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn slots(n: usize) -> &'static str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => "слот в неделю",
        (2..=4, r) if !(12..=14).contains(&r) => "слота в неделю",
        _ => "слотов в неделю",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: &str) -> Profile {
        Profile {
            id: id.into(),
            consent: true,
            ..Default::default()
        }
    }

    fn set(v: &[&str]) -> BTreeSet<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn every_criterion() {
        let w = Weights::for_form("student_student");
        let mut m = p("m");
        let mut e = p("e");
        m.help_areas = vec!["математика".into(), "общение".into()];
        e.help_areas = vec!["математика".into(), "спорт".into()];
        m.interests = set(&["шахматы", "музыка"]);
        e.interests = set(&["шахматы"]);
        m.availability = set(&["mon-evening", "tue-evening"]);
        e.availability = set(&["mon-evening", "wed-evening"]);
        m.frequency = Some("раз в неделю".into());
        e.frequency = Some("два раза в месяц".into());
        m.format = Some("очно и онлайн".into());
        e.format = Some("онлайн".into());
        m.grade = Some(10);
        e.grade = Some(7);
        m.test = Some(0.8);
        let s = score(&m, &e, Rule::GradeGap(2), &w, false).unwrap();
        let v = |c: &str| s.parts.iter().find(|x| x.0 == c).unwrap().1;
        assert!(
            (v("needs") - 2.0 / 3.0).abs() < 1e-9,
            "first need weighs more"
        );
        assert!((v("interests") - 0.5).abs() < 1e-9);
        assert!((v("availability") - 0.5).abs() < 1e-9);
        assert_eq!(v("frequency"), 0.5);
        assert_eq!(v("format"), 1.0);
        assert_eq!(v("rule"), 1.0);
        assert_eq!(v("test"), 0.8);
        assert!(s.total > 0.0 && s.total <= 1.0);
        assert!(explain(&s).contains("совпадение запросов 67 %"));
        assert!(explain(&s).contains("общее расписание: 1 слот в неделю"));
        // Younger mentor fails the grade rule.
        e.grade = Some(10);
        let s2 = score(&m, &e, Rule::GradeGap(2), &w, false).unwrap();
        assert_eq!(s2.parts.iter().find(|x| x.0 == "rule").unwrap().1, 0.0);
        // Experience and subjects.
        let mut t1 = p("t1");
        let mut t2 = p("t2");
        t1.experience = Some(20);
        t2.experience = Some(1);
        t1.subjects = set(&["физика"]);
        t2.subjects = set(&["химия"]);
        let s3 = score(
            &t1,
            &t2,
            Rule::Experience {
                gap: 3,
                subject: true,
            },
            &w,
            false,
        )
        .unwrap();
        assert_eq!(s3.parts[0], ("rule", 0.5, w.rule));
        // Career.
        let mut emp = p("emp");
        let mut kid = p("kid");
        emp.fields = set(&["IT"]);
        kid.fields = set(&["IT", "медицина"]);
        assert_eq!(
            score(&emp, &kid, Rule::Career, &w, false).unwrap().total,
            1.0
        );
    }

    #[test]
    fn hard_constraints() {
        let w = Weights::for_form("");
        let m = p("x");
        assert_eq!(
            score(&m, &p("x"), Rule::None, &w, false),
            Err(Impossible::SamePerson)
        );
        let mut no = p("y");
        no.consent = false;
        assert_eq!(
            score(&m, &no, Rule::None, &w, false),
            Err(Impossible::NoConsent)
        );
        assert_eq!(
            score(&m, &p("z"), Rule::None, &w, true),
            Err(Impossible::Forbidden)
        );
        assert_eq!(
            score(&m, &p("z"), Rule::None, &w, false).unwrap().total,
            0.0
        );
    }
}
