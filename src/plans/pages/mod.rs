//! The plan and diary pages of a pair: the mentee's individual plan with its goals and history
//! (`plan`, goal changes in `goals`) and the progress diary (`diary`); who may read and write
//! which mentee's plan (`Scope`).

pub mod diary;
pub mod goals;
pub mod plan;

use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::pairing::{PairRow, Relation};
use crate::people::Side;
use crate::tenancy::OrgCtx;

/// What the viewer may do with a pair's plans and diary.
pub(super) struct Scope {
    pub row: PairRow,
    pub relation: Relation,
    /// The mentees whose plan and diary the viewer sees: a mentee only their own.
    pub mentees: Vec<(Uuid, String)>,
}

impl Scope {
    /// The mentor and the mentee edit the plan and write the diary; the curator and the director
    /// read.
    /// (Not any more once the pair is completed.)
    pub fn can_write(&self) -> bool {
        self.row.status == crate::pairing::model::Status::Agreed
            && matches!(self.relation, Relation::Mentor(_) | Relation::Mentee(_))
    }

    /// One of the visible mentees (404 for anyone else).
    pub fn mentee(&self, person: Uuid) -> AppResult<&(Uuid, String)> {
        self.mentees
            .iter()
            .find(|m| m.0 == person)
            .ok_or(AppError::NotFound)
    }
}

pub(super) async fn scope(org: &OrgCtx, pair: Uuid) -> AppResult<Scope> {
    let (row, relation) = crate::pairing::agreed_pair_for(org, pair).await?;
    let mentees = row
        .members
        .iter()
        .filter(|m| m.role == Side::Mentee)
        .filter(|m| match relation {
            Relation::Mentee(me) => m.person_id == me,
            _ => true,
        })
        .map(|m| (m.person_id, m.name.clone()))
        .collect();
    Ok(Scope {
        row,
        relation,
        mentees,
    })
}
