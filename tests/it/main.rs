//! Integration tests: the real router against real PostgreSQL (see `support`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod auth;
mod browser;
mod builders;
mod embedded;
mod pairing;
mod people;
mod programs;
mod questionnaires;
mod security;
mod support;
mod tenancy;
