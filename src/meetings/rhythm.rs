//! The command of a pair's planned rhythm of meetings (`set_rhythm`): a curator chooses one of
//! the rhythms the meetings' health measures against, for an agreed pair of the program.

use sqlx::PgConnection;
use uuid::Uuid;

use super::model;
use crate::auth::model::Role;
use crate::error::AppError;
use crate::tenancy::Actor;
use crate::web::forms::Refused;

/// Sets the rhythm (every `days` days, one of `model::RHYTHMS`) of the program's agreed pair
/// `pair_id` (404 for any other pair).
pub async fn set_rhythm(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    (program_id, pair_id): (Uuid, Uuid),
    days: &str,
) -> Result<(), Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    if !model::RHYTHMS.iter().any(|r| r.0 == days) {
        return Err(Refused::field(
            "every_days",
            "Выберите ритм встреч из списка.",
        ));
    }
    let row = crate::pairing::pair(&mut *conn, by.org.id, pair_id)
        .await?
        .filter(|p| p.program_id == program_id && p.status == crate::pairing::model::Status::Agreed)
        .ok_or(AppError::NotFound)?;
    crate::pairing::set_rhythm(&mut *conn, by.org.id, row.id, days.parse().unwrap_or(14)).await?;
    Ok(())
}
