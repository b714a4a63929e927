//! Accounts and sessions: login, logout, one-time links, the organization chooser.

pub mod handlers;
pub mod model;
pub mod repo;
pub mod views;
