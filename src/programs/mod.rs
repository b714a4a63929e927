//! Programs and their roadmap (дорожная карта): the first domain.

pub mod handlers;
pub mod model;
pub mod repo;
pub mod views;
