//! «Дорожная карта»: the program's stages and tasks, a task's status changed in place (htmx) or
//! by a plain form.

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

use super::*;
use crate::programs::roadmap::StatusChange;
use crate::web::ids::TaskId;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RoadmapForm {
    pub status: String,
    pub version: String,
}

fn task_view(t: &TaskRow, now: NaiveDate) -> TaskView {
    let responsible = match &t.responsible_name {
        Some(n) => format!("{} ({})", n, t.responsible_role.label().to_lowercase()),
        None => t.responsible_role.label().to_string(),
    };
    TaskView {
        id: t.id.to_string(),
        code: t.code.clone(),
        title: t.title.clone(),
        period: t.period.clone(),
        due: ru_date(t.due_on),
        overdue: t.status != TaskStatus::Done && t.due_on < now,
        status: t.status,
        responsible,
        version: t.version,
        updated: match &t.updated_by_name {
            Some(n) => format!("изменил(а) {n}"),
            None => String::new(),
        },
        note: String::new(),
    }
}

pub async fn roadmap(pc: ProgramCtx) -> AppResult<RoadmapPage> {
    let ProgramCtx { org, program: p } = pc.viewable().await?;
    let mut conn = org.conn().await?;
    let stages = repo::stages(&mut conn, org.org.id, p.id).await?;
    let tasks = repo::tasks(&mut conn, org.org.id, p.id).await?;
    let now = org.org.today();
    let stages = stages
        .into_iter()
        .map(|s| {
            let (done, total, _) = stage_counts(&tasks, s.id, now);
            StageView {
                id: s.id.to_string(),
                number: s.number,
                title: s.title,
                task_text: s.task_text,
                result_text: s.result_text,
                done,
                total,
                percent: percent(done, total),
                tasks: tasks
                    .iter()
                    .filter(|t| t.stage_id == s.id)
                    .map(|t| task_view(t, now))
                    .collect(),
            }
        })
        .collect();
    Ok(RoadmapPage {
        ctx: org.page(format!("Дорожная карта — {}", p.name), "programs"),
        prog: org.paths().in_program(p.id),
        program_name: p.name,
        stages,
        percent: percent(p.tasks_done, p.tasks_total),
        done: p.tasks_done,
        total: p.tasks_total,
        overdue: p.tasks_overdue,
        can_edit: org.has(Role::Curator),
        csrf: org.ctx.csrf.clone(),
        statuses: crate::web::forms::coded(&TaskStatus::table()),
        announce: String::new(),
    })
}

fn is_htmx(headers: &HeaderMap) -> bool {
    headers.get("hx-request").is_some()
}

pub async fn set_status(
    pc: ProgramCtx,
    headers: HeaderMap,
    TaskId(task_id): TaskId,
    crate::web::forms::Form(data): crate::web::forms::Form<RoadmapForm>,
) -> AppResult<Response> {
    let ProgramCtx { org, program: p } = pc.editable()?;
    let mut conn = org.conn().await?;
    let change = crate::programs::roadmap::change_status(
        &mut conn,
        &org.actor(),
        &p,
        task_id,
        crate::web::forms::int(&data.version),
        &data.status,
    )
    .await?;
    if is_htmx(&headers) {
        let fresh = repo::task(&mut conn, org.org.id, p.id, task_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut view = task_view(&fresh, org.org.today());
        if let StatusChange::Stale { current, .. } = &change {
            view.note = format!(
                "Задачу уже изменил другой пользователь: сейчас статус «{}». Ваш выбор не сохранён — выберите снова, если нужно.",
                TaskStatus::label_of(current)
            );
        }
        return Ok(TaskPartial {
            announce: format!("Задача {}: {}", view.code, view.status.label()),
            task: view,
            prog: org.paths().in_program(p.id),
            can_edit: true,
            csrf: org.ctx.csrf.clone(),
            statuses: crate::web::forms::coded(&TaskStatus::table()),
        }
        .into_response());
    }
    let at = org.paths().task(p.id, task_id);
    Ok(match change {
        StatusChange::Saved { code } => {
            org.flash(&at, &format!("Статус задачи {code} изменён."))
        }
        StatusChange::Stale { code, current } => org.flash_error(
            &at,
            &format!(
                "Задачу {code} уже изменил другой пользователь (сейчас «{}»). Проверьте и выберите статус снова.",
                TaskStatus::label_of(&current)
            ),
        ),
    })
}

#[derive(Clone)]
pub struct TaskView {
    pub id: String,
    pub code: String,
    pub title: String,
    pub period: String,
    pub due: String,
    pub overdue: bool,
    pub status: TaskStatus,
    pub responsible: String,
    pub version: i32,
    pub updated: String,
    pub note: String,
}

pub struct StageView {
    pub id: String,
    pub number: i32,
    pub title: String,
    pub task_text: String,
    pub result_text: String,
    pub done: i64,
    pub total: i64,
    pub percent: i64,
    pub tasks: Vec<TaskView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "roadmap/roadmap.html")]
pub struct RoadmapPage {
    pub ctx: PageCtx,
    pub prog: crate::paths::ProgramPaths,
    pub program_name: String,
    pub stages: Vec<StageView>,
    pub percent: i64,
    pub done: i64,
    pub total: i64,
    pub overdue: i64,
    pub can_edit: bool,
    pub csrf: String,
    pub statuses: Vec<crate::web::forms::Coded>,
    /// Empty on the page; the htmx answer fills the live region with what changed.
    pub announce: String,
}

/// One task row, swapped in place by htmx after a status change.
#[derive(Template, WebTemplate)]
#[template(path = "roadmap/_task.html")]
pub struct TaskPartial {
    pub task: TaskView,
    pub prog: crate::paths::ProgramPaths,
    pub can_edit: bool,
    pub csrf: String,
    pub statuses: Vec<crate::web::forms::Coded>,
    /// Said by screen readers after the swap (an out-of-band update of the live region).
    pub announce: String,
}
