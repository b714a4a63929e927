//! The questionnaire pages, one file each: the list, the builder (a questionnaire and its
//! question form), filling (one's own or a paper form on someone's behalf), results, one
//! person's answers, the XLSX. Below: what they share; every page file takes it with
//! `use super::*`.

pub mod answers;
pub mod export;
pub mod fill;
pub mod fill_form;
pub mod list;
pub mod question;
pub mod results;
pub mod schedules;
pub mod show;

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::model::{self, DAYS, Definition, Kind, PARTS, Question, Raw, Summary};
use super::repo;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::people::model::display_name;
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, ru_date, trimmed};

pub(super) const EDITORS: [Role; 1] = [Role::Curator];

pub(super) const READERS: [Role; 2] = [Role::Curator, Role::Director];

pub(super) async fn load(org: &OrgCtx, raw: Uuid) -> AppResult<repo::Current> {
    let id = raw;
    let mut conn = org.conn().await?;
    repo::current(&mut conn, org.org.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) struct Loaded {
    pub(super) assignment: repo::Assignment,
    pub(super) cur: repo::Current,
    pub(super) targets: Vec<repo::Target>,
    pub(super) versions: HashMap<Uuid, (i32, Definition)>,
    pub(super) names: HashMap<String, String>,
}

pub(super) async fn load_results(org: &OrgCtx, raw: Uuid) -> AppResult<Loaded> {
    org.require_any(&READERS)?;
    let id = raw;
    let mut conn = org.conn().await?;
    let assignment = repo::assignment(&mut conn, org.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let cur = repo::current(&mut conn, org.org.id, assignment.questionnaire_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let targets = repo::targets(&mut conn, org.org.id, id).await?;
    let mut vids: Vec<Uuid> = targets.iter().filter_map(|t| t.version_id).collect();
    vids.sort();
    vids.dedup();
    let versions = repo::versions(&mut conn, org.org.id, &vids)
        .await?
        .into_iter()
        .map(|(id, n, d)| (id, (n, d)))
        .collect();
    let names: HashMap<String, String> = match assignment.program_id {
        Some(pid) => crate::participants::participants(&mut conn, org.org.id, pid)
            .await?
            .into_iter()
            .map(|p| {
                (
                    p.person_id.to_string(),
                    display_name(
                        p.number,
                        &p.last_name,
                        &p.first_name,
                        &p.middle_name,
                        p.anonymized,
                    ),
                )
            })
            .collect(),
        None => HashMap::new(),
    };
    Ok(Loaded {
        assignment,
        cur,
        targets,
        versions,
        names,
    })
}

pub(super) fn target_name(t: &repo::Target) -> String {
    display_name(
        t.number,
        &t.last_name,
        &t.first_name,
        &t.middle_name,
        t.anonymized,
    )
}

pub(super) fn purpose_opts(selected: &str) -> Vec<Choice> {
    crate::web::forms::choices(&model::PURPOSES, selected)
}

pub(super) fn audience_label(a: &repo::Assignment) -> String {
    let who = match a.audience.as_str() {
        "mentors" => "наставники",
        "mentees" => "наставляемые",
        _ => "выбранные люди",
    };
    match &a.program_name {
        Some(p) => format!("{who} программы «{p}»"),
        None => who.to_string(),
    }
}

pub use super::questions::QuestionForm;
