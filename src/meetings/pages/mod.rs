//! The meetings pages: a pair's journal with the form that logs a meeting.

pub mod pair;
