//! The person card's forms: adding a consent (self or a legal representative), withdrawing one
//! (which erases the person's data when no valid consent is left), adding a request to the map
//! of requests.

use super::card::{ConsentForm, card_page};
use super::*;
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
        given_by: data.given_by.clone(),
        representative_name: trimmed(&data.representative_name),
        representative_relation: trimmed(&data.representative_relation),
        given_on: trimmed(&data.given_on),
        scope: trimmed(&data.scope),
        document_ref: trimmed(&data.document_ref),
        representative_email: crate::auth::model::normalize_email(&data.representative_email),
        inform_representative: data.inform_representative == "1",
    };
    let mut errors = FormErrors::default();
    if !matches!(form.given_by.as_str(), "self" | "representative") {
        errors.add("given_by", "Укажите, кто дал согласие.");
    }
    if form.given_by == "self" && p.minor {
        errors.add(
            "given_by",
            "Участнику нет 18 лет: согласие даёт законный представитель.",
        );
    }
    if form.given_by == "representative" {
        if form.representative_name.is_empty() {
            errors.add(
                "representative_name",
                "Введите ФИО законного представителя.",
            );
        }
        if form.representative_relation.is_empty() {
            errors.add(
                "representative_relation",
                "Укажите, кем он приходится (мать, отец, опекун…).",
            );
        }
    }
    let given_on = parse_date(&form.given_on).filter(|d| *d <= org.org.today());
    if given_on.is_none() {
        errors.add("given_on", "Укажите дату согласия (не позже сегодняшней).");
    }
    errors.limit("representative_name", &form.representative_name, 200);
    errors.limit(
        "representative_relation",
        &form.representative_relation,
        100,
    );
    errors.limit("scope", &form.scope, 500);
    if !form.representative_email.is_empty()
        && !crate::auth::model::valid_email(&form.representative_email)
    {
        errors.add(
            "representative_email",
            "Проверьте адрес электронной почты (например, ivanova@mail.ru).",
        );
    }
    if form.inform_representative && form.representative_email.is_empty() {
        errors.add(
            "representative_email",
            "Чтобы сообщать представителю, укажите его электронную почту.",
        );
    }
    errors.limit("document_ref", &form.document_ref, 200);
    if form.scope.is_empty() {
        errors.add("scope", "Укажите, на что дано согласие.");
    }
    let (true, Some(given_on)) = (errors.is_empty(), given_on) else {
        let page = card_page(&org, p, form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let mut tx = org.begin().await?;
    people::add_consent(
        &mut tx,
        org.org.id,
        p.id,
        org.user.id,
        &people::ConsentInput {
            given_by: &form.given_by,
            representative_name: &form.representative_name,
            representative_relation: &form.representative_relation,
            given_on,
            scope: &form.scope,
            document_ref: &form.document_ref,
            representative_email: if form.given_by == "representative" {
                &form.representative_email
            } else {
                ""
            },
            inform_representative: form.given_by == "representative" && form.inform_representative,
        },
    )
    .await?;
    crate::audit::record(
        &mut tx,
        &org,
        "consent.add",
        Some(p.id),
        &format!("от {}", ru_date(given_on)),
    )
    .await?;
    tx.commit().await?;
    Ok(org.flash(&org.paths().person(p.id), "Согласие записано."))
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
    if !people::withdraw_consent(&mut tx, org.org.id, p.id, consent_id, org.org.today()).await? {
        return Err(AppError::NotFound);
    }
    let still_valid = people::has_valid_consent(&mut tx, org.org.id, p.id).await?;
    if !still_valid {
        crate::home::erasure::forget_person(&mut tx, org.org.id, p.id).await?;
    }
    crate::audit::record(
        &mut tx,
        &org,
        "consent.withdraw",
        Some(p.id),
        if still_valid {
            ""
        } else {
            "персональные данные удалены"
        },
    )
    .await?;
    tx.commit().await?;
    Ok(org.flash(
        &org.paths().person(p.id),
        if still_valid {
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
    if p.anonymized_at.is_some() {
        return Err(AppError::NotFound);
    }
    if !p.has_consent {
        return Ok(org.flash_error(
            &back,
            "Запрос не сохранён: нет действующего согласия на обработку персональных данных.",
        ));
    }
    let text = trimmed(&data.text);
    let source = data.source.clone();
    if text.is_empty() || !model::REQUEST_SOURCES.iter().any(|(c, _)| *c == source) {
        return Ok(org.flash_error(&back, "Опишите запрос и укажите источник."));
    }
    if text.chars().count() > 1000 {
        return Ok(org.flash_error(
            &back,
            &format!(
                "Запрос: {}",
                crate::web::forms::too_long(1000, text.chars().count())
            ),
        ));
    }
    let mut tx = org.begin().await?;
    people::add_request(&mut tx, org.org.id, p.id, org.user.id, &text, &source).await?;
    crate::audit::record(&mut tx, &org, "request.add", Some(p.id), "").await?;
    tx.commit().await?;
    Ok(org.flash(&back, "Запрос добавлен в карту запросов."))
}
