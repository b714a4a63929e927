//! The mentee's individual development plan (индивидуальный план развития наставляемого) — the
//! self-analysis and joint analysis, the priority sphere, goals by horizon and sphere with their
//! steps, status and progress along the stages of the interaction, every change kept as history —
//! and the progress diary (дневник прогресса). Mentor and mentee edit the plan, the curator and
//! the director read it; the diary is the pair's and the curator's only. Other domains use the
//! functions re-exported here.

pub mod analysis;
pub mod diary;
pub mod forget;
pub mod goals;
pub mod model;
pub mod pages;
pub mod repo;

pub use analysis::{AnalysisForm, save_analysis};
pub use diary::{DiaryForm, write_entry};
pub use goals::{GoalFields, add_goal, update_goal};
pub use model::GoalStatus;
pub use model::progress as plan_progress;
pub use repo::{PlanProgress, progress_of_pairs};
