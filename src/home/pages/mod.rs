//! The home page.

pub mod home;
