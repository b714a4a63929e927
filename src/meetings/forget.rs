//! What erasing a person does in the tables of `meetings` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "meetings",
    tables: &[
        (
            "meeting_feedback",
            "the person's comment cleared; the rating stays",
        ),
        ("meeting_attendance", "kept (a mark, no personal data)"),
    ],
    free_text: &[
        FreeText::of_org("meeting_feedback", &["comment"]),
        FreeText::of_org(
            "meetings",
            &[
                "cancel_reason",
                "done",
                "goal",
                "next_steps",
                "place",
                "private_note",
                "result",
                "topic",
            ],
        ),
    ],
    coded: &[
        ("meeting_feedback", "fit", "a fixed vocabulary"),
        ("meetings", "format", "a format code"),
        ("meetings", "kind", "a kind code"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    crate::erasure::forget_rows!(
        conn,
        f,
        "UPDATE meeting_feedback SET comment = '' WHERE org_id = $1 AND person_id = $2",
    );
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
