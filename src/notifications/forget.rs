//! What erasing a person does in the tables of `notifications` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "notifications",
    tables: &[(
        "outbox",
        "e-mail to the person's addresses or naming them deleted, sent or not",
    )],
    free_text: &[
        FreeText::of_org("notifications", &["link", "text"]),
        FreeText::of_org(
            "outbox",
            &[
                "body_html",
                "body_text",
                "last_error",
                "link",
                "subject",
                "to_address",
                "to_name",
                "unsubscribe",
            ],
        ),
    ],
    coded: &[
        ("notification_prefs", "channel", "a channel code"),
        ("notification_prefs", "kind", "a kind code"),
        ("notifications", "kind", "a kind code"),
        ("outbox", "idempotency_key", "ids and digests"),
        ("outbox", "kind", "a kind code"),
        ("outbox", "status", "a status"),
        ("unsubscribe_links", "kind", "a kind code"),
        ("unsubscribe_links", "token_hash", "a digest"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    super::forget_mail(&mut *conn, f.org_id, &f.addresses, &f.names).await?;
    // Notifications that name the person (to anyone in the organization).
    for name in &f.names {
        sqlx::query!(
            "DELETE FROM notifications WHERE org_id = $1 AND strpos(text, $2) > 0",
            f.org_id,
            name,
        )
        .execute(&mut *conn)
        .await?;
    }
    if let Some(uid) = f.own_account() {
        sqlx::query!("DELETE FROM notifications WHERE user_id = $1", uid,)
            .execute(&mut *conn)
            .await?;
    }
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
