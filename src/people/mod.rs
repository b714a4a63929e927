//! Bases of mentors and mentees: people, consents (152-ФЗ) and the erasure on withdrawal, the map
//! of requests, import from class lists, the XLSX export. Enrolment lives in `participants`,
//! accounts in `accounts`. Other domains use the functions re-exported here.

pub mod cards;
pub mod commands;
pub mod forget;
pub mod import;
pub mod lists;
pub mod model;
pub mod pages;
pub mod repo;
pub mod upload;
pub mod view;

pub use model::Side;

pub use cards::{
    Card, cards, hold_consented, mail_addresses, named_by_surname, persons_of_user,
    with_accounts_in_class, with_valid_consent,
};
pub use repo::{
    Consent, ConsentInput, ExportPerson, Filter, Guardian, ListRow, PAGE_SIZE, Person, PersonInput,
    add_consent, add_request, add_to_base, classes, consents, count, drop_stale_uploads,
    export_people, guardians, has_valid_consent, insert, link_account_if_free, link_user,
    linked_person, list, own_ids, participation, person, requests, valid_consent_sql,
    withdraw_consent,
};
