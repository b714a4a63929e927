//! `OrgCtx`: the user, the organization from the `/o/{slug}` path segment (checked against the
//! user's memberships) and the user's roles there; another organization's pages answer 404. It
//! also builds the page context (the navigation by role) every organization page gets.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;
use uuid::Uuid;

use super::model::Organization;
use crate::auth::model::{Role, User};
use crate::error::AppError;
use crate::web::AppState;
use crate::web::ctx::{AuthUser, NavItem, PageCtx, RequestCtx};
use crate::web::ids::path_param;

/// The user, the organization (from the `{slug}` path segment, checked against the user's
/// memberships), the user's roles there and the application's state (pool, config, work limits),
/// so a handler needs no other argument to reach them. Another organization's pages answer 404.
#[derive(Clone)]
pub struct OrgCtx {
    pub user: User,
    pub org: Organization,
    pub roles: Vec<Role>,
    pub ctx: RequestCtx,
    pub state: AppState,
    /// The user's unread notifications here (the bell on every page).
    pub unread: i64,
    /// The user's people here (the records of the bases bound to their account): none for a
    /// curator or director who takes no part in a program, whose pages then skip what only a
    /// participant has (pairs, meetings, questionnaires to fill).
    pub person_ids: Vec<Uuid>,
    /// The organization's data version, the key of what its pages keep in process
    /// ([`crate::db::cache`]).
    pub data_version: i64,
}

impl FromRequestParts<AppState> for OrgCtx {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let auth = AuthUser::from_request_parts(parts, state).await?;
        let slug = path_param(parts, state, "slug").await?;
        // Read with the session by the session layer, unless the path's slug needed decoding.
        let seat = match parts.extensions.remove::<super::repo::Seat>() {
            Some(seat) if seat.org.slug == slug => seat,
            _ => {
                let mut conn = state.pool.acquire().await?;
                super::repo::seat(&mut conn, &slug, auth.user.id)
                    .await?
                    .ok_or(AppError::NotFound)?
            }
        };
        Ok(OrgCtx {
            user: auth.user,
            org: seat.org,
            roles: Role::parse_all(&seat.roles),
            ctx: auth.ctx,
            state: state.clone(),
            unread: seat.unread,
            person_ids: seat.person_ids,
            data_version: seat.data_version,
        })
    }
}

impl OrgCtx {
    /// A connection from the pool.
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>, sqlx::Error> {
        self.state.pool.acquire().await
    }

    /// A connection for read-only report queries (the replica when there is one).
    pub async fn read_conn(
        &self,
    ) -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>, sqlx::Error> {
        self.state.read_conn().await
    }

    /// A transaction.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.state.pool.begin().await
    }

    /// Whether the user is a person of this organization's bases (see `person_ids`).
    pub fn is_participant(&self) -> bool {
        !self.person_ids.is_empty()
    }

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

    /// 404 unless the user is a curator or the director (to anyone else the page does not exist).
    pub fn require_staff(&self) -> Result<(), AppError> {
        if self.is_staff() {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// The user acting in this organization, as domain commands take it.
    pub fn actor(&self) -> super::Actor<'_> {
        super::Actor::new(&self.org, self.user.id, &self.state.config.public_url)
            .from_ip(&self.ctx.ip)
            .named(&self.user.full_name)
    }

    /// The URLs of this organization's pages.
    pub fn paths(&self) -> crate::paths::Paths<'_> {
        crate::paths::Paths::of(&self.org.slug)
    }

    pub fn page(&self, title: impl Into<String>, active: &'static str) -> PageCtx {
        let p = self.paths();
        let mut nav = vec![
            NavItem::new(p.home(), "Главная", "home"),
            NavItem::new(p.programs(), "Программы", "programs"),
        ];
        if self.is_staff() {
            nav.extend([
                NavItem::new(p.dashboard(), "Показатели", "reports"),
                NavItem::new(p.people_base("mentor"), "База наставников", "people"),
                NavItem::new(
                    p.people_base("mentee"),
                    "База наставляемых",
                    "people-mentee",
                ),
                NavItem::new(p.questionnaires(), "Анкеты", "questionnaires"),
                NavItem::new(p.members(), "Пользователи", "members"),
                NavItem::new(p.audit(), "Журнал", "audit"),
                NavItem::new(p.settings(), "Организация", "settings"),
            ]);
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
            unread: self.unread,
        }
    }

    pub fn flash(&self, to: &str, message: &str) -> Response {
        crate::web::redirect_with_flash(to, "success", message, self.ctx.secure_cookies)
    }

    pub fn flash_error(&self, to: &str, message: &str) -> Response {
        crate::web::redirect_with_flash(to, "error", message, self.ctx.secure_cookies)
    }

    /// A command's answer as a page that goes back gives it: done → `back` with the message
    /// `said(value)`; refused → `back` with the first problem; failed → the error.
    pub fn told<T>(
        &self,
        answer: Result<T, crate::web::forms::Refused>,
        back: &str,
        said: impl FnOnce(T) -> String,
    ) -> crate::error::AppResult<Response> {
        use crate::web::forms::Refused;
        match answer {
            Ok(v) => Ok(self.flash(back, &said(v))),
            Err(Refused::Invalid(e)) => Ok(self.flash_error(back, &e.first())),
            Err(Refused::Failed(e)) => Err(e),
        }
    }

    /// [`OrgCtx::told`] for a command run in `tx`: the transaction is committed when the command
    /// is done, and rolled back when it is refused or failed.
    pub async fn settled<T>(
        &self,
        tx: sqlx::Transaction<'_, sqlx::Postgres>,
        answer: Result<T, crate::web::forms::Refused>,
        back: &str,
        said: impl FnOnce(T) -> String,
    ) -> crate::error::AppResult<Response> {
        if answer.is_ok() {
            tx.commit().await?;
        }
        self.told(answer, back, said)
    }
}

impl crate::audit::Who for OrgCtx {
    fn who(&self) -> (Uuid, Uuid, &str) {
        (self.org.id, self.user.id, &self.ctx.ip)
    }
}
