//! One order (`/programs/{program}/orders/{id}`): the document as the school prints it (A4), its
//! DOCX, the director's approval with the number and the date (then it never changes; cancelled
//! pairs end and their mentees go back to matching), and deleting a draft.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{document, order_title};
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::orders::model::{COLUMNS, Doc, term};
use crate::orders::repo::{self, Order};
use crate::orders::{ApprovalForm, Outcome};
use crate::paths::ProgramPaths;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;
use crate::web::forms::{FormErrors, Refused, trimmed};
use crate::web::ids::Id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OrderForm {
    pub number: String,
    pub signed_on: String,
}

pub struct RowView {
    pub n: usize,
    pub mentor: String,
    pub mentees: Vec<String>,
    pub form: String,
    pub term: String,
}

pub struct Appendix {
    pub n: usize,
    pub caption: String,
    pub rows: Vec<RowView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "orders/order.html")]
pub struct OrderPage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub title: String,
    pub approved: bool,
    pub doc: Doc,
    pub points: Vec<String>,
    pub mentors: Vec<String>,
    pub appendices: Vec<Appendix>,
    pub columns: [&'static str; 5],
    pub can_approve: bool,
    pub can_delete: bool,
    pub number: String,
    pub signed_on: String,
    pub errors: FormErrors,
    pub docx: String,
    pub approve: String,
    pub delete: String,
}

async fn load(pc: &ProgramCtx, id: uuid::Uuid) -> AppResult<(Order, Vec<repo::Item>)> {
    let mut conn = pc.org.conn().await?;
    crate::orders::load(&mut conn, pc.org.org.id, pc.program.id, id).await
}

async fn page(
    pc: &ProgramCtx,
    order: &Order,
    items: &[repo::Item],
    form: Option<(String, String)>,
    errors: FormErrors,
) -> AppResult<OrderPage> {
    let org = &pc.org;
    let doc = document(pc, order, items).await?;
    let mut conn = org.conn().await?;
    crate::audit::record(
        &mut conn,
        org,
        "order.view",
        None,
        &format!("приказ {}", order.id),
    )
    .await?;
    let prog = org.paths().in_program(pc.program.id);
    let draft = order.status == crate::orders::OrderStatus::Draft;
    let mut mentors: Vec<String> = doc
        .fixes
        .iter()
        .chain(doc.cancels.iter())
        .map(|r| r.mentor.clone())
        .collect();
    mentors.sort();
    mentors.dedup();
    let (number, signed_on) = form.unwrap_or_else(|| (String::new(), org.org.today().to_string()));
    Ok(OrderPage {
        ctx: org.page(order_title(order), "programs"),
        title: order_title(order),
        approved: !draft,
        points: doc.points(),
        mentors,
        appendices: doc
            .appendices()
            .into_iter()
            .enumerate()
            .map(|(i, (caption, rows))| Appendix {
                n: i + 1,
                caption,
                rows: rows
                    .iter()
                    .enumerate()
                    .map(|(j, r)| RowView {
                        n: j + 1,
                        mentor: r.mentor.clone(),
                        mentees: r.mentees.clone(),
                        form: r.form.clone(),
                        term: term(r),
                    })
                    .collect(),
            })
            .collect(),
        columns: COLUMNS,
        can_approve: draft && org.has(Role::Director),
        can_delete: draft && org.has(Role::Curator),
        number,
        signed_on,
        errors,
        docx: prog.order_docx(order.id),
        approve: prog.order_approve(order.id),
        delete: prog.order_delete(order.id),
        doc,
        prog,
    })
}

pub async fn order(pc: ProgramCtx, Id(id): Id) -> AppResult<OrderPage> {
    let pc = pc.staff()?;
    let (order, items) = load(&pc, id).await?;
    page(&pc, &order, &items, None, FormErrors::default()).await
}

pub async fn order_docx(pc: ProgramCtx, Id(id): Id) -> AppResult<Response> {
    let pc = pc.staff()?;
    let (order, items) = load(&pc, id).await?;
    let doc = document(&pc, &order, &items).await?;
    let mut conn = pc.org.conn().await?;
    crate::audit::record(
        &mut conn,
        &pc.org,
        "export",
        None,
        &format!("приказ {} (DOCX)", order.id),
    )
    .await?;
    drop(conn);
    let bytes = crate::web::blocking(move || crate::orders::docx::render(&doc))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("docx: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("docx: {e}")))?;
    let name = if order.number.is_empty() {
        "prikaz-proekt.docx".to_string()
    } else {
        let safe: String = order
            .number
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("prikaz-{safe}.docx")
    };
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The director approves a draft: a number and a date; cancelled pairs end
/// ([`crate::orders::approve`]).
pub async fn approve(
    pc: ProgramCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<OrderForm>,
) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Director])?;
    let org = &pc.org;
    let prog = org.paths().in_program(pc.program.id);
    let form = ApprovalForm {
        number: data.number,
        signed_on: data.signed_on,
    };
    let mut tx = org.begin().await?;
    match crate::orders::approve(&mut tx, &org.actor(), &pc.program, id, &form).await {
        Ok(Outcome::Done) => {
            crate::failpoint::pause("order.approve").await;
            tx.commit().await?;
            Ok(org.flash(&prog.order(id), "Приказ утверждён."))
        }
        Ok(Outcome::Frozen) => {
            Ok(org.flash_error(&prog.order(id), "Приказ уже утверждён и не меняется."))
        }
        Err(Refused::Invalid(errors)) => {
            drop(tx);
            let (order, items) = load(&pc, id).await?;
            let typed = (trimmed(&form.number), trimmed(&form.signed_on));
            let page = page(&pc, &order, &items, Some(typed), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(Refused::Failed(e)) => Err(e),
    }
}

/// The curator deletes a draft (an approved order stays forever;
/// [`crate::orders::delete_draft`]).
pub async fn delete(pc: ProgramCtx, Id(id): Id) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let prog = org.paths().in_program(pc.program.id);
    let mut tx = org.begin().await?;
    match crate::orders::delete_draft(&mut tx, &org.actor(), &pc.program, id).await {
        Ok(Outcome::Done) => {
            tx.commit().await?;
            Ok(org.flash(&prog.orders(), "Проект приказа удалён."))
        }
        Ok(Outcome::Frozen) => {
            Ok(org.flash_error(&prog.order(id), "Утверждённый приказ не удаляется."))
        }
        Err(Refused::Invalid(_)) => Err(AppError::NotFound),
        Err(Refused::Failed(e)) => Err(e),
    }
}
