//! Reports for the director (and, later, the territory): the target model's indicators for a
//! period against their targets, each with its numerator, denominator and the people behind it;
//! the director's dashboard (indicators, programs, pairs, meetings by month, satisfaction and
//! rating, best mentors and cases); the same tables as XLSX.

pub mod model;
pub mod pages;
pub mod repo;
pub mod tables;

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

use model::{Indicator, Membership, Period};

/// The period a report asks for: `from`/`to` (ISO dates) or `when=now`; the school year
/// containing today by default. A reversed or unreadable range falls back to the default.
pub fn period_of(q: &std::collections::HashMap<String, String>, today: NaiveDate) -> Period {
    if q.get("when").map(String::as_str) == Some("now") {
        return Period::now(today);
    }
    let date = |k: &str| {
        q.get(k)
            .and_then(|v| NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok())
    };
    match (date("from"), date("to")) {
        (Some(from), Some(to)) if from <= to => Period { from, to },
        _ => Period::school_year(today),
    }
}

/// The indicators of an organization for a period, with the memberships they came from.
pub async fn indicators(
    conn: &mut PgConnection,
    org_id: Uuid,
    p: &Period,
) -> Result<(Vec<Indicator>, Vec<Membership>), sqlx::Error> {
    let people = repo::people(&mut *conn, org_id).await?;
    let ms = repo::memberships(&mut *conn, org_id).await?;
    Ok((model::indicators(&people, &ms, p), ms))
}
