//! The commands of the roadmap (each takes a connection or transaction, the [`Actor`] and its
//! input, and keeps the roadmap's rules whoever calls it): only a curator of the organization
//! changes it. `change_status` — only to a known status, and only from the version the curator
//! saw (a change made meanwhile by someone else wins and is named); `add_task`, `update_task`
//! (the same guard: a conflict saves nothing) and `delete_task` — a task's wording within 1,000
//! characters, a due date, a responsible role, a status, a responsible person among the
//! organization's members.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::AppError;
use crate::programs::ProgramRow;
use crate::tenancy::Actor;
use crate::web::forms::{FormErrors, Refused, parse_date};

use super::model::{Responsible, TaskStatus};
use super::repo;

/// What became of a status change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusChange {
    /// Saved: the task's code.
    Saved { code: String },
    /// Someone changed the task since `version`: nothing saved; the task's code and its status
    /// now.
    Stale { code: String, current: String },
}

/// Sets the status of the program's task `task_id`, if it is still at `version`.
pub async fn change_status(
    conn: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    program: &ProgramRow,
    task_id: Uuid,
    version: i32,
    status: &str,
) -> Result<StatusChange, AppError> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let Some(status) = TaskStatus::parse(status) else {
        return Err(AppError::Validation("Неизвестный статус задачи.".into()));
    };
    let current = repo::task(&mut *conn, by.org.id, program.id, task_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let saved = repo::set_task_status(
        &mut *conn,
        by.org.id,
        program.id,
        task_id,
        version,
        by.user_id,
        status.code(),
    )
    .await?;
    Ok(if saved {
        StatusChange::Saved { code: current.code }
    } else {
        StatusChange::Stale {
            code: current.code,
            current: current.status.code().into(),
        }
    })
}

/// A task's form as typed (trimmed), kept for the page to show again.
#[derive(Clone, Debug, Default)]
pub struct TaskForm {
    pub title: String,
    pub due_on: String,
    pub responsible_role: String,
    pub responsible_user: String,
    pub status: String,
    pub version: i32,
}

struct ValidTask {
    due_on: NaiveDate,
    responsible_role: Responsible,
    responsible_user_id: Option<Uuid>,
    status: TaskStatus,
}

fn validate_task(form: &TaskForm, people: &[(Uuid, String)]) -> Result<ValidTask, FormErrors> {
    let mut e = FormErrors::default();
    if form.title.is_empty() {
        e.add("title", "Введите формулировку задачи.");
    }
    e.limit("title", &form.title, 1000);
    let due = parse_date(&form.due_on);
    if due.is_none() {
        e.add("due_on", "Укажите срок (ДД.ММ.ГГГГ).");
    }
    let role = Responsible::parse(&form.responsible_role);
    if role.is_none() {
        e.add("responsible_role", "Выберите ответственную роль.");
    }
    let status = TaskStatus::parse(&form.status);
    if status.is_none() {
        e.add("status", "Выберите статус.");
    }
    let user = if form.responsible_user.is_empty() {
        None
    } else {
        match Uuid::parse_str(&form.responsible_user)
            .ok()
            .filter(|id| people.iter().any(|(p, _)| p == id))
        {
            Some(id) => Some(id),
            None => {
                e.add("responsible_user", "Выберите человека из списка.");
                None
            }
        }
    };
    match (e.is_empty(), due, role, status) {
        (true, Some(due_on), Some(responsible_role), Some(status)) => Ok(ValidTask {
            due_on,
            responsible_role,
            responsible_user_id: user,
            status,
        }),
        _ => Err(e),
    }
}

/// The checked form, as the repo takes it.
async fn checked(
    conn: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    form: &TaskForm,
) -> Result<ValidTask, Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let people = crate::tenancy::member_names(&mut *conn, by.org.id).await?;
    Ok(validate_task(form, &people)?)
}

fn input<'a>(form: &'a TaskForm, valid: &ValidTask) -> repo::TaskInput<'a> {
    repo::TaskInput {
        title: &form.title,
        due_on: valid.due_on,
        responsible_role: valid.responsible_role,
        responsible_user_id: valid.responsible_user_id,
        status: valid.status,
    }
}

/// Adds a task to the program's stage `stage_id` (404 for a stage of another program); returns
/// its id.
pub async fn add_task(
    conn: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    program: &ProgramRow,
    stage_id: Uuid,
    form: &TaskForm,
) -> Result<Uuid, Refused> {
    let valid = checked(&mut *conn, by, form).await?;
    let stage = repo::stage(&mut *conn, by.org.id, program.id, stage_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = input(form, &valid);
    Ok(repo::add_task(
        &mut *conn, by.org.id, program.id, &stage, by.user_id, &input,
    )
    .await?)
}

/// What [`update_task`] did.
#[derive(Debug)]
pub enum TaskSaved {
    /// Saved: the task's code.
    Saved(String),
    /// Someone saved the task since `form.version`: nothing changed; the task as it is now.
    Conflict(Box<repo::TaskRow>),
}

/// Changes the program's task `task_id` (404 for another program's), if nobody saved it since
/// the form's version.
pub async fn update_task(
    conn: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    program: &ProgramRow,
    task_id: Uuid,
    form: &TaskForm,
) -> Result<TaskSaved, Refused> {
    let t = repo::task(&mut *conn, by.org.id, program.id, task_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let valid = checked(&mut *conn, by, form).await?;
    let input = input(form, &valid);
    let (org_id, user) = (by.org.id, by.user_id);
    if !repo::update_task(
        &mut *conn,
        org_id,
        program.id,
        t.id,
        form.version,
        user,
        &input,
    )
    .await?
    {
        return Ok(TaskSaved::Conflict(Box::new(t)));
    }
    Ok(TaskSaved::Saved(t.code))
}

/// Deletes the program's task `task_id` (404 for another program's); returns its code and
/// wording.
pub async fn delete_task(
    conn: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    program: &ProgramRow,
    task_id: Uuid,
) -> Result<(String, String), Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let t = repo::task(&mut *conn, by.org.id, program.id, task_id)
        .await?
        .ok_or(AppError::NotFound)?;
    repo::delete_task(&mut *conn, by.org.id, program.id, task_id).await?;
    Ok((t.code, t.title))
}
