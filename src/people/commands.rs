//! The commands of a person's card (ARCHITECTURE.md, «Commands»): a consent given by the person
//! or a legal representative (a minor's only by a representative), a request to the map of
//! requests (only with a valid consent). A curator acts, on a person of the organization who is
//! not erased; each is audited. Withdrawing a consent erases the person across the domains, so
//! it is `home::erasure::withdraw_consent`.

use sqlx::PgConnection;
use uuid::Uuid;

use super::{model, repo};
use crate::auth::model::{Role, normalize_email, valid_email};
use crate::error::AppError;
use crate::tenancy::Actor;
use crate::web::forms::{FormErrors, Refused, parse_date, ru_date};

/// The consent form as typed (trimmed; the e-mail normalized).
#[derive(Clone, Debug, Default)]
pub struct ConsentForm {
    pub given_by: String,
    pub representative_name: String,
    pub representative_relation: String,
    pub given_on: String,
    pub scope: String,
    pub document_ref: String,
    pub representative_email: String,
    pub inform_representative: bool,
}

impl ConsentForm {
    /// The form from what was typed.
    pub fn typed(mut self) -> Self {
        for s in [
            &mut self.representative_name,
            &mut self.representative_relation,
            &mut self.given_on,
            &mut self.scope,
            &mut self.document_ref,
        ] {
            *s = s.trim().to_string();
        }
        self.representative_email = normalize_email(&self.representative_email);
        self
    }
}

/// The person `id` a curator may change: 404 for another organization's or an erased record.
pub async fn editable(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
) -> Result<repo::Person, Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    match repo::person(&mut *conn, by.org.id, id).await? {
        Some(p) if p.anonymized_at.is_none() => Ok(p),
        _ => Err(AppError::NotFound.into()),
    }
}

/// Records a consent of the person `id`.
pub async fn give_consent(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
    form: &ConsentForm,
) -> Result<(), Refused> {
    let p = editable(&mut *conn, by, id).await?;
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
    let given_on = parse_date(&form.given_on).filter(|d| *d <= by.today());
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
    if !form.representative_email.is_empty() && !valid_email(&form.representative_email) {
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
        return Err(errors.into());
    };
    let representative = form.given_by == "representative";
    repo::add_consent(
        &mut *conn,
        by.org.id,
        p.id,
        by.user_id,
        &repo::ConsentInput {
            given_by: &form.given_by,
            representative_name: &form.representative_name,
            representative_relation: &form.representative_relation,
            given_on,
            scope: &form.scope,
            document_ref: &form.document_ref,
            representative_email: if representative {
                &form.representative_email
            } else {
                ""
            },
            inform_representative: representative && form.inform_representative,
        },
    )
    .await?;
    crate::audit::record(
        &mut *conn,
        by,
        "consent.add",
        Some(p.id),
        &format!("от {}", ru_date(given_on)),
    )
    .await?;
    Ok(())
}

/// Adds a request of the person `id` to the map of requests: a text of at most 1,000 characters
/// and its source; only with a valid consent.
pub async fn add_request(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
    (text, source): (&str, &str),
) -> Result<(), Refused> {
    let p = editable(&mut *conn, by, id).await?;
    let mut errors = FormErrors::default();
    let text = text.trim();
    if !p.has_consent {
        errors.add(
            "text",
            "Запрос не сохранён: нет действующего согласия на обработку персональных данных.",
        );
    } else if text.is_empty() || !model::REQUEST_SOURCES.iter().any(|(c, _)| *c == source) {
        errors.add("text", "Опишите запрос и укажите источник.");
    } else if text.chars().count() > 1000 {
        errors.add(
            "text",
            format!(
                "Запрос: {}",
                crate::web::forms::too_long(1000, text.chars().count())
            ),
        );
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    repo::add_request(&mut *conn, by.org.id, p.id, by.user_id, text, source).await?;
    crate::audit::record(&mut *conn, by, "request.add", Some(p.id), "").await?;
    Ok(())
}
