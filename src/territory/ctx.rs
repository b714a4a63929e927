//! `TerritoryCtx`: the user and the territory from the `/t/{scope}` path segment — a region or a
//! municipality the user is a specialist of (a region's specialist also opens its
//! municipalities); anything else answers 404. It builds the territory pages' navigation.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::repo::{self, Scope};
use crate::auth::model::User;
use crate::error::AppError;
use crate::web::AppState;
use crate::web::ctx::{AuthUser, NavItem, PageCtx, RequestCtx};
use crate::web::ids::path_param;

#[derive(Clone)]
pub struct TerritoryCtx {
    pub user: User,
    pub scope: Scope,
    pub ctx: RequestCtx,
    pub state: AppState,
}

impl FromRequestParts<AppState> for TerritoryCtx {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let auth = AuthUser::from_request_parts(parts, state).await?;
        let raw = path_param(parts, state, "scope").await?;
        let id = uuid::Uuid::parse_str(&raw).map_err(|_| AppError::NotFound)?;
        let mut conn = state.pool.acquire().await?;
        let scope = repo::scope_for_user(&mut conn, auth.user.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(TerritoryCtx {
            user: auth.user,
            scope,
            ctx: auth.ctx,
            state: state.clone(),
        })
    }
}

impl TerritoryCtx {
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>, sqlx::Error> {
        self.state.pool.acquire().await
    }

    /// The URLs of the territory's pages.
    pub fn paths(&self) -> crate::paths::TerritoryPaths {
        crate::paths::TerritoryPaths::of(self.scope.id)
    }

    pub fn page(&self, title: impl Into<String>, active: &'static str) -> PageCtx {
        let mut p = self.ctx.page(title);
        p.org_name = self.scope.label();
        p.roles_label = self.scope.role_label().into();
        p.nav = vec![
            NavItem::new(self.paths().schools(), "Школы", "schools"),
            NavItem::new(
                self.paths().monitoring(),
                "Мониторинговая таблица",
                "monitoring",
            ),
            NavItem::new(self.paths().cases(), "Кейсы", "cases"),
        ];
        p.active = active;
        p
    }
}
