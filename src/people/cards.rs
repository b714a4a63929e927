//! What other domains may know of a person by id (ARCHITECTURE.md, «One owner per table»): the
//! number, the name (an erased person is «Участник №…»), the class, the linked account. The one
//! way another domain reads `people` for a list it already holds the ids of.

use std::collections::{HashMap, HashSet};

use sqlx::PgConnection;
use uuid::Uuid;

/// A person as another domain shows them.
#[derive(Clone, Debug, Default)]
pub struct Card {
    pub id: Uuid,
    pub number: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub class_name: String,
    pub anonymized: bool,
    pub user_id: Option<Uuid>,
    /// pupil, student, teacher, … (`model::KINDS`).
    pub kind: String,
    pub experience_years: Option<i32>,
    /// As typed, comma-separated.
    pub subjects: String,
    /// A member of staff's position (empty for a pupil).
    pub position: String,
}

impl Card {
    /// «Фамилия Имя», or «Участник №…» once erased.
    pub fn short_name(&self) -> String {
        super::model::display_name(
            self.number,
            &self.last_name,
            &self.first_name,
            "",
            self.anonymized,
        )
    }

    /// The order of a Russian list: by surname, then name (ё as е, case ignored).
    pub fn sort_key(&self) -> (String, String) {
        (list_key(&self.last_name), list_key(&self.first_name))
    }
}

/// A word as a Russian list orders it: case ignored, ё as е.
pub fn list_key(s: &str) -> String {
    s.to_lowercase().replace('ё', "е")
}

/// The organization's people among `ids`, by id (ids of another organization are left out).
pub async fn cards(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Card>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = sqlx::query_as!(
        Card,
        r#"SELECT id, number, last_name, first_name, middle_name, class_name,
                  anonymized_at IS NOT NULL AS "anonymized!", user_id, kind, experience_years, subjects, position
             FROM people WHERE org_id = $1 AND id = ANY($2)"#,
        org_id,
        ids,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|c| (c.id, c)).collect())
}

/// The people of the class `class_name` bound to an account (not erased), in a Russian list's
/// order (at most 2,000).
pub async fn with_accounts_in_class(
    conn: &mut PgConnection,
    org_id: Uuid,
    class_name: &str,
) -> Result<Vec<Card>, sqlx::Error> {
    sqlx::query_as!(
        Card,
        r#"SELECT id, number, last_name, first_name, middle_name, class_name,
                  anonymized_at IS NOT NULL AS "anonymized!", user_id, kind, experience_years, subjects, position
             FROM people
            WHERE org_id = $1 AND class_name = $2 AND user_id IS NOT NULL AND anonymized_at IS NULL
            ORDER BY last_name COLLATE ru_icu, first_name COLLATE ru_icu LIMIT 2000"#,
        org_id,
        class_name,
    )
    .fetch_all(conn)
    .await
}

/// The people of the organization an account is linked to (erased ones too: their pairs stay).
pub async fn persons_of_user(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM people WHERE org_id = $1 AND user_id = $2",
        org_id,
        user_id,
    )
    .fetch_all(conn)
    .await
}

/// Those among `ids` who have a valid consent (the consent rule, `valid_consent_sql`).
pub async fn with_valid_consent(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<HashSet<Uuid>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let found: Vec<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT p.id FROM people p WHERE p.org_id = $1 AND p.id = ANY($2) AND {}",
        super::valid_consent_sql()
    )))
    .bind(org_id)
    .bind(ids)
    .fetch_all(conn)
    .await?;
    Ok(found.into_iter().collect())
}

/// Of `ids`, those with no account, not erased and with an e-mail address in their card:
/// (person, first name and patronymic, address) — to write to someone who cannot sign in.
pub async fn mail_addresses(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String, String)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query!(
        r#"SELECT id, trim(first_name || ' ' || middle_name) AS "name!", email FROM people
            WHERE org_id = $1 AND id = ANY($2) AND anonymized_at IS NULL AND user_id IS NULL
              AND email <> ''"#,
        org_id,
        ids,
    )
    .map(|r| (r.id, r.name, r.email))
    .fetch_all(conn)
    .await
}

/// Whether the person may have data kept now — not erased, with a valid consent — holding their
/// row until the transaction ends, so that a withdrawal (which erases the row) waits for what
/// is being saved and then removes it.
pub async fn hold_consented(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let found: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT p.id FROM people p WHERE p.org_id = $1 AND p.id = $2 AND p.anonymized_at IS NULL
            AND {} FOR SHARE OF p",
        super::valid_consent_sql()
    )))
    .bind(org_id)
    .bind(person_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// The people (not erased) whose surname, folded, is one of `surnames`: «Фамилия Имя Отчество,
/// класс», at most 50 — to warn that a text names someone.
pub async fn named_by_surname(
    conn: &mut PgConnection,
    org_id: Uuid,
    surnames: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT concat_ws(', ', btrim(concat_ws(' ', last_name, first_name, middle_name)),
                          nullif(class_name, '')) AS "v!"
           FROM people
          WHERE org_id = $1 AND anonymized_at IS NULL AND nastavnik_fold(last_name) = ANY($2)
          ORDER BY last_name COLLATE ru_icu, first_name COLLATE ru_icu LIMIT 50"#,
        org_id,
        surnames,
    )
    .fetch_all(conn)
    .await
}
