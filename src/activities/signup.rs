//! The command of a participant's place on an activity (`sign_up`): whoever calls it, only
//! someone who sees the activity and takes part in its program signs up or leaves, only for an
//! occurrence still to come and not cancelled, and never beyond the activity's places.

use chrono::{NaiveDate, Utc};
use uuid::Uuid;

use crate::error::AppError;
use crate::tenancy::Actor;

use super::{Viewer, model, repo};

/// What the participant asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Take,
    Give,
}

/// What became of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignUp {
    SignedUp,
    Left,
    /// The occurrence has started, ended or was cancelled.
    NotUpcoming,
    /// No places left.
    Full,
}

/// Takes or gives the actor's place on the occurrence `on_date` of the activity `id`: 404 for an
/// activity the actor does not see or a date it does not hold, 403 for someone who takes no part
/// in its program.
pub async fn sign_up(
    tx: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    id: Uuid,
    on_date: NaiveDate,
    place: Place,
) -> Result<SignUp, AppError> {
    let a = repo::one(&mut *tx, by.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    use crate::auth::model::Role;
    let staff = by.holds(&mut *tx, &[Role::Curator, Role::Director]).await?;
    let viewer = Viewer::of(&mut *tx, by.org.id, by.user_id, staff).await?;
    if !viewer.sees(&a) {
        return Err(AppError::NotFound);
    }
    let o = model::occurrence(&a.timing(), &a.exceptions, by.org.offset(), on_date)
        .ok_or(AppError::NotFound)?;
    let me = viewer.person_in(a.program_id).ok_or(AppError::Forbidden)?;
    if o.cancelled || o.starts <= Utc::now() {
        return Ok(SignUp::NotUpcoming);
    }
    if place == Place::Give {
        repo::leave(&mut *tx, a.id, on_date, me).await?;
        return Ok(SignUp::Left);
    }
    Ok(
        if repo::sign_up(&mut *tx, by.org.id, a.id, on_date, me, a.capacity).await? {
            SignUp::SignedUp
        } else {
            SignUp::Full
        },
    )
}
