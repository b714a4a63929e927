//! The account pages: login and logout, one-time links (setting a password). Below: what they
//! share. (The organization chooser gathers several domains: `home::pages::chooser`.)

pub mod invite;
pub mod login;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;

use super::model::{self, MIN_PASSWORD_LEN, throttle};
use super::repo;
use crate::error::{AppError, AppResult};
use crate::web::forms::FormErrors;
use crate::web::{AppState, PageCtx, RequestCtx, cookies};

pub(super) fn session_cookie(resp: &mut Response, token: &str, remember: bool, secure: bool) {
    // Without «запомнить меня» the cookie ends with the browser (and the session after the idle
    // period on the server).
    let max_age = remember.then_some(repo::REMEMBER_DAYS * 24 * 3600);
    if let Ok(v) = HeaderValue::from_str(&cookies::build(cookies::SESSION, token, max_age, secure))
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

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
