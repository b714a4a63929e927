//! The commands of the orders (each takes a transaction, the [`Actor`] and its input, and keeps
//! the rules of the orders whoever calls it — a page, the demo loader, a test): `prepare` (a
//! curator's draft fixing the agreed pairs no order fixes yet), `amend` (a curator's draft
//! cancelling fixed pairs), `approve` (a director's number and date: the document is frozen, the
//! cancelled pairs end) and `delete_draft` (a curator's; an approved order stays forever).

use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::AppError;
use crate::notifications::{Note, Teller};
use crate::programs::ProgramRow;
use crate::tenancy::Actor;
use crate::web::forms::{FormErrors, Refused, parse_date, trimmed};

use super::model::{Doc, OrderStatus, Row};
use super::repo::{self, Item, Order};

/// The curator's draft as the form sends it (and as the page shows it again after a mistake).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct DraftForm {
    pub plans_due: String,
    pub curator_name: String,
}

/// The director's approval as the form sends it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApprovalForm {
    pub number: String,
    pub signed_on: String,
}

/// An approval that can be written: a number of at most 40 characters and a date not later than
/// a month from today.
#[derive(Clone, Debug)]
pub struct Approval {
    pub number: String,
    pub signed_on: NaiveDate,
}

impl Approval {
    pub fn parse(form: &ApprovalForm, today: NaiveDate) -> Result<Self, FormErrors> {
        let number = trimmed(&form.number);
        let mut errors = FormErrors::default();
        if number.is_empty() {
            errors.add("number", "Укажите номер приказа.");
        }
        errors.limit("number", &number, 40);
        let signed_on = parse_date(&trimmed(&form.signed_on));
        match signed_on {
            None => errors.add("signed_on", "Укажите дату приказа."),
            Some(d) if d > today + chrono::Duration::days(31) => {
                errors.add("signed_on", "Дата приказа — не позже чем через месяц.")
            }
            _ => {}
        }
        match signed_on {
            Some(signed_on) if errors.is_empty() => Ok(Approval { number, signed_on }),
            _ => Err(errors),
        }
    }
}

/// What became of an order a command was asked to change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// The order was approved already: it does not change.
    Frozen,
}

/// The order `id` of the program with its items (404 for another program's or organization's).
pub async fn load(
    conn: &mut sqlx::PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    id: Uuid,
) -> Result<(Order, Vec<Item>), AppError> {
    let order = repo::one(conn, org_id, program_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let items = repo::items(conn, org_id, order.id).await?;
    Ok((order, items))
}

/// The document of an order: what the print page and the DOCX say. An approved order says what
/// was signed (the document frozen at its approval), whatever changed since.
pub async fn document(
    conn: &mut sqlx::PgConnection,
    org: &crate::tenancy::Organization,
    program: &ProgramRow,
    order: &Order,
    items: &[Item],
) -> Result<Doc, sqlx::Error> {
    if order.status == OrderStatus::Approved
        && let Some(kept) = repo::frozen(conn, org.id, order.id).await?
        && let Ok(doc) = serde_json::from_value::<Doc>(kept)
    {
        return Ok(doc);
    }
    let variants = repo::variants(conn, org.id, program.id).await?;
    let form = if variants.is_empty() {
        program.form_title.clone()
    } else {
        format!("{} ({})", program.form_title, variants.join(", "))
    };
    let starts = order.signed_on.unwrap_or_else(|| org.today());
    let row = |i: &Item| Row {
        mentor: i.mentor.clone(),
        mentees: i.mentees.clone(),
        form: form.clone(),
        from: if order.status == OrderStatus::Approved {
            starts.max(org.local(i.agreed_at).date_naive())
        } else {
            starts
        },
        to: program.ends_on,
    };
    let place = [&org.municipality, &org.region]
        .into_iter()
        .find(|s| !s.is_empty())
        .cloned()
        .unwrap_or_default();
    Ok(Doc {
        org_full_name: org.full_name.clone(),
        org_short_name: org.short_name.clone(),
        place,
        number: if order.status == OrderStatus::Approved {
            order.number.clone()
        } else {
            String::new()
        },
        signed_on: order.signed_on,
        program: program.name.clone(),
        plans_due: order.plans_due,
        curator: order.curator_name.clone(),
        director: order.director_name.clone(),
        fixes: items
            .iter()
            .filter(|i| i.action == "fix")
            .map(row)
            .collect(),
        cancels: items
            .iter()
            .filter(|i| i.action == "cancel")
            .map(row)
            .collect(),
    })
}

/// Tells the people of `role` in the organization about the order `id`.
async fn tell(
    tx: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    role: Role,
    program: &ProgramRow,
    id: Uuid,
    text: &str,
) -> Result<(), sqlx::Error> {
    let to: Vec<Uuid> = crate::tenancy::members_with_role(tx, by.org.id, role)
        .await?
        .into_iter()
        .map(|d| d.0)
        .collect();
    let link = by.paths().in_program(program.id).order(id);
    let note = Note {
        kind: "pairs",
        text,
        link: &link,
        details: &[],
    };
    crate::notifications::tell(tx, Teller::by(by), &to, note).await?;
    Ok(())
}

/// A curator's draft fixing every agreed pair of the program that no order fixes yet; the
/// directors are told. Refused with the fields' messages: no date for the plans, no curator's
/// name (or over 200 characters), no pair to fix.
pub async fn prepare(
    tx: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    program: &ProgramRow,
    form: &DraftForm,
) -> Result<Uuid, Refused> {
    by.require(tx, &[Role::Curator]).await?;
    let curator = trimmed(&form.curator_name);
    let mut errors = FormErrors::default();
    let plans_due = parse_date(&trimmed(&form.plans_due));
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
    let unfixed = repo::unfixed(tx, by.org.id, program.id).await?;
    if unfixed.is_empty() {
        errors.add("plans_due", "Все согласованные пары уже есть в приказах.");
    }
    let Some(plans_due) = plans_due.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    let order = repo::NewOrder {
        program_id: program.id,
        plans_due,
        curator_name: &curator,
        by: by.user_id,
        fixes: &unfixed,
        cancels: &[],
    };
    let detail = format!("программа {}, пар: {}", program.id, unfixed.len());
    Ok(draft(tx, by, program, &order, &detail).await?)
}

/// Writes a draft, audits it (`order.prepare` with `detail`) and tells the directors it waits.
async fn draft(
    tx: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    program: &ProgramRow,
    order: &repo::NewOrder<'_>,
    detail: &str,
) -> Result<Uuid, sqlx::Error> {
    let id = repo::create(tx, by.org.id, order).await?;
    crate::audit::record(tx, by, "order.prepare", None, detail).await?;
    let text = format!(
        "Проект приказа по программе «{}» ждёт утверждения",
        program.name
    );
    tell(tx, by, Role::Director, program, id, &text).await?;
    Ok(id)
}

/// A curator's draft cancelling the chosen pairs among those an approved order fixed and no
/// order cancels yet (others chosen are left out); `None` when none of them is.
pub async fn amend(
    tx: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    program: &ProgramRow,
    chosen: &[Uuid],
    curator_name: &str,
) -> Result<Option<Uuid>, Refused> {
    by.require(tx, &[Role::Curator]).await?;
    let cancellable = repo::cancellable(tx, by.org.id, program.id).await?;
    let pairs: Vec<Uuid> = chosen
        .iter()
        .copied()
        .filter(|p| cancellable.contains(p))
        .collect();
    if pairs.is_empty() {
        return Ok(None);
    }
    let order = repo::NewOrder {
        program_id: program.id,
        plans_due: by.today(),
        curator_name: program.curator_name.as_deref().unwrap_or(curator_name),
        by: by.user_id,
        fixes: &[],
        cancels: &pairs,
    };
    let detail = format!("программа {}, изменение, пар: {}", program.id, pairs.len());
    Ok(Some(draft(tx, by, program, &order, &detail).await?))
}

/// A director approves the draft `id` with a number and a date: the document as signed is frozen
/// (read by the print page and the DOCX from then on), the pairs it cancels end, the curators are
/// told. An approved order is [`Outcome::Frozen`]: nothing changes.
pub async fn approve(
    tx: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    program: &ProgramRow,
    id: Uuid,
    form: &ApprovalForm,
) -> Result<Outcome, Refused> {
    let Some((_, director)) = crate::tenancy::members_with_role(tx, by.org.id, Role::Director)
        .await?
        .into_iter()
        .find(|d| d.0 == by.user_id)
    else {
        return Err(AppError::Forbidden.into());
    };
    let (order, items) = load(tx, by.org.id, program.id, id).await?;
    if order.status != OrderStatus::Draft {
        return Ok(Outcome::Frozen);
    }
    let Approval { number, signed_on } = Approval::parse(form, by.today())?;
    if !repo::approve(
        tx,
        by.org.id,
        id,
        &number,
        signed_on,
        (by.user_id, &director),
    )
    .await?
    {
        return Ok(Outcome::Frozen);
    }
    let signed = Order {
        status: OrderStatus::Approved,
        number: number.clone(),
        signed_on: Some(signed_on),
        director_name: director,
        ..order
    };
    let doc = document(tx, by.org, program, &signed, &items).await?;
    let kept = serde_json::to_value(&doc)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("order document: {e}")))?;
    repo::freeze(tx, by.org.id, id, &kept).await?;
    for item in items.iter().filter(|i| i.action == "cancel") {
        crate::pairing::cancel_pair(tx, by.org.id, item.pair_id).await?;
    }
    crate::audit::record(
        tx,
        by,
        "order.approve",
        None,
        &format!("приказ {id} № {number} от {signed_on}"),
    )
    .await?;
    let text = format!(
        "Директор утвердил приказ № {number} по программе «{}»",
        program.name
    );
    tell(tx, by, Role::Curator, program, id, &text).await?;
    Ok(Outcome::Done)
}

/// A curator deletes the draft `id`; an approved order is [`Outcome::Frozen`] and stays.
pub async fn delete_draft(
    tx: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    program: &ProgramRow,
    id: Uuid,
) -> Result<Outcome, Refused> {
    by.require(tx, &[Role::Curator]).await?;
    load(tx, by.org.id, program.id, id).await?;
    if !repo::delete_draft(tx, by.org.id, id).await? {
        return Ok(Outcome::Frozen);
    }
    crate::audit::record(tx, by, "order.delete", None, &format!("приказ {id}")).await?;
    Ok(Outcome::Done)
}
