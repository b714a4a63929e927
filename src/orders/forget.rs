//! What erasing a person does in the tables of `orders` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "orders",
    tables: &[],
    free_text: &[FreeText::of_org("pair_order_documents", &["document"])],
    coded: &[
        ("pair_order_items", "action", "fix or cancel"),
        (
            "pair_orders",
            "curator_name",
            "staff names as signed: an approved order is frozen by a trigger (its document, pair_order_documents, is scrubbed)",
        ),
        (
            "pair_orders",
            "director_name",
            "staff names as signed: an approved order is frozen by a trigger (its document, pair_order_documents, is scrubbed)",
        ),
        ("pair_orders", "number", "the order's number"),
        ("pair_orders", "status", "a status"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
