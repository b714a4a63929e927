//! What erasing a person does in the tables of `participants` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "participants",
    tables: &[
        ("enrolments", "kept (counts); results text cleared"),
        ("training_attendance", "kept (a mark, no personal data)"),
    ],
    free_text: &[
        FreeText::of_org("enrolments", &["results"]),
        FreeText::of_org("training_sessions", &["topic"]),
    ],
    coded: &[
        ("enrolments", "role", "a role"),
        ("enrolments", "status", "a status"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    crate::erasure::forget_rows!(
        conn,
        f,
        "UPDATE enrolments SET results = '' WHERE org_id = $1 AND person_id = $2",
    );
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
