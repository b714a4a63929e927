//! «Подобрать пары»: the proposal from the questionnaires with explanations, unpaired mentees with
//! reasons, the best alternatives; accepting (swaps, «не принимать») and «не ставить вместе».

use super::mentor_match::mentor_match_page;
use super::*;
use crate::people::Side;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ProposalForm {
    pub back: String,
    pub min: String,
    pub objective: String,
    pub on: String,
    pub pair: String,
    pub scheme: String,
}

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

async fn proposal_page(org: &OrgCtx, program: &ProgramRow, ask: Ask) -> AppResult<ProposalPage> {
    org.require_any(&VIEWERS)?;
    let started = std::time::Instant::now();
    let mut conn = org.conn().await?;
    let program = program.clone();
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
    let _permit = crate::web::permit(&org.state.work, std::time::Duration::from_secs(20)).await?;
    let org = org.clone();
    crate::web::blocking(move || {
        build_proposal(
            &org,
            Inputs {
                program,
                people,
                settings,
                forbidden,
                fixed,
            },
            ask,
            started,
        )
    })
    .await
    .map_err(AppError::internal)
}

/// Candidate pairs (mentors × mentees) one page may score: about a second of CPU at most.
pub const MAX_CANDIDATES: usize = 250_000;

/// Why a program is too large to match on one page, if it is.
fn too_big(people: &[Participant]) -> Option<String> {
    let mentors = people.iter().filter(|p| p.role == Side::Mentor).count();
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

/// What the proposal is computed from: the program, its participants, its settings, the pairs
/// the curator forbade and those already live.
struct Inputs {
    program: crate::programs::ProgramRow,
    people: Vec<Participant>,
    settings: Settings,
    forbidden: HashSet<(Uuid, Uuid)>,
    fixed: Vec<(Uuid, Uuid)>,
}

fn build_proposal(
    org: &OrgCtx,
    Inputs {
        program,
        people,
        mut settings,
        forbidden,
        fixed,
    }: Inputs,
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
                .map(|(k, s)| crate::web::view::Prop {
                    label: mentors[*k].name.clone(),
                    value: pct(*s).to_string(),
                })
                .collect(),
        })
        .collect();
    ProposalPage {
        ctx: org.page(format!("Подбор пар — {}", program.name), "programs"),
        prog: org.paths().in_program(program.id),
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
    pc: ProgramCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<ProposalPage> {
    let ProgramCtx { org, program } = pc;
    let page = proposal_page(&org, &program, ask_from_query(&q)).await?;
    crate::audit::read(
        &org.state.pool,
        &org,
        "matching.view",
        None,
        &format!("программа {}", program.id),
    )
    .await?;
    Ok(page)
}

/// Accepts the proposals as chosen on the page (each mentee: the proposed mentor, another one,
/// or none).
pub async fn accept(
    pc: ProgramCtx,
    crate::web::forms::FormAnd(form, data): crate::web::forms::FormAnd<ProposalForm>,
) -> AppResult<Response> {
    let ProgramCtx { org, program } = pc.require_any(&EDITORS)?;
    let scheme = if form.scheme.clone() == "mentor_match" {
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
    let back = if scheme == "mentor_match" {
        org.paths().in_program(program.id).mentor_match()
    } else {
        org.paths().matching(program.id)
    };
    if groups.is_empty() {
        return Ok(org.flash_error(&back, "Ни одна пара не выбрана."));
    }
    let mut tx = org.begin().await?;
    let made = make_pairs(&mut tx, &org.actor(), &program, &groups, scheme).await?;
    if made.is_ok() {
        tx.commit().await?;
    }
    match made {
        Ok(n) => Ok(org.flash(
            &org.paths().pairs(program.id),
            &format!(
                "Предложено пар и групп: {n}. Участники получили предложения и должны подтвердить согласие; остальных можно подобрать снова."
            ),
        )),
        Err(errors) => {
            let page = if scheme == "mentor_match" {
                mentor_match_page(&org, &program, errors, picks).await?
            } else {
                let ask = Ask {
                    objective: match form.objective.clone().as_str() {
                        "coverage" => Some(Objective::Coverage),
                        "quality" => Some(Objective::Quality),
                        _ => None,
                    },
                    min: form.min.clone().trim().parse().ok(),
                    picks,
                    errors,
                };
                proposal_page(&org, &program, ask).await?
            };
            Ok(with_status(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
    }
}

/// «Не ставить вместе» (or lifting it).
pub async fn forbid(
    pc: ProgramCtx,
    crate::web::forms::Form(form): crate::web::forms::Form<ProposalForm>,
) -> AppResult<Response> {
    let ProgramCtx { org, program } = pc.require_any(&EDITORS)?;
    let (a, b) = form.pair.split_once(':').ok_or(AppError::NotFound)?;
    let pair = (parse_id(a)?, parse_id(b)?);
    let on = form.on != "0";
    let mut conn = org.conn().await?;
    let (t, e) = crate::pairing::forbid(&mut conn, &org.actor(), program.id, pair, on)
        .await
        .map_err(crate::web::forms::Refused::into_error)?;
    let back = if form.back == "settings" {
        org.paths().matching_settings(program.id)
    } else {
        org.paths().matching(program.id)
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
