//! What no request may carry, refused before any page or query sees it: a NUL byte in the path or
//! the query (PostgreSQL text cannot hold one: it would end as a 500), and a path that starts
//! with `/\` (browsers read `/\host` as `//host`: a redirect there would leave the site).
//! Form bodies are checked for NUL where they are read (`csrf`).

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ErrorPage;

/// Whether a percent-encoded text holds a NUL byte (raw or as `%00`).
pub fn has_nul(encoded: &str) -> bool {
    // `%00` is the only percent-encoding of NUL.
    encoded.contains('\0') || encoded.contains("%00")
}

/// 400 with the Russian error page.
pub fn bad_request() -> Response {
    let mut resp = StatusCode::BAD_REQUEST.into_response();
    resp.extensions_mut().insert(ErrorPage {
        title: "Неверный запрос",
        message: "В запросе недопустимые символы.".into(),
    });
    resp
}

pub async fn clean_request(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let lower = path.to_ascii_lowercase();
    if path.starts_with("/\\") || lower.starts_with("/%5c") {
        return StatusCode::NOT_FOUND.into_response();
    }
    if has_nul(path) || req.uri().query().is_some_and(has_nul) {
        return bad_request();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_bytes_raw_or_encoded() {
        assert!(has_nul("/o/%00x"));
        assert!(has_nul("a=b%00"));
        assert!(!has_nul("/o/school-a/people?q=%D0%98"));
    }
}
