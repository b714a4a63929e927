//! Static assets embedded in the binary: the app works offline, with no CDN. Pages link them by
//! a name carrying a digest of their content (`/static/css/app.3f2a9c1e.css`, [`url`]), served
//! with `Cache-Control: public, max-age=31536000, immutable`: a phone downloads each once per
//! release. The plain name (and a digest of another release, from a page opened before an update)
//! still answers, with the current content and a short cache.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

struct Asset {
    /// `css/app.css`
    path: &'static str,
    content_type: &'static str,
    body: &'static str,
    /// The first 8 hex digits of the content's SHA-256.
    digest: String,
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    [
        (
            "css/app.css",
            "text/css; charset=utf-8",
            include_str!("../../static/css/app.css"),
        ),
        (
            "js/app.js",
            "text/javascript; charset=utf-8",
            include_str!("../../static/js/app.js"),
        ),
        (
            "js/htmx.min.js",
            "text/javascript; charset=utf-8",
            include_str!("../../static/js/htmx.min.js"),
        ),
        (
            "favicon.svg",
            "image/svg+xml",
            include_str!("../../static/favicon.svg"),
        ),
    ]
    .into_iter()
    .map(|(path, content_type, body)| {
        let sum = Sha256::digest(body.as_bytes());
        let digest = sum.iter().take(4).map(|b| format!("{b:02x}")).collect();
        Asset {
            path,
            content_type,
            body,
            digest,
        }
    })
    .collect()
});

/// `css/app.css` → `css/app` and `css`.
fn split_ext(path: &str) -> (&str, &str) {
    path.rsplit_once('.').unwrap_or((path, ""))
}

/// The URL a page links an asset by: `/static/css/app.3f2a9c1e.css` (the plain `/static/…` for
/// a name that is not an asset).
pub fn url(path: &str) -> String {
    match ASSETS.iter().find(|a| a.path == path) {
        Some(a) => {
            let (stem, ext) = split_ext(a.path);
            format!("/static/{stem}.{}.{ext}", a.digest)
        }
        None => format!("/static/{path}"),
    }
}

pub async fn asset(Path(path): Path<String>) -> Response {
    // `css/app.3f2a9c1e.css`: the stem's last dot part is the digest.
    let (stem, ext) = split_ext(&path);
    let (plain, digest) = match stem.rsplit_once('.') {
        Some((base, d)) if d.len() == 8 && d.chars().all(|c| c.is_ascii_hexdigit()) => {
            (format!("{base}.{ext}"), Some(d))
        }
        _ => (path.clone(), None),
    };
    let Some(a) = ASSETS.iter().find(|a| a.path == plain) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = if digest == Some(a.digest.as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    (
        [
            (header::CONTENT_TYPE, a.content_type),
            (header::CACHE_CONTROL, cache),
        ],
        a.body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_urls_carry_their_digest() {
        let u = url("css/app.css");
        assert!(
            u.starts_with("/static/css/app.") && u.ends_with(".css"),
            "{u}"
        );
        assert_eq!(u.len(), "/static/css/app.".len() + 8 + ".css".len());
        assert_eq!(url("favicon.svg").len(), "/static/favicon.".len() + 8 + 4);
        assert_eq!(url("nothing.txt"), "/static/nothing.txt");
    }
}
