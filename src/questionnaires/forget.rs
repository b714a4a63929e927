//! What erasing a person does in the tables of `questionnaires` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "questionnaires",
    tables: &[
        ("assignment_targets", "deleted"),
        ("responses", "deleted (answers are personal data)"),
    ],
    free_text: &[
        FreeText::of_org("questionnaire_versions", &["definition"]),
        FreeText::of_org("questionnaires", &["title"]),
        FreeText::of_org("response_versions", &["answers"]),
        FreeText::of_org("responses", &["answers"]),
    ],
    coded: &[
        ("assignments", "audience", "an audience code"),
        ("questionnaire_schedules", "audience", "an audience code"),
        ("questionnaires", "purpose", "a purpose code"),
        ("questionnaires", "template_code", "a template code"),
        ("responses", "status", "a status"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    crate::erasure::forget_rows!(
        conn,
        f,
        "DELETE FROM responses WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM assignment_targets WHERE org_id = $1 AND person_id = $2",
    );
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
