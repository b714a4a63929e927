//! What erasing a person does in the tables of `activities` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "activities",
    tables: &[
        (
            "activities",
            "kept: a one-person activity refers to the person by id",
        ),
        ("activity_signups", "kept (sign-up and attendance marks)"),
        (
            "activity_feedback",
            "the person's comment cleared; the rating stays",
        ),
    ],
    free_text: &[
        FreeText::of_org(
            "activities",
            &[
                "cancel_reason",
                "classes",
                "description",
                "expert",
                "link",
                "materials",
                "place",
                "recording",
                "topic",
            ],
        ),
        FreeText {
            table: "activity_exceptions",
            scope: "activity_id IN (SELECT id FROM activities WHERE org_id = $1)",
            columns: &["reason"],
        },
        FreeText::of_org("activity_feedback", &["comment"]),
        FreeText::of_org("activity_formats", &["label"]),
        FreeText::of_org("topic_requests", &["text"]),
    ],
    coded: &[
        ("activities", "audience", "a fixed vocabulary"),
        (
            "activities",
            "format",
            "a format code or the organization's own label",
        ),
        ("activities", "leaders", "user ids (uuid[])"),
        ("activities", "level", "a fixed vocabulary"),
        ("activities", "repeat_days", "weekday numbers"),
        ("calendar_feeds", "digest", "a digest"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    crate::erasure::forget_rows!(
        conn,
        f,
        "UPDATE activity_feedback SET comment = '' WHERE org_id = $1 AND person_id = $2",
    );
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
