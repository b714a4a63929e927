//! The per-role home page of an organization. It gathers from every other domain through their
//! APIs, so that no other domain depends on all the rest.

pub mod pages;
