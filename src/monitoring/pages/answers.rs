//! A measurement filled from what the participants answered themselves
//! (`POST /programs/{program}/monitoring/{entry|final}/from-answers`): the curator picks a sending
//! of a questionnaire tied to parameters; each submitted number within the parameter's scale
//! becomes the person's value for that stage (source «self»). A value the curator typed or
//! imported is kept; people without a valid consent and answers off the scale are counted, not
//! written.

use axum::extract::Path;
use axum::response::Response;
use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::AppResult;
use crate::monitoring::repo;
use crate::people::Side;
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

pub use crate::monitoring::measure::Filled;

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
    let role = Side::of_form(&data.role);
    let back = org
        .paths()
        .in_program(pc.program.id)
        .monitoring_table(stage, role.code(), "");
    let sheet = crate::monitoring::measure::Sheet {
        program_id: pc.program.id,
        stage,
        role,
        class: "",
    };
    let sending = parse_id(&data.sending).ok();
    let mut tx = org.begin().await?;
    let answer =
        crate::monitoring::measure::fill_from_answers(&mut tx, &org.actor(), sheet, sending).await;
    org.settled(tx, answer, &back, |done| message(&done)).await
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
