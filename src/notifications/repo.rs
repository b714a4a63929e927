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

/// How many notifications of `user_id` in the organization are unread.
pub async fn unread(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE user_id = $2 AND org_id = $1 AND read_at IS NULL",
    )
    .bind(org_id)
    .bind(user_id)
    .fetch_one(conn)
    .await
}

/// A notification on the list page.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Line {
    pub id: Uuid,
    pub text: String,
    pub link: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub read: bool,
}

/// The user's notifications here, newest first (`page` from 0, 50 a page), and their total.
pub async fn page(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    page: i64,
) -> Result<(Vec<Line>, i64), sqlx::Error> {
    let total: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notifications WHERE org_id = $1 AND user_id = $2")
            .bind(org_id)
            .bind(user_id)
            .fetch_one(&mut *conn)
            .await?;
    let lines = sqlx::query_as(
        "SELECT id, text, link, created_at, read_at IS NOT NULL AS read
           FROM notifications WHERE org_id = $1 AND user_id = $2
          ORDER BY created_at DESC, id LIMIT 50 OFFSET $3",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(page.max(0) * 50)
    .fetch_all(conn)
    .await?;
    Ok((lines, total))
}

/// Marks every notification of `user_id` here read; returns how many were unread.
pub async fn read_all(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE notifications SET read_at = now()
          WHERE org_id = $1 AND user_id = $2 AND read_at IS NULL",
    )
    .bind(org_id)
    .bind(user_id)
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
