//! Questionnaires (анкеты): builder with versions, built-in templates, assigning, filling on a
//! phone with drafts, results with server-rendered SVG charts and XLSX.

pub mod handlers;
pub mod model;
pub mod repo;
pub mod templates;
pub mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::web::AppState;

pub fn router() -> Router<AppState> {
    use handlers as h;
    Router::new()
        .route("/o/{slug}/questionnaires", get(h::list).post(h::create))
        .route("/o/{slug}/questionnaires/{id}", get(h::show))
        .route("/o/{slug}/questionnaires/{id}/rename", post(h::rename))
        .route("/o/{slug}/questionnaires/{id}/copy", post(h::copy))
        .route(
            "/o/{slug}/questionnaires/{id}/questions",
            post(h::save_question),
        )
        .route(
            "/o/{slug}/questionnaires/{id}/questions/{key}",
            get(h::edit_question).post(h::question_action),
        )
        .route("/o/{slug}/questionnaires/{id}/assign", post(h::assign))
        .route("/o/{slug}/assignments/{id}", get(h::results))
        .route("/o/{slug}/assignments/{id}/export.xlsx", get(h::export))
        .route("/o/{slug}/assignments/{id}/remind", post(h::remind))
        .route(
            "/o/{slug}/assignments/{id}/answers/{person}",
            get(h::answers),
        )
        .route(
            "/o/{slug}/assignments/{id}/fill/{person}",
            get(h::fill_for).post(h::submit_for),
        )
        .route(
            "/o/{slug}/assignments/{id}/fill/{person}/draft",
            post(h::draft_for),
        )
        .route(
            "/o/{slug}/my/forms/{id}",
            get(h::fill_mine).post(h::submit_mine),
        )
        .route("/o/{slug}/my/forms/{id}/draft", post(h::draft_mine))
        .route("/o/{slug}/notifications/{id}", get(h::open_notification))
}
