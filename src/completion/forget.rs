//! What erasing a person does in the tables of `completion` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "completion",
    tables: &[("best_mentors", "deleted (a nomination names the person)")],
    free_text: &[
        FreeText::of_org("best_mentors", &["reason"]),
        FreeText::of_org("cases", &["done", "problem", "quotes", "result", "title"]),
        FreeText::of_org(
            "pair_results",
            &["links", "mentee_report", "mentor_report", "results"],
        ),
    ],
    coded: &[
        ("pair_results", "decision", "continue or stop"),
        (
            "pair_results",
            "early_reason",
            "a fixed vocabulary (a check)",
        ),
        ("pair_results", "goals_reached", "a fixed vocabulary"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    // Their own final report in a pair where they are the only mentee.
    let pairs =
        crate::pairing::forget::solo_mentee_pairs(&mut *conn, f.org_id, f.person_id).await?;
    sqlx::query!(
        "UPDATE pair_results SET mentee_report = '' WHERE org_id = $1 AND pair_id = ANY($2)",
        f.org_id,
        &pairs,
    )
    .execute(&mut *conn)
    .await?;
    crate::erasure::forget_rows!(
        conn,
        f,
        "DELETE FROM best_mentors WHERE org_id = $1 AND person_id = $2",
    );
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
