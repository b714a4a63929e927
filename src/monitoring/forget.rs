//! What erasing a person does in the tables of `monitoring` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "monitoring",
    tables: &[("measurements", "deleted (monitoring values of the person)")],
    free_text: &[
        FreeText::of_org("monitoring_parameters", &["title"]),
        FreeText::of_org(
            "program_swot",
            &["opportunities", "strengths", "threats", "weaknesses"],
        ),
    ],
    coded: &[
        ("measurements", "source", "a source code"),
        ("measurements", "stage", "entry or final"),
        ("monitoring_parameters", "question_key", "a question key"),
        ("monitoring_parameters", "role", "a role"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    crate::erasure::forget_rows!(
        conn,
        f,
        "DELETE FROM measurements WHERE org_id = $1 AND person_id = $2",
    );
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
