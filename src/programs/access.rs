//! Who may see or edit a program, and loading one of the organization's programs (404 for
//! another organization's, 403 for a role without the right).

use super::repo;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::web::{AppState, OrgCtx, parse_id};

/// Director and curator see every program; mentors and mentees only those they take part in
/// (enrolment comes with the bases issue, so none yet).
pub fn require_viewer(org: &OrgCtx) -> AppResult<()> {
    if org.is_staff() {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Director and curator see every program; mentors and mentees the programs they take part in.
pub async fn viewable_program(
    state: &AppState,
    org: &OrgCtx,
    raw_id: &str,
) -> AppResult<repo::ProgramRow> {
    let p = load_program(state, org, raw_id).await?;
    if org.is_staff() {
        return Ok(p);
    }
    let mut conn = state.pool.acquire().await?;
    let mine = crate::people::repo::programs_of_user(&mut conn, org.org.id, org.user.id).await?;
    if mine.contains(&p.id) {
        Ok(p)
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn load_program(
    state: &AppState,
    org: &OrgCtx,
    raw_id: &str,
) -> AppResult<repo::ProgramRow> {
    let id = parse_id(raw_id)?;
    let mut conn = state.pool.acquire().await?;
    repo::program(&mut conn, org.org.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A program the current user may edit (curator), else 404 for outsiders and 403 for other roles.
pub async fn editable_program(
    state: &AppState,
    org: &OrgCtx,
    raw_id: &str,
) -> AppResult<repo::ProgramRow> {
    require_viewer(org)?;
    let p = load_program(state, org, raw_id).await?;
    org.require_any(&[Role::Curator])?;
    Ok(p)
}
