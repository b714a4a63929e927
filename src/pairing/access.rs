//! Who the viewer is to an agreed pair — its mentor, one of its mentees, a curator or the director
//! of the organization — for the pages of a pair's work (meetings, plan, diary); anyone else, or
//! a pair that is not agreed or not of this organization, is 404.

use uuid::Uuid;

use super::repo::{self, PairRow};
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::people::Side;
use crate::tenancy::OrgCtx;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// The pair's mentor (their person id).
    Mentor(Uuid),
    /// One of the pair's mentees (their person id).
    Mentee(Uuid),
    /// A curator of the organization, not a member.
    Curator,
    /// The director (read-only), not a member.
    Director,
}

impl Relation {
    /// The viewer's own person in the pair.
    pub fn person(self) -> Option<Uuid> {
        match self {
            Relation::Mentor(p) | Relation::Mentee(p) => Some(p),
            _ => None,
        }
    }
}

/// An agreed (or completed: its history stays readable) pair of the organization and who the
/// viewer is to it.
pub async fn agreed_pair_for(org: &OrgCtx, id: Uuid) -> AppResult<(PairRow, Relation)> {
    let mut conn = org.conn().await?;
    let row = repo::pair(&mut conn, org.org.id, id)
        .await?
        .filter(|p| {
            p.status == crate::pairing::model::Status::Agreed
                || p.status == crate::pairing::model::Status::Completed
        })
        .ok_or(AppError::NotFound)?;
    let me = row.members.iter().find(|m| m.user_id == Some(org.user.id));
    let relation = match me {
        Some(m) if m.role == Side::Mentor => Relation::Mentor(m.person_id),
        Some(m) => Relation::Mentee(m.person_id),
        None if org.has(Role::Curator) => Relation::Curator,
        None if org.has(Role::Director) => Relation::Director,
        None => return Err(AppError::NotFound),
    };
    Ok((row, relation))
}
