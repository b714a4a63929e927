//! The task form: editing, adding (to a stage) and deleting a roadmap task, with the
//! concurrent-edit guard.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::*;
use crate::programs::roadmap::TaskSaved;
use crate::web::forms::{Refused, settle};
use crate::web::ids::{StageId, TaskId};

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TaskFormForm {
    pub due_on: String,
    pub responsible_role: String,
    pub responsible_user: String,
    pub status: String,
    pub title: String,
    pub version: String,
}

fn task_choices(
    form: &TaskForm,
    people: &[(Uuid, String)],
) -> (Vec<Choice>, Vec<Choice>, Vec<Choice>) {
    let roles = crate::web::forms::choices(&Responsible::table(), &form.responsible_role);
    let people = people
        .iter()
        .map(|(id, n)| Choice {
            value: id.to_string(),
            label: n.clone(),
            selected: form.responsible_user == id.to_string(),
        })
        .collect();
    let statuses = crate::web::forms::choices(&TaskStatus::table(), &form.status);
    (roles, people, statuses)
}

fn read_task_form(data: &TaskFormForm) -> TaskForm {
    TaskForm {
        title: trimmed(&data.title),
        due_on: trimmed(&data.due_on),
        responsible_role: data.responsible_role.clone(),
        responsible_user: data.responsible_user.clone(),
        status: data.status.clone(),
        version: crate::web::forms::int(&data.version),
    }
}

/// Where a task form lives and what it is about.
struct TaskTarget {
    heading: String,
    stage_title: String,
    code: String,
    period: String,
    action: String,
    /// Where «Удалить» posts (an existing task only).
    delete_action: String,
    cancel: String,
}

impl TaskTarget {
    fn edit(org: &OrgCtx, p: &ProgramRow, t: &TaskRow, stage: &repo::StageRow) -> Self {
        TaskTarget {
            heading: format!("Задача {}", t.code),
            stage_title: format!("{}. {}", stage.number, stage.title),
            code: t.code.clone(),
            period: t.period.clone(),
            action: org.paths().in_program(p.id).task_edit(t.id),
            delete_action: org.paths().in_program(p.id).task_delete(t.id),
            cancel: org.paths().task(p.id, t.id),
        }
    }

    fn new(org: &OrgCtx, p: &ProgramRow, stage: &repo::StageRow) -> Self {
        TaskTarget {
            heading: "Новая задача".into(),
            stage_title: format!("{}. {}", stage.number, stage.title),
            code: String::new(),
            period: String::new(),
            action: org.paths().in_program(p.id).task_new(stage.id),
            delete_action: String::new(),
            cancel: org.paths().roadmap(p.id),
        }
    }
}

fn task_page(
    org: &OrgCtx,
    target: TaskTarget,
    form: TaskForm,
    errors: FormErrors,
    people: &[(Uuid, String)],
    conflict: Option<String>,
) -> TaskFormPage {
    let (roles, people, statuses) = task_choices(&form, people);
    TaskFormPage {
        ctx: org.page(target.heading.clone(), "programs"),
        heading: target.heading,
        stage_title: target.stage_title,
        code: target.code,
        period: target.period,
        delete_action: target.delete_action,
        action: target.action,
        cancel: target.cancel,
        form,
        errors,
        roles,
        people,
        statuses,
        conflict,
    }
}

/// A task of the program with its stage and the people who can be responsible.
struct TaskScope {
    task: TaskRow,
    stage: repo::StageRow,
    people: Vec<(Uuid, String)>,
}

async fn task_scope(
    conn: &mut sqlx::PgConnection,
    org: &OrgCtx,
    p: &ProgramRow,
    raw_task: Uuid,
) -> AppResult<TaskScope> {
    let task_id = raw_task;
    let task = repo::task(&mut *conn, org.org.id, p.id, task_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let stage = repo::stage(&mut *conn, org.org.id, p.id, task.stage_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let people = crate::tenancy::member_names(&mut *conn, org.org.id).await?;
    Ok(TaskScope {
        task,
        stage,
        people,
    })
}

pub async fn edit_task_page(pc: ProgramCtx, TaskId(task_id): TaskId) -> AppResult<Response> {
    let ProgramCtx { org, program: p } = pc.editable()?;
    let mut conn = org.conn().await?;
    let TaskScope {
        task: t,
        stage,
        people,
    } = task_scope(&mut conn, &org, &p, task_id).await?;
    let form = TaskForm {
        title: t.title.clone(),
        due_on: t.due_on.to_string(),
        responsible_role: t.responsible_role.code().into(),
        responsible_user: t
            .responsible_user_id
            .map(|u| u.to_string())
            .unwrap_or_default(),
        status: t.status.code().into(),
        version: t.version,
    };
    let target = TaskTarget::edit(&org, &p, &t, &stage);
    Ok(task_page(&org, target, form, FormErrors::default(), &people, None).into_response())
}

pub async fn update_task(
    pc: ProgramCtx,
    TaskId(task_id): TaskId,
    crate::web::forms::Form(data): crate::web::forms::Form<TaskFormForm>,
) -> AppResult<Response> {
    let ProgramCtx { org, program: p } = pc.editable()?;
    let mut form = read_task_form(&data);
    let mut tx = org.begin().await?;
    let done =
        crate::programs::roadmap::update_task(&mut tx, &org.actor(), &p, task_id, &form).await;
    let (status, errors, saved) = match done {
        Ok(TaskSaved::Saved(code)) => {
            tx.commit().await?;
            return Ok(org.flash(
                &org.paths().task(p.id, task_id),
                &format!("Задача {code} сохранена."),
            ));
        }
        // A concurrent edit: nothing is overwritten; the user's input stays in the form, and
        // what is saved now is shown beside it.
        Ok(TaskSaved::Conflict(t)) => {
            let saved = format!(
                "«{}», срок {}, ответственный: {}, статус «{}»{}",
                t.title,
                ru_date(t.due_on),
                t.responsible_name
                    .clone()
                    .unwrap_or_else(|| t.responsible_role.label().to_string()),
                t.status.label(),
                t.updated_by_name
                    .as_ref()
                    .map(|n| format!(" (изменил(а) {n})"))
                    .unwrap_or_default()
            );
            form.version = t.version;
            (StatusCode::CONFLICT, FormErrors::default(), Some(saved))
        }
        Err(Refused::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
        Err(Refused::Failed(e)) => return Err(e),
    };
    drop(tx);
    let mut conn = org.conn().await?;
    let TaskScope {
        task: t,
        stage,
        people,
    } = task_scope(&mut conn, &org, &p, task_id).await?;
    let target = TaskTarget::edit(&org, &p, &t, &stage);
    let page = task_page(&org, target, form, errors, &people, saved);
    Ok((status, page).into_response())
}

async fn stage_of(
    conn: &mut sqlx::PgConnection,
    org: &OrgCtx,
    p: &ProgramRow,
    raw_stage: Uuid,
) -> AppResult<repo::StageRow> {
    let stage_id = raw_stage;
    repo::stage(conn, org.org.id, p.id, stage_id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn new_task_page(pc: ProgramCtx, StageId(stage_id): StageId) -> AppResult<Response> {
    let ProgramCtx { org, program: p } = pc.editable()?;
    let mut conn = org.conn().await?;
    let stage = stage_of(&mut conn, &org, &p, stage_id).await?;
    let people = crate::tenancy::member_names(&mut conn, org.org.id).await?;
    let form = TaskForm {
        due_on: org.org.today().max(p.starts_on).min(p.ends_on).to_string(),
        responsible_role: "curator".into(),
        status: "todo".into(),
        ..Default::default()
    };
    let target = TaskTarget::new(&org, &p, &stage);
    Ok(task_page(&org, target, form, FormErrors::default(), &people, None).into_response())
}

pub async fn create_task(
    pc: ProgramCtx,
    StageId(stage_id): StageId,
    crate::web::forms::Form(data): crate::web::forms::Form<TaskFormForm>,
) -> AppResult<Response> {
    let ProgramCtx { org, program: p } = pc.editable()?;
    let form = read_task_form(&data);
    let mut tx = org.begin().await?;
    let done = crate::programs::roadmap::add_task(&mut tx, &org.actor(), &p, stage_id, &form).await;
    settle(
        tx,
        done,
        |new_id| org.flash(&org.paths().task(p.id, new_id), "Задача добавлена."),
        |errors| async {
            let mut conn = org.conn().await?;
            let stage = stage_of(&mut conn, &org, &p, stage_id).await?;
            let people = crate::tenancy::member_names(&mut conn, org.org.id).await?;
            let target = TaskTarget::new(&org, &p, &stage);
            Ok(task_page(&org, target, form, errors, &people, None))
        },
    )
    .await
}

pub async fn delete_task(pc: ProgramCtx, TaskId(task_id): TaskId) -> AppResult<Response> {
    let ProgramCtx { org, program: p } = pc.editable()?;
    let mut conn = org.conn().await?;
    let (code, title) = crate::programs::roadmap::delete_task(&mut conn, &org.actor(), &p, task_id)
        .await
        .map_err(Refused::into_error)?;
    Ok(org.flash(
        &org.paths().roadmap(p.id),
        &format!("Задача {code} «{title}» удалена."),
    ))
}

pub use crate::programs::roadmap::TaskForm;

#[derive(Template, WebTemplate)]
#[template(path = "roadmap/task_form.html")]
pub struct TaskFormPage {
    pub ctx: PageCtx,
    pub heading: String,
    pub stage_title: String,
    pub code: String,
    pub period: String,
    pub action: String,
    pub delete_action: String,
    pub cancel: String,
    pub form: TaskForm,
    pub errors: FormErrors,
    pub roles: Vec<Choice>,
    pub people: Vec<Choice>,
    pub statuses: Vec<Choice>,
    /// Set on a concurrent edit: what is saved now.
    pub conflict: Option<String>,
}
