//! The commands of a program (ARCHITECTURE.md, «Commands»): creating one (its roadmap comes from
//! the seven-stage template) and changing one, with the concurrent-edit guard. The form is
//! checked here — names, dates, form of mentorship, status, the curator — with a message beside
//! each field; a curator acts.

use chrono::{Datelike, NaiveDate};
use sqlx::PgConnection;
use uuid::Uuid;

use super::model;
use super::repo::{self, ProgramInput};
use crate::auth::model::Role;
use crate::tenancy::Actor;
use crate::web::forms::{FormErrors, Refused, parse_date};

/// What the form offers: the catalogue's forms and variants, the organization's own forms, its
/// curators.
pub async fn options(conn: &mut PgConnection, org_id: Uuid) -> Result<FormOptions, sqlx::Error> {
    Ok(FormOptions {
        forms: repo::forms(&mut *conn).await?,
        org_forms: repo::org_form_codes(&mut *conn, org_id).await?,
        variants: repo::variants(&mut *conn).await?,
        curators: crate::tenancy::members_with_role(&mut *conn, org_id, Role::Curator).await?,
    })
}

fn taken(e: &sqlx::Error) -> Option<Refused> {
    crate::error::violates(e, "programs_org_name_key").then(|| {
        let mut errors = FormErrors::default();
        errors.add("name", "Программа с таким названием уже есть.");
        errors.into()
    })
}

/// Creates a program from the form (a curator); an empty goal takes its form's. Returns its id.
pub async fn create(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    form: &mut ProgramForm,
) -> Result<Uuid, Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let opts = options(&mut *conn, by.org.id).await?;
    let valid = validate_program(form, &opts)?;
    if form.goal.is_empty()
        && let Some(f) = opts.forms.iter().find(|f| f.code == form.form_code)
    {
        form.goal = f.goal.clone();
    }
    let input = program_input(form, &valid);
    match repo::create_program(&mut *conn, by.org.id, &input).await {
        Ok(id) => Ok(id),
        Err(e) => Err(taken(&e).unwrap_or_else(|| e.into())),
    }
}

/// What [`update`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Saved {
    Saved,
    /// Someone saved the program since `form.version`: nothing changed.
    Conflict,
}

/// Changes the program `id` from the form, if nobody saved it since the form's version (a
/// curator).
pub async fn update(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
    form: &ProgramForm,
) -> Result<Saved, Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let opts = options(&mut *conn, by.org.id).await?;
    let valid = validate_program(form, &opts)?;
    let input = program_input(form, &valid);
    match repo::update_program(&mut *conn, by.org.id, id, form.version, &input).await {
        Ok(true) => Ok(Saved::Saved),
        Ok(false) => Ok(Saved::Conflict),
        Err(e) => Err(taken(&e).unwrap_or_else(|| e.into())),
    }
}

pub struct ValidProgram {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub curator: Option<Uuid>,
}

pub fn validate_program(
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
    if model::ProgramStatus::parse(&form.status).is_none() {
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

pub fn program_input<'a>(form: &'a ProgramForm, valid: &ValidProgram) -> ProgramInput<'a> {
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

pub struct FormOptions {
    pub forms: Vec<repo::Form>,
    pub org_forms: Vec<String>,
    pub variants: Vec<repo::Variant>,
    pub curators: Vec<(Uuid, String)>,
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
