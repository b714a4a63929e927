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
    Ok(sqlx::query!(
        "INSERT INTO notifications (org_id, user_id, text, link) SELECT $1, unnest($2::uuid[]), $3, $4",
        org_id,
        users,
        text,
        link,
    )
        .execute(conn)
        .await?
        .rows_affected())
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
    let total: i64 = sqlx::query_scalar!(
        r#"SELECT count(*) AS "v!" FROM notifications WHERE org_id = $1 AND user_id = $2"#,
        org_id,
        user_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    let lines = sqlx::query_as!(
        Line,
        r#"SELECT id, text, link, created_at, read_at IS NOT NULL AS "read!"
           FROM notifications WHERE org_id = $1 AND user_id = $2
          ORDER BY created_at DESC, id LIMIT 50 OFFSET $3"#,
        org_id,
        user_id,
        page.max(0) * 50,
    )
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
    Ok(sqlx::query!(
        "UPDATE notifications SET read_at = now()
          WHERE org_id = $1 AND user_id = $2 AND read_at IS NULL",
        org_id,
        user_id,
    )
    .execute(conn)
    .await?
    .rows_affected())
}

pub async fn notifications(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<(Uuid, String, String)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT id AS "c0!", text AS "c1!", link AS "c2!" FROM notifications WHERE org_id = $1 AND user_id = $2 AND read_at IS NULL ORDER BY created_at DESC LIMIT 20"#,
        org_id,
        user_id,
    ).map(|r| (r.c0, r.c1, r.c2))
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
    sqlx::query_scalar!(
        r#"UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE org_id = $1 AND user_id = $2 AND id = $3 RETURNING link AS "v!""#,
        org_id,
        user_id,
        id,
    )
        .fetch_optional(conn)
        .await
}

/// Someone to tell: their account, address, name and the way they chose for the kind.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Recipient {
    pub user_id: Uuid,
    pub email: String,
    pub full_name: String,
    pub channel: String,
}

/// The active accounts among `users` (auth) with their choice for `kind` (`default` when none).
pub async fn recipients(
    conn: &mut PgConnection,
    org_id: Uuid,
    users: &[Uuid],
    kind: &str,
    default: &str,
) -> Result<Vec<Recipient>, sqlx::Error> {
    let accounts = crate::auth::active_accounts(&mut *conn, users).await?;
    let ids: Vec<Uuid> = accounts.iter().map(|a| a.0).collect();
    let chosen: std::collections::HashMap<Uuid, String> = sqlx::query!(
        "SELECT user_id, channel FROM notification_prefs
          WHERE org_id = $1 AND user_id = ANY($2) AND kind = $3",
        org_id,
        &ids,
        kind,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.user_id, r.channel))
    .collect();
    Ok(accounts
        .into_iter()
        .map(|(user_id, email, full_name)| Recipient {
            channel: chosen
                .get(&user_id)
                .cloned()
                .unwrap_or_else(|| default.to_string()),
            user_id,
            email,
            full_name,
        })
        .collect())
}

/// Writes one notification per user (of `kind`; waiting for the digest for those in
/// `digest`); returns (notification, user).
pub async fn insert_notes(
    conn: &mut PgConnection,
    org_id: Uuid,
    users: &[Uuid],
    kind: &str,
    text: &str,
    link: &str,
    digest: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, sqlx::Error> {
    sqlx::query!(
        r#"INSERT INTO notifications (org_id, user_id, text, link, kind, digest_pending)
         SELECT $1, u, $4, $5, $3, u = ANY ($6) FROM unnest($2::uuid[]) u
         RETURNING id AS "c0!", user_id AS "c1!""#,
        org_id,
        users,
        kind,
        text,
        link,
        digest,
    )
    .map(|r| (r.c0, r.c1))
    .fetch_all(conn)
    .await
}

/// The user's choices here: (kind, channel).
pub async fn prefs(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT kind AS "c0!", channel AS "c1!" FROM notification_prefs WHERE org_id = $1 AND user_id = $2"#,
        org_id,
        user_id,
    ).map(|r| (r.c0, r.c1))
    .fetch_all(conn)
    .await
}

pub async fn set_pref(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    kind: &str,
    channel: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO notification_prefs (org_id, user_id, kind, channel) VALUES ($1, $2, $3, $4)
         ON CONFLICT (org_id, user_id, kind) DO UPDATE SET channel = EXCLUDED.channel",
        org_id,
        user_id,
        kind,
        channel,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores an unsubscribe link (by the digest of its token).
pub async fn add_unsubscribe(
    conn: &mut PgConnection,
    token_hash: &str,
    org_id: Uuid,
    user_id: Uuid,
    kind: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO unsubscribe_links (token_hash, org_id, user_id, kind) VALUES ($1, $2, $3, $4)",
        token_hash,
        org_id,
        user_id,
        kind,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What an unsubscribe link stops: (organization, its name, account, kind); the name is
/// tenancy's.
pub async fn unsubscribe_target(
    conn: &mut PgConnection,
    token_hash: &str,
) -> Result<Option<(Uuid, String, Uuid, String)>, sqlx::Error> {
    let Some(l) = sqlx::query!(
        "SELECT org_id, user_id, kind FROM unsubscribe_links WHERE token_hash = $1",
        token_hash,
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let mut names = crate::tenancy::org_names(conn, &[l.org_id]).await?;
    let name = names.remove(&l.org_id).unwrap_or_default();
    Ok(Some((l.org_id, name, l.user_id, l.kind)))
}

/// Notifications waiting for the daily digest here: (user, text, link).
pub async fn digest_pending(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<(Uuid, String, String)>, sqlx::Error> {
    sqlx::query!(
        r#"UPDATE notifications SET digest_pending = false
          WHERE org_id = $1 AND digest_pending
         RETURNING user_id AS "c0!", text AS "c1!", link AS "c2!""#,
        org_id,
    )
    .map(|r| (r.c0, r.c1, r.c2))
    .fetch_all(conn)
    .await
}
