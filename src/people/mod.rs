//! Bases of mentors and mentees: people, consents (152-ФЗ) and the erasure on withdrawal, the map
//! of requests, import from class lists, the XLSX export. Enrolment lives in `participants`,
//! accounts in `accounts`. Other domains use the functions re-exported here.

pub mod erasure;
pub mod import;
pub mod model;
pub mod pages;
pub mod repo;
pub mod upload;

pub use repo::{
    ConsentInput, Guardian, Person, PersonInput, add_consent, add_request, classes,
    drop_stale_uploads, guardians, has_valid_consent, insert, link_account_if_free, link_user,
    own_ids, participation, person, valid_consent_sql,
};
