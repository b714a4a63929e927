//! What erasing a person does in the tables of `plans` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "plans",
    tables: &[
        (
            "plans",
            "deleted with their goals and history (the mentee's plan is personal data)",
        ),
        ("diary_entries", "deleted"),
    ],
    free_text: &[
        FreeText::of_org("diary_entries", &["done", "hard", "worked"]),
        FreeText::of_org("plan_goals", &["expected", "measure", "steps", "title"]),
        FreeText::of_org("plan_history", &["what"]),
        FreeText::of_org(
            "plans",
            &[
                "growth_zones",
                "joint_analysis",
                "self_analysis",
                "strengths",
            ],
        ),
    ],
    coded: &[
        ("plan_goals", "horizon", "a fixed vocabulary"),
        ("plan_goals", "sphere", "a fixed vocabulary"),
        ("plan_goals", "stage", "a fixed vocabulary"),
        ("plan_goals", "status", "a status"),
        ("plans", "stages", "three or club (a check)"),
        ("plans", "sphere", "a fixed vocabulary"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    crate::erasure::forget_rows!(
        conn,
        f,
        "DELETE FROM plans WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM diary_entries WHERE org_id = $1 AND person_id = $2",
    );
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
