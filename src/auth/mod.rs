//! Accounts and sessions (the session layer that reads them is `tenancy::session`): users, passwords (argon2 under the server's hash limit), sessions,
//! one-time links and codes, login throttling; the pages for logging in, setting a password and
//! choosing an organization.

pub mod commands;
pub mod forget;
pub mod model;
pub mod pages;
pub mod repo;

pub use commands::hashing;
pub use pages::session_cookie;
pub use repo::{
    Account, CODE_DAYS_CHOICES, CODE_DAYS_DEFAULT, Invitation, account_state, accounts_by_name,
    active_accounts, code_logins_waiting, create_codes, create_invitation, find_or_create_user,
    full_names, has_password, links_valid_until, login_of, mark_code_login, platform_admins_among,
    reset_code_login, session_user, session_with, set_password, user_by_email, valid_invitation,
};
