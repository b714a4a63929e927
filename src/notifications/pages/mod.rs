//! Opening a notification: marked read, then its page.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::repo;
use crate::error::{AppError, AppResult};
use crate::tenancy::OrgCtx;
use crate::web::{AppState, parse_id};

/// Opens a notification: marks it read and goes to its page.
pub async fn open_notification(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let link = repo::read_notification(&mut conn, org.org.id, org.user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = if link.starts_with(&org.url("/")) {
        link
    } else {
        org.paths().home()
    };
    Ok(axum::response::Redirect::to(&to).into_response())
}
