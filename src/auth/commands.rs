//! The commands of accounts (ARCHITECTURE.md, «Commands»): logging in — an e-mail or login with
//! a password, or a pupil's login with the one-time code from the slip, under throttling per
//! account and address — logging out, and setting the first password by a one-time link. They
//! take the server's state rather than a connection: a password is hashed with no connection
//! held, under the server's hash limit.

use chrono::Utc;
use sqlx::PgConnection;

use super::model::{self, MIN_PASSWORD_LEN, throttle};
use super::repo;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::forms::FormErrors;

/// Runs password hashing under the server's hash semaphore: at most `NASTAVNIK_HASH_CONCURRENCY`
/// at once, the rest queue for up to 10 s and then get «сервер занят» (503) — a flood of logins
/// cannot take every core and all the memory.
pub async fn hashing<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> T + Send + 'static,
) -> AppResult<T> {
    let permit = crate::web::permit(&state.hashing, std::time::Duration::from_secs(10)).await?;
    let out = model::blocking(f).await.map_err(AppError::internal)?;
    drop(permit);
    Ok(out)
}

/// What the login form sends.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    pub email: String,
    pub password: String,
    pub remember: bool,
}

/// Where a login leads.
#[derive(Debug)]
pub enum LoggedIn {
    /// A new session (its token for the cookie).
    Session(String),
    /// A pupil's first login with the slip's code: the link (its token) where they set a password.
    Setup(String),
}

/// A login refused.
#[derive(Debug)]
pub enum NotIn {
    /// The words to show (the same for a wrong address and a wrong password).
    Invalid(String),
    /// Too many failures: how long to wait.
    Throttled(String),
    Failed(AppError),
}

impl<E: Into<AppError>> From<E> for NotIn {
    fn from(e: E) -> Self {
        NotIn::Failed(e.into())
    }
}

/// «Слишком много неудачных попыток…» with the minutes left.
pub fn wait_message(minutes: i64) -> String {
    format!(
        "Слишком много неудачных попыток входа. Вход временно заблокирован — попробуйте снова \
         через {minutes} мин."
    )
}

/// Logs in from the address `ip` (the session `old`, if any, is dropped: a new id at login).
pub async fn log_in(
    state: &AppState,
    who: &Credentials,
    ip: &str,
    old: Option<&str>,
) -> Result<LoggedIn, NotIn> {
    let email = model::normalize_email(&who.email);
    if email.is_empty() || who.password.is_empty() {
        return Err(NotIn::Invalid("Введите электронную почту и пароль.".into()));
    }
    let wrong = || NotIn::Invalid("Неверная электронная почта или пароль.".into());
    if email.len() > 254 || who.password.len() > 1024 {
        return Err(wrong());
    }
    let account_key = throttle::account_key(&email, ip);
    let address_key = throttle::address_key(ip);
    let anywhere_key = throttle::account_anywhere_key(&email);
    // The connection is held only for the look-ups, never while hashing.
    let found = {
        let mut conn = state.pool.acquire().await?;
        // Only this account's failures from this address can refuse a login before the
        // password is checked: other accounts' failures from a shared address (a school behind
        // one NAT) slow and refuse wrong passwords only, never the right one.
        if let Some(until) = repo::locked_until(&mut conn, &account_key).await? {
            return Err(NotIn::Throttled(wait_message(throttle::minutes_left(
                until,
                Utc::now(),
            ))));
        }
        repo::user_for_login(&mut conn, &email).await?
    };
    let hash = found.as_ref().and_then(|(_, h)| h.clone());
    let password = who.password.clone();
    let ok = hashing(state, move || {
        model::verify_password(&password, hash.as_deref())
    })
    .await?;
    let mut conn = state.pool.acquire().await?;
    // A participant's first login: their login and the one-time code from the slip, together.
    if let (false, Some((user, None))) = (ok, &found)
        && repo::code_matches(&mut conn, user.id, &who.password).await?
    {
        repo::reset_failures(&mut conn, &account_key).await?;
        let link = repo::create_setup_link(&mut conn, user.id).await?;
        tracing::info!(user = %user.id, "login with a one-time code");
        return Ok(LoggedIn::Setup(link));
    }
    let user = match (ok, found) {
        (true, Some((user, _))) => user,
        (_, found) => {
            let failures =
                repo::record_failure(&mut conn, &account_key, throttle::ACCOUNT_LIMIT).await?;
            let from_address =
                repo::record_failure(&mut conn, &address_key, throttle::ADDRESS_LIMIT).await?;
            let address_waits = repo::locked_until(&mut conn, &address_key).await?;
            let anywhere = repo::record_failure(&mut conn, &anywhere_key, i32::MAX).await?;
            let user = found.as_ref().map(|(u, _)| u.id);
            crate::audit::login_event(&mut conn, user, "login.failed", ip).await?;
            drop(conn);
            tracing::warn!(failures, "failed login");
            let delay = throttle::delay_ms(failures.max(anywhere.min(8)))
                .max(throttle::address_delay_ms(from_address));
            if delay > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
            }
            if let Some(until) = address_waits {
                let minutes = throttle::minutes_left(until, Utc::now());
                return Err(NotIn::Throttled(wait_message(minutes)));
            }
            return Err(if failures >= throttle::ACCOUNT_LIMIT {
                let wait = throttle::wait_after(failures - throttle::ACCOUNT_LIMIT);
                NotIn::Throttled(wait_message(wait.num_minutes()))
            } else {
                wrong()
            });
        }
    };
    repo::reset_failures(&mut conn, &account_key).await?;
    if let Some(old) = old {
        repo::delete_session(&mut conn, old).await?;
    }
    let token = repo::create_session(&mut conn, user.id, who.remember).await?;
    crate::audit::login_event(&mut conn, Some(user.id), "login", ip).await?;
    tracing::info!(user = %user.id, "login");
    Ok(LoggedIn::Session(token))
}

/// Ends the session `id`.
pub async fn log_out(conn: &mut PgConnection, id: &str) -> Result<(), sqlx::Error> {
    repo::delete_session(conn, id).await
}

/// A first password refused.
#[derive(Debug)]
pub enum NotSet {
    /// The link is used, expired or no link.
    Gone,
    /// The password refused, beside its fields; the link's invitation to show again.
    Invalid(FormErrors, Box<repo::Invitation>),
    Failed(AppError),
}

impl<E: Into<AppError>> From<E> for NotSet {
    fn from(e: E) -> Self {
        NotSet::Failed(e.into())
    }
}

/// Sets the first password by the one-time link `token` (typed twice, at least
/// `MIN_PASSWORD_LEN` characters): the link is used once, and a new session starts (the session
/// `old`, if any, is dropped). Returns the new session's token.
pub async fn set_first_password(
    state: &AppState,
    token: &str,
    (password, again): (&str, &str),
    old: Option<&str>,
) -> Result<String, NotSet> {
    let inv = {
        let mut conn = state.pool.acquire().await?;
        repo::valid_invitation(&mut conn, token, false).await?
    };
    let Some(inv) = inv else {
        return Err(NotSet::Gone);
    };
    let mut errors = FormErrors::default();
    if password.chars().count() < MIN_PASSWORD_LEN {
        errors.add(
            "password",
            format!("Пароль должен быть не короче {MIN_PASSWORD_LEN} символов."),
        );
    } else if password.len() > 256 {
        errors.add("password", "Пароль должен быть не длиннее 256 символов.");
    }
    if password != again {
        errors.add("password2", "Пароли не совпадают.");
    }
    if !errors.is_empty() {
        return Err(NotSet::Invalid(errors, Box::new(inv)));
    }
    // Hash with no database connection held; then check the link again under a row lock.
    let password = password.to_string();
    let hash = hashing(state, move || model::hash_password(&password))
        .await?
        .map_err(AppError::internal)?;
    let mut tx = state.pool.begin().await?;
    let Some(inv) = repo::valid_invitation(&mut tx, token, true).await? else {
        return Err(NotSet::Gone);
    };
    repo::set_password(&mut tx, inv.user_id, &hash).await?;
    repo::mark_invitation_used(&mut tx, inv.id, inv.user_id).await?;
    if let Some(old) = old {
        repo::delete_session(&mut tx, old).await?;
    }
    let session = repo::create_session(&mut tx, inv.user_id, false).await?;
    tx.commit().await?;
    Ok(session)
}
