//! The audit page.

pub mod log;
