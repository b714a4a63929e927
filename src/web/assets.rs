//! Static assets embedded in the binary: the app works offline, with no CDN.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

const CSS: &str = include_str!("../../static/css/app.css");
const APP_JS: &str = include_str!("../../static/js/app.js");
const HTMX_JS: &str = include_str!("../../static/js/htmx.min.js");
const FAVICON: &str = include_str!("../../static/favicon.svg");

pub async fn asset(Path(path): Path<String>) -> Response {
    let (ctype, body) = match path.as_str() {
        "css/app.css" => ("text/css; charset=utf-8", CSS),
        "js/app.js" => ("text/javascript; charset=utf-8", APP_JS),
        "js/htmx.min.js" => ("text/javascript; charset=utf-8", HTMX_JS),
        "favicon.svg" => ("image/svg+xml", FAVICON),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, ctype),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}
