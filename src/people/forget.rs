//! What erasing a person does in the tables of `people` (ARCHITECTURE.md, «Erasure»): the rows
//! that refer to the person, the free text that may name them, and the text columns that cannot.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::erasure::{Forgets, Forgotten, FreeText};

pub const ERASURE: Forgets = Forgets {
    domain: "people",
    tables: &[
        (
            "people",
            "name, birth date, contacts, notes, tags cleared; «Участник №N» stays",
        ),
        (
            "consents",
            "representative's name and relation, document reference cleared; dates stay",
        ),
        ("person_requests", "deleted"),
    ],
    free_text: &[
        FreeText::of_org(
            "consents",
            &[
                "document_ref",
                "representative_email",
                "representative_name",
                "representative_relation",
            ],
        ),
        FreeText::of_org("import_uploads", &["filename", "parsed"]),
        FreeText::of_org(
            "people",
            &[
                "class_name",
                "notes",
                "partner_org",
                "position",
                "subjects",
                "tags",
            ],
        ),
        FreeText::of_org("person_requests", &["text"]),
    ],
    coded: &[
        ("consents", "given_by", "self or representative"),
        ("consents", "scope", "a fixed vocabulary"),
        (
            "people",
            "email",
            "a person's own address: the erased person's row is cleared; anyone else's is theirs",
        ),
        (
            "people",
            "first_name",
            "a person's own name: the erased person's row is cleared; anyone else's is theirs",
        ),
        ("people", "kind", "a kind code"),
        (
            "people",
            "last_name",
            "a person's own name: the erased person's row is cleared; anyone else's is theirs",
        ),
        (
            "people",
            "middle_name",
            "a person's own name: the erased person's row is cleared; anyone else's is theirs",
        ),
        (
            "people",
            "phone",
            "a person's own phone: the erased person's row is cleared; anyone else's is theirs",
        ),
        (
            "people",
            "search_key",
            "derived from the name by a trigger (rebuilt when the name is cleared)",
        ),
        ("person_requests", "source", "a source code"),
    ],
};

/// Reads (and locks) the person to be forgotten: their name, number, phone and addresses (the
/// base's and their account's). `None` when there is no such person in the organization.
pub async fn begin(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<Forgotten>, sqlx::Error> {
    let Some(p) = sqlx::query!(
        r#"SELECT number, last_name, first_name, middle_name, phone, email, user_id FROM people
            WHERE org_id = $1 AND id = $2 FOR UPDATE"#,
        org_id,
        id,
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let mut addresses = vec![p.email.trim().to_lowercase()];
    if let Some(uid) = p.user_id
        && let Some((email, _)) = crate::auth::account_state(&mut *conn, uid).await?
    {
        addresses.push(email.trim().to_lowercase());
    }
    addresses.retain(|a| !a.is_empty());
    addresses.sort();
    addresses.dedup();
    let mut f = Forgotten::new(
        org_id,
        id,
        p.number,
        (&p.last_name, &p.first_name, &p.middle_name),
        &p.phone,
        addresses,
    );
    f.user_id = p.user_id;
    Ok(Some(f))
}

/// Forgets the person in these tables; runs inside the erasure's transaction.
pub async fn forget_person(conn: &mut PgConnection, f: &Forgotten) -> Result<(), sqlx::Error> {
    crate::erasure::forget_rows!(
        conn,
        f,
        "UPDATE people SET last_name = '', first_name = '', middle_name = '', birth_date = NULL, subjects = '', experience_years = NULL, position = '', partner_org = '', email = '', phone = '', notes = '', tags = '{}', anonymized_at = now(), version = version + 1, updated_at = now(), user_id = NULL WHERE org_id = $1 AND id = $2",
        "DELETE FROM person_requests WHERE org_id = $1 AND person_id = $2",
        "UPDATE consents SET representative_name = '', representative_relation = '', document_ref = '', representative_email = '', inform_representative = false WHERE org_id = $1 AND person_id = $2",
    );
    // A class list that may hold the person's row and is not imported yet.
    sqlx::query!(
        "DELETE FROM import_uploads WHERE org_id = $1 AND imported_at IS NULL",
        f.org_id,
    )
    .execute(&mut *conn)
    .await?;
    crate::erasure::scrub(conn, f, ERASURE.free_text).await?;
    Ok(())
}
