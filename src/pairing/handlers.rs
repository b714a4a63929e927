//! HTTP for matching and pairs: the proposal («Подобрать пары»), Mentor Match, the weights and
//! rules, accepting proposals, pairs by hand, the consent of each member, and the participant's
//! own page for answering.

use std::collections::{BTreeMap, HashMap, HashSet};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{self, Participant, Settings, Status, pct};
use super::repo;
use super::views::*;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::matching::Objective;
use crate::matching::score::{self, CRITERIA, Rule, Weights};
use crate::programs::repo::ProgramRow;
use crate::web::forms::{FormData, ru_date, trimmed, with_status};
use crate::web::{AppState, OrgCtx, parse_id};

const EDITORS: [Role; 1] = [Role::Curator];
const VIEWERS: [Role; 2] = [Role::Curator, Role::Director];

/// The organization's program, for handlers that then work in their own transaction.
async fn program_of(state: &AppState, org: &OrgCtx, raw: &str) -> AppResult<ProgramRow> {
    let mut conn = state.pool.acquire().await?;
    own_program(&mut conn, org, raw).await
}

async fn own_program(conn: &mut PgConnection, org: &OrgCtx, raw: &str) -> AppResult<ProgramRow> {
    let id = parse_id(raw)?;
    crate::programs::repo::program(conn, org.org.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn criterion_label(code: &str) -> &'static str {
    CRITERIA
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

fn parts_view(s: &score::Scored) -> Vec<PartView> {
    s.parts
        .iter()
        .map(|(code, v, _)| PartView {
            label: criterion_label(code),
            percent: pct(*v),
        })
        .collect()
}

fn weights_line(s: &Settings) -> String {
    CRITERIA
        .iter()
        .filter_map(|(c, l)| {
            s.weights
                .get(*c)
                .filter(|v| **v > 0)
                .map(|v| format!("{l} {v}"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn objective_code(o: Objective) -> &'static str {
    match o {
        Objective::Quality => "quality",
        Objective::Coverage => "coverage",
    }
}

fn split(people: &[Participant]) -> (Vec<&Participant>, Vec<&Participant>) {
    (
        people.iter().filter(|p| p.role == "mentor").collect(),
        people.iter().filter(|p| p.role == "mentee").collect(),
    )
}

// ---- the proposal -----------------------------------------------------------------------------

/// What the curator asked for on the proposal page.
#[derive(Default)]
struct Ask {
    objective: Option<Objective>,
    min: Option<u32>,
    picks: HashMap<String, String>,
    errors: Vec<String>,
}

fn ask_from_query(q: &HashMap<String, String>) -> Ask {
    Ask {
        objective: match q.get("objective").map(|s| s.as_str()) {
            Some("coverage") => Some(Objective::Coverage),
            Some("quality") => Some(Objective::Quality),
            _ => None,
        },
        min: q
            .get("min")
            .and_then(|s| s.trim().parse::<u32>().ok())
            .map(|m| m.min(100)),
        ..Default::default()
    }
}

fn choices_for(
    alternatives: &[(usize, f64)],
    proposed: usize,
    mentors: &[&Participant],
    picked: Option<&String>,
) -> Vec<Choice> {
    let mut order: Vec<(usize, Option<f64>)> = vec![(
        proposed,
        alternatives.iter().find(|a| a.0 == proposed).map(|a| a.1),
    )];
    for (k, s) in alternatives.iter().take(10) {
        if *k != proposed {
            order.push((*k, Some(*s)));
        }
    }
    let default = mentors[proposed].person_id.to_string();
    let chosen = picked.cloned().unwrap_or(default);
    let mut out: Vec<Choice> = order
        .into_iter()
        .map(|(k, s)| {
            let value = mentors[k].person_id.to_string();
            Choice {
                selected: value == chosen,
                label: match s {
                    Some(s) => format!("{} — {} %", mentors[k].name, pct(s)),
                    None => mentors[k].name.clone(),
                },
                value,
            }
        })
        .collect();
    out.push(Choice {
        selected: chosen.is_empty(),
        value: String::new(),
        label: "— не принимать —".into(),
    });
    out
}

async fn proposal_page(
    state: &AppState,
    org: &OrgCtx,
    program_raw: &str,
    ask: Ask,
) -> AppResult<ProposalPage> {
    org.require_any(&VIEWERS)?;
    let started = std::time::Instant::now();
    let mut conn = state.pool.acquire().await?;
    let program = own_program(&mut conn, org, program_raw).await?;
    let people = repo::participants(&mut conn, org.org.id, program.id).await?;
    let settings = repo::settings(&mut conn, org.org.id, program.id, &program.form_code).await?;
    let forbidden = repo::forbidden(&mut conn, org.org.id, program.id).await?;
    let fixed = repo::live(&mut conn, org.org.id, program.id).await?;
    drop(conn);
    if let Some(problem) = too_big(&people) {
        return Err(AppError::Validation(problem));
    }
    // Scoring and the assignment are pure CPU work: off the async threads, under the server's
    // work limit.
    let _permit = crate::web::permit(&state.work, std::time::Duration::from_secs(20)).await?;
    let org = org.clone();
    crate::web::blocking(move || {
        build_proposal(
            &org, program, people, settings, forbidden, fixed, ask, started,
        )
    })
    .await
    .map_err(AppError::internal)
}

/// Candidate pairs (mentors × mentees) one page may score: about a second of CPU at most.
pub const MAX_CANDIDATES: usize = 250_000;

/// Why a program is too large to match on one page, if it is.
fn too_big(people: &[Participant]) -> Option<String> {
    let mentors = people.iter().filter(|p| p.role == "mentor").count();
    let mentees = people.len() - mentors;
    (mentors.saturating_mul(mentees) > MAX_CANDIDATES).then(|| {
        format!(
            "В программе {mentors} наставников и {mentees} наставляемых — это {} вариантов пар, \
             больше, чем подбирается на одной странице ({MAX_CANDIDATES}). Разделите программу \
             (например, по параллелям) и подбирайте пары в каждой.",
            mentors * mentees
        )
    })
}

#[allow(clippy::too_many_arguments)]
fn build_proposal(
    org: &OrgCtx,
    program: crate::programs::repo::ProgramRow,
    people: Vec<Participant>,
    mut settings: Settings,
    forbidden: HashSet<(Uuid, Uuid)>,
    fixed: Vec<(Uuid, Uuid)>,
    ask: Ask,
    started: std::time::Instant,
) -> ProposalPage {
    if let Some(o) = ask.objective {
        settings.objective = o;
    }
    if let Some(m) = ask.min {
        settings.min_score = m;
    }
    let (mentors, mentees) = split(&people);
    let p = model::propose(
        &mentors,
        &mentees,
        &program.form_code,
        &settings,
        &forbidden,
        &fixed,
        10,
    );
    let defaults = Settings::defaults(&program.form_code);
    let default_line = if defaults.weights != settings.weights {
        let d = model::propose(
            &mentors,
            &mentees,
            &program.form_code,
            &Settings {
                weights: defaults.weights.clone(),
                ..settings.clone()
            },
            &forbidden,
            &fixed,
            0,
        );
        format!(
            "С весами формы по умолчанию было бы пар: {}, средняя оценка {} %.",
            d.pairs.len(),
            if d.pairs.is_empty() {
                0
            } else {
                pct(d.total / d.pairs.len() as f64)
            }
        )
    } else {
        String::new()
    };
    let pairs: Vec<PairView> = p
        .pairs
        .iter()
        .map(|x| {
            let e = mentees[x.mentee];
            PairView {
                mentor_id: mentors[x.mentor].person_id.to_string(),
                mentor: mentors[x.mentor].name.clone(),
                mentee_id: e.person_id.to_string(),
                mentee: e.name.clone(),
                mentee_class: e.class_name.clone(),
                score: pct(x.scored.total),
                explanation: score::explain(&x.scored),
                parts: parts_view(&x.scored),
                choices: choices_for(
                    &p.alternatives[x.mentee],
                    x.mentor,
                    &mentors,
                    ask.picks.get(&e.person_id.to_string()),
                ),
                badge: "",
            }
        })
        .collect();
    let unpaired = p
        .unpaired
        .iter()
        .map(|u| UnpairedView {
            name: mentees[u.mentee].name.clone(),
            reason: u.reason.clone(),
            alternatives: p.alternatives[u.mentee]
                .iter()
                .take(5)
                .map(|(k, s)| (mentors[*k].name.clone(), pct(*s)))
                .collect(),
        })
        .collect();
    ProposalPage {
        ctx: org.page(format!("Подбор пар — {}", program.name), "programs"),
        program_url: org.url(&format!("/programs/{}", program.id)),
        program_name: program.name,
        can_edit: org.has(Role::Curator),
        scheme: "questionnaires",
        objective: objective_code(settings.objective),
        min_score: settings.min_score,
        weights_line: weights_line(&settings),
        default_line,
        average: if pairs.is_empty() {
            0
        } else {
            pct(p.total / pairs.len() as f64)
        },
        total: format!("{:.2}", p.total).replace('.', ","),
        pairs,
        unpaired,
        mentors: mentors.len(),
        mentees: mentees.len(),
        fixed: p.fixed_mentees.len(),
        millis: started.elapsed().as_millis(),
        errors: ask.errors,
        mutual: 0,
        wishes: 0,
    }
}

/// «Подобрать пары»: the proposal for the program, with explanations and alternatives.
pub async fn proposal(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<ProposalPage> {
    let page = proposal_page(&state, &org, &id, ask_from_query(&q)).await?;
    crate::audit::read(
        &state.pool,
        &org,
        "matching.view",
        None,
        &format!("программа {id}"),
    )
    .await?;
    Ok(page)
}

/// Mentor Match: pairs from the wishes both sides stated after a group meeting.
pub async fn mentor_match(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<ProposalPage> {
    let page = mentor_match_page(&state, &org, &id, Vec::new(), HashMap::new()).await?;
    crate::audit::read(
        &state.pool,
        &org,
        "matching.view",
        None,
        &format!("Mentor Match, программа {id}"),
    )
    .await?;
    Ok(page)
}

async fn mentor_match_page(
    state: &AppState,
    org: &OrgCtx,
    program_raw: &str,
    errors: Vec<String>,
    picks: HashMap<String, String>,
) -> AppResult<ProposalPage> {
    org.require_any(&VIEWERS)?;
    let started = std::time::Instant::now();
    let mut conn = state.pool.acquire().await?;
    let program = own_program(&mut conn, org, program_raw).await?;
    let people = repo::participants(&mut conn, org.org.id, program.id).await?;
    let wishes = repo::wishes(&mut conn, org.org.id, program.id).await?;
    let fixed = repo::live(&mut conn, org.org.id, program.id).await?;
    let settings = repo::settings(&mut conn, org.org.id, program.id, &program.form_code).await?;
    drop(conn);
    let taken: HashSet<Uuid> = fixed.iter().map(|f| f.1).collect();
    let (mentors, all_mentees) = split(&people);
    let mentees: Vec<&Participant> = all_mentees
        .iter()
        .copied()
        .filter(|e| !taken.contains(&e.person_id) && e.profile.consent)
        .collect();
    let caps: Vec<u32> = mentors
        .iter()
        .map(|t| {
            let used = fixed.iter().filter(|f| f.0 == t.person_id).count() as u32;
            if t.profile.consent {
                t.capacity.saturating_sub(used)
            } else {
                0
            }
        })
        .collect();
    let got = model::mentor_match(&mentors, &mentees, &wishes, &caps);
    let rule = settings.rule(&program.form_code);
    let weights = settings.weights();
    let matched: HashSet<usize> = got.iter().map(|g| g.0).collect();
    let pairs: Vec<PairView> = got
        .iter()
        .map(|&(i, k, mutual, both)| {
            let s = score::score(
                &mentors[k].profile,
                &mentees[i].profile,
                rule,
                &weights,
                false,
            )
            .ok();
            let e = mentees[i];
            let mentor_id = mentors[k].person_id.to_string();
            let chosen = picks
                .get(&e.person_id.to_string())
                .cloned()
                .unwrap_or(mentor_id.clone());
            PairView {
                mentor_id: mentor_id.clone(),
                mentor: mentors[k].name.clone(),
                mentee_id: e.person_id.to_string(),
                mentee: e.name.clone(),
                mentee_class: e.class_name.clone(),
                score: s.as_ref().map(|s| pct(s.total)).unwrap_or(0),
                explanation: s.as_ref().map(score::explain).unwrap_or_default(),
                parts: s.as_ref().map(parts_view).unwrap_or_default(),
                choices: vec![
                    Choice {
                        selected: chosen == mentor_id,
                        label: mentors[k].name.clone(),
                        value: mentor_id,
                    },
                    Choice {
                        selected: chosen.is_empty(),
                        value: String::new(),
                        label: "— не принимать —".into(),
                    },
                ],
                badge: if mutual {
                    "взаимный первый выбор"
                } else if both {
                    "пожелания совпали"
                } else {
                    "устойчивое распределение"
                },
            }
        })
        .collect();
    let unpaired = mentees
        .iter()
        .enumerate()
        .filter(|(i, _)| !matched.contains(i))
        .map(|(_, e)| UnpairedView {
            name: e.name.clone(),
            reason: if wishes.get(&e.person_id).is_none_or(|w| w.is_empty()) {
                "не указал(а), с кем хотел(а) бы работать".into()
            } else {
                "выбранные наставники заняты или не выбрали его (её)".into()
            },
            alternatives: Vec::new(),
        })
        .collect();
    let mutual = got.iter().filter(|g| g.2).count();
    Ok(ProposalPage {
        ctx: org.page(format!("Mentor Match — {}", program.name), "programs"),
        program_url: org.url(&format!("/programs/{}", program.id)),
        program_name: program.name,
        can_edit: org.has(Role::Curator),
        scheme: "mentor_match",
        objective: objective_code(settings.objective),
        min_score: settings.min_score,
        weights_line: String::new(),
        default_line: String::new(),
        total: String::new(),
        average: 0,
        pairs,
        unpaired,
        mentors: mentors.len(),
        mentees: all_mentees.len(),
        fixed: taken.len(),
        millis: started.elapsed().as_millis(),
        errors,
        mutual,
        wishes: wishes.len(),
    })
}

// ---- creating pairs ---------------------------------------------------------------------------

/// Creates pairs and groups (mentor → mentees) after checking every rule again inside one
/// transaction; on any problem nothing is created and the problems are returned.
async fn make_pairs(
    state: &AppState,
    org: &OrgCtx,
    program: &ProgramRow,
    groups: &BTreeMap<Uuid, Vec<Uuid>>,
    scheme: &str,
) -> AppResult<Result<usize, Vec<String>>> {
    let mut tx = state.pool.begin().await?;
    repo::lock_program(&mut tx, org.org.id, program.id).await?;
    let people = repo::participants(&mut tx, org.org.id, program.id).await?;
    let settings = repo::settings(&mut tx, org.org.id, program.id, &program.form_code).await?;
    let forbidden = repo::forbidden(&mut tx, org.org.id, program.id).await?;
    let live = repo::live(&mut tx, org.org.id, program.id).await?;
    let by_role: HashMap<(Uuid, &str), &Participant> = people
        .iter()
        .map(|p| ((p.person_id, p.role.as_str()), p))
        .collect();
    let mentor_of = |id: &Uuid| by_role.get(&(*id, "mentor")).copied();
    let mentee_of = |id: &Uuid| by_role.get(&(*id, "mentee")).copied();
    let mut used_places: HashMap<Uuid, usize> = HashMap::new();
    for (mentor, _) in &live {
        *used_places.entry(*mentor).or_default() += 1;
    }
    let paired: HashSet<Uuid> = live.iter().map(|l| l.1).collect();
    let rule = settings.rule(&program.form_code);
    let weights = settings.weights();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut plans = Vec::new();
    for (mentor_id, mentee_ids) in groups {
        let Some(t) = mentor_of(mentor_id) else {
            errors.push("Выбранный наставник не участвует в программе.".into());
            continue;
        };
        if !t.profile.consent {
            errors.push(format!(
                "{}: нет согласия на обработку персональных данных.",
                t.name
            ));
            continue;
        }
        let used = used_places.get(mentor_id).copied().unwrap_or(0);
        if used + mentee_ids.len() > t.capacity as usize {
            errors.push(format!(
                "{}: мест {}, уже занято {}, а выбрано ещё {}. Увеличьте число мест в «Весах и правилах» или выберите другого наставника.",
                t.name,
                t.capacity,
                used,
                mentee_ids.len()
            ));
            continue;
        }
        let mut scores = Vec::new();
        let mut lines = Vec::new();
        for e_id in mentee_ids {
            let Some(e) = mentee_of(e_id) else {
                errors.push("Выбранный наставляемый не участвует в программе.".into());
                continue;
            };
            if !seen.insert(*e_id) || paired.contains(e_id) {
                errors.push(format!("{}: уже в паре.", e.name));
                continue;
            }
            match score::score(
                &t.profile,
                &e.profile,
                rule,
                &weights,
                forbidden.contains(&(t.person_id, e.person_id)),
            ) {
                Ok(s) => {
                    scores.push(s.total);
                    lines.push(if mentee_ids.len() > 1 {
                        format!("{}: {}", e.name, score::explain(&s))
                    } else {
                        score::explain(&s)
                    });
                }
                Err(why) => errors.push(format!("{} и {}: {}.", t.name, e.name, why.label())),
            }
        }
        let answered = t.answered
            && mentee_ids
                .iter()
                .all(|e| mentee_of(e).is_some_and(|e| e.answered));
        let score = (answered && !scores.is_empty())
            .then(|| scores.iter().sum::<f64>() / scores.len() as f64);
        let explanation = if answered {
            lines.join("; ")
        } else {
            "не все участники заполнили анкеты — оценка по анкетам не рассчитана".into()
        };
        plans.push((*mentor_id, mentee_ids.clone(), score, explanation));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let mut notify: Vec<(Uuid, Vec<Uuid>)> = Vec::new();
    for (mentor, mentees, score, explanation) in &plans {
        let id = repo::create_pair(
            &mut tx,
            org.org.id,
            program.id,
            *mentor,
            mentees,
            scheme,
            *score,
            explanation,
            org.user.id,
        )
        .await?;
        for person in std::iter::once(mentor).chain(mentees.iter()) {
            crate::audit::record(
                &mut tx,
                org,
                "pair.create",
                Some(*person),
                &format!("{} — {}", model::scheme_label(scheme), program.name),
            )
            .await?;
        }
        let users: Vec<Uuid> = std::iter::once(mentor_of(mentor))
            .chain(mentees.iter().map(&mentee_of))
            .filter_map(|p| p.and_then(|p| p.user_id))
            .collect();
        notify.push((id, users));
    }
    for (id, users) in notify {
        crate::questionnaires::repo::notify(
            &mut tx,
            org.org.id,
            &users,
            &format!(
                "Вам предложена пара в программе «{}». Посмотрите и ответьте, согласны ли вы.",
                program.name
            ),
            &org.url(&format!("/my/pairs/{id}")),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Ok(plans.len()))
}

/// Accepts the proposals as chosen on the page (each mentee: the proposed mentor, another one,
/// or none).
pub async fn accept(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let program = program_of(&state, &org, &id).await?;
    let scheme = if data.get("scheme") == "mentor_match" {
        "mentor_match"
    } else {
        "questionnaires"
    };
    let mut picks = HashMap::new();
    let mut groups: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    for (k, v) in &data.0 {
        let Some(mentee) = k.strip_prefix("pick.") else {
            continue;
        };
        picks.insert(mentee.to_string(), v.clone());
        if let (Ok(e), Ok(t)) = (Uuid::parse_str(mentee), Uuid::parse_str(v)) {
            groups.entry(t).or_default().push(e);
        }
    }
    let back = org.url(&format!(
        "/programs/{}/{}",
        program.id,
        if scheme == "mentor_match" {
            "mentor-match"
        } else {
            "matching"
        }
    ));
    if groups.is_empty() {
        return Ok(org.flash_error(&back, "Ни одна пара не выбрана."));
    }
    match make_pairs(&state, &org, &program, &groups, scheme).await? {
        Ok(n) => Ok(org.flash(
            &org.url(&format!("/programs/{}/pairs", program.id)),
            &format!(
                "Предложено пар и групп: {n}. Участники получили предложения и должны подтвердить согласие; остальных можно подобрать снова."
            ),
        )),
        Err(errors) => {
            let page = if scheme == "mentor_match" {
                mentor_match_page(&state, &org, &id, errors, picks).await?
            } else {
                let ask = Ask {
                    objective: match data.get("objective").as_str() {
                        "coverage" => Some(Objective::Coverage),
                        "quality" => Some(Objective::Quality),
                        _ => None,
                    },
                    min: data.get("min").trim().parse().ok(),
                    picks,
                    errors,
                };
                proposal_page(&state, &org, &id, ask).await?
            };
            Ok(with_status(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
    }
}

/// «Не ставить вместе» (or lifting it).
pub async fn forbid(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let mut conn = state.pool.acquire().await?;
    let program = own_program(&mut conn, &org, &id).await?;
    let raw = data.get("pair");
    let (a, b) = raw.split_once(':').ok_or(AppError::NotFound)?;
    let pair = (parse_id(a)?, parse_id(b)?);
    let people = repo::participants(&mut conn, org.org.id, program.id).await?;
    let name = |id: Uuid, role: &str| {
        people
            .iter()
            .find(|p| p.person_id == id && p.role == role)
            .map(|p| p.name.clone())
    };
    let (Some(t), Some(e)) = (name(pair.0, "mentor"), name(pair.1, "mentee")) else {
        return Err(AppError::NotFound);
    };
    let on = data.get("on") != "0";
    repo::set_forbidden(&mut conn, org.org.id, program.id, pair, on, org.user.id).await?;
    let back = if data.get("back") == "settings" {
        org.url(&format!("/programs/{}/matching/settings", program.id))
    } else {
        org.url(&format!("/programs/{}/matching", program.id))
    };
    Ok(org.flash(
        &back,
        &if on {
            format!("{t} и {e} больше не будут предложены вместе. Подбор выполнен заново.")
        } else {
            format!("Запрет снят: {t} и {e} снова могут быть парой.")
        },
    ))
}

// ---- weights and rules ------------------------------------------------------------------------

fn rule_kind(form_code: &str) -> (&'static str, i32) {
    match Weights::rule_for(form_code) {
        Rule::GradeGap(g) => ("grade", g),
        Rule::Experience { gap, .. } => ("experience", gap),
        Rule::Career => ("career", 0),
        Rule::None => ("none", 0),
    }
}

async fn settings_page(
    state: &AppState,
    org: &OrgCtx,
    program_raw: &str,
    input: Option<(&FormData, Vec<String>)>,
) -> AppResult<SettingsPage> {
    org.require_any(&VIEWERS)?;
    let mut conn = state.pool.acquire().await?;
    let program = own_program(&mut conn, org, program_raw).await?;
    let s = repo::settings(&mut conn, org.org.id, program.id, &program.form_code).await?;
    let people = repo::participants(&mut conn, org.org.id, program.id).await?;
    let forbidden = repo::forbidden(&mut conn, org.org.id, program.id).await?;
    let form_title = crate::programs::repo::form(&mut conn, &program.form_code)
        .await?
        .map(|f| f.title)
        .unwrap_or_default();
    drop(conn);
    let d = Settings::defaults(&program.form_code);
    let (kind, rule_default) = rule_kind(&program.form_code);
    let get = |name: &str, saved: String| match &input {
        Some((data, _)) => data.get(name),
        None => saved,
    };
    let name = |id: Uuid, role: &str| {
        people
            .iter()
            .find(|p| p.person_id == id && p.role == role)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let mut forbidden: Vec<(String, String)> = forbidden
        .iter()
        .map(|(t, e)| {
            (
                format!("{t}:{e}"),
                format!("{} и {}", name(*t, "mentor"), name(*e, "mentee")),
            )
        })
        .collect();
    forbidden.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(SettingsPage {
        ctx: org.page(format!("Веса и правила — {}", program.name), "programs"),
        program_url: org.url(&format!("/programs/{}", program.id)),
        program_name: program.name.clone(),
        form_title,
        rows: CRITERIA
            .iter()
            .map(|(code, label)| SettingRow {
                code,
                label,
                value: match &input {
                    Some((data, _)) => data.get(&format!("w.{code}")).trim().parse().unwrap_or(0),
                    None => s.weights.get(*code).copied().unwrap_or(0),
                },
                default: d.weights.get(*code).copied().unwrap_or(0),
            })
            .collect(),
        objective: if get("objective", objective_code(s.objective).into()) == "coverage" {
            "coverage"
        } else {
            "quality"
        },
        min_score: get("min_score", s.min_score.to_string()),
        rule_kind: kind,
        rule_gap: get(
            "rule_gap",
            s.rule_gap.map(|g| g.to_string()).unwrap_or_default(),
        ),
        rule_default,
        same_subject: match &input {
            Some((data, _)) => data.get("same_subject") == "1",
            None => s.same_subject,
        },
        version: match &input {
            Some((data, _)) => data.int("version"),
            None => s.version,
        },
        capacities: people
            .iter()
            .filter(|p| p.role == "mentor")
            .map(|p| CapacityRow {
                person_id: p.person_id.to_string(),
                name: p.name.clone(),
                capacity: match &input {
                    Some((data, _)) => data
                        .get(&format!("cap.{}", p.person_id))
                        .trim()
                        .parse()
                        .unwrap_or(p.capacity),
                    None => p.capacity,
                },
                answered: p.answered,
            })
            .collect(),
        forbidden,
        errors: input.map(|i| i.1).unwrap_or_default(),
    })
}

pub async fn settings(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<SettingsPage> {
    settings_page(&state, &org, &id, None).await
}

pub async fn save_settings(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let mut conn = state.pool.acquire().await?;
    let program = own_program(&mut conn, &org, &id).await?;
    let mut errors = Vec::new();
    let mut s = Settings::defaults(&program.form_code);
    for (code, label) in CRITERIA {
        match data.get(&format!("w.{code}")).trim().parse::<u32>() {
            Ok(v) if v <= 100 => {
                s.weights.insert(code.to_string(), v);
            }
            _ => errors.push(format!("Вес «{label}»: целое число от 0 до 100.")),
        }
    }
    if errors.is_empty() && s.weights.values().all(|v| *v == 0) {
        errors.push("Хотя бы один вес должен быть больше нуля.".into());
    }
    s.objective = if data.get("objective") == "coverage" {
        Objective::Coverage
    } else {
        Objective::Quality
    };
    match data.get("min_score").trim().parse::<u32>() {
        Ok(v) if v <= 100 => s.min_score = v,
        _ => errors.push("Минимальная оценка: целое число от 0 до 100.".into()),
    }
    let gap = trimmed(&data.get("rule_gap"));
    if !gap.is_empty() {
        match gap.parse::<i32>() {
            Ok(g) if (0..=40).contains(&g) => s.rule_gap = Some(g),
            _ => errors.push("Разница (классов или лет стажа): целое число от 0 до 40.".into()),
        }
    }
    s.same_subject = data.get("same_subject") == "1";
    s.version = data.int("version");
    let people = repo::participants(&mut conn, org.org.id, program.id).await?;
    let mut caps = Vec::new();
    for p in people.iter().filter(|p| p.role == "mentor") {
        let raw = data.get(&format!("cap.{}", p.person_id));
        if raw.is_empty() {
            continue;
        }
        match raw.trim().parse::<i32>() {
            Ok(c) if (0..=30).contains(&c) => caps.push((p.person_id, c)),
            _ => errors.push(format!("{}: число мест — от 0 до 30.", p.name)),
        }
    }
    drop(conn);
    if !errors.is_empty() {
        let page = settings_page(&state, &org, &id, Some((&data, errors))).await?;
        return Ok(with_status(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    let mut tx = state.pool.begin().await?;
    if !repo::save_settings(&mut tx, org.org.id, program.id, &s).await? {
        drop(tx);
        let page = settings_page(
            &state,
            &org,
            &id,
            Some((
                &data,
                vec!["Пока вы редактировали, настройки сохранил кто-то другой. Ваши значения остались в форме; сохраните ещё раз, чтобы записать их.".into()],
            )),
        )
        .await?;
        let mut page = page;
        let mut conn = state.pool.acquire().await?;
        page.version = repo::settings(&mut conn, org.org.id, program.id, &program.form_code)
            .await?
            .version;
        return Ok(with_status(StatusCode::CONFLICT, page));
    }
    for (person, c) in caps {
        repo::set_capacity(&mut tx, org.org.id, program.id, person, c).await?;
    }
    tx.commit().await?;
    Ok(org.flash(
        &org.url(&format!("/programs/{}/matching", program.id)),
        "Веса и правила сохранены; пары подобраны с ними заново.",
    ))
}

// ---- pairs of a program -----------------------------------------------------------------------

fn answer_label(m: &repo::MemberRow) -> &'static str {
    match m.answer.as_deref() {
        Some("yes") if m.on_paper => "согласие на бумаге",
        Some("yes") => "согласен(на)",
        Some("no") if m.on_paper => "отказ на бумаге",
        Some("no") => "не согласен(на)",
        _ => "ждём ответа",
    }
}

fn member_view(m: &repo::MemberRow) -> MemberView {
    MemberView {
        person_id: m.person_id.to_string(),
        name: m.name.clone(),
        class_name: m.class_name.clone(),
        role_label: if m.role == "mentor" {
            "наставник"
        } else {
            "наставляемый"
        },
        answer_label: answer_label(m),
        answered: m.answer.is_some(),
        on_paper: m.on_paper,
        comment: m.comment.clone(),
    }
}

fn unit_view(p: &repo::PairRow, me: Option<Uuid>) -> UnitView {
    let mine = p
        .members
        .iter()
        .find(|m| Some(m.user_id) == Some(me) && me.is_some());
    UnitView {
        id: p.id.to_string(),
        status_label: model::status_label(&p.status),
        status: p.status.clone(),
        scheme_label: model::scheme_label(&p.scheme),
        score: p
            .score
            .map(|s| format!("{} %", pct(s as f64)))
            .unwrap_or_default(),
        explanation: p.explanation.clone(),
        created: ru_date(p.created_at.date_naive()),
        group: p.members.iter().filter(|m| m.role == "mentee").count() > 1,
        members: p.members.iter().map(member_view).collect(),
        program_name: p.program_name.clone(),
        my_answer: mine.map(answer_label).unwrap_or(""),
        waiting_for_me: p.status == "proposed" && mine.is_some_and(|m| m.answer.is_none()),
    }
}

pub async fn pairs(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<PairsPage> {
    org.require_any(&VIEWERS)?;
    let mut conn = state.pool.acquire().await?;
    let program = own_program(&mut conn, &org, &id).await?;
    crate::audit::record(
        &mut conn,
        &org,
        "pairs.view",
        None,
        &format!("программа {}", program.id),
    )
    .await?;
    let rows = repo::pairs_of_program(&mut conn, org.org.id, program.id).await?;
    let people = repo::participants(&mut conn, org.org.id, program.id).await?;
    let live = repo::live(&mut conn, org.org.id, program.id).await?;
    drop(conn);
    let taken: HashSet<Uuid> = live.iter().map(|l| l.1).collect();
    let count = |s: &str| rows.iter().filter(|r| r.status == s).count();
    Ok(PairsPage {
        ctx: org.page(format!("Пары — {}", program.name), "programs"),
        program_url: org.url(&format!("/programs/{}", program.id)),
        program_name: program.name.clone(),
        can_edit: org.has(Role::Curator),
        counts: (count("proposed"), count("agreed"), count("refused")),
        units: rows.iter().map(|r| unit_view(r, None)).collect(),
        mentors: people
            .iter()
            .filter(|p| p.role == "mentor" && p.profile.consent)
            .map(|p| {
                let used = live.iter().filter(|l| l.0 == p.person_id).count();
                Opt {
                    value: p.person_id.to_string(),
                    label: format!("{} — занято {} из {}", p.name, used, p.capacity),
                }
            })
            .collect(),
        mentees: people
            .iter()
            .filter(|p| p.role == "mentee" && p.profile.consent && !taken.contains(&p.person_id))
            .map(|p| Opt {
                value: p.person_id.to_string(),
                label: if p.class_name.is_empty() {
                    p.name.clone()
                } else {
                    format!("{}, {}", p.name, p.class_name)
                },
            })
            .collect(),
        chosen_mentor: q.get("mentor").cloned().unwrap_or_default(),
        chosen_mentee: q.get("mentee").cloned().unwrap_or_default(),
    })
}

/// «Предложение куратора»: one pair (or a mentor with several mentees) made by hand.
pub async fn create_by_hand(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let program = program_of(&state, &org, &id).await?;
    let mentor = Uuid::parse_str(&data.get("mentor")).ok();
    let mentees: Vec<Uuid> = data
        .all("mentee")
        .iter()
        .filter_map(|s| Uuid::parse_str(s).ok())
        .collect();
    let back = |msg: &str| {
        org.flash_error(
            &org.url(&format!(
                "/programs/{}/pairs?mentor={}&mentee={}#hand",
                program.id,
                data.get("mentor"),
                data.get("mentee")
            )),
            msg,
        )
    };
    let Some(mentor) = mentor else {
        return Ok(back("Выберите наставника."));
    };
    if mentees.is_empty() {
        return Ok(back("Выберите наставляемого."));
    }
    let groups: BTreeMap<Uuid, Vec<Uuid>> = [(mentor, mentees)].into_iter().collect();
    match make_pairs(&state, &org, &program, &groups, "curator").await? {
        Ok(_) => Ok(org.flash(
            &org.url(&format!("/programs/{}/pairs", program.id)),
            "Пара предложена; она станет согласованной, когда согласятся все её участники.",
        )),
        Err(errors) => Ok(back(&errors.join(" "))),
    }
}

/// A pair of the organization's program; 404 for a pair of another program or organization.
async fn program_pair(
    conn: &mut PgConnection,
    org: &OrgCtx,
    program_raw: &str,
    pair_raw: &str,
) -> AppResult<(ProgramRow, repo::PairRow)> {
    let program = own_program(conn, org, program_raw).await?;
    let row = repo::pair(conn, org.org.id, parse_id(pair_raw)?)
        .await?
        .filter(|p| p.program_id == program.id)
        .ok_or(AppError::NotFound)?;
    Ok((program, row))
}

/// The curator records a consent (or refusal) given on paper.
pub async fn paper(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id, pair)): Path<(String, String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let mut tx = state.pool.begin().await?;
    let (program, row) = program_pair(&mut tx, &org, &id, &pair).await?;
    let person = parse_id(&data.get("person"))?;
    if !row.members.iter().any(|m| m.person_id == person) {
        return Err(AppError::NotFound);
    }
    let yes = data.get("answer") != "no";
    let back = org.url(&format!("/programs/{}/pairs", program.id));
    let comment: String = trimmed(&data.get("comment")).chars().take(1000).collect();
    let mut row = row;
    let Some(status) = record_answer(&mut tx, &org, &mut row, person, yes, &comment, true).await?
    else {
        return Ok(org.flash_error(&back, "Эта пара уже не ждёт ответов."));
    };
    tx.commit().await?;
    Ok(org.flash(&back, &settled_message(status)))
}

/// Records a member's answer (in their account or on paper), writes the audit entry, settles
/// the pair and tells those concerned. None when the pair is no longer waiting.
async fn record_answer(
    conn: &mut PgConnection,
    org: &OrgCtx,
    row: &mut repo::PairRow,
    person: Uuid,
    yes: bool,
    comment: &str,
    on_paper: bool,
) -> AppResult<Option<Status>> {
    let Some(status) = repo::answer(
        conn,
        org.org.id,
        row.id,
        person,
        yes,
        comment,
        on_paper,
        org.user.id,
    )
    .await?
    else {
        return Ok(None);
    };
    crate::audit::record(
        conn,
        org,
        "pair.answer",
        Some(person),
        &format!(
            "{}{} — {}",
            if yes {
                "согласие"
            } else {
                "отказ"
            },
            if on_paper { " (на бумаге)" } else { "" },
            row.program_name
        ),
    )
    .await?;
    if let Some(m) = row.members.iter_mut().find(|m| m.person_id == person) {
        m.comment = comment.to_string();
    }
    after_answer(conn, org, row, person, yes, status).await?;
    Ok(Some(status))
}

fn settled_message(status: Status) -> String {
    match status {
        Status::Agreed => "Все участники согласны: пара согласована.".into(),
        Status::Refused => {
            "Ответ записан. Пара не состоялась; наставляемый снова в списке для подбора.".into()
        }
        Status::Proposed => "Ответ записан; ждём ответа остальных участников.".into(),
    }
}

/// Tells the curator about a refusal or an agreement, and the members about the agreement.
async fn after_answer(
    conn: &mut PgConnection,
    org: &OrgCtx,
    row: &repo::PairRow,
    person: Uuid,
    yes: bool,
    status: Status,
) -> AppResult<()> {
    let curators = repo::curators(conn, org.org.id, row.program_id).await?;
    let link = org.url(&format!("/programs/{}/pairs", row.program_id));
    let who = row
        .members
        .iter()
        .find(|m| m.person_id == person)
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let others: Vec<String> = row
        .members
        .iter()
        .filter(|m| m.person_id != person)
        .map(|m| m.name.clone())
        .collect();
    if !yes {
        let comment = row
            .members
            .iter()
            .find(|m| m.person_id == person)
            .map(|m| m.comment.clone())
            .unwrap_or_default();
        crate::questionnaires::repo::notify(
            conn,
            org.org.id,
            &curators,
            &format!(
                "{who} не согласен(на) на пару с {} в программе «{}»{}. {}",
                others.join(", "),
                row.program_name,
                if comment.is_empty() {
                    String::new()
                } else {
                    format!(" ({comment})")
                },
                if status == Status::Refused {
                    "Наставляемые вернулись в список для подбора."
                } else {
                    "Наставляемый вернулся в список для подбора."
                }
            ),
            &link,
        )
        .await?;
    }
    if status == Status::Agreed {
        let members: Vec<Uuid> = row.members.iter().filter_map(|m| m.user_id).collect();
        let names: Vec<String> = row.members.iter().map(|m| m.name.clone()).collect();
        let text = format!(
            "Пара согласована в программе «{}»: {}.",
            row.program_name,
            names.join(", ")
        );
        crate::questionnaires::repo::notify(conn, org.org.id, &curators, &text, &link).await?;
        crate::questionnaires::repo::notify(
            conn,
            org.org.id,
            &members,
            &text,
            &org.url(&format!("/my/pairs/{}", row.id)),
        )
        .await?;
    }
    Ok(())
}

pub async fn cancel(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id, pair)): Path<(String, String, String)>,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let mut tx = state.pool.begin().await?;
    let (program, row) = program_pair(&mut tx, &org, &id, &pair).await?;
    let pair_id = row.id;
    let back = org.url(&format!("/programs/{}/pairs", program.id));
    if !repo::cancel(&mut tx, org.org.id, pair_id).await? {
        return Ok(org.flash_error(&back, "Эта пара уже завершена или отменена."));
    }
    for m in &row.members {
        crate::audit::record(
            &mut tx,
            &org,
            "pair.cancel",
            Some(m.person_id),
            &program.name,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(org.flash(
        &back,
        "Пара отменена; её участники снова в списке для подбора.",
    ))
}

// ---- the participant's side -------------------------------------------------------------------

/// A pair the user belongs to, and the index of their membership; 404 for anyone else.
async fn my_pair(
    conn: &mut PgConnection,
    org: &OrgCtx,
    raw: &str,
) -> AppResult<(repo::PairRow, usize)> {
    let row = repo::pair(conn, org.org.id, parse_id(raw)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let me = row
        .members
        .iter()
        .position(|m| m.user_id == Some(org.user.id))
        .ok_or(AppError::NotFound)?;
    Ok((row, me))
}

pub async fn mine(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, pair)): Path<(String, String)>,
) -> AppResult<MyPairPage> {
    let mut conn = state.pool.acquire().await?;
    let (row, me) = my_pair(&mut conn, &org, &pair).await?;
    let me = &row.members[me];
    let partners = row
        .members
        .iter()
        .filter(|m| m.person_id != me.person_id)
        .map(member_view)
        .collect();
    Ok(MyPairPage {
        ctx: org.page("Предложение пары", "home"),
        action: org.url(&format!("/my/pairs/{}", row.id)),
        home: org.url(""),
        unit: unit_view(&row, Some(org.user.id)),
        partners,
    })
}

pub async fn answer_mine(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, pair)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let (row, me) = my_pair(&mut tx, &org, &pair).await?;
    let me = &row.members[me];
    let here = org.url(&format!("/my/pairs/{}", row.id));
    if me.answer.is_some() {
        return Ok(org.flash_error(&here, "Вы уже ответили на это предложение."));
    }
    let yes = match data.get("answer").as_str() {
        "yes" => true,
        "no" => false,
        _ => return Ok(org.flash_error(&here, "Выберите: согласны вы или нет.")),
    };
    let comment: String = trimmed(&data.get("comment")).chars().take(1000).collect();
    let person = me.person_id;
    let mut row = row;
    let Some(status) = record_answer(&mut tx, &org, &mut row, person, yes, &comment, false).await?
    else {
        return Ok(org.flash_error(&here, "Это предложение уже не ждёт ответа."));
    };
    tx.commit().await?;
    Ok(org.flash(
        &org.url(""),
        match (yes, status) {
            (_, Status::Agreed) => "Спасибо! Все согласны — пара согласована.",
            (true, _) => "Спасибо! Ваше согласие записано; ждём ответа второй стороны.",
            (false, _) => "Ваш ответ записан. Куратор подберёт другую пару.",
        },
    ))
}

/// The user's pairs for the home page: (link, text, waiting for their answer).
pub async fn home_lines(
    conn: &mut PgConnection,
    org: &OrgCtx,
) -> AppResult<Vec<(String, String, String, bool)>> {
    let rows = repo::pairs_of_user(conn, org.org.id, org.user.id).await?;
    Ok(rows
        .iter()
        .map(|r| {
            let u = unit_view(r, Some(org.user.id));
            let others: Vec<String> = r
                .members
                .iter()
                .filter(|m| m.user_id != Some(org.user.id))
                .map(|m| m.name.clone())
                .collect();
            (
                org.url(&format!("/my/pairs/{}", r.id)),
                format!("{}: {}", r.program_name, others.join(", ")),
                u.status_label.to_string(),
                u.waiting_for_me,
            )
        })
        .collect())
}
