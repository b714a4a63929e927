//! A measurement filled from what the participants answered themselves
//! (`POST /programs/{program}/monitoring/{entry|final}/from-answers`): the curator picks a sending
//! of a questionnaire tied to parameters; each submitted number within the parameter's scale
//! becomes the person's value for that stage (source «self»). A value the curator typed or
//! imported is kept; people without a valid consent and answers off the scale are counted, not
//! written.

use std::collections::{HashMap, HashSet};

use axum::extract::Path;
use axum::response::Response;
use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::AppResult;
use crate::monitoring::repo;
use crate::programs::ProgramCtx;
use crate::questionnaires::numbers;
use crate::web::forms::Choice;
use crate::web::parse_id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AnswersForm {
    pub role: String,
    pub sending: String,
}

/// What one fill did, for the flash message.
#[derive(Debug, Default, PartialEq)]
pub struct Filled {
    pub written: usize,
    pub kept: usize,
    pub no_consent: usize,
    pub off_scale: usize,
}

/// The sendings a stage can be filled from: those of questionnaires tied to the role's parameters.
pub(super) async fn sending_choices(
    conn: &mut sqlx::PgConnection,
    org_id: Uuid,
    params: &[repo::Parameter],
) -> AppResult<Vec<Choice>> {
    let mut tied: Vec<Uuid> = params.iter().filter_map(|p| p.questionnaire_id).collect();
    tied.sort();
    tied.dedup();
    if tied.is_empty() {
        return Ok(Vec::new());
    }
    Ok(numbers::sendings(conn, org_id, &tied)
        .await?
        .into_iter()
        .map(|a| Choice {
            value: a.id.to_string(),
            label: format!(
                "«{}», разослана {}{}: ответов {} из {}",
                a.title,
                a.created_at.format("%d.%m.%Y"),
                a.program_name
                    .map(|p| format!(" (программа «{p}»)"))
                    .unwrap_or_default(),
                a.submitted,
                a.targets
            ),
            selected: false,
        })
        .collect())
}

pub async fn fill(
    pc: ProgramCtx,
    Path((_, _, stage)): Path<(String, String, String)>,
    crate::web::forms::Form(data): crate::web::forms::Form<AnswersForm>,
) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let stage = super::stage_of(&stage)?;
    let org = &pc.org;
    let role = if data.role == "mentor" {
        "mentor"
    } else {
        "mentee"
    };
    let back = org
        .paths()
        .in_program(pc.program.id)
        .monitoring_table(stage, role, "");
    let mut tx = org.begin().await?;
    let sending = match parse_id(&data.sending) {
        Ok(id) => numbers::sending(&mut tx, org.org.id, id).await?,
        Err(_) => None,
    };
    let Some(sending) = sending else {
        return Ok(org.flash_error(&back, "Выберите рассылку анкеты."));
    };
    let params: Vec<repo::Parameter> = repo::parameters(&mut tx, org.org.id, pc.program.id)
        .await?
        .into_iter()
        .filter(|p| p.role == role && p.questionnaire_id == Some(sending.questionnaire_id))
        .collect();
    if params.is_empty() {
        return Ok(org.flash_error(
            &back,
            "С вопросами этой анкеты не связан ни один параметр этой группы.",
        ));
    }
    let people: HashMap<Uuid, repo::Person> = repo::people(&mut tx, org.org.id, pc.program.id)
        .await?
        .into_iter()
        .filter(|p| p.role == role)
        .map(|p| (p.person_id, p))
        .collect();
    let by_hand: HashSet<(Uuid, Uuid)> = repo::sources(&mut tx, org.org.id, pc.program.id, stage)
        .await?
        .into_iter()
        .filter(|(_, _, source)| source != "self")
        .map(|(param, person, _)| (param, person))
        .collect();
    let answers = numbers::submitted(&mut tx, org.org.id, sending.id).await?;
    let mut done = Filled::default();
    for (person, raw) in &answers {
        let Some(p) = people.get(person) else {
            continue;
        };
        for x in &params {
            let Some(v) = numbers::number(raw, x.question_key.as_deref().unwrap_or_default())
            else {
                continue;
            };
            if !p.consent {
                done.no_consent += 1;
            } else if v < x.min_value || v > x.max_value {
                done.off_scale += 1;
            } else if by_hand.contains(&(x.id, *person)) {
                done.kept += 1;
            } else {
                repo::set(
                    &mut tx,
                    org.org.id,
                    (x.id, *person, stage),
                    Some(v),
                    ("self", org.user.id),
                )
                .await?;
                done.written += 1;
            }
        }
    }
    crate::audit::record(
        &mut tx,
        org,
        "monitoring.from_answers",
        None,
        &format!(
            "программа {}, замер {stage}, рассылка {}: записано {}",
            pc.program.id, sending.id, done.written
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(org.flash(&back, &message(&done)))
}

fn message(d: &Filled) -> String {
    let mut s = format!("Из ответов на анкету записано значений: {}.", d.written);
    if d.kept > 0 {
        s.push_str(&format!(
            " Оставлены введённые куратором или из файла: {}.",
            d.kept
        ));
    }
    if d.no_consent > 0 {
        s.push_str(&format!(
            " Без действующего согласия не внесено: {}.",
            d.no_consent
        ));
    }
    if d.off_scale > 0 {
        s.push_str(&format!(
            " Вне шкалы параметра не внесено: {}.",
            d.off_scale
        ));
    }
    s
}
