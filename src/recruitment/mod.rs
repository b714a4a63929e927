//! Recruitment (stages 1–2 of the roadmap, seed `003_…`): each program's application links for
//! mentors and for mentees, printable as an A4 poster with a QR code (`qrcode`, SVG); the
//! applications they bring — in one step for someone with an account, or name, class or position
//! and a contact for someone without (throttled per contact and per address, never creating an
//! account); the curator accepts one into the base and the program (the consent is then recorded
//! as for anyone) or declines it with a reason.

pub mod commands;
pub mod forget;
pub mod model;
pub mod pages;
pub mod repo;

pub use commands::{Applicant, ApplyForm, Decided, Decision, Link, applicant, apply, decide, link};
