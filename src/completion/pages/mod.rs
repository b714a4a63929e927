//! The completion pages: a pair's completion with its results and both final reports
//! (`complete`), the mentors' certificates and letters (`certificates`).

pub mod best;
pub mod cases;
pub mod certificates;
pub mod close;
pub mod complete;
