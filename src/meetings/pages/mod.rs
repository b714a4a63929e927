//! The meetings pages: a pair's journal with the form that logs a meeting (`pair`), its XLSX
//! (`journal`), the members' feedback (`feedback`); who may do what (`Access`).

pub mod feedback;
pub mod journal;
pub mod pair;

use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::pairing::PairRow;
use crate::tenancy::OrgCtx;

/// What the viewer may do with the pair's meetings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Access {
    /// The pair's mentor.
    Log,
    /// A curator of the organization, «со слов наставника».
    OnBehalf,
    /// A mentee of the pair, or the director.
    Read,
}

pub(super) async fn pair_for(org: &OrgCtx, id: uuid::Uuid) -> AppResult<(PairRow, Access)> {
    let mut conn = org.conn().await?;
    let row = crate::pairing::pair(&mut conn, org.org.id, id)
        .await?
        .filter(|p| p.status == "agreed")
        .ok_or(AppError::NotFound)?;
    let me = row.members.iter().find(|m| m.user_id == Some(org.user.id));
    let access = match me.map(|m| m.role.as_str()) {
        Some("mentor") => Access::Log,
        Some(_) => Access::Read,
        None if org.has(Role::Curator) => Access::OnBehalf,
        None if org.has(Role::Director) => Access::Read,
        None => return Err(AppError::NotFound),
    };
    Ok((row, access))
}
