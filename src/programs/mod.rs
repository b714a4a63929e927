//! Programs and their roadmap (дорожная карта): the first domain.

pub mod handlers;
pub mod model;
pub mod repo;
pub mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/o/{slug}/programs", get(handlers::list))
        .route(
            "/o/{slug}/programs/new",
            get(handlers::new_page).post(handlers::create),
        )
        .route("/o/{slug}/programs/{id}", get(handlers::show))
        .route(
            "/o/{slug}/programs/{id}/edit",
            get(handlers::edit_page).post(handlers::update),
        )
        .route("/o/{slug}/programs/{id}/roadmap", get(handlers::roadmap))
        .route(
            "/o/{slug}/programs/{id}/roadmap/tasks/{task}/status",
            post(handlers::set_status),
        )
        .route(
            "/o/{slug}/programs/{id}/roadmap/tasks/{task}/edit",
            get(handlers::edit_task_page).post(handlers::update_task),
        )
        .route(
            "/o/{slug}/programs/{id}/roadmap/tasks/{task}/delete",
            post(handlers::delete_task),
        )
        .route(
            "/o/{slug}/programs/{id}/roadmap/stages/{stage}/tasks/new",
            get(handlers::new_task_page).post(handlers::create_task),
        )
}
