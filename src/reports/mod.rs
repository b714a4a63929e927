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
pub use repo::{meetings_by_month, pairs_by_status};

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

/// The indicators of several organizations for a period (territory roll-ups): organization →
/// indicators, each computed from that organization's own people and pairs.
pub async fn indicators_of_orgs(
    conn: &mut PgConnection,
    orgs: &[Uuid],
    p: &Period,
) -> Result<std::collections::HashMap<Uuid, Vec<Indicator>>, sqlx::Error> {
    use std::collections::HashMap;
    let mut people: HashMap<Uuid, Vec<model::PersonFact>> = HashMap::new();
    for (org, x) in repo::people_of_orgs(&mut *conn, orgs).await? {
        people.entry(org).or_default().push(x);
    }
    let mut ms: HashMap<Uuid, Vec<Membership>> = HashMap::new();
    for (org, m) in repo::memberships_of_orgs(&mut *conn, orgs).await? {
        ms.entry(org).or_default().push(m);
    }
    Ok(orgs
        .iter()
        .map(|o| {
            let none = Vec::new();
            (
                *o,
                model::indicators(
                    people.get(o).unwrap_or(&none),
                    ms.get(o).map(Vec::as_slice).unwrap_or(&[]),
                    p,
                ),
            )
        })
        .collect())
}
