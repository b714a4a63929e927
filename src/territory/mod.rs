//! Municipalities and regions: a specialist of a territory (`territory_members`) sees every
//! school of it — the indicators against their targets with totals and the share of schools
//! meeting each, roadmap progress, pairs, the regional monitoring table, a school's aggregate
//! dashboard, the published cases — and XLSX of every table. **No personal data crosses the
//! school boundary**: these pages show counts, percentages, documents and published cases only;
//! any list of people stays inside the school.

pub mod ctx;
pub mod pages;
pub mod repo;

pub use ctx::TerritoryCtx;
pub use repo::{Scope, scopes_of_user};
