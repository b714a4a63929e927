//! Matching and pairs of a program: the curator's proposal built from questionnaire answers
//! (the pure `matching` module does the scoring and the assignment), Mentor Match from the wishes
//! after a group meeting, the weights and rules, pairs by hand («предложение куратора»), and the
//! consent of every member before a pair becomes «согласована».

pub mod handlers;
pub mod model;
pub mod repo;
pub mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/o/{slug}/programs/{id}/matching", get(handlers::proposal))
        .route(
            "/o/{slug}/programs/{id}/matching/accept",
            post(handlers::accept),
        )
        .route(
            "/o/{slug}/programs/{id}/matching/forbid",
            post(handlers::forbid),
        )
        .route(
            "/o/{slug}/programs/{id}/matching/settings",
            get(handlers::settings).post(handlers::save_settings),
        )
        .route(
            "/o/{slug}/programs/{id}/mentor-match",
            get(handlers::mentor_match),
        )
        .route(
            "/o/{slug}/programs/{id}/pairs",
            get(handlers::pairs).post(handlers::create_by_hand),
        )
        .route(
            "/o/{slug}/programs/{id}/pairs/{pair}/paper",
            post(handlers::paper),
        )
        .route(
            "/o/{slug}/programs/{id}/pairs/{pair}/cancel",
            post(handlers::cancel),
        )
        .route(
            "/o/{slug}/my/pairs/{pair}",
            get(handlers::mine).post(handlers::answer_mine),
        )
}
