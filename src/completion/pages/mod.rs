//! The completion pages: a pair's completion with its results and both final reports
//! (`complete`), the mentors' certificates and letters (`certificates`).

pub mod best;
pub mod cases;
pub mod certificates;
pub mod close;
pub mod complete;

/// The fields of the completion form (`complete`), as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CompleteFields {
    pub decision: String,
    pub early: String,
    pub early_reason: String,
    pub ended_on: String,
    pub goals_reached: String,
    pub links: String,
    pub mentor_report: String,
    pub ready: String,
    pub report: String,
    pub results: String,
}
