//! What erasing a person does in the tables of `recruitment` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "recruitment",
    tables: &[(
        "applications",
        "deleted (the application names the person and their contact)",
    )],
    free_text: &[FreeText::of_org(
        "applications",
        &[
            "class_or_position",
            "contact",
            "full_name",
            "motivation",
            "reason",
        ],
    )],
    coded: &[
        ("application_links", "role", "mentor or mentee"),
        ("application_links", "token", "a digest"),
        ("applications", "role", "mentor or mentee"),
        ("applications", "source", "a fixed vocabulary"),
        ("applications", "status", "a status"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    crate::erasure::forget_rows!(
        conn,
        f,
        "DELETE FROM applications WHERE org_id = $1 AND person_id = $2",
    );
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
