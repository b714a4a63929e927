//! Accounts and sessions: login, logout, one-time links, the organization chooser.

pub mod handlers;
pub mod model;
pub mod repo;
pub mod views;

use axum::Router;
use axum::routing::get;

use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(handlers::root))
        .route("/login", get(handlers::login_page).post(handlers::login))
        .route("/logout", axum::routing::post(handlers::logout))
        .route("/orgs", get(handlers::chooser))
        .route(
            "/invitations/{id}/accept",
            axum::routing::post(handlers::accept_membership),
        )
        .route(
            "/invitations/{id}/decline",
            axum::routing::post(handlers::decline_membership),
        )
        .route(
            "/invite/{token}",
            get(handlers::invite_page).post(handlers::accept_invite),
        )
}
