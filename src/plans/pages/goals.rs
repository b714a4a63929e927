//! A plan's goals: adding one and changing one (status, progress, steps, …); each change is kept
//! in the plan's history in words («статус: в работе → достигнута»). A mistake brings the page
//! back with what was typed.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::plan::{GoalForm, Retry, page};
use super::scope;
use crate::error::{AppError, AppResult};
use crate::plans::GoalFields;
use crate::tenancy::OrgCtx;
use crate::web::forms::{Refused, trimmed};
use crate::web::ids::{Id, PairId, PersonId};

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct GoalsForm {
    pub due_on: String,
    pub expected: String,
    pub horizon: String,
    pub measure: String,
    pub progress: String,
    pub sphere: String,
    pub stage: String,
    pub status: String,
    pub steps: String,
    pub title: String,
}

fn read(data: &GoalsForm) -> GoalForm {
    GoalForm {
        title: trimmed(&data.title),
        horizon: data.horizon.clone(),
        sphere: data.sphere.clone(),
        stage: data.stage.clone(),
        expected: trimmed(&data.expected),
        measure: trimmed(&data.measure),
        steps: trimmed(&data.steps),
        due_on: trimmed(&data.due_on),
        status: data.status.clone(),
        progress: trimmed(&data.progress),
        ..Default::default()
    }
}

/// The goal's fields for the command.
fn fields(f: &GoalForm) -> GoalFields {
    GoalFields {
        title: f.title.clone(),
        horizon: f.horizon.clone(),
        sphere: f.sphere.clone(),
        stage: f.stage.clone(),
        expected: f.expected.clone(),
        measure: f.measure.clone(),
        steps: f.steps.clone(),
        due_on: f.due_on.clone(),
        status: f.status.clone(),
        progress: f.progress.clone(),
    }
}

pub async fn add_goal(
    org: OrgCtx,
    PairId(pair): PairId,
    PersonId(person): PersonId,
    crate::web::forms::Form(data): crate::web::forms::Form<GoalsForm>,
) -> AppResult<Response> {
    let s = scope(&org, pair).await?;
    s.mentee(person)?;
    if !s.can_write() {
        return Err(AppError::Forbidden);
    }
    let form = read(&data);
    let mut tx = org.begin().await?;
    match crate::plans::add_goal(&mut tx, &org.actor(), (pair, person), &fields(&form)).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(org.flash(&org.paths().plan_of(pair, person), "Цель добавлена."))
        }
        Err(Refused::Invalid(errors)) => {
            drop(tx);
            let retry = Retry {
                new_goal: Some(form),
                errors,
                ..Default::default()
            };
            let page = page(&org, &s, person, retry).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(Refused::Failed(e)) => Err(e),
    }
}

pub async fn update_goal(
    org: OrgCtx,
    PairId(pair): PairId,
    PersonId(person): PersonId,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<GoalsForm>,
) -> AppResult<Response> {
    let s = scope(&org, pair).await?;
    s.mentee(person)?;
    if !s.can_write() {
        return Err(AppError::Forbidden);
    }
    let form = read(&data);
    let mut tx = org.begin().await?;
    let (actor, typed) = (org.actor(), fields(&form));
    match crate::plans::update_goal(&mut tx, &actor, (pair, person), id, &typed).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(org.flash(&org.paths().plan_of(pair, person), "Цель обновлена."))
        }
        Err(Refused::Invalid(errors)) => {
            drop(tx);
            let retry = Retry {
                edit: Some((id, form)),
                errors,
                ..Default::default()
            };
            let page = page(&org, &s, person, retry).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(Refused::Failed(e)) => Err(e),
    }
}
