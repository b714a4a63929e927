//! The person form: adding and editing a person (the consent rule decides what may be stored),
//! with the concurrent-edit guard.

use super::*;
use crate::web::ids::Id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct FormForm {
    pub birth_date: String,
    pub class_name: String,
    pub email: String,
    pub experience_years: String,
    pub first_name: String,
    pub in_mentee_base: String,
    pub in_mentor_base: String,
    pub kind: String,
    pub last_name: String,
    pub middle_name: String,
    pub notes: String,
    pub partner_org: String,
    pub phone: String,
    pub position: String,
    pub subjects: String,
    pub tags: Vec<String>,
    pub version: String,
}

fn form_page(
    org: &OrgCtx,
    FormFrame {
        heading,
        action,
        cancel,
    }: FormFrame,
    form: PersonForm,
    errors: FormErrors,
    consent_ok: bool,
    consent_note: String,
    conflict: bool,
) -> PersonFormPage {
    PersonFormPage {
        ctx: org.page(heading.clone(), "people"),
        heading,
        action,
        cancel,
        kinds: opts(
            model::KINDS
                .iter()
                .map(|(c, l)| (c.to_string(), l.to_string())),
            &form.kind,
        ),
        mentee_tags: tag_opts(&model::MENTEE_TAGS, &form.tags),
        mentor_tags: tag_opts(&model::MENTOR_TAGS, &form.tags),
        form,
        errors,
        consent_ok,
        consent_note,
        conflict,
    }
}

fn read_form(data: &FormForm) -> PersonForm {
    PersonForm {
        last_name: trimmed(&data.last_name),
        first_name: trimmed(&data.first_name),
        middle_name: trimmed(&data.middle_name),
        kind: data.kind.clone(),
        class_name: trimmed(&data.class_name),
        birth_date: trimmed(&data.birth_date),
        subjects: trimmed(&data.subjects),
        experience_years: trimmed(&data.experience_years),
        position: trimmed(&data.position),
        partner_org: trimmed(&data.partner_org),
        email: trimmed(&data.email),
        phone: trimmed(&data.phone),
        notes: trimmed(&data.notes),
        in_mentor_base: !data.in_mentor_base.clone().is_empty(),
        in_mentee_base: !data.in_mentee_base.clone().is_empty(),
        tags: data
            .tags
            .clone()
            .into_iter()
            .filter(|t| model::is_tag(t))
            .collect(),
        version: crate::web::forms::int(&data.version),
    }
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

const NEW_PERSON_NOTE: &str =
    "Согласие оформляется в карточке после сохранения; до него хранятся только ФИО и класс.";

fn new_frame(org: &OrgCtx) -> FormFrame {
    FormFrame {
        heading: "Новый человек".into(),
        action: org.paths().people_new(),
        cancel: org.paths().people(),
    }
}

fn edit_frame(org: &OrgCtx, p: &repo::Person) -> FormFrame {
    FormFrame {
        heading: format!("Изменить: {} {}", p.last_name, p.first_name),
        action: org.paths().person_edit(p.id),
        cancel: org.paths().person(p.id),
    }
}

pub async fn new_page(org: OrgCtx) -> AppResult<PersonFormPage> {
    org.require_any(&EDITORS)?;
    Ok(form_page(
        &org,
        new_frame(&org),
        PersonForm {
            kind: "pupil".into(),
            in_mentee_base: true,
            ..Default::default()
        },
        FormErrors::default(),
        false,
        NEW_PERSON_NOTE.into(),
        false,
    ))
}

pub async fn create(
    org: OrgCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<FormForm>,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let form = read_form(&data);
    let input = match validate(&form, false) {
        Ok(i) => i,
        Err(errors) => {
            let page = form_page(
                &org,
                new_frame(&org),
                form,
                errors,
                false,
                NEW_PERSON_NOTE.into(),
                false,
            );
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let mut tx = org.begin().await?;
    let id = repo::insert(&mut tx, org.org.id, &input).await?;
    crate::audit::record(&mut tx, &org, "person.create", Some(id), "").await?;
    tx.commit().await?;
    Ok(org.flash(
        &org.paths().person(id),
        "Человек добавлен. Оформите согласие на обработку персональных данных, чтобы хранить остальные сведения и включать в программы.",
    ))
}

fn form_from(p: &repo::Person) -> PersonForm {
    PersonForm {
        last_name: p.last_name.clone(),
        first_name: p.first_name.clone(),
        middle_name: p.middle_name.clone(),
        kind: p.kind.clone(),
        class_name: p.class_name.clone(),
        birth_date: p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        subjects: p.subjects.clone(),
        experience_years: p
            .experience_years
            .map(|x| x.to_string())
            .unwrap_or_default(),
        position: p.position.clone(),
        partner_org: p.partner_org.clone(),
        email: p.email.clone(),
        phone: p.phone.clone(),
        notes: p.notes.clone(),
        in_mentor_base: p.in_mentor_base,
        in_mentee_base: p.in_mentee_base,
        tags: p.tags.clone(),
        version: p.version,
    }
}

pub async fn edit_page(org: OrgCtx, Id(id): Id) -> AppResult<PersonFormPage> {
    let p = editable_person(&org, id).await?;
    Ok(form_page(
        &org,
        edit_frame(&org, &p),
        form_from(&p),
        FormErrors::default(),
        p.has_consent,
        consent_note(&p),
        false,
    ))
}

pub async fn update(
    org: OrgCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<FormForm>,
) -> AppResult<Response> {
    let p = editable_person(&org, id).await?;
    let mut form = read_form(&data);
    let render = |status: StatusCode, form: PersonForm, errors: FormErrors, conflict: bool| {
        let page = form_page(
            &org,
            edit_frame(&org, &p),
            form,
            errors,
            p.has_consent,
            consent_note(&p),
            conflict,
        );
        (status, page).into_response()
    };
    let input = match validate(&form, p.has_consent) {
        Ok(i) => i,
        Err(errors) => {
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                errors,
                false,
            ));
        }
    };
    let mut tx = org.begin().await?;
    if !repo::update(&mut tx, org.org.id, p.id, form.version, &input).await? {
        form.version = p.version;
        return Ok(render(
            StatusCode::CONFLICT,
            form,
            FormErrors::default(),
            true,
        ));
    }
    crate::audit::record(&mut tx, &org, "person.update", Some(p.id), "").await?;
    tx.commit().await?;
    Ok(org.flash(&org.paths().person(p.id), "Сведения сохранены."))
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

#[derive(Template, WebTemplate)]
#[template(path = "people/form.html")]
pub struct PersonFormPage {
    pub ctx: PageCtx,
    pub heading: String,
    pub action: String,
    pub cancel: String,
    pub form: PersonForm,
    pub errors: FormErrors,
    pub kinds: Vec<Choice>,
    pub mentee_tags: Vec<Choice>,
    pub mentor_tags: Vec<Choice>,
    pub consent_ok: bool,
    pub consent_note: String,
    pub conflict: bool,
}
