//! What erasing a person does in the tables of `tenancy` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "tenancy",
    tables: &[("membership_invitations", "deleted")],
    free_text: &[
        FreeText::of_org("membership_invitations", &["email", "typed_name"]),
        FreeText {
            table: "organizations",
            scope: "id = $1",
            columns: &[
                "doc_curator_order",
                "doc_intro_order",
                "doc_regulation",
                "site_section_url",
            ],
        },
    ],
    coded: &[
        ("membership_invitations", "roles", "role codes"),
        ("memberships", "roles", "role codes"),
        (
            "municipalities",
            "name",
            "the platform's list of territories",
        ),
        (
            "organizations",
            "full_name",
            "the organization's own name or place, set by the platform administrator (a school named after a person keeps its name)",
        ),
        ("organizations", "kind", "a kind code"),
        (
            "organizations",
            "municipality",
            "the organization's own name or place, set by the platform administrator (a school named after a person keeps its name)",
        ),
        (
            "organizations",
            "region",
            "the organization's own name or place, set by the platform administrator (a school named after a person keeps its name)",
        ),
        (
            "organizations",
            "short_name",
            "the organization's own name or place, set by the platform administrator (a school named after a person keeps its name)",
        ),
        ("organizations", "slug", "Latin letters, digits and hyphens"),
        ("organizations", "time_zone", "a time zone name"),
        ("regions", "name", "the platform's list of territories"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    crate::erasure::forget_rows!(
        conn,
        f,
        "DELETE FROM membership_invitations WHERE org_id = $1 AND person_id = $2",
    );
    if let Some(uid) = f.user_id {
        if f.account_shared {
            // Only the link (in people) and the participant's roles go.
            sqlx::query!(
                "UPDATE memberships SET roles = ARRAY(SELECT r FROM unnest(roles) r WHERE r NOT IN ('mentor', 'mentee')) WHERE org_id = $1 AND user_id = $2",
                f.org_id,
                uid,
            )
            .execute(&mut *conn)
            .await?;
            sqlx::query!(
                "DELETE FROM memberships WHERE org_id = $1 AND user_id = $2 AND roles = '{}'",
                f.org_id,
                uid,
            )
            .execute(&mut *conn)
            .await?;
        } else {
            sqlx::query!(
                "DELETE FROM memberships WHERE org_id = $1 AND user_id = $2",
                f.org_id,
                uid,
            )
            .execute(&mut *conn)
            .await?;
            sqlx::query!("DELETE FROM membership_invitations WHERE user_id = $1", uid,)
                .execute(&mut *conn)
                .await?;
        }
    }
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
