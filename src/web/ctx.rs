//! Request context: who is asking (the session, filled in by `tenancy::session`), the CSRF token,
//! the flash message; the `AuthUser` extractor; the page context every template gets. The
//! organization context `OrgCtx` lives in `tenancy`, the program context in `programs`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use uuid::Uuid;

use super::Flash;
use crate::error::AppError;

/// A user account: who signs in (`auth` owns the table; the request carries this).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub is_platform_admin: bool,
}

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
            unread: 0,
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

#[derive(Clone, Debug)]
pub struct NavItem {
    pub href: String,
    pub label: &'static str,
    pub key: &'static str,
}

impl NavItem {
    pub fn new(href: String, label: &'static str, key: &'static str) -> Self {
        NavItem { href, label, key }
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
    /// Unread notifications in this organization (the bell).
    pub unread: i64,
}

impl PageCtx {
    /// The URLs of the organization's pages, for templates: `{{ ctx.paths().person(p.id) }}`.
    pub fn paths(&self) -> crate::paths::Paths<'_> {
        crate::paths::Paths::of(&self.org_slug)
    }
}
