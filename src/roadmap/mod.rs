//! The roadmap (дорожная карта) of a program: seven stages and their tasks, copied from the
//! template when a program is created, edited by the curator, with statuses, dates and
//! responsible people. Other domains use the functions re-exported here.

pub mod model;
pub mod pages;
pub mod repo;

pub use model::{ROADMAP, role_label, task_status_label};
pub use repo::{
    Overdue, StageRow, TaskRow, create_roadmap, overdue, set_task_status, stages, tasks,
};

/// (done, total, overdue) tasks of one stage on `today`.
pub fn stage_counts(
    tasks: &[TaskRow],
    stage_id: uuid::Uuid,
    today: chrono::NaiveDate,
) -> (i64, i64, i64) {
    let mut done = 0;
    let mut total = 0;
    let mut overdue = 0;
    for t in tasks.iter().filter(|t| t.stage_id == stage_id) {
        total += 1;
        if t.status == "done" {
            done += 1;
        } else if t.due_on < today {
            overdue += 1;
        }
    }
    (done, total, overdue)
}
