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
use crate::notifications::{Note, Teller};
use crate::orders::repo;
use crate::paths::ProgramPaths;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, FormErrors, parse_date, trimmed};

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
            let side = |role: &str| {
                r.members
                    .iter()
                    .filter(|m| m.role == role)
                    .map(|m| m.name.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            Some((*id, format!("{} — {}", side("mentor"), side("mentee"))))
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
                approved: o.status == "approved",
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

/// Tells the organization's directors that a draft waits for them.
async fn tell_directors(pc: &ProgramCtx, tx: &mut sqlx::PgConnection, id: Uuid) -> AppResult<()> {
    let org = &pc.org;
    let directors: Vec<Uuid> = crate::tenancy::members_with_role(tx, org.org.id, Role::Director)
        .await?
        .into_iter()
        .map(|d| d.0)
        .collect();
    let text = format!(
        "Проект приказа по программе «{}» ждёт утверждения",
        pc.program.name
    );
    let link = org.paths().in_program(pc.program.id).order(id);
    let note = Note {
        kind: "pairs",
        text: &text,
        link: &link,
        details: &[],
    };
    crate::notifications::tell(tx, Teller::of(org), &directors, note).await?;
    Ok(())
}

/// Prepares a draft fixing every agreed pair no order fixes yet.
pub async fn prepare(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<OrdersForm>,
) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let plans_raw = trimmed(&data.plans_due);
    let curator = trimmed(&data.curator_name);
    let mut errors = FormErrors::default();
    let plans_due = parse_date(&plans_raw);
    if plans_due.is_none() {
        errors.add(
            "plans_due",
            "Укажите дату, до которой составить индивидуальные планы.",
        );
    }
    if curator.is_empty() {
        errors.add("curator_name", "Укажите ФИО куратора.");
    }
    errors.limit("curator_name", &curator, 200);
    let mut tx = org.begin().await?;
    let unfixed = repo::unfixed(&mut tx, org.org.id, pc.program.id).await?;
    if unfixed.is_empty() {
        errors.add("plans_due", "Все согласованные пары уже есть в приказах.");
    }
    let Some(plans_due) = plans_due.filter(|_| errors.is_empty()) else {
        drop(tx);
        let page = page(&pc, Some((plans_raw, curator)), errors).await?;
        return Ok(crate::web::forms::with_status(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            page,
        ));
    };
    let id = repo::create(
        &mut tx,
        org.org.id,
        &repo::NewOrder {
            program_id: pc.program.id,
            plans_due,
            curator_name: &curator,
            by: org.user.id,
            fixes: &unfixed,
            cancels: &[],
        },
    )
    .await?;
    crate::audit::record(
        &mut tx,
        org,
        "order.prepare",
        None,
        &format!("программа {}, пар: {}", pc.program.id, unfixed.len()),
    )
    .await?;
    tell_directors(&pc, &mut tx, id).await?;
    tx.commit().await?;
    Ok(org.flash(
        &org.paths().in_program(pc.program.id).order(id),
        "Проект приказа готов и отправлен директору на утверждение.",
    ))
}

/// Prepares an amending order cancelling the fixed pairs chosen.
pub async fn amend(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<OrdersForm>,
) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let chosen = crate::web::forms::uuids(&data.pair);
    let mut tx = org.begin().await?;
    let cancellable = repo::cancellable(&mut tx, org.org.id, pc.program.id).await?;
    let pairs: Vec<Uuid> = chosen
        .into_iter()
        .filter(|p| cancellable.contains(p))
        .collect();
    let prog = org.paths().in_program(pc.program.id);
    if pairs.is_empty() {
        return Ok(org.flash_error(
            &prog.orders(),
            "Отметьте пары, работу которых нужно прекратить.",
        ));
    }
    let id = repo::create(
        &mut tx,
        org.org.id,
        &repo::NewOrder {
            program_id: pc.program.id,
            plans_due: org.org.today(),
            curator_name: pc
                .program
                .curator_name
                .as_deref()
                .unwrap_or(&org.user.full_name),
            by: org.user.id,
            fixes: &[],
            cancels: &pairs,
        },
    )
    .await?;
    crate::audit::record(
        &mut tx,
        org,
        "order.prepare",
        None,
        &format!(
            "программа {}, изменение, пар: {}",
            pc.program.id,
            pairs.len()
        ),
    )
    .await?;
    tell_directors(&pc, &mut tx, id).await?;
    tx.commit().await?;
    Ok(org.flash(
        &prog.order(id),
        "Проект приказа об изменении готов и отправлен директору.",
    ))
}
