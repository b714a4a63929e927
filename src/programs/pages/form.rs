//! The program form: creating a program (its roadmap comes from the template) and editing one,
//! with the concurrent-edit guard.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};

use super::form_input::*;
use super::*;
use crate::programs::commands::{self, FormOptions, Saved};
use crate::web::forms::{Refused, settle};

async fn form_options(org: &OrgCtx) -> AppResult<FormOptions> {
    let mut conn = org.conn().await?;
    Ok(commands::options(&mut conn, org.org.id).await?)
}

pub(super) fn form_page(
    org: &OrgCtx,
    FormFrame {
        heading,
        action,
        cancel,
    }: FormFrame,
    form: ProgramForm,
    errors: FormErrors,
    opts: &FormOptions,
    conflict: bool,
) -> ProgramFormPage {
    // Forms the organization runs (all of the catalog if it has chosen none yet), plus the
    // program's current form.
    let offered: Vec<&repo::Form> = opts
        .forms
        .iter()
        .filter(|f| {
            opts.org_forms.is_empty()
                || opts.org_forms.contains(&f.code)
                || f.code == form.form_code
        })
        .collect();
    let forms = offered
        .iter()
        .map(|f| Choice {
            value: f.code.clone(),
            label: f.title.clone(),
            selected: f.code == form.form_code,
        })
        .collect();
    let variant_groups = offered
        .iter()
        .map(|f| VariantGroup {
            form_title: f.title.clone(),
            form_code: f.code.clone(),
            variants: opts
                .variants
                .iter()
                .filter(|v| v.form_code == f.code)
                .map(|v| Choice {
                    value: v.code.clone(),
                    label: v.title.clone(),
                    selected: form.variants.contains(&v.code),
                })
                .collect(),
        })
        .collect();
    let statuses = crate::web::forms::choices(&model::ProgramStatus::table(), &form.status);
    let curators = opts
        .curators
        .iter()
        .map(|(id, name)| Choice {
            value: id.to_string(),
            label: name.clone(),
            selected: form.curator == id.to_string(),
        })
        .collect();
    ProgramFormPage {
        ctx: org.page(heading.clone(), "programs"),
        heading,
        action,
        cancel,
        form,
        errors,
        forms,
        variant_groups,
        statuses,
        curators,
        conflict,
        no_org_forms: opts.org_forms.is_empty(),
    }
}

pub async fn new_page(org: OrgCtx) -> AppResult<Response> {
    org.require_any(&[Role::Curator])?;
    let opts = form_options(&org).await?;
    let start = org.org.today();
    // A school year by default: from today to the next June 30.
    let end_year = if start.month() >= 7 {
        start.year() + 1
    } else {
        start.year()
    };
    let end = NaiveDate::from_ymd_opt(end_year, 6, 30)
        .filter(|e| *e > start)
        .unwrap_or(start + chrono::Duration::days(270));
    let form = ProgramForm {
        form_code: opts.org_forms.first().cloned().unwrap_or_default(),
        starts_on: start.to_string(),
        ends_on: end.to_string(),
        status: ProgramStatus::Draft.code().into(),
        curator: org.user.id.to_string(),
        ..Default::default()
    };
    Ok(form_page(
        &org,
        FormFrame {
            heading: "Новая программа".into(),
            action: org.paths().program_new(),
            cancel: org.paths().programs(),
        },
        form,
        FormErrors::default(),
        &opts,
        false,
    )
    .into_response())
}

pub async fn create(
    org: OrgCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<super::form_input::FormInputForm>,
) -> AppResult<Response> {
    org.require_any(&[Role::Curator])?;
    let mut form = read_program_form(&data);
    let mut tx = org.begin().await?;
    let done = commands::create(&mut tx, &org.actor(), &mut form).await;
    let said = "Программа создана. Дорожная карта из семи этапов готова к работе.";
    settle(
        tx,
        done,
        |id| org.flash(&org.paths().roadmap(id), said),
        |errors| async {
            let opts = form_options(&org).await?;
            let frame = FormFrame {
                heading: "Новая программа".into(),
                action: org.paths().program_new(),
                cancel: org.paths().programs(),
            };
            Ok(form_page(&org, frame, form, errors, &opts, false))
        },
    )
    .await
}

pub async fn edit_page(pc: ProgramCtx) -> AppResult<Response> {
    let ProgramCtx { org, program: p } = pc.editable()?;
    let opts = form_options(&org).await?;
    let mut conn = org.conn().await?;
    let variants = repo::program_variants(&mut conn, org.org.id, p.id).await?;
    let form = ProgramForm {
        name: p.name.clone(),
        form_code: p.form_code.clone(),
        variants: variants.into_iter().map(|v| v.code).collect(),
        goal: p.goal.clone(),
        description: p.description.clone(),
        starts_on: p.starts_on.to_string(),
        ends_on: p.ends_on.to_string(),
        status: p.status.code().into(),
        curator: p.curator_user_id.map(|u| u.to_string()).unwrap_or_default(),
        version: p.version,
    };
    Ok(form_page(
        &org,
        FormFrame {
            heading: format!("Изменить программу «{}»", p.name),
            action: org.paths().program_edit(p.id),
            cancel: org.paths().program(p.id),
        },
        form,
        FormErrors::default(),
        &opts,
        false,
    )
    .into_response())
}

pub async fn update(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<super::form_input::FormInputForm>,
) -> AppResult<Response> {
    let ProgramCtx { org, program: p } = pc.editable()?;
    let mut form = read_program_form(&data);
    let cancel = org.paths().program(p.id);
    let mut tx = org.begin().await?;
    let (status, errors) = match commands::update(&mut tx, &org.actor(), p.id, &form).await {
        Ok(Saved::Saved) => {
            tx.commit().await?;
            return Ok(org.flash(&cancel, "Изменения программы сохранены."));
        }
        // Someone saved in between: keep what this user typed, take the new version so that a
        // second press knowingly overwrites.
        Ok(Saved::Conflict) => {
            form.version = p.version;
            (StatusCode::CONFLICT, FormErrors::default())
        }
        Err(Refused::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        Err(Refused::Failed(e)) => return Err(e),
    };
    drop(tx);
    let opts = form_options(&org).await?;
    let frame = FormFrame {
        heading: format!("Изменить программу «{}»", p.name),
        action: org.paths().program_edit(p.id),
        cancel,
    };
    let conflict = status == StatusCode::CONFLICT;
    let page = form_page(&org, frame, form, errors, &opts, conflict);
    Ok((status, page).into_response())
}

pub struct VariantGroup {
    pub form_title: String,
    pub form_code: String,
    pub variants: Vec<Choice>,
}

#[derive(Template, WebTemplate)]
#[template(path = "programs/form.html")]
pub struct ProgramFormPage {
    pub ctx: PageCtx,
    pub heading: String,
    pub action: String,
    pub cancel: String,
    pub form: ProgramForm,
    pub errors: FormErrors,
    pub forms: Vec<Choice>,
    pub variant_groups: Vec<VariantGroup>,
    pub statuses: Vec<Choice>,
    pub curators: Vec<Choice>,
    pub conflict: bool,
    pub no_org_forms: bool,
}
