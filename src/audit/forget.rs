//! What erasing a person does in the tables of `audit` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "audit",
    tables: &[("audit_log", "kept: entries refer to the person by id only")],
    free_text: &[FreeText::of_org("audit_log", &["details", "user_name"])],
    coded: &[
        ("audit_log", "action", "an action code"),
        ("audit_log", "ip", "an address"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
