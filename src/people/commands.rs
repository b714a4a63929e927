//! The commands of a person's card (ARCHITECTURE.md, «Commands»): a person added or changed (the
//! consent rule decides what may be stored: without a valid consent, only the name and the
//! class; with the concurrent-edit guard), a consent given by the person
//! or a legal representative (a minor's only by a representative), a request to the map of
//! requests (only with a valid consent). A curator acts, on a person of the organization who is
//! not erased; each is audited. Withdrawing a consent erases the person across the domains, so
//! it is `home::erasure::withdraw_consent`.

use sqlx::PgConnection;
use uuid::Uuid;

use chrono::Utc;

use super::{PersonInput, model, repo};
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

/// The person form, with the user's input kept.
#[derive(Clone, Debug, Default)]
pub struct PersonForm {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub kind: String,
    pub class_name: String,
    pub birth_date: String,
    pub subjects: String,
    pub experience_years: String,
    pub position: String,
    pub partner_org: String,
    pub email: String,
    pub phone: String,
    pub notes: String,
    pub in_mentor_base: bool,
    pub in_mentee_base: bool,
    pub tags: Vec<String>,
    pub version: i32,
}

/// Validates; `consent_ok` decides whether more than name and class may be stored.
fn validate(form: &PersonForm, consent_ok: bool) -> Result<PersonInput, FormErrors> {
    let mut e = FormErrors::default();
    if form.last_name.is_empty() {
        e.add("last_name", "Введите фамилию.");
    }
    if form.first_name.is_empty() {
        e.add("first_name", "Введите имя.");
    }
    for (field, v) in [
        ("last_name", &form.last_name),
        ("first_name", &form.first_name),
        ("middle_name", &form.middle_name),
    ] {
        e.limit(field, v, 100);
    }
    for (field, v, max) in [
        ("subjects", &form.subjects, 300),
        ("position", &form.position, 200),
        ("partner_org", &form.partner_org, 300),
        ("email", &form.email, 254),
        ("phone", &form.phone, 40),
        ("notes", &form.notes, 2000),
    ] {
        e.limit(field, v, max);
    }
    if form.tags.len() > 30 || form.tags.iter().any(|t| t.chars().count() > 60) {
        e.add("tags", "Не больше 30 меток, каждая не длиннее 60 символов.");
    }
    if !model::is_kind(&form.kind) {
        e.add("kind", "Выберите, кто это.");
    }
    let class_name = match model::normalize_class(&form.class_name) {
        Ok(c) => c,
        Err(msg) => {
            e.add(
                "class_name",
                format!("Класс или группа: {msg} (например, 7Б или ТМ-21)."),
            );
            String::new()
        }
    };
    let birth_date = if form.birth_date.is_empty() {
        None
    } else {
        match parse_date(&form.birth_date) {
            Some(d) if d <= Utc::now().date_naive() && chrono::Datelike::year(&d) >= 1920 => {
                Some(d)
            }
            _ => {
                e.add("birth_date", "Проверьте дату рождения (ДД.ММ.ГГГГ).");
                None
            }
        }
    };
    let experience_years = if form.experience_years.is_empty() {
        None
    } else {
        match form.experience_years.parse::<i32>() {
            Ok(n) if (0..=80).contains(&n) => Some(n),
            _ => {
                e.add("experience_years", "Стаж — целое число лет от 0 до 80.");
                None
            }
        }
    };
    if !form.email.is_empty() && !crate::auth::model::valid_email(&form.email.to_lowercase()) {
        e.add("email", "Проверьте адрес электронной почты.");
    }
    if !form.phone.is_empty() && form.phone.chars().filter(|c| c.is_ascii_digit()).count() < 5 {
        e.add("phone", "Проверьте номер телефона.");
    }
    let input = PersonInput {
        last_name: model::cap(&form.last_name),
        first_name: model::cap(&form.first_name),
        middle_name: model::cap(&form.middle_name),
        kind: form.kind.clone(),
        class_name,
        birth_date,
        subjects: form.subjects.clone(),
        experience_years,
        position: form.position.clone(),
        partner_org: form.partner_org.clone(),
        email: form.email.to_lowercase(),
        phone: form.phone.clone(),
        notes: form.notes.clone(),
        in_mentor_base: form.in_mentor_base,
        in_mentee_base: form.in_mentee_base,
        tags: form.tags.clone(),
    };
    if !consent_ok && input.has_extra_personal_data() {
        e.add(
            "consent",
            "Нет действующего согласия на обработку персональных данных, поэтому можно сохранить \
             только ФИО и класс. Очистите остальные поля или сначала оформите согласие в карточке.",
        );
    }
    if e.is_empty() { Ok(input) } else { Err(e) }
}

/// Adds a person to the organization's bases (a curator): without a consent yet, only the name
/// and the class are kept. Audited. Returns the new person's id.
pub async fn add_person(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    form: &PersonForm,
) -> Result<Uuid, Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let input = validate(form, false)?;
    let id = repo::insert(&mut *conn, by.org.id, &input).await?;
    crate::audit::record(&mut *conn, by, "person.create", Some(id), "").await?;
    Ok(id)
}

/// What [`update_person`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum PersonSaved {
    Saved,
    /// Someone saved the person since `form.version`: nothing changed.
    Conflict,
}

/// Changes a person of the organization who is not erased (a curator), if nobody saved them
/// since the form's version; more than the name and the class only with a valid consent.
pub async fn update_person(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
    form: &PersonForm,
) -> Result<PersonSaved, Refused> {
    let p = editable(&mut *conn, by, id).await?;
    let input = validate(form, p.has_consent)?;
    if !repo::update(&mut *conn, by.org.id, p.id, form.version, &input).await? {
        return Ok(PersonSaved::Conflict);
    }
    crate::audit::record(&mut *conn, by, "person.update", Some(p.id), "").await?;
    Ok(PersonSaved::Saved)
}
