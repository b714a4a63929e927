//! A plan's goals: adding one and changing one (status, progress, steps, …); each change is kept
//! in the plan's history in words («статус: в работе → достигнута»). A mistake brings the page
//! back with what was typed.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::plan::{GoalForm, Retry, page};
use super::scope;
use crate::error::{AppError, AppResult};
use crate::plans::{model, repo};
use crate::tenancy::OrgCtx;
use crate::web::forms::{FormErrors, parse_date, ru_date, trimmed};
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

/// The checked goal, or the errors.
fn check(f: &GoalForm, stage_model: &str) -> Result<(Option<chrono::NaiveDate>, i16), FormErrors> {
    let mut errors = FormErrors::default();
    if f.title.is_empty() {
        errors.add("title", "Сформулируйте цель.");
    }
    errors.limit("title", &f.title, 300);
    for (field, value) in [
        ("expected", &f.expected),
        ("measure", &f.measure),
        ("steps", &f.steps),
    ] {
        errors.limit(field, value, 4000);
    }
    if !model::HORIZONS.iter().any(|x| x.0 == f.horizon) {
        errors.add("horizon", "Выберите горизонт.");
    }
    if !model::SPHERES.iter().any(|x| x.0 == f.sphere) {
        errors.add("sphere", "Выберите сферу.");
    }
    if !f.stage.is_empty() && !model::stages(stage_model).iter().any(|x| x.0 == f.stage) {
        errors.add("stage", "Выберите этап.");
    }
    if !model::STATUSES.iter().any(|x| x.0 == f.status) {
        errors.add("status", "Выберите статус.");
    }
    let due = if f.due_on.is_empty() {
        None
    } else {
        let d = parse_date(&f.due_on);
        if d.is_none() {
            errors.add("due_on", "Дата в виде ДД.ММ.ГГГГ.");
        }
        d
    };
    let progress = match f.progress.trim_end_matches('%').trim().parse::<i16>() {
        Ok(n) if (0..=100).contains(&n) => n,
        _ if f.progress.is_empty() => 0,
        _ => {
            errors.add("progress", "Прогресс — число от 0 до 100.");
            0
        }
    };
    if errors.is_empty() {
        Ok((due, progress))
    } else {
        Err(errors)
    }
}

fn input<'a>(
    f: &'a GoalForm,
    due: Option<chrono::NaiveDate>,
    progress: i16,
) -> repo::GoalInput<'a> {
    repo::GoalInput {
        title: &f.title,
        horizon: &f.horizon,
        sphere: &f.sphere,
        stage: &f.stage,
        expected: &f.expected,
        measure: &f.measure,
        steps: &f.steps,
        due_on: due,
        status: &f.status,
        progress: if f.status == "done" { 100 } else { progress },
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
    let mut tx = org.begin().await?;
    let plan = repo::plan_of(&mut tx, org.org.id, pair, person).await?;
    let form = read(&data);
    let (due, progress) = match check(&form, &plan.stages) {
        Ok(v) => v,
        Err(errors) => {
            drop(tx);
            let retry = Retry {
                new_goal: Some(form),
                errors,
                ..Default::default()
            };
            let page = page(&org, &s, person, retry).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    repo::add_goal(&mut tx, org.org.id, plan.id, &input(&form, due, progress)).await?;
    let what = format!(
        "Добавлена цель «{}» ({}, {}{})",
        form.title,
        model::label(&model::HORIZONS, &form.horizon),
        model::label(&model::SPHERES, &form.sphere),
        due.map(|d| format!(", до {}", ru_date(d)))
            .unwrap_or_default()
    );
    repo::note(&mut tx, org.org.id, plan.id, org.user.id, &what).await?;
    tx.commit().await?;
    Ok(org.flash(&org.paths().plan_of(pair, person), "Цель добавлена."))
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
    let mut tx = org.begin().await?;
    let plan = repo::plan_of(&mut tx, org.org.id, pair, person).await?;
    let before = repo::goal_of_plan(&mut tx, org.org.id, plan.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = read(&data);
    let (due, progress) = match check(&form, &plan.stages) {
        Ok(v) => v,
        Err(errors) => {
            drop(tx);
            let retry = Retry {
                edit: Some((id, form)),
                errors,
                ..Default::default()
            };
            let page = page(&org, &s, person, retry).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let new = input(&form, due, progress);
    repo::update_goal(&mut tx, org.org.id, id, &new).await?;
    let mut change = model::goal_change(
        (&before.status, before.progress, &before.steps),
        (new.status, new.progress, new.steps),
    );
    let other = before.title != new.title
        || before.horizon != new.horizon
        || before.sphere != new.sphere
        || before.stage != new.stage
        || before.expected != new.expected
        || before.measure != new.measure
        || before.due_on != new.due_on;
    if other {
        if !change.is_empty() {
            change.push_str("; ");
        }
        change.push_str("формулировка или сроки изменены");
    }
    if !change.is_empty() {
        let what = format!("Цель «{}»: {change}", new.title);
        repo::note(&mut tx, org.org.id, plan.id, org.user.id, &what).await?;
    }
    tx.commit().await?;
    Ok(org.flash(&org.paths().plan_of(pair, person), "Цель обновлена."))
}
