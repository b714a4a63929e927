//! The person card's forms: adding a consent (self or a legal representative), withdrawing one
//! (which erases the person's data when no valid consent is left), adding a request to the map
//! of requests.

use super::card::{ConsentForm, card_page};
use super::*;
use crate::home::erasure::Withdrawn;
use crate::web::forms::{Refused, settle};
use crate::web::ids::{ConsentId, Id};

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ConsentsForm {
    pub document_ref: String,
    pub given_by: String,
    pub given_on: String,
    pub inform_representative: String,
    pub representative_email: String,
    pub representative_name: String,
    pub representative_relation: String,
    pub scope: String,
    pub source: String,
    pub text: String,
}

pub async fn add_consent(
    org: OrgCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<ConsentsForm>,
) -> AppResult<Response> {
    let p = editable_person(&org, id).await?;
    let form = ConsentForm {
        given_by: data.given_by,
        representative_name: data.representative_name,
        representative_relation: data.representative_relation,
        given_on: data.given_on,
        scope: data.scope,
        document_ref: data.document_ref,
        representative_email: data.representative_email,
        inform_representative: data.inform_representative == "1",
    }
    .typed();
    let mut tx = org.begin().await?;
    let done = people::commands::give_consent(&mut tx, &org.actor(), p.id, &form).await;
    let card = org.paths().person(p.id);
    settle(
        tx,
        done,
        |()| org.flash(&card, "Согласие записано."),
        |errors| card_page(&org, p, form, errors),
    )
    .await
}

pub async fn withdraw_consent(
    org: OrgCtx,
    Id(id): Id,
    ConsentId(consent_id): ConsentId,
) -> AppResult<Response> {
    org.require_any(&READERS)?;
    let p = load(&org, id).await?;
    org.require_any(&EDITORS)?;
    let mut tx = org.begin().await?;
    let done = crate::home::erasure::withdraw_consent(&mut tx, &org.actor(), p.id, consent_id)
        .await
        .map_err(Refused::into_error)?;
    tx.commit().await?;
    Ok(org.flash(
        &org.paths().person(p.id),
        if done == Withdrawn::StillValid {
            "Согласие отозвано."
        } else {
            "Согласие отозвано. Персональные данные удалены; в прошлых программах и статистике человек остаётся как «Участник №…»."
        },
    ))
}

pub async fn add_request(
    org: OrgCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<ConsentsForm>,
) -> AppResult<Response> {
    org.require_any(&READERS)?;
    let p = load(&org, id).await?;
    org.require_any(&EDITORS)?;
    let back = org.paths().person(p.id);
    let mut tx = org.begin().await?;
    let typed = (data.text.as_str(), data.source.as_str());
    let answer = people::commands::add_request(&mut tx, &org.actor(), p.id, typed).await;
    org.settled(tx, answer, &back, |_| {
        "Запрос добавлен в карту запросов.".into()
    })
    .await
}
