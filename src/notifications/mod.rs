//! In-app notifications: what a person is told (a questionnaire given, a pair proposed or agreed,
//! a refusal), listed on their home page until opened. Other domains call [`notify`].

pub mod pages;
pub mod repo;

pub use repo::{notifications, notify};
