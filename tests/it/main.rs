//! Integration tests: the real router against real PostgreSQL (see `support`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod activities;
mod auth;
mod browser;
mod builders;
mod completion;
mod embedded;
mod mail;
mod meetings;
mod monitoring;
mod notifications;
mod orders;
mod pair_health;
mod pairing;
mod participants;
mod people;
mod plans;
mod programs;
mod questionnaires;
mod recruitment;
mod roadmap;
mod security;
mod smtp;
mod support;
mod tenancy;
