//! One measurement entered as a table (`/programs/{program}/monitoring/{entry|final}?role=&class=`):
//! a row per participant of the role (one class at a time for marks and absences), a column per
//! parameter; each value checked against its scale; a person without a valid consent cannot be
//! measured (their row is closed and the server refuses). A mistake keeps the whole table.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{stage_label, stage_of};
use crate::auth::model::Role;
use crate::error::AppResult;
use crate::monitoring::measure::{Sheet, Unsaved};
use crate::monitoring::repo;
use crate::paths::ProgramPaths;
use crate::people::Side;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;
use crate::web::forms::Choice;
use uuid::Uuid;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct EntryForm {
    pub class: String,
    pub role: String,
}

pub struct Cell {
    pub name: String,
    pub value: String,
    pub error: bool,
    pub label: String,
}

pub struct Row {
    pub name: String,
    pub url: String,
    pub class_name: String,
    pub consent: bool,
    pub cells: Vec<Cell>,
}

#[derive(Template, WebTemplate)]
#[template(path = "monitoring/entry.html")]
pub struct EntryPage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub program_name: String,
    pub stage: &'static str,
    pub action: String,
    pub role: String,
    pub class: String,
    pub roles: Vec<Choice>,
    pub classes: Vec<Choice>,
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    pub can_edit: bool,
    pub errors: Vec<String>,
    pub csrf_query: String,
    /// Sendings of questionnaires tied to this group's parameters (fill from answers).
    pub sendings: Vec<Choice>,
    pub answers_action: String,
    pub import_action: String,
}

fn key(param: uuid::Uuid, person: uuid::Uuid) -> String {
    format!("v:{param}:{person}")
}

async fn page(
    pc: &ProgramCtx,
    stage: &str,
    (role, class): (Side, &str),
    typed: Option<&HashMap<String, String>>,
    errors: (Vec<String>, Vec<String>),
) -> AppResult<EntryPage> {
    let org = &pc.org;
    let mut conn = org.conn().await?;
    let params: Vec<repo::Parameter> = repo::parameters(&mut conn, org.org.id, pc.program.id)
        .await?
        .into_iter()
        .filter(|p| p.role == role)
        .collect();
    let people = repo::people(&mut conn, org.org.id, pc.program.id).await?;
    let values = repo::measurements(&mut conn, org.org.id, pc.program.id).await?;
    let sendings = super::answers::sending_choices(&mut conn, org.org.id, &params).await?;
    drop(conn);
    let mut classes: Vec<String> = people
        .iter()
        .filter(|p| p.role == role)
        .map(|p| p.class_name.clone())
        .collect();
    classes.sort();
    classes.dedup();
    let prog = org.paths().in_program(pc.program.id);
    let (messages, bad) = errors;
    Ok(EntryPage {
        ctx: org.page(
            format!("Замер {} — {}", stage_label(stage), pc.program.name),
            "programs",
        ),
        program_name: pc.program.name.clone(),
        stage: stage_label(stage),
        action: prog.monitoring_stage(stage),
        roles: crate::web::forms::choices(
            &[("mentee", "наставляемые"), ("mentor", "наставники")],
            role.code(),
        ),
        classes: std::iter::once(Choice {
            value: String::new(),
            label: "все".into(),
            selected: class.is_empty(),
        })
        .chain(classes.iter().map(|c| Choice {
            value: c.clone(),
            label: c.clone(),
            selected: c == class,
        }))
        .collect(),
        columns: params.iter().map(|p| p.title.clone()).collect(),
        rows: people
            .iter()
            .filter(|p| p.role == role && (class.is_empty() || p.class_name == class))
            .map(|p| Row {
                url: prog.monitoring_person(p.person_id),
                name: p.name.clone(),
                class_name: p.class_name.clone(),
                consent: p.consent,
                cells: params
                    .iter()
                    .map(|x| {
                        let name = key(x.id, p.person_id);
                        let stored = values
                            .iter()
                            .find(|v| v.0 == x.id && v.1 == p.person_id && v.2 == stage)
                            .map(|v| super::plain(v.3))
                            .unwrap_or_default();
                        Cell {
                            value: typed.and_then(|t| t.get(&name).cloned()).unwrap_or(stored),
                            error: bad.contains(&name),
                            label: format!("{}: {}", p.name, x.title),
                            name,
                        }
                    })
                    .collect(),
            })
            .collect(),
        can_edit: org.has(Role::Curator),
        errors: messages,
        csrf_query: org.ctx.csrf.clone(),
        sendings,
        answers_action: prog.monitoring_from_answers(stage),
        import_action: prog.monitoring_import(stage),
        role: role.code().to_string(),
        class: class.to_string(),
        prog,
    })
}

/// The table with a list of problems (the file import's refusal).
pub(super) async fn page_with_errors(
    pc: &ProgramCtx,
    stage: &str,
    (role, class): (Side, &str),
    problems: Vec<String>,
) -> AppResult<EntryPage> {
    page(pc, stage, (role, class), None, (problems, Vec::new())).await
}

pub async fn entry(
    pc: ProgramCtx,
    Path((_, _, stage)): Path<(String, String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<EntryPage> {
    let pc = pc.staff()?;
    let stage = stage_of(&stage)?;
    let role = Side::of_form(q.get("role").map_or("", String::as_str));
    let class = q.get("class").map(String::as_str).unwrap_or("");
    page(&pc, stage, (role, class), None, (Vec::new(), Vec::new())).await
}

pub async fn save(
    pc: ProgramCtx,
    Path((_, _, stage)): Path<(String, String, String)>,
    crate::web::forms::FormAnd(form, data): crate::web::forms::FormAnd<EntryForm>,
) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let stage = stage_of(&stage)?;
    let org = &pc.org;
    let role = Side::of_form(&form.role);
    let class = form.class.clone();
    // Every cell as sent: `v:{parameter}:{person}`.
    let mut typed = HashMap::new();
    let mut cells = HashMap::new();
    for (name, value) in &data.0 {
        let mut parts = name
            .strip_prefix("v:")
            .into_iter()
            .flat_map(|s| s.split(':'));
        if let (Some(param), Some(person), None) = (parts.next(), parts.next(), parts.next())
            && let (Ok(param), Ok(person)) = (Uuid::parse_str(param), Uuid::parse_str(person))
        {
            typed.insert(key(param, person), value.trim().to_string());
            cells.insert((param, person), value.clone());
        }
    }
    let sheet = Sheet {
        program_id: pc.program.id,
        stage,
        role,
        class: &class,
    };
    let mut tx = org.begin().await?;
    match crate::monitoring::measure::enter(&mut tx, &org.actor(), sheet, &cells).await {
        Ok(_) => {
            tx.commit().await?;
            let back =
                org.paths()
                    .in_program(pc.program.id)
                    .monitoring_table(stage, role.code(), &class);
            Ok(org.flash(&back, "Замер сохранён."))
        }
        Err(Unsaved::Problems { messages, cells }) => {
            drop(tx);
            let bad = cells.iter().map(|(x, p)| key(*x, *p)).collect();
            let page = page(&pc, stage, (role, &class), Some(&typed), (messages, bad)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(Unsaved::Failed(e)) => Err(e),
    }
}
