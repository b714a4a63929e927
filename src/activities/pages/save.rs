//! Saving the activity form (POST `/programs/{program}/activities/new` and `…/{id}/edit`): every
//! field checked — the format (a new one is added to the organization's list), links, date and
//! time on the organization's clock, duration, leaders or an expert, the audience, capacity, the
//! weekly repetition; a mistake brings the form back (422) with everything typed. Today's
//! reminders are queued at once; an edit bumps the calendar SEQUENCE.

use axum::response::Response;
use uuid::Uuid;

use super::curator;
use super::form::{ActivityForm, page};
use crate::activities::save::save_activity;
use crate::error::AppResult;
use crate::programs::ProgramCtx;
use crate::web::forms::{settle, trimmed};
use crate::web::ids::Id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SaveForm {
    pub audience: String,
    pub capacity: String,
    pub class: Vec<String>,
    pub date: String,
    pub description: String,
    pub expert: String,
    pub format: String,
    pub leader: Vec<String>,
    pub level: String,
    pub link: String,
    pub materials: String,
    pub minutes: String,
    pub new_format: String,
    pub person: String,
    pub place: String,
    pub questionnaire: String,
    pub recording: String,
    pub repeat_day: Vec<String>,
    pub repeat_until: String,
    pub time: String,
    pub topic: String,
    pub topic_request: String,
}

fn read(data: &SaveForm) -> ActivityForm {
    ActivityForm {
        format: data.format.clone(),
        new_format: trimmed(&data.new_format),
        topic: trimmed(&data.topic),
        description: trimmed(&data.description),
        level: trimmed(&data.level),
        leaders: data.leader.clone(),
        expert: trimmed(&data.expert),
        date: trimmed(&data.date),
        time: trimmed(&data.time),
        minutes: trimmed(&data.minutes),
        place: trimmed(&data.place),
        link: trimmed(&data.link),
        audience: data.audience.clone(),
        classes: data.class.clone(),
        person: data.person.clone(),
        capacity: trimmed(&data.capacity),
        repeat_days: data.repeat_day.clone(),
        repeat_until: trimmed(&data.repeat_until),
        recording: trimmed(&data.recording),
        materials: trimmed(&data.materials),
        topic_request: data.topic_request.clone(),
        questionnaire: data.questionnaire.clone(),
    }
}

/// Saves a new activity or an edit.
pub async fn save(pc: ProgramCtx, id: Option<Uuid>, data: SaveForm) -> AppResult<Response> {
    curator(&pc.org)?;
    let org = &pc.org;
    let form = read(&data);
    let mut tx = org.begin().await?;
    let done = save_activity(&mut tx, &org.actor(), pc.program.id, id, &form).await;
    settle(
        tx,
        done,
        |(saved, first)| org.flash(&org.paths().activity(saved, first), "Занятие сохранено."),
        |errors| page(&pc, id, form, errors),
    )
    .await
}

pub async fn create(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<SaveForm>,
) -> AppResult<Response> {
    save(pc, None, data).await
}

pub async fn update(
    pc: ProgramCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<SaveForm>,
) -> AppResult<Response> {
    save(pc, Some(id), data).await
}
