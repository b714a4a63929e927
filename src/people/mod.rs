//! Bases of mentors and mentees: people, consents (152-ФЗ), the map of requests, import from
//! class lists, the XLSX export, enrolment in programs, mentor training, participant accounts.

pub mod enrol;
pub mod files;
pub mod handlers;
pub mod import;
pub mod model;
pub mod repo;
pub mod views;

pub use repo::{has_valid_consent, link_account_if_free, valid_consent_sql};
