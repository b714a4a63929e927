//! Municipalities and regions: a specialist of a territory (`territory_members`) sees every
//! school of it — the indicators against their targets with totals and the share of schools
//! meeting each, roadmap progress, pairs, the regional monitoring table, a school's aggregate
//! dashboard, the published cases — and XLSX of every table. **No personal data crosses the
//! school boundary**: these pages show counts, percentages, documents and published cases only;
//! any list of people stays inside the school.

pub mod commands;
pub mod ctx;
pub mod forget;
pub mod pages;
pub mod repo;

pub use ctx::TerritoryCtx;
pub use repo::{Scope, scopes_of_user};

/// The morning job's part: the school's line for the school year, fresh for its territory.
pub async fn refresh_school_year(
    conn: &mut sqlx::PgConnection,
    org_id: uuid::Uuid,
    today: chrono::NaiveDate,
) -> Result<(), sqlx::Error> {
    let p = crate::reports::model::Period::school_year(today);
    repo::refresh(conn, &[org_id], &p, today).await?;
    Ok(())
}
