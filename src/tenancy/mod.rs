//! Tenancy: organizations, memberships and roles, the platform admin's pages, the members page
//! where a director or curator invites people, the organization's settings and home page.

pub mod handlers;
pub mod model;
pub mod repo;
pub mod views;
