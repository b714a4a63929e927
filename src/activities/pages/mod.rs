//! The activities pages: a program's schedule (`schedule`, the week ahead and a month), the form
//! that plans or changes an activity (`form`), one occurrence (`occurrence`: sign up, feedback;
//! `manage`: attendance, moving or cancelling a date, the whole activity, the recording), the
//! calendar feed links and the feeds themselves (`feeds`), topic requests (`topics`) and the
//! mentors' rating (`rating`). Below: what they share.

pub mod feeds;
pub mod form;
pub mod manage;
pub mod occurrence;
pub mod rating;
pub mod save;
pub mod schedule;
pub mod topics;

use chrono::NaiveDate;

pub use super::view::{SlotView, day_label, slot_view};
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::tenancy::OrgCtx;

/// Curators plan and change activities.
pub(super) fn curator(org: &OrgCtx) -> AppResult<()> {
    if org.has(Role::Curator) {
        Ok(())
    } else if org.is_staff() {
        Err(AppError::Forbidden)
    } else {
        Err(AppError::NotFound)
    }
}

/// A date in a URL (YYYY-MM-DD); anything else is not found.
pub(super) fn path_date(raw: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| AppError::NotFound)
}

/// `{id}` and `{date}` of an occurrence's URL.
pub struct OccurrenceKey {
    pub id: uuid::Uuid,
    pub on_date: NaiveDate,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for OccurrenceKey {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, AppError> {
        use crate::web::ids::{parse_id, path_param};
        Ok(OccurrenceKey {
            id: parse_id(&path_param(parts, state, "id").await?)?,
            on_date: path_date(&path_param(parts, state, "date").await?)?,
        })
    }
}

/// An activity the viewer may see, with the viewer (404 otherwise).
pub(super) async fn visible_activity(
    org: &OrgCtx,
    id: uuid::Uuid,
) -> AppResult<(super::repo::Activity, super::Viewer)> {
    let mut conn = org.conn().await?;
    let a = super::repo::one(&mut conn, org.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let viewer = super::Viewer::of(&mut conn, org.org.id, org.user.id, org.is_staff()).await?;
    if !viewer.sees(&a) {
        return Err(AppError::NotFound);
    }
    Ok((a, viewer))
}
