//! What other domains may show of an organization they hold the id of: its short name (beside
//! a job in the outbox, say), asked once for a whole list.

use sqlx::PgConnection;
use uuid::Uuid;

/// The short names of the organizations among `ids`, by id.
pub async fn org_names(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, String>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(sqlx::query!(
        "SELECT id, short_name FROM organizations WHERE id = ANY($1)",
        ids
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.short_name))
    .collect())
}
