//! The curator's matching page for a program: builds profiles from the program's questionnaire
//! answers and the bases, runs the pure `matching` module and shows the proposal with
//! explanations, the unpaired mentees with reasons and each mentee's best alternatives.
//! (Accepting proposals and the consent of both sides come next.)

pub mod handlers;
pub mod repo;

use axum::Router;
use axum::routing::get;

use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/o/{slug}/programs/{id}/matching", get(handlers::proposal))
}
