//! Queries of accounts: users, sessions, login throttling, one-time links.

use chrono::{DateTime, Duration, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::model::{User, throttle};
use crate::web::cookies::random_token;
use crate::web::ctx::SessionUser;

pub const SESSION_DAYS: i64 = 14;
pub const INVITATION_DAYS: i64 = 7;

pub async fn session_user(pool: &PgPool, token: &str) -> Result<Option<SessionUser>, sqlx::Error> {
    let row: Option<(String, Uuid, String, String, bool, String)> = sqlx::query_as(
        "SELECT s.id, u.id, u.email, u.full_name, u.is_platform_admin, s.csrf_token
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.id = $1 AND s.expires_at > now()",
    )
    .bind(token)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(
        |(sid, id, email, full_name, is_platform_admin, csrf)| SessionUser {
            session_id: sid,
            user: User {
                id,
                email,
                full_name,
                is_platform_admin,
            },
            csrf,
        },
    ))
}

/// A new session (new id and CSRF token); returns the id for the cookie.
pub async fn create_session(conn: &mut PgConnection, user_id: Uuid) -> Result<String, sqlx::Error> {
    let id = random_token();
    sqlx::query(
        "INSERT INTO sessions (id, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(random_token())
    .bind(Utc::now() + Duration::days(SESSION_DAYS))
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM sessions WHERE expires_at < now()")
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

pub async fn delete_session(conn: &mut PgConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn user_for_login(
    conn: &mut PgConnection,
    email: &str,
) -> Result<Option<(User, Option<String>)>, sqlx::Error> {
    let row: Option<(Uuid, String, String, bool, Option<String>)> = sqlx::query_as(
        "SELECT id, email, full_name, is_platform_admin, password_hash FROM users WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, email, full_name, is_platform_admin, hash)| {
        (
            User {
                id,
                email,
                full_name,
                is_platform_admin,
            },
            hash,
        )
    }))
}

pub async fn user_by_email(
    conn: &mut PgConnection,
    email: &str,
) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as("SELECT id, email, full_name, is_platform_admin FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(conn)
        .await
}

/// Creates a user without a password (they set it through a one-time link), or returns the
/// existing account with that email.
pub async fn find_or_create_user(
    conn: &mut PgConnection,
    email: &str,
    full_name: &str,
    platform_admin: bool,
) -> Result<(User, bool), sqlx::Error> {
    if let Some(u) = user_by_email(&mut *conn, email).await? {
        if platform_admin && !u.is_platform_admin {
            sqlx::query("UPDATE users SET is_platform_admin = true WHERE id = $1")
                .bind(u.id)
                .execute(&mut *conn)
                .await?;
        }
        return Ok((u, false));
    }
    let u: User = sqlx::query_as(
        "INSERT INTO users (email, full_name, is_platform_admin) VALUES ($1, $2, $3)
         RETURNING id, email, full_name, is_platform_admin",
    )
    .bind(email)
    .bind(full_name)
    .bind(platform_admin)
    .fetch_one(conn)
    .await?;
    Ok((u, true))
}

pub async fn has_password(conn: &mut PgConnection, user_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash IS NOT NULL FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(conn)
        .await
}

pub async fn set_password(
    conn: &mut PgConnection,
    user_id: Uuid,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(user_id)
        .bind(hash)
        .execute(conn)
        .await?;
    Ok(())
}

// ---- one-time links -------------------------------------------------------------------------

/// Issues a new one-time link for `user_id`, revoking the earlier unused ones; returns the token.
pub async fn create_invitation(
    conn: &mut PgConnection,
    user_id: Uuid,
    org_id: Option<Uuid>,
    created_by: Option<Uuid>,
) -> Result<String, sqlx::Error> {
    sqlx::query("UPDATE invitations SET expires_at = now() WHERE user_id = $1 AND used_at IS NULL AND expires_at > now()")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    let token = random_token();
    sqlx::query(
        "INSERT INTO invitations (token, user_id, org_id, created_by, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&token)
    .bind(user_id)
    .bind(org_id)
    .bind(created_by)
    .bind(Utc::now() + Duration::days(INVITATION_DAYS))
    .execute(conn)
    .await?;
    Ok(token)
}

/// A one-time login code (8 characters, printed on a login slip) for `user_id`; revokes the
/// earlier unused codes and links. Retries on the unlikely clash with another code.
pub async fn create_code(
    conn: &mut PgConnection,
    user_id: Uuid,
    org_id: Uuid,
    created_by: Uuid,
    first: &str,
) -> Result<String, sqlx::Error> {
    sqlx::query("UPDATE invitations SET expires_at = now() WHERE user_id = $1 AND used_at IS NULL AND expires_at > now()")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    let mut code = first.to_string();
    for _ in 0..5 {
        let inserted = sqlx::query(
            "INSERT INTO invitations (token, user_id, org_id, created_by, expires_at)
             VALUES ($1, $2, $3, $4, now() + interval '60 days') ON CONFLICT (token) DO NOTHING",
        )
        .bind(&code)
        .bind(user_id)
        .bind(org_id)
        .bind(created_by)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(code);
        }
        code = crate::people::enrol::new_code();
    }
    Err(sqlx::Error::Protocol(
        "could not allocate a login code".into(),
    ))
}

/// The valid login code of `user_id`, if any.
pub async fn current_code(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT token FROM invitations WHERE user_id = $1 AND used_at IS NULL AND expires_at > now()
            AND length(token) = 8 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Invitation {
    pub id: Uuid,
    pub user_id: Uuid,
    pub email: String,
    pub full_name: String,
    pub org_name: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// A valid (unused, unexpired) link; `lock` takes a row lock for the accepting transaction.
pub async fn valid_invitation(
    conn: &mut PgConnection,
    token: &str,
    lock: bool,
) -> Result<Option<Invitation>, sqlx::Error> {
    let sql = if lock {
        "SELECT i.id, i.user_id, u.email, u.full_name, o.short_name AS org_name, i.expires_at
           FROM invitations i JOIN users u ON u.id = i.user_id
           LEFT JOIN organizations o ON o.id = i.org_id
          WHERE i.token = $1 AND i.used_at IS NULL AND i.expires_at > now()
          FOR UPDATE OF i"
    } else {
        "SELECT i.id, i.user_id, u.email, u.full_name, o.short_name AS org_name, i.expires_at
           FROM invitations i JOIN users u ON u.id = i.user_id
           LEFT JOIN organizations o ON o.id = i.org_id
          WHERE i.token = $1 AND i.used_at IS NULL AND i.expires_at > now()"
    };
    sqlx::query_as(sql).bind(token).fetch_optional(conn).await
}

pub async fn mark_invitation_used(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE invitations SET used_at = now() WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

// ---- throttling -----------------------------------------------------------------------------

/// The time until which `key` is locked, if it is.
pub async fn locked_until(
    conn: &mut PgConnection,
    key: &str,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT locked_until FROM login_throttle WHERE key = $1 AND locked_until > now()",
    )
    .bind(key)
    .fetch_optional(conn)
    .await
    .map(|o: Option<Option<DateTime<Utc>>>| o.flatten())
}

/// Counts a failure of `key` in the current window; locks it once `limit` is reached. Returns
/// the failures in the window.
pub async fn record_failure(
    conn: &mut PgConnection,
    key: &str,
    limit: i32,
) -> Result<i32, sqlx::Error> {
    let failures: i32 = sqlx::query_scalar(
        "INSERT INTO login_throttle AS t (key, failures, window_started) VALUES ($1, 1, now())
         ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN t.window_started < now() - $2 THEN 1 ELSE t.failures + 1 END,
             window_started = CASE WHEN t.window_started < now() - $2 THEN now() ELSE t.window_started END
         RETURNING failures",
    )
    .bind(key)
    .bind(throttle::window())
    .fetch_one(&mut *conn)
    .await?;
    if failures >= limit {
        sqlx::query(
            "UPDATE login_throttle SET locked_until = now() + $2, failures = 0, window_started = now()
              WHERE key = $1",
        )
        .bind(key)
        .bind(throttle::lock())
        .execute(&mut *conn)
        .await?;
    }
    Ok(failures)
}

pub async fn reset_failures(conn: &mut PgConnection, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_throttle WHERE key = $1")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}
