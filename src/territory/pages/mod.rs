//! The territory pages, one file each: the schools with their indicators and totals
//! (`schools`), one school's aggregate dashboard (`school`), the regional monitoring table
//! (`monitoring`), the published cases (`cases`); the administrator's regions, municipalities and
//! specialists (`admin`). Below: the per-school line both tables are
//! built from — counts and shares only.

pub mod admin;
pub mod cases;
pub mod monitoring;
pub mod school;
pub mod schools;

use std::collections::HashMap;

use uuid::Uuid;

use super::TerritoryCtx;
use super::repo::{self, Figures, School};
use crate::error::AppResult;
use crate::reports::model::{Indicator, Period};

/// A school with its figures and indicators for the period.
pub struct Line {
    pub school: School,
    pub figures: Figures,
    pub indicators: Vec<Indicator>,
}

impl Line {
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }

    /// Roadmap progress in whole percent.
    pub fn roadmap(&self) -> i64 {
        crate::programs::percent(self.figures.tasks_done, self.figures.tasks_total)
    }
}

/// The schools of the territory (narrowed by municipality and kind), with everything the tables
/// show, computed in a few grouped queries.
pub async fn lines(
    t: &TerritoryCtx,
    p: &Period,
    q: &HashMap<String, String>,
) -> AppResult<Vec<Line>> {
    let mut conn = t.conn().await?;
    let municipality = q.get("municipality").and_then(|m| Uuid::parse_str(m).ok());
    let kind = q.get("kind").filter(|k| !k.is_empty()).cloned();
    let schools: Vec<School> = repo::schools(&mut conn, &t.scope)
        .await?
        .into_iter()
        .filter(|s| municipality.is_none_or(|m| s.municipality_id == m))
        .filter(|s| kind.as_ref().is_none_or(|k| &s.kind == k))
        .collect();
    let ids: Vec<Uuid> = schools.iter().map(|s| s.id).collect();
    let today = chrono::Utc::now().date_naive();
    let mut figures = repo::figures(&mut conn, &ids, (p.from, p.to), today).await?;
    let mut indicators = crate::reports::indicators_of_orgs(&mut conn, &ids, p).await?;
    Ok(schools
        .into_iter()
        .map(|s| Line {
            figures: figures.remove(&s.id).unwrap_or_default(),
            indicators: indicators.remove(&s.id).unwrap_or_default(),
            school: s,
        })
        .collect())
}

/// «70,0 %» or «—».
pub fn pct(i: Option<&Indicator>) -> String {
    i.and_then(|i| i.share())
        .map(|s| format!("{:.1} %", s * 100.0).replace('.', ","))
        .unwrap_or_else(|| "—".into())
}
