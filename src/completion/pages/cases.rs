//! The organization's case library (`/o/{slug}/cases`): a pair's story — the problem, what was
//! done, the result, quotes — written by the curator, printable; published (for the region's
//! reports) only with the consent of the people it names. Curators write, directors read.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::auth::model::Role;
use crate::completion::CaseRefused;
use crate::completion::repo::{self, Case};
use crate::error::{AppError, AppResult};
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, FormErrors, Refused, trimmed};
use crate::web::ids::Id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CasesForm {
    pub consented: String,
    pub done: String,
    pub names_confirmed: String,
    pub problem: String,
    pub program: String,
    pub published: String,
    pub quotes: String,
    pub result: String,
    pub title: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "completion/cases.html")]
pub struct CasesPage {
    pub ctx: PageCtx,
    pub cases: Vec<Case>,
    pub can_edit: bool,
    pub form: Case,
    pub programs: Vec<Choice>,
    pub errors: FormErrors,
    pub action: String,
    /// Editing an existing case.
    pub editing: bool,
    /// People of the organization named in the text of a case to be published: removed from
    /// the text, or confirmed one by one as consenting.
    pub found: Vec<String>,
}

async fn page(org: &OrgCtx, form: Case, errors: FormErrors) -> AppResult<CasesPage> {
    let mut conn = org.conn().await?;
    let cases = repo::cases(&mut conn, org.org.id).await?;
    let programs = crate::programs::programs(&mut conn, org.org.id).await?;
    drop(conn);
    let p = org.paths();
    Ok(CasesPage {
        ctx: org.page("Кейсы наставничества", "programs"),
        can_edit: org.has(Role::Curator),
        programs: programs
            .into_iter()
            .map(|x| Choice {
                selected: form.program_id == Some(x.id),
                value: x.id.to_string(),
                label: x.name,
            })
            .collect(),
        action: if form.id.is_nil() {
            p.cases()
        } else {
            p.case(form.id)
        },
        editing: !form.id.is_nil(),
        found: Vec::new(),
        cases,
        form,
        errors,
    })
}

pub async fn cases(org: OrgCtx) -> AppResult<CasesPage> {
    org.require_staff()?;
    page(&org, Case::default(), FormErrors::default()).await
}

/// The case opened for editing (and printing).
pub async fn case(org: OrgCtx, Id(id): Id) -> AppResult<CasesPage> {
    org.require_staff()?;
    let mut conn = org.conn().await?;
    let c = repo::case(&mut conn, org.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    page(&org, c, FormErrors::default()).await
}

async fn save(org: OrgCtx, id: Uuid, data: CasesForm) -> AppResult<Response> {
    org.require_staff()?;
    org.require_any(&[Role::Curator])?;
    let mut c = Case {
        id,
        program_id: Uuid::parse_str(&data.program).ok(),
        title: trimmed(&data.title),
        problem: trimmed(&data.problem),
        done: trimmed(&data.done),
        result: trimmed(&data.result),
        quotes: trimmed(&data.quotes),
        consented: data.consented == "1",
        published: data.published == "1",
        names_checked: false,
    };
    let mut tx = org.begin().await?;
    match crate::completion::save_case(&mut tx, &org.actor(), &mut c, data.names_confirmed == "1")
        .await
    {
        Ok(id) => {
            tx.commit().await?;
            Ok(org.flash(&org.paths().case(id), "Кейс сохранён."))
        }
        Err(CaseRefused {
            refused: Refused::Invalid(errors),
            names,
        }) => {
            drop(tx);
            let mut page = page(&org, c, errors).await?;
            page.found = names;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(CaseRefused {
            refused: Refused::Failed(e),
            ..
        }) => Err(e),
    }
}

pub async fn create(
    org: OrgCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<CasesForm>,
) -> AppResult<Response> {
    save(org, Uuid::nil(), data).await
}

pub async fn update(
    org: OrgCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<CasesForm>,
) -> AppResult<Response> {
    save(org, id, data).await
}
