//! The pages of the bases, one file each: the list (with bulk actions), the person form, the
//! person's card (consents, requests), import and export. Below: what they share; every page
//! file takes it with `use super::*`.

pub mod card;
pub mod consents;
pub mod export;
pub mod form;
pub mod import;
pub mod list;

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::tenancy::OrgCtx;
use crate::web::forms::{Choice, FormErrors, FormFrame, parse_date, ru_date, trimmed};
use crate::web::{PageCtx, parse_id};

use super::model::{self, ConsentFacts};
use super::repo::{self, Filter, PersonInput};

const EDITORS: [Role; 1] = [Role::Curator];

const READERS: [Role; 2] = [Role::Curator, Role::Director];

fn opts(items: impl IntoIterator<Item = (String, String)>, selected: &str) -> Vec<Choice> {
    items
        .into_iter()
        .map(|(value, label)| Choice {
            selected: value == selected,
            value,
            label,
        })
        .collect()
}

async fn load(org: &OrgCtx, raw: Uuid) -> AppResult<repo::Person> {
    let id = raw;
    let mut conn = org.conn().await?;
    repo::person(&mut conn, org.org.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A person the curator may change: 404 for outsiders and for erased records, 403 for readers.
async fn editable_person(org: &OrgCtx, raw: Uuid) -> AppResult<repo::Person> {
    org.require_any(&READERS)?;
    let p = load(org, raw).await?;
    org.require_any(&EDITORS)?;
    if p.anonymized_at.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(p)
}

fn consent_facts(consents: &[repo::Consent]) -> Vec<ConsentFacts> {
    consents
        .iter()
        .map(|c| ConsentFacts {
            given_by: c.given_by.clone(),
            withdrawn: c.withdrawn_on.is_some(),
        })
        .collect()
}

fn consent_note(p: &repo::Person) -> String {
    if p.has_consent {
        String::new()
    } else {
        "Нет действующего согласия: можно хранить только ФИО и класс.".into()
    }
}

fn tag_opts(all: &[&str], selected: &[String]) -> Vec<Choice> {
    all.iter()
        .map(|t| Choice {
            value: t.to_string(),
            label: t.to_string(),
            selected: selected.iter().any(|s| s == t),
        })
        .collect()
}
