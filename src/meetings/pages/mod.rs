//! The meetings pages: a pair's journal with the form that logs a meeting (`pair`), its XLSX
//! (`journal`), the members' feedback (`feedback`); who may do what (`Access`).

pub mod feedback;
pub mod health;
pub mod journal;
pub mod log;
pub mod pair;

use crate::error::AppResult;
use crate::pairing::{PairRow, Relation};
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
    let (row, relation) = crate::pairing::agreed_pair_for(org, id).await?;
    // A completed pair's journal is read only.
    let access = match relation {
        _ if row.status != crate::pairing::model::Status::Agreed => Access::Read,
        Relation::Mentor(_) => Access::Log,
        Relation::Curator => Access::OnBehalf,
        Relation::Mentee(_) | Relation::Director => Access::Read,
    };
    Ok((row, access))
}
