//! A plan's goals: adding one and changing one (status, progress, steps, …); each change is kept
//! in the plan's history in words («статус: в работе → достигнута»). A mistake brings the page
//! back with what was typed.

use axum::response::Response;

use super::plan::{GoalForm, Retry, page};
use super::scope;
use crate::error::{AppError, AppResult};
use crate::plans::GoalFields;
use crate::tenancy::OrgCtx;
use crate::web::forms::settle;
use crate::web::ids::{Id, PairId, PersonId};

pub async fn add_goal(
    org: OrgCtx,
    PairId(pair): PairId,
    PersonId(person): PersonId,
    crate::web::forms::Form(data): crate::web::forms::Form<GoalFields>,
) -> AppResult<Response> {
    save(org, (pair, person), None, data.trimmed()).await
}

pub async fn update_goal(
    org: OrgCtx,
    PairId(pair): PairId,
    PersonId(person): PersonId,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<GoalFields>,
) -> AppResult<Response> {
    save(org, (pair, person), Some(id), data.trimmed()).await
}

/// Adds a goal (`id` none) or changes one; a mistake brings the plan back with what was typed,
/// in the new goal's form or in the goal's own.
async fn save(
    org: OrgCtx,
    (pair, person): (uuid::Uuid, uuid::Uuid),
    id: Option<uuid::Uuid>,
    form: GoalFields,
) -> AppResult<Response> {
    let s = scope(&org, pair).await?;
    s.mentee(person)?;
    if !s.can_write() {
        return Err(AppError::Forbidden);
    }
    let mut tx = org.begin().await?;
    let actor = org.actor();
    let (done, said) = match id {
        None => (
            crate::plans::add_goal(&mut tx, &actor, (pair, person), &form).await,
            "Цель добавлена.",
        ),
        Some(id) => (
            crate::plans::update_goal(&mut tx, &actor, (pair, person), id, &form).await,
            "Цель обновлена.",
        ),
    };
    settle(
        tx,
        done,
        |()| org.flash(&org.paths().plan_of(pair, person), said),
        |errors| {
            let form = GoalForm::from(form);
            let retry = match id {
                None => Retry {
                    new_goal: Some(form),
                    errors,
                    ..Default::default()
                },
                Some(id) => Retry {
                    edit: Some((id, form)),
                    errors,
                    ..Default::default()
                },
            };
            page(&org, &s, person, retry)
        },
    )
    .await
}
