//! The pages that gather several domains: the organization's home page, the chooser.

pub mod audit;
pub mod chooser;
pub mod home;
pub mod org;
pub mod people;
