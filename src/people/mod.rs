//! Bases of mentors and mentees: people, consents (152-ФЗ), the map of requests, import from
//! class lists, the XLSX export, enrolment in programs, mentor training, participant accounts.

pub mod enrol;
pub mod files;
pub mod handlers;
pub mod import;
pub mod model;
pub mod repo;
pub mod views;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::web::AppState;

pub use repo::{has_valid_consent, link_account_if_free, valid_consent_sql};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/o/{slug}/people", get(handlers::list))
        .route(
            "/o/{slug}/people/new",
            get(handlers::new_page).post(handlers::create),
        )
        .route("/o/{slug}/people/bulk", post(enrol::bulk))
        .route(
            "/o/{slug}/people/slips",
            get(enrol::slips_page).post(enrol::slips),
        )
        .route("/o/{slug}/people/export.xlsx", get(files::export))
        .route(
            "/o/{slug}/people/import",
            get(files::import_page)
                .post(files::upload)
                .layer(DefaultBodyLimit::max(import::MAX_BYTES + 256 * 1024)),
        )
        .route(
            "/o/{slug}/people/import/{id}",
            get(files::preview).post(files::confirm),
        )
        .route("/o/{slug}/people/{id}", get(handlers::card))
        .route(
            "/o/{slug}/people/{id}/edit",
            get(handlers::edit_page).post(handlers::update),
        )
        .route(
            "/o/{slug}/people/{id}/consents",
            post(handlers::add_consent),
        )
        .route(
            "/o/{slug}/people/{id}/consents/{consent}/withdraw",
            post(handlers::withdraw_consent),
        )
        .route(
            "/o/{slug}/people/{id}/requests",
            post(handlers::add_request),
        )
        .route("/o/{slug}/people/{id}/enrol", post(enrol::enrol_one))
        .route("/o/{slug}/people/{id}/account", post(enrol::account))
        .route(
            "/o/{slug}/programs/{id}/participants",
            get(enrol::participants),
        )
        .route(
            "/o/{slug}/programs/{id}/participants/status",
            post(enrol::set_status),
        )
        .route(
            "/o/{slug}/programs/{id}/participants/earlier",
            post(enrol::enrol_earlier),
        )
        .route(
            "/o/{slug}/programs/{id}/training",
            post(enrol::add_training),
        )
        .route(
            "/o/{slug}/programs/{id}/training/{session}",
            post(enrol::attendance),
        )
}
