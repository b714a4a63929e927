//! The pages that gather several domains, above them all: the per-role home page of an
//! organization and the organization chooser. They read every other domain through its API, so
//! that no domain depends on the rest.

pub mod erasure;
pub mod pages;
