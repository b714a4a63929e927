//! The commands of a participant on an activity: their place (`sign_up`) — whoever calls it,
//! only someone who sees the activity and takes part in its program signs up or leaves, only for
//! an occurrence still to come and not cancelled, and never beyond the activity's places — and
//! their rating of an occurrence they attended, once it ended (`rate`); a topic they propose
//! for the program's activities (`propose_topic`).

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

/// A participant's rating (1–5) and comment (at most 1,000 characters kept) of an occurrence
/// they attended, once it has ended: 404 for an activity the actor does not see or a date it
/// does not hold, 403 for someone who takes no part in its program.
pub async fn rate(
    tx: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    (id, on_date): (Uuid, NaiveDate),
    (rating, comment): (&str, &str),
) -> Result<(), crate::web::forms::Refused> {
    use crate::web::forms::Refused;
    let a = repo::one(&mut *tx, by.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    use crate::auth::model::Role;
    let staff = by.holds(&mut *tx, &[Role::Curator, Role::Director]).await?;
    let viewer = Viewer::of(&mut *tx, by.org.id, by.user_id, staff).await?;
    if !viewer.sees(&a) {
        return Err(AppError::NotFound.into());
    }
    let o = model::occurrence(&a.timing(), &a.exceptions, by.org.offset(), on_date)
        .ok_or(AppError::NotFound)?;
    let me = viewer.person_in(a.program_id).ok_or(AppError::Forbidden)?;
    if o.ends > Utc::now() || !repo::attended(&mut *tx, a.id, on_date, me).await? {
        return Err(Refused::field(
            "rating",
            "Оценить занятие могут те, кто на нём был, после его окончания.",
        ));
    }
    let Some(rating) = rating.parse::<i16>().ok().filter(|r| (1..=5).contains(r)) else {
        return Err(Refused::field("rating", "Выберите оценку от 1 до 5."));
    };
    let comment: String = comment.trim().chars().take(1000).collect();
    repo::give_feedback(&mut *tx, by.org.id, (a.id, on_date), me, rating, &comment).await?;
    Ok(())
}

/// A topic someone of the program proposes for its activities (at most 1,000 characters): its
/// staff or its participants only (404 for anyone else).
pub async fn propose_topic(
    tx: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    program_id: Uuid,
    text: &str,
) -> Result<(), crate::web::forms::Refused> {
    use crate::auth::model::Role;
    let staff = by.holds(&mut *tx, &[Role::Curator, Role::Director]).await?;
    let viewer = Viewer::of(&mut *tx, by.org.id, by.user_id, staff).await?;
    if !staff && !viewer.programs().contains(&program_id) {
        return Err(AppError::NotFound.into());
    }
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 1000 {
        return Err(crate::web::forms::Refused::field(
            "text",
            "Напишите тему (до 1000 знаков).",
        ));
    }
    repo::add_topic(&mut *tx, by.org.id, program_id, by.user_id, text).await?;
    Ok(())
}
