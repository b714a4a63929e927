//! The person form: adding and editing a person (the consent rule decides what may be stored),
//! with the concurrent-edit guard.

use super::*;
use crate::people::commands::PersonSaved;
use crate::web::forms::{Refused, settle};
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
    let mut tx = org.begin().await?;
    let done = crate::people::commands::add_person(&mut tx, &org.actor(), &form).await;
    let said = "Человек добавлен. Оформите согласие на обработку персональных данных, чтобы хранить остальные сведения и включать в программы.";
    settle(
        tx,
        done,
        |id| org.flash(&org.paths().person(id), said),
        |errors| async {
            let note = NEW_PERSON_NOTE.into();
            Ok(form_page(
                &org,
                new_frame(&org),
                form,
                errors,
                false,
                note,
                false,
            ))
        },
    )
    .await
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
    let mut tx = org.begin().await?;
    let (status, errors, conflict) =
        match crate::people::commands::update_person(&mut tx, &org.actor(), p.id, &form).await {
            Ok(PersonSaved::Saved) => {
                tx.commit().await?;
                return Ok(org.flash(&org.paths().person(p.id), "Сведения сохранены."));
            }
            Ok(PersonSaved::Conflict) => {
                form.version = p.version;
                (StatusCode::CONFLICT, FormErrors::default(), true)
            }
            Err(Refused::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors, false),
            Err(Refused::Failed(e)) => return Err(e),
        };
    let (frame, note) = (edit_frame(&org, &p), consent_note(&p));
    let page = form_page(&org, frame, form, errors, p.has_consent, note, conflict);
    Ok((status, page).into_response())
}

pub use crate::people::commands::PersonForm;

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
