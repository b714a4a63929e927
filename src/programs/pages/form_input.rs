//! What the program form sends: reading it, checking it (names, dates, form and variants, the
//! curator) with a message beside each field, and the input for the repo.

use super::*;
pub use crate::programs::commands::ProgramForm;

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
