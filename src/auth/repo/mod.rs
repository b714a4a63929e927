//! Queries of accounts: users, sessions, login throttling, one-time links.

use chrono::{DateTime, Duration, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::model::{User, throttle};
use crate::web::cookies::{csrf_for, digest, random_token};
use crate::web::ctx::SessionUser;

mod links;
pub use links::*;

/// «Запомнить меня»: the session lasts this long and has no idle timeout.
pub const REMEMBER_DAYS: i64 = 14;
/// Without «запомнить меня»: at most this long, and it ends after the idle period.
pub const SESSION_HOURS: i64 = 12;
pub const INVITATION_DAYS: i64 = 7;
/// A link made after a correct login + code, to set the first password.
pub const SETUP_LINK_MINUTES: i64 = 60;
/// Login codes on slips: the curator chooses; this is the default.
pub const CODE_DAYS_DEFAULT: i64 = 14;
pub const CODE_DAYS_CHOICES: [i64; 5] = [3, 7, 14, 30, 60];

/// The user of a live session (by the secret in the cookie); touches its last use at most once
/// a minute. Disabled accounts have no sessions.
pub async fn session_user(
    pool: &PgPool,
    secret: &str,
    idle_minutes: i64,
) -> Result<Option<SessionUser>, sqlx::Error> {
    Ok(session_with(pool, secret, idle_minutes, None)
        .await?
        .map(|(s, _)| s))
}

/// [`session_user`], and in the same statement `also`: a subquery run for the session's user
/// (`u.id`, with `$3` bound to the given text) whose columns come back in the row — how an
/// organization page reads who and where in one round trip (`tenancy::repo::session_seat`).
pub async fn session_with(
    pool: &PgPool,
    secret: &str,
    idle_minutes: i64,
    also: Option<(&str, &str)>,
) -> Result<Option<(SessionUser, sqlx::postgres::PgRow)>, sqlx::Error> {
    use sqlx::Row;
    let id = digest(secret);
    let (lateral, columns) = match also {
        Some((sql, _)) => (
            format!("LEFT JOIN LATERAL ({sql}) also ON true"),
            ", also.*",
        ),
        None => (String::new(), ""),
    };
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT u.id AS session_user_id, u.email AS session_email, u.full_name AS session_full_name,
                u.is_platform_admin AS session_is_admin,
                s.last_seen_at < now() - interval '1 minute' AS session_stale{columns}
           FROM sessions s JOIN users u ON u.id = s.user_id {lateral}
          WHERE s.id = $1 AND s.expires_at > now() AND u.disabled_at IS NULL
            AND (s.remember OR s.last_seen_at > now() - make_interval(mins => $2::int))"
    )))
    .bind(&id)
    .bind(idle_minutes as i32);
    if let Some((_, arg)) = also {
        q = q.bind(arg);
    }
    let Some(row) = q.fetch_optional(pool).await? else {
        return Ok(None);
    };
    if row.try_get::<bool, _>("session_stale")? {
        sqlx::query!(
            "UPDATE sessions SET last_seen_at = now() WHERE id = $1",
            &id,
        )
        .execute(pool)
        .await?;
    }
    let session = SessionUser {
        session_id: id,
        user: User {
            id: row.try_get("session_user_id")?,
            email: row.try_get("session_email")?,
            full_name: row.try_get("session_full_name")?,
            is_platform_admin: row.try_get("session_is_admin")?,
        },
        csrf: csrf_for(secret),
    };
    Ok(Some((session, row)))
}

/// A new session; returns the secret for the cookie (the database keeps its digest).
pub async fn create_session(
    conn: &mut PgConnection,
    user_id: Uuid,
    remember: bool,
) -> Result<String, sqlx::Error> {
    let secret = random_token();
    let expires = if remember {
        Utc::now() + Duration::days(REMEMBER_DAYS)
    } else {
        Utc::now() + Duration::hours(SESSION_HOURS)
    };
    sqlx::query!(
        "INSERT INTO sessions (id, user_id, expires_at, remember) VALUES ($1, $2, $3, $4)",
        digest(&secret),
        user_id,
        expires,
        remember,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "DELETE FROM sessions WHERE expires_at < now() OR (NOT remember AND last_seen_at < now() - interval '1 day')",
    )
        .execute(&mut *conn)
        .await?;
    Ok(secret)
}

/// `id` is the stored digest ([`SessionUser::session_id`]).
pub async fn delete_session(conn: &mut PgConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM sessions WHERE id = $1", id,)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn user_for_login(
    conn: &mut PgConnection,
    email: &str,
) -> Result<Option<(User, Option<String>)>, sqlx::Error> {
    let row: Option<(Uuid, String, String, bool, Option<String>)> = sqlx::query!(
        r#"SELECT id AS "c0!", email AS "c1!", full_name AS "c2!", is_platform_admin AS "c3!", password_hash AS "c4?" FROM users
          WHERE email = $1 AND disabled_at IS NULL"#,
        email,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3, r.c4))
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
    sqlx::query_as!(
        User,
        r#"SELECT id AS "id!", email AS "email!", full_name AS "full_name!", is_platform_admin AS "is_platform_admin!" FROM users WHERE email = $1"#,
        email,
    )
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
            sqlx::query!(
                "UPDATE users SET is_platform_admin = true WHERE id = $1",
                u.id,
            )
            .execute(&mut *conn)
            .await?;
        }
        return Ok((u, false));
    }
    let u: User = sqlx::query_as!(
        User,
        r#"INSERT INTO users (email, full_name, is_platform_admin) VALUES ($1, $2, $3)
         RETURNING id AS "id!", email AS "email!", full_name AS "full_name!", is_platform_admin AS "is_platform_admin!""#,
        email,
        full_name,
        platform_admin,
    )
    .fetch_one(conn)
    .await?;
    Ok((u, true))
}

pub async fn has_password(conn: &mut PgConnection, user_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT password_hash IS NOT NULL AS "v!" FROM users WHERE id = $1"#,
        user_id,
    )
    .fetch_one(conn)
    .await
}

/// The accounts' full names among `ids`, by id (what other domains show of an account).
pub async fn full_names(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, String>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(
        sqlx::query!("SELECT id, full_name FROM users WHERE id = ANY($1)", ids)
            .fetch_all(conn)
            .await?
            .into_iter()
            .map(|r| (r.id, r.full_name))
            .collect(),
    )
}

/// The accounts among `ids` not disabled: (id, e-mail, full name) — whom other domains may
/// write to.
pub async fn active_accounts(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String, String)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query!(
        "SELECT id, email, full_name FROM users WHERE id = ANY($1) AND disabled_at IS NULL",
        ids
    )
    .map(|r| (r.id, r.email, r.full_name))
    .fetch_all(conn)
    .await
}

/// An account as other domains list it.
#[derive(Clone, Debug)]
pub struct Account {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub has_password: bool,
}

/// The accounts among `ids` in a Russian list's order of their names (at most `limit`, from
/// `offset`).
pub async fn accounts_by_name(
    conn: &mut PgConnection,
    ids: &[Uuid],
    limit: i64,
    offset: i64,
) -> Result<Vec<Account>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_as!(
        Account,
        r#"SELECT id, email, full_name, password_hash IS NOT NULL AS "has_password!"
             FROM users WHERE id = ANY($1)
            ORDER BY full_name COLLATE ru_icu, id LIMIT $2 OFFSET $3"#,
        ids,
        limit,
        offset,
    )
    .fetch_all(conn)
    .await
}

/// Until when the latest unused link of `org_id` for each of `users` is valid, for those that
/// have one.
pub async fn links_valid_until(
    conn: &mut PgConnection,
    org_id: Uuid,
    users: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, DateTime<Utc>>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"SELECT user_id, max(expires_at) AS "until!" FROM invitations
            WHERE org_id = $1 AND user_id = ANY($2) AND used_at IS NULL AND expires_at > now()
            GROUP BY user_id"#,
        org_id,
        users,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.user_id, r.until))
    .collect())
}

/// The platform administrators among `ids`.
pub async fn platform_admins_among(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM users WHERE id = ANY($1) AND is_platform_admin",
        ids
    )
    .fetch_all(conn)
    .await
}

/// The code logins among `ids` still waiting for their first password (active, no password
/// yet): their logins by account.
pub async fn code_logins_waiting(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, String>, sqlx::Error> {
    Ok(sqlx::query!(
        "SELECT id, email FROM users
          WHERE id = ANY($1) AND password_hash IS NULL AND login_kind = 'code' AND disabled_at IS NULL",
        ids
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.email))
    .collect())
}

/// Marks an account as a login with a one-time code (a pupil without e-mail).
pub async fn mark_code_login(conn: &mut PgConnection, user_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE users SET login_kind = 'code' WHERE id = $1",
        user_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// An account's login (its e-mail or code login), how it signs in (`email` or `code`), and
/// whether a password is set.
pub async fn login_of(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<(String, String, bool), sqlx::Error> {
    sqlx::query!(
        r#"SELECT email AS "c0!", login_kind AS "c1!", password_hash IS NOT NULL AS "c2!" FROM users WHERE id = $1"#,
        user_id,
    ).map(|r| (r.c0, r.c1, r.c2))
    .fetch_one(conn)
    .await
}

/// Takes a code login's password away and ends its sessions (a new code is issued): only for a
/// `code` login; answers whether it was one.
pub async fn reset_code_login(conn: &mut PgConnection, user_id: Uuid) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "UPDATE users SET password_hash = NULL WHERE id = $1 AND login_kind = 'code'",
        user_id,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n > 0 {
        sqlx::query!("DELETE FROM sessions WHERE user_id = $1", user_id,)
            .execute(conn)
            .await?;
    }
    Ok(n > 0)
}

/// An account's e-mail and whether a password is set (the person card's «учётная запись»).
pub async fn account_state(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Option<(String, bool)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT email, password_hash IS NOT NULL AS "has_password!" FROM users WHERE id = $1"#,
        user_id,
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.email, r.has_password)))
}

pub async fn set_password(
    conn: &mut PgConnection,
    user_id: Uuid,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE users SET password_hash = $2 WHERE id = $1",
        user_id,
        hash,
    )
    .execute(conn)
    .await?;
    Ok(())
}

// ---- throttling -----------------------------------------------------------------------------
// Keys such as «account + address» are stored as digests: the table names no login or address.

/// The time until which `key` must wait, if it must.
pub async fn locked_until(
    conn: &mut PgConnection,
    key: &str,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT locked_until AS "v!" FROM login_throttle WHERE key = $1 AND locked_until > now()"#,
        digest(key),
    )
    .fetch_optional(conn)
    .await
}

/// Counts a failure of `key` (failures are forgotten an hour after the last wait ended); from
/// `limit` failures on, every further failure makes the key wait, twice as long each time (one
/// minute, two, four … at most fifteen): growing delays rather than a lock that never ends.
/// Returns the failures counted.
pub async fn record_failure(
    conn: &mut PgConnection,
    key: &str,
    limit: i32,
) -> Result<i32, sqlx::Error> {
    let key = digest(key);
    let failures: i32 = sqlx::query_scalar!(
        r#"INSERT INTO login_throttle AS t (key, failures, window_started) VALUES ($1, 1, now())
         ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN t.window_started < now() - $2::interval
                              AND coalesce(t.locked_until, '-infinity') < now() - $2::interval
                         THEN 1 ELSE t.failures + 1 END,
             window_started = CASE WHEN t.window_started < now() - $2::interval
                              AND coalesce(t.locked_until, '-infinity') < now() - $2::interval
                         THEN now() ELSE t.window_started END
         RETURNING failures AS "v!""#,
        &key,
        throttle::window() as _,
    )
    .fetch_one(&mut *conn)
    .await?;
    if failures >= limit {
        sqlx::query!(
            "UPDATE login_throttle SET locked_until = now() + $2 WHERE key = $1",
            &key,
            throttle::wait_after(failures - limit) as _,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(failures)
}

pub async fn reset_failures(conn: &mut PgConnection, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM login_throttle WHERE key = $1", digest(key),)
        .execute(conn)
        .await?;
    Ok(())
}
