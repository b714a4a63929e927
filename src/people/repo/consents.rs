//! Consents (the person's or a representative's, withdrawn with the erasure), participation and requests, and the guardians who hear about a child.

#[allow(unused_imports)]
use super::*;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Consent {
    pub id: Uuid,
    pub given_by: String,
    pub representative_name: String,
    pub representative_relation: String,
    pub given_on: NaiveDate,
    pub scope: String,
    pub document_ref: String,
    pub withdrawn_on: Option<NaiveDate>,
}

pub async fn consents(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
) -> Result<Vec<Consent>, sqlx::Error> {
    sqlx::query_as!(
        Consent,
        r#"SELECT id AS "id!", given_by AS "given_by!", representative_name AS "representative_name!", representative_relation AS "representative_relation!", given_on AS "given_on!", scope AS "scope!",
                document_ref AS "document_ref!", withdrawn_on AS "withdrawn_on?"
           FROM consents WHERE org_id = $1 AND person_id = $2 ORDER BY given_on DESC, created_at DESC LIMIT 200"#,
        org_id,
        person_id,
    )
    .fetch_all(conn)
    .await
}

pub struct ConsentInput<'a> {
    pub given_by: &'a str,
    pub representative_name: &'a str,
    pub representative_relation: &'a str,
    /// The representative's e-mail (optional) and whether the curator turned on telling them
    /// what concerns the child.
    pub representative_email: &'a str,
    pub inform_representative: bool,
    pub given_on: NaiveDate,
    pub scope: &'a str,
    pub document_ref: &'a str,
}

pub async fn add_consent(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
    by: Uuid,
    c: &ConsentInput<'_>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO consents (org_id, person_id, given_by, representative_name,
                representative_relation, given_on, scope, document_ref, created_by,
                representative_email, inform_representative)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id AS "v!""#,
        org_id,
        person_id,
        c.given_by,
        c.representative_name,
        c.representative_relation,
        c.given_on,
        c.scope,
        c.document_ref,
        by,
        c.representative_email,
        c.inform_representative && !c.representative_email.is_empty(),
    )
    .fetch_one(conn)
    .await
}

pub async fn withdraw_consent(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
    consent_id: Uuid,
    on: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "UPDATE consents SET withdrawn_on = $4
          WHERE org_id = $1 AND person_id = $2 AND id = $3 AND withdrawn_on IS NULL",
        org_id,
        person_id,
        consent_id,
        on,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The person and, if they may not take part (enrolment, questionnaires, accounts), why — in
/// plain Russian. None if the person is not in the organization.
pub async fn participation(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<(Person, Option<&'static str>)>, sqlx::Error> {
    let Some(p) = person(&mut *conn, org_id, id).await? else {
        return Ok(None);
    };
    if p.anonymized_at.is_some() {
        return Ok(Some((p, Some("согласие отозвано"))));
    }
    let facts: Vec<crate::people::model::ConsentFacts> = consents(conn, org_id, id)
        .await?
        .iter()
        .map(|c| crate::people::model::ConsentFacts {
            given_by: c.given_by.clone(),
            withdrawn: c.withdrawn_on.is_some(),
        })
        .collect();
    let problem = crate::people::model::consent_problem(p.has_consent, p.minor, &facts);
    Ok(Some((p, problem)))
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Request {
    pub text: String,
    pub source: String,
    pub created_at: DateTime<Utc>,
}

pub async fn requests(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
) -> Result<Vec<Request>, sqlx::Error> {
    sqlx::query_as!(
        Request,
        r#"SELECT text AS "text!", source AS "source!", created_at AS "created_at!" FROM person_requests
          WHERE org_id = $1 AND person_id = $2 ORDER BY created_at LIMIT 500"#,
        org_id,
        person_id,
    )
    .fetch_all(conn)
    .await
}

pub async fn add_request(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
    by: Uuid,
    text: &str,
    source: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO person_requests (org_id, person_id, text, source, created_by)
         VALUES ($1, $2, $3, $4, $5)",
        org_id,
        person_id,
        text,
        source,
        by,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Records paper consents for the given people: from a representative for minors.
pub async fn consents_for(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
    by: Uuid,
    given_on: NaiveDate,
    document_ref: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO consents (org_id, person_id, given_by, representative_relation, given_on, scope,
                document_ref, created_by)
         SELECT p.org_id, p.id, CASE WHEN (CASE WHEN p.birth_date IS NOT NULL
        THEN p.birth_date > (current_date - interval '18 years')::date
        ELSE p.kind IN ('pupil', 'student') END) THEN 'representative' ELSE 'self' END,
                CASE WHEN (CASE WHEN p.birth_date IS NOT NULL
        THEN p.birth_date > (current_date - interval '18 years')::date
        ELSE p.kind IN ('pupil', 'student') END) THEN 'законный представитель' ELSE '' END, $3,
                'Участие в программе наставничества (согласие собрано на бумаге, отмечено при импорте)',
                $4, $5
           FROM people p WHERE p.org_id = $1 AND p.id = ANY ($2)",
        org_id,
        ids,
        given_on,
        document_ref,
        by,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether the person has a valid consent now (and their data is not erased).
pub async fn has_valid_consent(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT EXISTS (SELECT 1 FROM people p WHERE p.org_id = $1 AND p.id = $2
                          AND p.anonymized_at IS NULL AND {})",
        valid_consent_sql()
    )))
    .bind(org_id)
    .bind(person_id)
    .fetch_one(conn)
    .await
}

/// A legal representative to tell about a child: (the child's person, their account if any, the
/// representative's address and name, the child's first name).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Guardian {
    pub person_id: Uuid,
    pub user_id: Option<Uuid>,
    pub email: String,
    pub name: String,
    pub child: String,
}

/// The representatives to tell about these people (by person or by account): those whose valid
/// consent carries an e-mail and the curator's «сообщать представителю».
pub async fn guardians(
    conn: &mut PgConnection,
    org_id: Uuid,
    people: &[Uuid],
    users: &[Uuid],
) -> Result<Vec<Guardian>, sqlx::Error> {
    sqlx::query_as!(
        Guardian,
        r#"SELECT DISTINCT ON (p.id) p.id AS "person_id!", p.user_id AS "user_id?", c.representative_email AS "email!",
                c.representative_name AS "name!", p.first_name AS "child!"
           FROM people p JOIN consents c ON c.org_id = p.org_id AND c.person_id = p.id
          WHERE p.org_id = $1 AND (p.id = ANY ($2) OR p.user_id = ANY ($3))
            AND p.anonymized_at IS NULL AND c.withdrawn_on IS NULL
            AND c.given_by = 'representative' AND c.inform_representative
            AND c.representative_email <> ''
          ORDER BY p.id, c.given_on DESC, c.created_at DESC"#,
        org_id,
        people,
        users,
    )
    .fetch_all(conn)
    .await
}
