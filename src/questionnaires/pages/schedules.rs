//! Giving a questionnaire on a schedule (POST `/questionnaires/{id}/schedules`, and `…/{sid}/
//! delete`): a program, its mentors or mentees, a day of the week and the days to answer; the
//! morning job of that day gives it.

use super::*;
use crate::questionnaires::schedules;
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
    let cur = load(&org, id).await?;
    let back = org.paths().questionnaire(cur.id);
    let audience = data.audience.clone();
    let weekday = crate::web::forms::int(&data.weekday);
    let days = crate::web::forms::int(&data.days_to_answer);
    if !["mentors", "mentees"].contains(&audience.as_str())
        || !(1..=7).contains(&weekday)
        || !(1..=14).contains(&days)
    {
        return Ok(org.flash_error(
            &back,
            "Выберите, кому, день недели и срок ответа (1–14 дней).",
        ));
    }
    let mut tx = org.begin().await?;
    let program = match Uuid::parse_str(&data.program).ok() {
        Some(pid) => crate::programs::program(&mut tx, org.org.id, pid)
            .await?
            .ok_or(AppError::NotFound)?,
        None => return Ok(org.flash_error(&back, "Выберите программу.")),
    };
    schedules::add(
        &mut tx,
        org.org.id,
        &schedules::NewSchedule {
            questionnaire_id: cur.id,
            program_id: program.id,
            audience,
            weekday: weekday as i16,
            days_to_answer: days,
            by: org.user.id,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(org.flash(
        &back,
        "Анкета будет выдаваться по расписанию — утром выбранного дня.",
    ))
}

pub async fn delete_schedule(
    org: OrgCtx,
    Id(id): Id,
    crate::web::ids::ScheduleId(sid): crate::web::ids::ScheduleId,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let cur = load(&org, id).await?;
    let mut conn = org.conn().await?;
    if !schedules::delete(&mut conn, org.org.id, cur.id, sid).await? {
        return Err(AppError::NotFound);
    }
    Ok(org.flash(&org.paths().questionnaire(cur.id), "Расписание удалено."))
}
