//! Request context: who is asking (session), the CSRF token, the flash message; the extractors
//! `AuthUser` and `OrgCtx` (user + organization from `/o/{slug}` + roles); the page context every
//! template gets.

use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use super::{AppState, Flash, cookies};
use crate::auth::model::{Role, User};
use crate::error::AppError;
use crate::tenancy::model::Organization;

#[derive(Clone, Debug)]
pub struct SessionUser {
    pub session_id: String,
    pub user: User,
    pub csrf: String,
}

/// Put into the request extensions by [`session_layer`].
#[derive(Clone, Debug)]
pub struct RequestCtx {
    pub session: Option<SessionUser>,
    pub csrf: String,
    pub flash: Option<Flash>,
    pub request_id: String,
    pub secure_cookies: bool,
    /// The client address (for throttling and the audit trail).
    pub ip: String,
}

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
    let session = match token {
        Some(t) if t.len() == 64 => match crate::auth::session_user(&state.pool, &t, idle).await {
            Ok(s) => s,
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

impl<S: Send + Sync> FromRequestParts<S> for RequestCtx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestCtx>()
            .cloned()
            .ok_or_else(|| AppError::internal("session layer missing"))
    }
}

impl RequestCtx {
    /// The page context for pages outside an organization.
    pub fn page(&self, title: impl Into<String>) -> PageCtx {
        PageCtx {
            title: title.into(),
            user_name: self.session.as_ref().map(|s| s.user.full_name.clone()),
            is_admin: self
                .session
                .as_ref()
                .map(|s| s.user.is_platform_admin)
                .unwrap_or(false),
            org_slug: String::new(),
            org_name: String::new(),
            roles_label: String::new(),
            nav: Vec::new(),
            active: "",
            csrf: self.csrf.clone(),
            flash: self.flash.clone(),
        }
    }
}

/// A logged-in user (else a redirect to the login page).
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub user: User,
    pub ctx: RequestCtx,
}

impl<S: Send + Sync> FromRequestParts<S> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = RequestCtx::from_request_parts(parts, state).await?;
        match &ctx.session {
            Some(s) => Ok(AuthUser {
                user: s.user.clone(),
                ctx,
            }),
            None => Err(AppError::Unauthenticated),
        }
    }
}

/// User + organization (from the `{slug}` path segment, checked against the user's memberships)
/// + the user's roles there. Another organization's pages answer 404.
#[derive(Clone, Debug)]
pub struct OrgCtx {
    pub user: User,
    pub org: Organization,
    pub roles: Vec<Role>,
    pub ctx: RequestCtx,
}

impl FromRequestParts<AppState> for OrgCtx {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let auth = AuthUser::from_request_parts(parts, state).await?;
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        let slug = params
            .iter()
            .find(|(k, _)| *k == "slug")
            .map(|(_, v)| v.to_string())
            .ok_or(AppError::NotFound)?;
        let mut conn = state.pool.acquire().await?;
        let (org, roles) = crate::tenancy::org_for_member(&mut conn, &slug, auth.user.id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(OrgCtx {
            user: auth.user,
            org,
            roles,
            ctx: auth.ctx,
        })
    }
}

impl OrgCtx {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has(*r))
    }

    /// 403 unless the user holds one of `roles`.
    pub fn require_any(&self, roles: &[Role]) -> Result<(), AppError> {
        if self.has_any(roles) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn is_staff(&self) -> bool {
        self.has_any(&[Role::Curator, Role::Director])
    }

    /// `/o/{slug}{rest}` (prefer [`OrgCtx::paths`]).
    pub fn url(&self, rest: &str) -> String {
        self.paths().at(rest)
    }

    /// The URLs of this organization's pages.
    pub fn paths(&self) -> crate::paths::Paths<'_> {
        crate::paths::Paths::of(&self.org.slug)
    }

    pub fn page(&self, title: impl Into<String>, active: &'static str) -> PageCtx {
        let base = format!("/o/{}", self.org.slug);
        let mut nav = vec![NavItem::new(&base, "", "Главная", "home")];
        nav.push(NavItem::new(&base, "/programs", "Программы", "programs"));
        if self.is_staff() {
            nav.push(NavItem::new(
                &base,
                "/people?base=mentor",
                "База наставников",
                "people",
            ));
            nav.push(NavItem::new(
                &base,
                "/people?base=mentee",
                "База наставляемых",
                "people-mentee",
            ));
            nav.push(NavItem::new(
                &base,
                "/questionnaires",
                "Анкеты",
                "questionnaires",
            ));
            nav.push(NavItem::new(&base, "/members", "Пользователи", "members"));
            nav.push(NavItem::new(&base, "/audit", "Журнал", "audit"));
            nav.push(NavItem::new(&base, "/settings", "Организация", "settings"));
        }
        PageCtx {
            title: title.into(),
            user_name: Some(self.user.full_name.clone()),
            is_admin: self.user.is_platform_admin,
            org_slug: self.org.slug.clone(),
            org_name: self.org.short_name.clone(),
            roles_label: self
                .roles
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join(", "),
            nav,
            active,
            csrf: self.ctx.csrf.clone(),
            flash: self.ctx.flash.clone(),
        }
    }

    pub fn flash(&self, to: &str, message: &str) -> Response {
        super::redirect_with_flash(to, "success", message, self.ctx.secure_cookies)
    }

    pub fn flash_error(&self, to: &str, message: &str) -> Response {
        super::redirect_with_flash(to, "error", message, self.ctx.secure_cookies)
    }
}

#[derive(Clone, Debug)]
pub struct NavItem {
    pub href: String,
    pub label: &'static str,
    pub key: &'static str,
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

impl NavItem {
    fn new(base: &str, rest: &str, label: &'static str, key: &'static str) -> Self {
        NavItem {
            href: format!("{base}{rest}"),
            label,
            key,
        }
    }
}

/// What the base layout needs on every page.
#[derive(Clone, Debug)]
pub struct PageCtx {
    pub title: String,
    pub user_name: Option<String>,
    pub is_admin: bool,
    pub org_slug: String,
    pub org_name: String,
    pub roles_label: String,
    pub nav: Vec<NavItem>,
    pub active: &'static str,
    pub csrf: String,
    pub flash: Option<Flash>,
}

impl PageCtx {
    /// The URLs of the organization's pages, for templates: `{{ ctx.paths().person(p.id) }}`.
    pub fn paths(&self) -> crate::paths::Paths<'_> {
        crate::paths::Paths::of(&self.org_slug)
    }
}
