//! The commands on a plan's goals (`add_goal`, `update_goal`): a goal checked — a wording within
//! 300 characters, a horizon, a sphere, a stage of the plan's own stages, a status, a due date,
//! progress 0–100 (a goal achieved is 100) — and written; each change goes into the plan's
//! history in words («статус: в работе → достигнута»).

use chrono::NaiveDate;
use uuid::Uuid;

use crate::error::AppError;
use crate::plans::{model, repo};
use crate::tenancy::Actor;
use crate::web::forms::{FormErrors, Refused, parse_date, ru_date};

/// A goal as the form sends it (a field not sent is empty); [`GoalFields::trimmed`] before the
/// commands.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct GoalFields {
    pub title: String,
    pub horizon: String,
    pub sphere: String,
    pub stage: String,
    pub expected: String,
    pub measure: String,
    pub steps: String,
    pub due_on: String,
    pub status: String,
    pub progress: String,
}

impl GoalFields {
    /// The typed texts without the spaces around them (the choices are codes, left as sent).
    pub fn trimmed(&self) -> GoalFields {
        let t = |s: &String| s.trim().to_string();
        GoalFields {
            title: t(&self.title),
            expected: t(&self.expected),
            measure: t(&self.measure),
            steps: t(&self.steps),
            due_on: t(&self.due_on),
            progress: t(&self.progress),
            ..self.clone()
        }
    }
}

/// The checked goal's due date and progress, or the errors (`stage_model`: the plan's stages).
struct Checked {
    due: Option<NaiveDate>,
    progress: i16,
    status: model::GoalStatus,
    horizon: model::Horizon,
    sphere: model::Sphere,
}

fn check(f: &GoalFields, stage_model: &str) -> Result<Checked, FormErrors> {
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
    let horizon = model::Horizon::parse(&f.horizon);
    if horizon.is_none() {
        errors.add("horizon", "Выберите горизонт.");
    }
    let sphere = model::Sphere::parse(&f.sphere);
    if sphere.is_none() {
        errors.add("sphere", "Выберите сферу.");
    }
    if !f.stage.is_empty() && !model::stages(stage_model).iter().any(|x| x.0 == f.stage) {
        errors.add("stage", "Выберите этап.");
    }
    let status = model::GoalStatus::parse(&f.status);
    if status.is_none() {
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
    match (status, horizon, sphere) {
        (Some(status), Some(horizon), Some(sphere)) if errors.is_empty() => Ok(Checked {
            due,
            progress,
            status,
            horizon,
            sphere,
        }),
        _ => Err(errors),
    }
}

fn input<'a>(f: &'a GoalFields, c: &Checked) -> repo::GoalInput<'a> {
    repo::GoalInput {
        title: &f.title,
        horizon: c.horizon,
        sphere: c.sphere,
        stage: &f.stage,
        expected: &f.expected,
        measure: &f.measure,
        steps: &f.steps,
        due_on: c.due,
        status: c.status,
        progress: if c.status == model::GoalStatus::Done {
            100
        } else {
            c.progress
        },
    }
}

/// Adds a goal to `person`'s plan in `pair` (made empty on first use) by `actor` (the page has
/// checked that they write this plan).
pub async fn add_goal(
    tx: &mut sqlx::PgConnection,
    actor: &Actor<'_>,
    (pair, person): (Uuid, Uuid),
    form: &GoalFields,
) -> Result<(), Refused> {
    let plan = repo::plan_of(&mut *tx, actor.org.id, pair, person).await?;
    let checked = check(form, &plan.stages)?;
    let (due, new) = (checked.due, input(form, &checked));
    repo::save_goal(&mut *tx, (actor.org.id, plan.id), None, &new).await?;
    let what = format!(
        "Добавлена цель «{}» ({}, {}{})",
        form.title,
        new.horizon.label(),
        new.sphere.label(),
        due.map(|d| format!(", до {}", ru_date(d)))
            .unwrap_or_default()
    );
    repo::note(&mut *tx, actor.org.id, plan.id, actor.user_id, &what).await?;
    Ok(())
}

/// Changes the goal `id` of `person`'s plan in `pair` (404 for a goal of another plan); what
/// changed goes into the history.
pub async fn update_goal(
    tx: &mut sqlx::PgConnection,
    actor: &Actor<'_>,
    (pair, person): (Uuid, Uuid),
    id: Uuid,
    form: &GoalFields,
) -> Result<(), Refused> {
    let plan = repo::plan_of(&mut *tx, actor.org.id, pair, person).await?;
    let before = repo::goal_of_plan(&mut *tx, actor.org.id, plan.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let checked = check(form, &plan.stages)?;
    let new = input(form, &checked);
    repo::save_goal(&mut *tx, (actor.org.id, plan.id), Some(id), &new).await?;
    let mut change = model::goal_change(
        (before.status.code(), before.progress, &before.steps),
        (new.status.code(), new.progress, new.steps),
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
        repo::note(&mut *tx, actor.org.id, plan.id, actor.user_id, &what).await?;
    }
    Ok(())
}
