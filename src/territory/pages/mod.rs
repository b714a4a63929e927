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

use chrono::{DateTime, Utc};

use super::TerritoryCtx;
use super::repo::{self, Figures, School};
use crate::error::AppResult;
use crate::reports::model::{Period, Summary};

/// A school's stored line older than this is computed again when a page needs it (the school's
/// morning job keeps the school year's fresh).
pub const FRESH_HOURS: i64 = 26;

/// A school with its figures and indicators for the period.
pub struct Line {
    pub school: School,
    pub figures: Figures,
    pub indicators: Vec<Summary>,
    /// When these numbers were computed.
    pub computed_at: DateTime<Utc>,
}

impl Line {
    pub fn indicator(&self, code: &str) -> Option<&Summary> {
        self.indicators.iter().find(|i| i.code == code)
    }

    /// Roadmap progress in whole percent.
    pub fn roadmap(&self) -> i64 {
        crate::programs::percent(self.figures.tasks_done, self.figures.tasks_total)
    }
}

/// The schools of the territory (narrowed by municipality and kind), with everything the tables
/// show: the stored lines, those missing or older than `FRESH_HOURS` computed now (in a few
/// grouped queries) and stored.
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
    let mut cached = repo::cached(&mut conn, &ids, (p.from, p.to)).await?;
    let now = Utc::now();
    let stale: Vec<Uuid> = ids
        .iter()
        .filter(|o| {
            cached
                .get(o)
                .is_none_or(|(at, _)| *at < now - chrono::Duration::hours(FRESH_HOURS))
        })
        .copied()
        .collect();
    if !stale.is_empty() {
        for (o, line) in repo::refresh(&mut conn, &stale, p, now.date_naive()).await? {
            cached.insert(o, (now, line));
        }
    }
    Ok(schools
        .into_iter()
        .map(|s| {
            let (computed_at, line) = cached.remove(&s.id).unwrap_or_default();
            Line {
                figures: line.figures,
                indicators: line.indicators,
                computed_at,
                school: s,
            }
        })
        .collect())
}

/// «29.11.2026 07:00» — the oldest line's time, on the server's clock (UTC).
pub fn freshness(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|l| l.computed_at)
        .min()
        .map(|t| t.format("%d.%m.%Y %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// Computes every line of the territory for the period now (the «Пересчитать» button).
pub async fn recount(
    t: TerritoryCtx,
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
) -> AppResult<axum::response::Response> {
    let p = crate::reports::period_of(&q, Utc::now().date_naive());
    let mut conn = t.conn().await?;
    let n = crate::territory::commands::recount(&mut conn, &t.scope, &p, Utc::now().date_naive())
        .await?;
    Ok(crate::web::redirect_with_flash(
        &t.paths()
            .schools_query(&format!("?from={}&to={}", p.from, p.to)),
        "success",
        &format!("Пересчитано школ: {n}."),
        t.ctx.secure_cookies,
    ))
}

/// «70,0 %» or «—».
pub fn pct(i: Option<&Summary>) -> String {
    i.and_then(|i| i.share())
        .map(|s| format!("{:.1} %", s * 100.0).replace('.', ","))
        .unwrap_or_else(|| "—".into())
}

/// A share as a typed cell (empty without a denominator).
pub fn share_cell(i: Option<&Summary>) -> crate::web::xlsx::Cell {
    i.and_then(|i| i.share())
        .map(crate::web::xlsx::Cell::Percent)
        .unwrap_or(crate::web::xlsx::Cell::Empty)
}
