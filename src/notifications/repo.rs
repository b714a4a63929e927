//! Queries of in-app notifications (`notifications`).

use sqlx::PgConnection;
use uuid::Uuid;

pub async fn notify(
    conn: &mut PgConnection,
    org_id: Uuid,
    users: &[Uuid],
    text: &str,
    link: &str,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("INSERT INTO notifications (org_id, user_id, text, link) SELECT $1, unnest($2::uuid[]), $3, $4")
        .bind(org_id)
        .bind(users)
        .bind(text)
        .bind(link)
        .execute(conn)
        .await?
        .rows_affected())
}

pub async fn notifications(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<(Uuid, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, text, link FROM notifications WHERE org_id = $1 AND user_id = $2 AND read_at IS NULL ORDER BY created_at DESC LIMIT 20")
        .bind(org_id)
        .bind(user_id)
        .fetch_all(conn)
        .await
}

/// Marks a notification of `user_id` read; returns its link.
pub async fn read_notification(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE org_id = $1 AND user_id = $2 AND id = $3 RETURNING link")
        .bind(org_id)
        .bind(user_id)
        .bind(id)
        .fetch_optional(conn)
        .await
}
