//! Notifications: what a person is told (a questionnaire given, a pair proposed or agreed, a
//! refusal, a reminder) — in the app (listed until opened) and by e-mail through the outbox
//! (`mail`, `outbox`). Other domains call [`notify`] and [`mail::queue`].

pub mod mail;
pub mod outbox;
pub mod pages;
pub mod repo;

pub use repo::{notifications, notify, unread};
