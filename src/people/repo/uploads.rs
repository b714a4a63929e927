//! Uploaded class lists kept between preview and import, and the import's bulk insert.

#[allow(unused_imports)]
use super::*;

/// Matching keys of everyone in the organization (see `import::person_keys`).
pub async fn existing_keys(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<std::collections::HashSet<String>, sqlx::Error> {
    let rows: Vec<(String, String, String, Option<NaiveDate>, String)> = sqlx::query!(
        r#"SELECT last_name AS "c0!", first_name AS "c1!", middle_name AS "c2!", birth_date AS "c3?", class_name AS "c4!" FROM people
          WHERE org_id = $1 AND anonymized_at IS NULL"#,
        org_id,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3, r.c4))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .flat_map(|(l, f, m, b, c)| crate::people::import::person_keys(l, f, m, *b, c))
        .collect())
}

/// Keeps an uploaded list as parsed (the file itself is not kept).
pub async fn save_upload(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    filename: &str,
    parsed: &serde_json::Value,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO import_uploads (org_id, user_id, filename, content, parsed)
         VALUES ($1, $2, $3, ''::bytea, $4) RETURNING id AS "v!""#,
        org_id,
        user_id,
        filename,
        parsed,
    )
    .fetch_one(conn)
    .await
}

/// An uploaded list: its file name, its parsed rows (none once imported) and when it was
/// imported.
pub async fn upload(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<(String, Option<serde_json::Value>, Option<DateTime<Utc>>)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT filename AS "c0!", parsed AS "c1?", imported_at AS "c2?" FROM import_uploads WHERE org_id = $1 AND id = $2"#,
        org_id,
        id,
    ).map(|r| (r.c0, r.c1, r.c2))
    .fetch_optional(conn)
    .await
}

/// Deletes uploaded files older than a day (imported or abandoned): class lists are personal data.
pub async fn drop_stale_uploads(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query!("DELETE FROM import_uploads WHERE created_at < now() - interval '24 hours'",)
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

pub async fn mark_imported(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    // The file's content is deleted as soon as it is imported (the row stays to refuse a repeat).
    let n = sqlx::query!(
        "UPDATE import_uploads SET imported_at = now(), content = ''::bytea, parsed = NULL WHERE org_id = $1 AND id = $2 AND imported_at IS NULL",
        org_id,
        id,
    )
        .execute(conn)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Inserts the rows in one statement; returns the new ids.
pub async fn insert_many(
    conn: &mut PgConnection,
    org_id: Uuid,
    kind: &str,
    rows: &[&crate::people::import::RowResult],
    keep_personal_data: bool,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let col = |f: &dyn Fn(&crate::people::import::RowResult) -> String| {
        rows.iter().map(|r| f(r)).collect::<Vec<String>>()
    };
    let pd = |f: &dyn Fn(&crate::people::import::RowResult) -> String| {
        rows.iter()
            .map(|r| {
                if keep_personal_data {
                    f(r)
                } else {
                    String::new()
                }
            })
            .collect::<Vec<String>>()
    };
    let births: Vec<Option<NaiveDate>> = rows
        .iter()
        .map(|r| {
            if keep_personal_data {
                r.birth_date
            } else {
                None
            }
        })
        .collect();
    let mentee = crate::people::model::is_learner(kind);
    sqlx::query_scalar!(
        r#"INSERT INTO people (org_id, kind, in_mentee_base, in_mentor_base, last_name, first_name,
                middle_name, class_name, birth_date, email, phone, subjects, position, notes)
         SELECT $1, $2, $3, NOT $3, * FROM unnest($4::text[], $5::text[], $6::text[], $7::text[],
                $8::date[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
         RETURNING id AS "v!""#,
        org_id,
        kind,
        mentee,
        col(&|r| r.last_name.clone()) as _,
        col(&|r| r.first_name.clone()) as _,
        col(&|r| r.middle_name.clone()) as _,
        col(&|r| r.class_name.clone()) as _,
        births as _,
        pd(&|r| r.email.clone()) as _,
        pd(&|r| r.phone.clone()) as _,
        pd(&|r| r.subjects.clone()) as _,
        pd(&|r| r.position.clone()) as _,
        pd(&|r| r.notes.clone()) as _,
    )
    .fetch_all(conn)
    .await
}
