//! What erasing a person does in the tables of `pairing` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "pairing",
    tables: &[
        ("pair_members", "the person's comment cleared"),
        (
            "pairs",
            "kept: the mentor by id; explanations name criteria, not people",
        ),
        ("matching_forbidden", "deleted"),
    ],
    free_text: &[
        FreeText::of_org("pair_members", &["comment"]),
        FreeText::of_org("pairs", &["explanation"]),
    ],
    coded: &[
        ("matching_settings", "objective", "an objective code"),
        ("matching_settings", "weights", "numbers"),
        ("pair_members", "answer", "a status"),
        ("pair_members", "role", "a role"),
        ("pairs", "scheme", "a scheme code"),
        ("pairs", "status", "a status"),
        ("pairs", "variant_code", "a catalogue code"),
    ],
};

/// The pairs where the person is the only mentee (their final report there is their own).
pub async fn solo_mentee_pairs(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT m.pair_id AS "v!" FROM pair_members m
            WHERE m.org_id = $1 AND m.person_id = $2 AND m.role = 'mentee'
              AND (SELECT count(*) FROM pair_members o WHERE o.pair_id = m.pair_id AND o.role = 'mentee') = 1"#,
        org_id,
        person_id,
    )
    .fetch_all(conn)
    .await
}

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    crate::erasure::forget_rows!(
        conn,
        f,
        "UPDATE pair_members SET comment = '' WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM matching_forbidden WHERE org_id = $1 AND (mentor_id = $2 OR mentee_id = $2)",
    );
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
