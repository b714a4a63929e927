//! Opening a notification: marked read, then its page; the platform admin's outbox (`outbox`).

pub mod list;
pub mod outbox;
pub mod prefs;

use axum::response::{IntoResponse, Response};

use super::repo;
use crate::error::{AppError, AppResult};
use crate::tenancy::OrgCtx;
use crate::web::ids::Id;

/// Opens a notification: marks it read and goes to its page.
pub async fn open_notification(org: OrgCtx, Id(id): Id) -> AppResult<Response> {
    let mut conn = org.conn().await?;
    let link = repo::read_notification(&mut conn, org.org.id, org.user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = if link.starts_with(&format!("{}/", org.paths().home())) {
        link
    } else {
        org.paths().home()
    };
    Ok(axum::response::Redirect::to(&to).into_response())
}
