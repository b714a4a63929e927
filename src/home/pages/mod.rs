//! The pages that gather several domains: the organization's home page, the chooser.

pub mod chooser;
pub mod home;
