//! What erasing a person does in the tables of `db` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;

use crate::erasure::{Forgets, Forgotten};

pub const ERASURE: Forgets = Forgets {
    domain: "db",
    tables: &[],
    free_text: &[],
    coded: &[
        ("backups", "file", "a file name made by the app"),
        ("backups", "kind", "daily or weekly"),
    ],
};

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
