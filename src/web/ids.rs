//! Typed path parameters: `Id`, `PersonId`, `PairId` … each reads its named segment of the URL
//! (`{id}`, `{person}`, `{pair}` …) as a UUID and answers 404 on a malformed one, so no handler
//! parses ids by hand. Whether the id belongs to the organization is the domain's question (its
//! queries take the organization's id), not this module's.

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use uuid::Uuid;

use crate::error::AppError;

/// The raw text of the path segment `{name}` (404 when the route has none).
pub async fn path_param<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
    name: &str,
) -> Result<String, AppError> {
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|_| AppError::NotFound)?;
    params
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .ok_or(AppError::NotFound)
}

/// Parses a UUID from a path segment; anything malformed is simply not found.
pub fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

macro_rules! path_id {
    ($(#[$doc:meta] $name:ident = $param:literal;)*) => {$(
        #[$doc]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name(pub Uuid);

        impl<S: Send + Sync> FromRequestParts<S> for $name {
            type Rejection = AppError;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
                parse_id(&path_param(parts, state, $param).await?).map($name)
            }
        }
    )*};
}

path_id! {
    /// `{id}`: the page's own entity (a person, questionnaire, assignment, invitation …).
    Id = "id";
    /// `{person}`: a person of the bases inside another entity's page.
    PersonId = "person";
    /// `{pair}`: a pair or group of a program.
    PairId = "pair";
    /// `{task}`: a roadmap task.
    TaskId = "task";
    /// `{stage}`: a roadmap stage.
    StageId = "stage";
    /// `{session}`: a training session.
    SessionId = "session";
    /// `{consent}`: a consent of a person.
    ConsentId = "consent";
    /// `{user}`: a member's account.
    UserId = "user";
    /// `{schedule}`: a questionnaire's schedule.
    ScheduleId = "schedule";
}
