//! What erasing a person does in the tables of `jobs` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "jobs",
    tables: &[],
    free_text: &[FreeText::of_org("jobs", &["last_error", "payload"])],
    coded: &[
        ("done_once", "key", "ids and dates"),
        ("done_once", "kind", "a kind code"),
        ("jobs", "kind", "a kind code"),
        ("jobs", "locked_by", "host:pid"),
        ("jobs", "status", "a status"),
        ("jobs", "unique_key", "ids and dates"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
