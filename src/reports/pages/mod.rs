//! The report pages: the director's dashboard (`dashboard`), the people behind an indicator
//! (`indicator`), the indicators and counts as XLSX (`export`), the detailed reports with their
//! filters, XLSX and «Выгрузить всё» (`tables`). Curators and directors only
//! (404 for anyone else).

pub mod dashboard;
pub mod export;
pub mod indicator;
pub mod tables;

use crate::reports::model::{Indicator, Period};

/// «01.09.2026 – 31.08.2027» or «на 29.11.2026».
pub fn period_label(p: &Period) -> String {
    p.label()
}

/// The period as a query string for links (`?from=…&to=…` or `?when=now`).
pub fn period_query(p: &Period, now: bool) -> String {
    if now {
        "?when=now".into()
    } else {
        format!("?from={}&to={}", p.from, p.to)
    }
}

/// «70,0 %» (or «—» with no denominator).
pub fn share_label(i: &Indicator) -> String {
    i.share()
        .map(|s| format!("{:.1} %", s * 100.0).replace('.', ","))
        .unwrap_or_else(|| "—".into())
}

/// What the units of an indicator are: people or enterprises.
pub fn unit_label(i: &Indicator) -> &'static str {
    if i.code == "partners" {
        "предприятий"
    } else {
        "человек"
    }
}
