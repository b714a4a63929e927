//! What erasing a person does in the tables of `auth` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten};

pub const ERASURE: Forgets = Forgets {
    domain: "auth",
    tables: &[],
    free_text: &[],
    coded: &[
        ("invitations", "kind", "a kind code"),
        ("invitations", "token", "a digest"),
        ("login_throttle", "key", "a digest"),
        ("sessions", "id", "a digest"),
        (
            "users",
            "email",
            "an account's own address: the person's own account is rewritten by the erasure, anyone else's is theirs",
        ),
        (
            "users",
            "full_name",
            "an account's own name: the person's own account is rewritten by the erasure, anyone else's is theirs",
        ),
        ("users", "login_kind", "a kind code"),
        ("users", "password_hash", "a digest"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    if let Some(uid) = f.own_account() {
        sqlx::query!(
            "UPDATE users SET email = 'erased-' || id::text, full_name = $2, password_hash = NULL, disabled_at = now(), is_platform_admin = false WHERE id = $1",
            uid,
            &f.replacement,
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!("DELETE FROM sessions WHERE user_id = $1", uid,)
            .execute(&mut *conn)
            .await?;
        sqlx::query!("DELETE FROM invitations WHERE user_id = $1", uid,)
            .execute(&mut *conn)
            .await?;
    }
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
