//! The orders pages: a program's orders with the forms that prepare one (`orders`), one order as
//! the print-ready document with the director's approval and its DOCX (`order`). Only the
//! organization's curators and directors see them (404 for anyone else).

pub mod order;
pub mod orders;

use crate::error::AppResult;
use crate::orders::OrderStatus;
use crate::orders::model::Doc;
use crate::orders::repo::{Item, Order};
use crate::programs::ProgramCtx;
use crate::web::forms::ru_date;

/// «Приказ № 45-од от 01.09.2026», or «Проект приказа от …» for a draft.
pub(super) fn order_title(o: &Order) -> String {
    match (o.status, o.signed_on) {
        (OrderStatus::Approved, Some(d)) => format!("Приказ № {} от {}", o.number, ru_date(d)),
        _ => format!("Проект приказа от {}", ru_date(o.created_at.date_naive())),
    }
}

/// The document of an order: what the print page and the DOCX say
/// ([`crate::orders::document`]).
pub(super) async fn document(pc: &ProgramCtx, order: &Order, items: &[Item]) -> AppResult<Doc> {
    let mut conn = pc.org.conn().await?;
    Ok(crate::orders::document(&mut conn, &pc.org.org, &pc.program, order, items).await?)
}
