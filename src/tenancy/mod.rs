//! Tenancy: organizations, memberships and roles, the platform admin's pages, the members page
//! where a director or curator invites people, the organization's settings and home page.

pub mod handlers;
pub mod model;
pub mod repo;
pub mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(handlers::admin_orgs))
        .route(
            "/admin/orgs/new",
            get(handlers::admin_new_org).post(handlers::admin_create_org),
        )
        .route("/admin/orgs/{id}", get(handlers::admin_org))
        .route("/o/{slug}", get(handlers::home))
        .route(
            "/o/{slug}/members",
            get(handlers::members).post(handlers::add_member),
        )
        .route(
            "/o/{slug}/members/pending/{id}/revoke",
            post(handlers::revoke_pending),
        )
        .route(
            "/o/{slug}/members/{user}/invite",
            post(handlers::reissue_invite),
        )
        .route(
            "/o/{slug}/members/{user}/roles",
            post(handlers::set_member_roles),
        )
        .route(
            "/o/{slug}/settings",
            get(handlers::settings).post(handlers::save_settings),
        )
}
