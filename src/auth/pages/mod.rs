//! The account pages: login and logout. Below: what they share (the session cookie, also set
//! by `accounts::pages::invite` when a first password is set). (The organization chooser gathers several domains: `home::pages::chooser`.)

pub mod login;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::repo;
use crate::error::AppResult;
use crate::web::{AppState, PageCtx, RequestCtx, cookies};

/// Sets the session cookie on a response (a login, a first password).
pub fn session_cookie(resp: &mut Response, token: &str, remember: bool, secure: bool) {
    // Without «запомнить меня» the cookie ends with the browser (and the session after the idle
    // period on the server).
    let max_age = remember.then_some(repo::REMEMBER_DAYS * 24 * 3600);
    if let Ok(v) = HeaderValue::from_str(&cookies::build(cookies::SESSION, token, max_age, secure))
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

pub use super::commands::hashing;
