//! Giving a questionnaire on a schedule (POST `/questionnaires/{id}/schedules`, and `…/{sid}/
//! delete`): a program, its mentors or mentees, a day of the week and the days to answer; the
//! morning job of that day gives it.

use super::*;
use crate::questionnaires::builder;
use crate::web::forms::Refused;
use crate::web::ids::Id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SchedulesForm {
    pub audience: String,
    pub days_to_answer: String,
    pub program: String,
    pub weekday: String,
}

pub async fn add_schedule(
    org: OrgCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<SchedulesForm>,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let back = org.paths().questionnaire(id);
    let schedule = builder::Schedule {
        audience: data.audience,
        program: Uuid::parse_str(&data.program).ok(),
        weekday: crate::web::forms::int(&data.weekday),
        days_to_answer: crate::web::forms::int(&data.days_to_answer),
    };
    let mut tx = org.begin().await?;
    let answer = builder::add_schedule(&mut tx, &org.actor(), id, &schedule).await;
    org.settled(tx, answer, &back, |_| {
        "Анкета будет выдаваться по расписанию — утром выбранного дня.".into()
    })
    .await
}

pub async fn delete_schedule(
    org: OrgCtx,
    Id(id): Id,
    crate::web::ids::ScheduleId(sid): crate::web::ids::ScheduleId,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let mut conn = org.conn().await?;
    builder::delete_schedule(&mut conn, &org.actor(), id, sid)
        .await
        .map_err(Refused::into_error)?;
    Ok(org.flash(&org.paths().questionnaire(id), "Расписание удалено."))
}
