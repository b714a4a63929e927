//! The commands of the roadmap (each takes a connection or transaction, the [`Actor`] and its
//! input, and keeps the roadmap's rules whoever calls it): `change_status` — only a curator of
//! the organization changes a task's status, only to a known status, and only from the version
//! the curator saw (a change made meanwhile by someone else wins and is named).

use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::AppError;
use crate::programs::ProgramRow;
use crate::tenancy::Actor;

use super::{model, repo};

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
    if !model::is_task_status(status) {
        return Err(AppError::Validation("Неизвестный статус задачи.".into()));
    }
    let current = repo::task(&mut *conn, by.org.id, program.id, task_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let saved = repo::set_task_status(
        &mut *conn, by.org.id, program.id, task_id, version, by.user_id, status,
    )
    .await?;
    Ok(if saved {
        StatusChange::Saved { code: current.code }
    } else {
        StatusChange::Stale {
            code: current.code,
            current: current.status,
        }
    })
}
