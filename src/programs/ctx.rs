//! `ProgramCtx`: the organization from the URL (checked against the session) and one of its
//! programs from `{program}` — a program of another organization, or a malformed id, answers 404,
//! so no handler parses the id or re-checks ownership by hand.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::repo::{self, ProgramRow};
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::tenancy::OrgCtx;
use crate::web::AppState;
use crate::web::ids::{parse_id, path_param};

#[derive(Clone)]
pub struct ProgramCtx {
    pub org: OrgCtx,
    pub program: ProgramRow,
}

impl FromRequestParts<AppState> for ProgramCtx {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let org = OrgCtx::from_request_parts(parts, state).await?;
        let id = parse_id(&path_param(parts, state, "program").await?)?;
        let kept = repo::programs_kept(&state.pool, org.org.id, org.data_version).await?;
        let program = match kept.iter().find(|p| p.id == id) {
            Some(p) => p.clone(),
            // Beyond the list's 200 programs.
            None => {
                let mut conn = state.pool.acquire().await?;
                repo::program(&mut conn, org.org.id, id)
                    .await?
                    .ok_or(AppError::NotFound)?
            }
        };
        Ok(ProgramCtx { org, program })
    }
}

impl ProgramCtx {
    /// Director and curator see every program; mentors and mentees the programs they take part
    /// in (else 404, as if it did not exist).
    pub async fn viewable(self) -> AppResult<Self> {
        if self.org.is_staff() {
            return Ok(self);
        }
        let mut conn = self.org.conn().await?;
        let mine =
            super::repo::programs_of_persons(&mut conn, self.org.org.id, &self.org.person_ids)
                .await?;
        if mine.contains(&self.program.id) {
            Ok(self)
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Only the curator edits a program and its roadmap: 404 for mentors and mentees (who do not
    /// see it as staff), 403 for the director.
    pub fn editable(self) -> AppResult<Self> {
        if !self.org.is_staff() {
            return Err(AppError::NotFound);
        }
        self.org.require_any(&[Role::Curator])?;
        Ok(self)
    }

    /// Curators and directors only: anyone else finds nothing (404). The pages of a program's
    /// management (orders, health, monitoring, completion, applications) start with this.
    pub fn staff(self) -> AppResult<Self> {
        self.org.require_staff()?;
        Ok(self)
    }

    /// The roles given may act here (403 otherwise).
    pub fn require_any(self, roles: &[Role]) -> AppResult<Self> {
        self.org.require_any(roles)?;
        Ok(self)
    }
}
