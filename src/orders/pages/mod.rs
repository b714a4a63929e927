//! The orders pages: a program's orders with the forms that prepare one (`orders`), one order as
//! the print-ready document with the director's approval and its DOCX (`order`). Only the
//! organization's curators and directors see them (404 for anyone else).

pub mod order;
pub mod orders;

use crate::error::AppResult;
use crate::orders::model::{Doc, Row};
use crate::orders::repo::{self, Item, Order};
use crate::programs::ProgramCtx;
use crate::web::forms::ru_date;

/// «Приказ № 45-од от 01.09.2026», or «Проект приказа от …» for a draft.
pub(super) fn order_title(o: &Order) -> String {
    match (o.status.as_str(), o.signed_on) {
        ("approved", Some(d)) => format!("Приказ № {} от {}", o.number, ru_date(d)),
        _ => format!("Проект приказа от {}", ru_date(o.created_at.date_naive())),
    }
}

/// The document of an order: what the print page and the DOCX say.
pub(super) async fn document(pc: &ProgramCtx, order: &Order, items: &[Item]) -> AppResult<Doc> {
    let org = &pc.org;
    let mut conn = org.conn().await?;
    // An approved order says what was signed, whatever changed since.
    if order.status == "approved"
        && let Some(kept) = repo::frozen(&mut conn, org.org.id, order.id).await?
        && let Ok(doc) = serde_json::from_value::<Doc>(kept)
    {
        return Ok(doc);
    }
    let variants = repo::variants(&mut conn, org.org.id, pc.program.id).await?;
    let form = if variants.is_empty() {
        pc.program.form_title.clone()
    } else {
        format!("{} ({})", pc.program.form_title, variants.join(", "))
    };
    let starts = order.signed_on.unwrap_or_else(|| org.org.today());
    let row = |i: &Item| Row {
        mentor: i.mentor.clone(),
        mentees: i.mentees.clone(),
        form: form.clone(),
        from: if order.status == "approved" {
            starts.max(i.agreed_on)
        } else {
            starts
        },
        to: pc.program.ends_on,
    };
    let place = [&org.org.municipality, &org.org.region]
        .into_iter()
        .find(|s| !s.is_empty())
        .cloned()
        .unwrap_or_default();
    Ok(Doc {
        org_full_name: org.org.full_name.clone(),
        org_short_name: org.org.short_name.clone(),
        place,
        number: if order.status == "approved" {
            order.number.clone()
        } else {
            String::new()
        },
        signed_on: order.signed_on,
        program: pc.program.name.clone(),
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
