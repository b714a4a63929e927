//! What erasing a person does in the tables of `programs` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "programs",
    tables: &[],
    free_text: &[
        FreeText::of_org("programs", &["description", "goal", "name"]),
        FreeText::of_org("roadmap_stages", &["result_text", "task_text", "title"]),
        FreeText::of_org("roadmap_tasks", &["period", "title"]),
    ],
    coded: &[
        ("form_variants", "code", "the platform catalogue"),
        ("form_variants", "form_code", "the platform catalogue"),
        ("form_variants", "goal", "the platform catalogue"),
        ("form_variants", "title", "the platform catalogue"),
        ("mentoring_forms", "code", "the platform catalogue"),
        ("mentoring_forms", "family", "the platform catalogue"),
        ("mentoring_forms", "goal", "the platform catalogue"),
        ("mentoring_forms", "mentee_side", "the platform catalogue"),
        ("mentoring_forms", "mentor_side", "the platform catalogue"),
        ("mentoring_forms", "results", "the platform catalogue"),
        ("mentoring_forms", "tasks", "the platform catalogue"),
        ("mentoring_forms", "title", "the platform catalogue"),
        ("org_forms", "form_code", "a catalogue code"),
        ("program_variants", "variant_code", "a catalogue code"),
        ("programs", "form_code", "a catalogue code"),
        ("programs", "status", "a status"),
        ("roadmap_tasks", "code", "a task code"),
        ("roadmap_tasks", "responsible_role", "a role"),
        ("roadmap_tasks", "status", "a status"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
