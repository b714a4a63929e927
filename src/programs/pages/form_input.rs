//! What the program form sends: reading it, checking it (names, dates, form and variants, the
//! curator) with a message beside each field, and the input for the repo.

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::*;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct FormInputForm {
    pub curator: String,
    pub description: String,
    pub ends_on: String,
    pub form_code: String,
    pub goal: String,
    pub name: String,
    pub starts_on: String,
    pub status: String,
    pub variants: Vec<String>,
    pub version: String,
}

pub(super) fn read_program_form(data: &FormInputForm) -> ProgramForm {
    ProgramForm {
        name: trimmed(&data.name),
        form_code: data.form_code.clone(),
        variants: data.variants.clone(),
        goal: trimmed(&data.goal),
        description: trimmed(&data.description),
        starts_on: trimmed(&data.starts_on),
        ends_on: trimmed(&data.ends_on),
        status: data.status.clone(),
        curator: data.curator.clone(),
        version: crate::web::forms::int(&data.version),
    }
}

pub(super) struct ValidProgram {
    pub(super) starts_on: NaiveDate,
    pub(super) ends_on: NaiveDate,
    pub(super) curator: Option<Uuid>,
}

pub(super) fn validate_program(
    form: &ProgramForm,
    opts: &FormOptions,
) -> Result<ValidProgram, FormErrors> {
    let mut e = FormErrors::default();
    if form.name.is_empty() {
        e.add("name", "Введите название программы.");
    }
    e.limit("name", &form.name, 200);
    e.limit("goal", &form.goal, 2000);
    e.limit("description", &form.description, 5000);
    if !opts.forms.iter().any(|f| f.code == form.form_code) {
        e.add("form_code", "Выберите форму наставничества.");
    }
    let starts = parse_date(&form.starts_on);
    let ends = parse_date(&form.ends_on);
    if starts.is_none() {
        e.add("starts_on", "Укажите дату начала (ДД.ММ.ГГГГ).");
    }
    if ends.is_none() {
        e.add("ends_on", "Укажите дату окончания (ДД.ММ.ГГГГ).");
    }
    if let (Some(s), Some(en)) = (starts, ends) {
        if en <= s {
            e.add("ends_on", "Дата окончания должна быть позже даты начала.");
        } else if (en - s).num_days() > 366 * 5 {
            e.add("ends_on", "Программа не может длиться дольше пяти лет.");
        }
        if s.year() < 2000 || en.year() > 2100 {
            e.add("starts_on", "Проверьте год.");
        }
    }
    if !model::is_program_status(&form.status) {
        e.add("status", "Выберите статус.");
    }
    let curator = if form.curator.is_empty() {
        None
    } else {
        match Uuid::parse_str(&form.curator)
            .ok()
            .filter(|id| opts.curators.iter().any(|(c, _)| c == id))
        {
            Some(id) => Some(id),
            None => {
                e.add("curator", "Выберите куратора из списка.");
                None
            }
        }
    };
    match (e.is_empty(), starts, ends) {
        (true, Some(starts_on), Some(ends_on)) => Ok(ValidProgram {
            starts_on,
            ends_on,
            curator,
        }),
        _ => Err(e),
    }
}

pub(super) fn program_input<'a>(form: &'a ProgramForm, valid: &ValidProgram) -> ProgramInput<'a> {
    ProgramInput {
        name: &form.name,
        form_code: &form.form_code,
        variant_codes: &form.variants,
        goal: &form.goal,
        description: &form.description,
        starts_on: valid.starts_on,
        ends_on: valid.ends_on,
        status: &form.status,
        curator_user_id: valid.curator,
    }
}

pub(super) struct FormOptions {
    pub(super) forms: Vec<repo::Form>,
    pub(super) org_forms: Vec<String>,
    pub(super) variants: Vec<repo::Variant>,
    pub(super) curators: Vec<(Uuid, String)>,
}

/// The program form, with the user's input kept.
#[derive(Clone, Debug, Default)]
pub struct ProgramForm {
    pub name: String,
    pub form_code: String,
    pub variants: Vec<String>,
    pub goal: String,
    pub description: String,
    pub starts_on: String,
    pub ends_on: String,
    pub status: String,
    pub curator: String,
    pub version: i32,
}
