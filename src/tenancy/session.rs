//! The session layer: who is asking (the session cookie, looked up by its digest, with the idle
//! timeout), the CSRF token, the flash message and the client's address, put into every
//! request as `RequestCtx`.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::web::ctx::RequestCtx;
use crate::web::{AppState, Flash, cookies};

pub async fn session_layer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let headers = req.headers();
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let token = cookies::get(headers, cookies::SESSION);
    let anon_csrf = cookies::get(headers, cookies::CSRF).filter(|t| t.len() == 64);
    let flash = cookies::get(headers, cookies::FLASH).and_then(|raw| {
        let decoded: String = form_urlencoded::parse(format!("f={raw}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())?;
        let (kind, message) = decoded.split_once('|')?;
        Some(Flash {
            kind: kind.to_string(),
            message: message.to_string(),
        })
    });
    let had_flash = flash.is_some();
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let ip = client_address(peer, req.headers(), &state.config.trusted_proxies);
    let idle = state.config.session_idle_minutes;
    // On an organization's page the organization, the roles and the bell come in the same
    // statement as the session (the `Seat`, taken by `OrgCtx`).
    let slug = org_slug(req.uri().path());
    let (found, seat) = match (&token, &slug) {
        (Some(t), Some(slug)) if t.len() == 64 => {
            match super::session_seat(&state.pool, t, idle, slug).await {
                Ok(Some((session, seat))) => (Ok(Some(session)), seat),
                Ok(None) => (Ok(None), None),
                Err(e) => (Err(e), None),
            }
        }
        (Some(t), None) if t.len() == 64 => {
            (crate::auth::session_user(&state.pool, t, idle).await, None)
        }
        _ => (Ok(None), None),
    };
    if let Some(seat) = seat {
        req.extensions_mut().insert(seat);
    }
    let session = match token {
        Some(t) if t.len() == 64 => match found {
            Ok(s) => s,
            // The database is away: say so, rather than pretend the session ended.
            Err(e) if crate::error::unreachable(&e) => {
                tracing::warn!(error = %e, "loading session: database unreachable");
                return axum::response::IntoResponse::into_response(
                    crate::error::AppError::Unavailable,
                );
            }
            Err(e) => {
                tracing::error!(error = %e, "loading session");
                None
            }
        },
        _ => None,
    };
    let had_session_cookie = cookies::get(req.headers(), cookies::SESSION).is_some();
    let new_anon = anon_csrf.is_none().then(cookies::random_token);
    let csrf = match (&session, &anon_csrf, &new_anon) {
        (Some(s), _, _) => s.csrf.clone(),
        (None, Some(a), _) => a.clone(),
        (None, None, Some(n)) => n.clone(),
        (None, None, None) => String::new(),
    };
    let secure = state.config.secure_cookies;
    let logged_in = session.is_some();
    req.extensions_mut().insert(RequestCtx {
        session,
        csrf,
        flash,
        request_id,
        secure_cookies: secure,
        ip,
    });
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    if let Some(n) = new_anon
        && let Ok(v) = HeaderValue::from_str(&cookies::build(cookies::CSRF, &n, None, secure))
    {
        h.append(header::SET_COOKIE, v);
    }
    if had_session_cookie && !logged_in && !h.contains_key(header::SET_COOKIE) {
        // An expired or unknown session: drop the cookie.
        if let Ok(v) = HeaderValue::from_str(&cookies::clear(cookies::SESSION, secure)) {
            h.append(header::SET_COOKIE, v);
        }
    }
    if had_flash && !resp.status().is_redirection() {
        let sets_flash = resp
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.as_bytes().starts_with(cookies::FLASH.as_bytes()));
        if !sets_flash && let Ok(v) = HeaderValue::from_str(&cookies::clear(cookies::FLASH, secure))
        {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// The organization's slug of a path `/o/{slug}/…`.
fn org_slug(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/o/")?;
    let slug = rest.split('/').next().unwrap_or("");
    (!slug.is_empty()).then(|| slug.to_string())
}

/// The client's address: the connection's peer, or — only when the peer is a configured trusted
/// proxy — the last address in `X-Forwarded-For` that is not itself a trusted proxy. A header
/// sent by anyone else is ignored, so nobody can pick the address they are throttled under.
pub fn client_address(
    peer: Option<std::net::IpAddr>,
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> String {
    let Some(peer) = peer else {
        return "local".into();
    };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .unwrap_or(&peer)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_address_only_from_a_trusted_proxy() {
        let mut h = axum::http::HeaderMap::new();
        h.insert("x-forwarded-for", "6.6.6.6, 10.0.0.5".parse().unwrap());
        let proxy: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let other: std::net::IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(client_address(Some(other), &h, &[proxy]), "192.0.2.7");
        assert_eq!(client_address(Some(proxy), &h, &[proxy]), "10.0.0.5");
        assert_eq!(client_address(Some(proxy), &h, &[]), "127.0.0.1");
        let none = axum::http::HeaderMap::new();
        assert_eq!(client_address(Some(proxy), &none, &[proxy]), "127.0.0.1");
    }
}
