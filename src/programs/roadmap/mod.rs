//! The roadmap (дорожная карта) of a program: seven stages and their tasks, copied from the
//! template when a program is created, edited by the curator, with statuses, dates and
//! responsible people. Other domains use the functions re-exported here.

pub mod commands;
pub mod model;
pub mod pages;
pub mod repo;

pub use commands::{
    StatusChange, TaskForm, TaskSaved, add_task, change_status, delete_task, update_task,
};
pub use model::{ROADMAP, Responsible, TaskStatus};
pub use repo::{
    Overdue, StageRow, TaskRow, create_roadmap, open_from, overdue, set_task_status, stages, tasks,
};

/// A task for the curator in the program's roadmap, in stage 6 («Организация работы
/// наставнических пар или групп», or the last stage there is): e.g. «рассмотреть пару» after a
/// «не подходим». None when the program has no roadmap.
pub async fn add_curator_task(
    conn: &mut sqlx::PgConnection,
    org_id: uuid::Uuid,
    program_id: uuid::Uuid,
    title: &str,
    due_on: chrono::NaiveDate,
    by: uuid::Uuid,
) -> Result<Option<uuid::Uuid>, sqlx::Error> {
    let all = repo::stages(&mut *conn, org_id, program_id).await?;
    let Some(stage) = all.iter().find(|s| s.number == 6).or_else(|| all.last()) else {
        return Ok(None);
    };
    let input = repo::TaskInput {
        title,
        due_on,
        responsible_role: Responsible::Curator,
        responsible_user_id: None,
        status: TaskStatus::Todo,
    };
    repo::add_task(conn, org_id, program_id, stage, by, &input)
        .await
        .map(Some)
}

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
        if t.status == TaskStatus::Done {
            done += 1;
        } else if t.due_on < today {
            overdue += 1;
        }
    }
    (done, total, overdue)
}
