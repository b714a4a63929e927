//! What the pages of the bases share — the people's own pages here and the composition pages of
//! `home` (the person's card, the lists): who may read and change, loading a person, the
//! options of the filters, the consent facts of a card.

use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::tenancy::OrgCtx;
use crate::web::forms::Choice;

use super::model::ConsentFacts;
use super::repo;

pub const EDITORS: [Role; 1] = [Role::Curator];

pub const READERS: [Role; 2] = [Role::Curator, Role::Director];

pub fn opts(items: impl IntoIterator<Item = (String, String)>, selected: &str) -> Vec<Choice> {
    items
        .into_iter()
        .map(|(value, label)| Choice {
            selected: value == selected,
            value,
            label,
        })
        .collect()
}

pub async fn load(org: &OrgCtx, raw: Uuid) -> AppResult<repo::Person> {
    let id = raw;
    let mut conn = org.conn().await?;
    repo::person(&mut conn, org.org.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A person the curator may change: 404 for outsiders and for erased records, 403 for readers.
pub async fn editable_person(org: &OrgCtx, raw: Uuid) -> AppResult<repo::Person> {
    org.require_any(&READERS)?;
    let p = load(org, raw).await?;
    org.require_any(&EDITORS)?;
    if p.anonymized_at.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(p)
}

pub fn consent_facts(consents: &[repo::Consent]) -> Vec<ConsentFacts> {
    consents
        .iter()
        .map(|c| ConsentFacts {
            given_by: c.given_by.clone(),
            withdrawn: c.withdrawn_on.is_some(),
        })
        .collect()
}

pub fn consent_note(p: &repo::Person) -> String {
    if p.has_consent {
        String::new()
    } else {
        "Нет действующего согласия: можно хранить только ФИО и класс.".into()
    }
}

pub fn tag_opts(all: &[&str], selected: &[String]) -> Vec<Choice> {
    all.iter()
        .map(|t| Choice {
            value: t.to_string(),
            label: t.to_string(),
            selected: selected.iter().any(|s| s == t),
        })
        .collect()
}
