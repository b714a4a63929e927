//! The monitoring pages: a program's parameters with the templates per form (`parameters`), the
//! table that enters one measurement for a role and a class (`entry`), the influence report with
//! its charts (`report`). Curators and directors only (404 for anyone else); curators edit.

pub mod answers;
pub mod entry;
pub mod import;
pub mod parameters;
pub mod person;
pub mod quality;
pub mod report;

/// «входной» / «итоговый».
pub fn stage_label(stage: &str) -> &'static str {
    if stage == "final" {
        "итоговый"
    } else {
        "входной"
    }
}

/// The stage of a measurement from the path: `entry` or `final`, else 404.
pub(super) fn stage_of(raw: &str) -> crate::error::AppResult<&'static str> {
    match raw {
        "entry" => Ok("entry"),
        "final" => Ok("final"),
        _ => Err(crate::error::AppError::NotFound),
    }
}

pub use crate::monitoring::commands::parse_value;

/// A value as typed back into a cell: «4,5», «12».
pub fn plain(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0')
        .trim_end_matches('.')
        .replace('.', ",")
}
