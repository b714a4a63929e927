//! CSRF protection on every state-changing request: the token of the session (or, before login,
//! of the `nv_csrf` cookie) must come back in the `_csrf` form field, the `x-csrf-token` header
//! or the `_csrf` query parameter (multipart uploads).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ctx::RequestCtx;
use crate::error::ErrorPage;

/// Form bodies are small; uploads (later issues) carry the token in the header or query.
const MAX_FORM: usize = 2 * 1024 * 1024;

fn field(pairs: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(pairs)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn eq_const_time(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn refuse() -> Response {
    let mut resp = StatusCode::FORBIDDEN.into_response();
    resp.extensions_mut().insert(ErrorPage {
        title: "Форма устарела",
        message: "Запрос отклонён защитой от подделки (CSRF). Обновите страницу и отправьте форму \
                  ещё раз."
            .into(),
    });
    resp
}

pub async fn csrf_layer(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let expected = req
        .extensions()
        .get::<RequestCtx>()
        .map(|c| c.csrf.clone())
        .unwrap_or_default();
    if expected.is_empty() {
        return refuse();
    }
    if let Some(h) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if eq_const_time(h, &expected) {
            next.run(req).await
        } else {
            refuse()
        };
    }
    if let Some(q) = req.uri().query()
        && let Some(t) = field(q.as_bytes(), "_csrf")
    {
        return if eq_const_time(&t, &expected) {
            next.run(req).await
        } else {
            refuse()
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.starts_with("application/x-www-form-urlencoded"))
        .unwrap_or(false);
    if !is_form {
        return refuse();
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM).await else {
        let mut resp = StatusCode::PAYLOAD_TOO_LARGE.into_response();
        resp.extensions_mut().insert(ErrorPage {
            title: "Слишком большой запрос",
            message: "Форма слишком велика.".into(),
        });
        return resp;
    };
    // A NUL byte in any field: 400 here, not a 500 from PostgreSQL later.
    if form_urlencoded::parse(&bytes).any(|(k, v)| k.contains('\0') || v.contains('\0')) {
        return super::guard::bad_request();
    }
    match field(&bytes, "_csrf") {
        Some(t) if eq_const_time(&t, &expected) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => refuse(),
    }
}
