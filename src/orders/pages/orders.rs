//! A program's orders (`/programs/{program}/orders`): the list, newest first; the curator's form
//! that prepares a draft from the agreed pairs no order fixes yet (the directors are told), and
//! the form that prepares an amending order cancelling fixed pairs.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::Response;
use uuid::Uuid;

use super::order_title;
use crate::auth::model::Role;
use crate::error::AppResult;
use crate::orders::DraftForm;
use crate::orders::repo;
use crate::paths::ProgramPaths;
use crate::people::Side;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, FormErrors, Refused, trimmed};

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OrdersForm {
    pub curator_name: String,
    pub pair: Vec<String>,
    pub plans_due: String,
}

pub struct OrderLine {
    pub title: String,
    pub approved: bool,
    pub fixes: i64,
    pub cancels: i64,
    pub link: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "orders/orders.html")]
pub struct OrdersPage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub program_name: String,
    pub can_prepare: bool,
    pub orders: Vec<OrderLine>,
    /// Agreed pairs no order fixes yet.
    pub unfixed: Vec<String>,
    pub plans_due: String,
    pub curator_name: String,
    pub errors: FormErrors,
    /// Fixed pairs an amending order may cancel.
    pub cancellable: Vec<Choice>,
}

/// «Иванова М. П. — Петров П., Сидоров С.» for each pair id given, in that order.
fn pair_names(rows: &[crate::pairing::PairRow], ids: &[Uuid]) -> Vec<(Uuid, String)> {
    ids.iter()
        .filter_map(|id| {
            let r = rows.iter().find(|r| r.id == *id)?;
            let side = |role: Side| {
                r.members
                    .iter()
                    .filter(|m| m.role == role)
                    .map(|m| m.name.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            Some((
                *id,
                format!("{} — {}", side(Side::Mentor), side(Side::Mentee)),
            ))
        })
        .collect()
}

async fn page(
    pc: &ProgramCtx,
    form: Option<(String, String)>,
    errors: FormErrors,
) -> AppResult<OrdersPage> {
    let org = &pc.org;
    let mut conn = org.conn().await?;
    let orders = repo::of_program(&mut conn, org.org.id, pc.program.id).await?;
    let unfixed = repo::unfixed(&mut conn, org.org.id, pc.program.id).await?;
    let cancellable = repo::cancellable(&mut conn, org.org.id, pc.program.id).await?;
    let rows = crate::pairing::pairs_of_program(&mut conn, org.org.id, pc.program.id).await?;
    drop(conn);
    let prog = org.paths().in_program(pc.program.id);
    let (plans_due, curator_name) = form.unwrap_or_else(|| {
        (
            (org.org.today() + chrono::Duration::days(30)).to_string(),
            pc.program
                .curator_name
                .clone()
                .unwrap_or_else(|| org.user.full_name.clone()),
        )
    });
    Ok(OrdersPage {
        ctx: org.page(format!("Приказы — {}", pc.program.name), "programs"),
        program_name: pc.program.name.clone(),
        can_prepare: org.has(Role::Curator),
        orders: orders
            .iter()
            .map(|o| OrderLine {
                title: order_title(o),
                approved: o.status == crate::orders::OrderStatus::Approved,
                fixes: o.fixes,
                cancels: o.cancels,
                link: prog.order(o.id),
            })
            .collect(),
        unfixed: pair_names(&rows, &unfixed)
            .into_iter()
            .map(|p| p.1)
            .collect(),
        plans_due,
        curator_name,
        errors,
        cancellable: pair_names(&rows, &cancellable)
            .into_iter()
            .map(|(id, label)| Choice {
                value: id.to_string(),
                label,
                selected: false,
            })
            .collect(),
        prog,
    })
}

pub async fn orders(pc: ProgramCtx) -> AppResult<OrdersPage> {
    let pc = pc.staff()?;
    page(&pc, None, FormErrors::default()).await
}

/// Prepares a draft fixing every agreed pair no order fixes yet ([`crate::orders::prepare`]).
pub async fn prepare(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<OrdersForm>,
) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let form = DraftForm {
        plans_due: data.plans_due,
        curator_name: data.curator_name,
    };
    let mut tx = org.begin().await?;
    match crate::orders::prepare(&mut tx, &org.actor(), &pc.program, &form).await {
        Ok(id) => {
            tx.commit().await?;
            Ok(org.flash(
                &org.paths().in_program(pc.program.id).order(id),
                "Проект приказа готов и отправлен директору на утверждение.",
            ))
        }
        Err(Refused::Invalid(errors)) => {
            drop(tx);
            let typed = (trimmed(&form.plans_due), trimmed(&form.curator_name));
            let page = page(&pc, Some(typed), errors).await?;
            Ok(crate::web::forms::with_status(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                page,
            ))
        }
        Err(Refused::Failed(e)) => Err(e),
    }
}

/// Prepares an amending order cancelling the fixed pairs chosen ([`crate::orders::amend`]).
pub async fn amend(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<OrdersForm>,
) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let chosen = crate::web::forms::uuids(&data.pair);
    let prog = org.paths().in_program(pc.program.id);
    let mut tx = org.begin().await?;
    let amended = crate::orders::amend(
        &mut tx,
        &org.actor(),
        &pc.program,
        &chosen,
        &org.user.full_name,
    )
    .await;
    match amended {
        Ok(Some(id)) => {
            tx.commit().await?;
            Ok(org.flash(
                &prog.order(id),
                "Проект приказа об изменении готов и отправлен директору.",
            ))
        }
        Ok(None) => Ok(org.flash_error(
            &prog.orders(),
            "Отметьте пары, работу которых нужно прекратить.",
        )),
        Err(Refused::Invalid(_)) => Err(crate::error::AppError::NotFound),
        Err(Refused::Failed(e)) => Err(e),
    }
}
