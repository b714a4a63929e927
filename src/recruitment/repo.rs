//! Every query on `application_links` and `applications`.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::ApplicationStatus;
use crate::people::Side;
use crate::programs::ProgramStatus;

/// The link of a program for a role, made on first use.
pub async fn link(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    role: Side,
) -> Result<String, sqlx::Error> {
    let token = crate::web::cookies::random_token()[..24].to_string();
    sqlx::query!(
        "INSERT INTO application_links (token, org_id, program_id, role) VALUES ($1, $2, $3, $4)
         ON CONFLICT (program_id, role) DO NOTHING",
        &token,
        org_id,
        program_id,
        role.code(),
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar!(
        r#"SELECT token AS "v!" FROM application_links WHERE program_id = $1 AND role = $2"#,
        program_id,
        role.code(),
    )
    .fetch_one(conn)
    .await
}

/// What a link leads to: (organization, program, program name, role, program status).
pub async fn by_token(
    conn: &mut PgConnection,
    token: &str,
) -> Result<Option<(Uuid, Uuid, String, Side, ProgramStatus)>, sqlx::Error> {
    let Some(link) = sqlx::query!(
        r#"SELECT org_id, program_id, role AS "role: Side" FROM application_links WHERE token = $1"#,
        token,
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    Ok(crate::programs::program(conn, link.org_id, link.program_id)
        .await?
        .map(|g| (link.org_id, link.program_id, g.name, link.role, g.status)))
}

/// How many applications came from a contact in the last day and from a source in the last hour.
pub async fn recent(
    conn: &mut PgConnection,
    contact: &str,
    source: &str,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query!(
        r#"SELECT (SELECT count(*) FROM applications WHERE $1 <> '' AND lower(contact) = lower($1)
                   AND created_at > now() - interval '1 day') AS "c0!",
                (SELECT count(*) FROM applications WHERE source = $2
                   AND created_at > now() - interval '1 hour') AS "c1!""#,
        contact,
        source,
    )
    .map(|r| (r.c0, r.c1))
    .fetch_one(conn)
    .await
}

pub struct NewApplication<'a> {
    pub program_id: Uuid,
    pub role: Side,
    pub user_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub full_name: &'a str,
    pub class_or_position: &'a str,
    pub contact: &'a str,
    pub motivation: &'a str,
    pub source: &'a str,
}

pub async fn insert(
    conn: &mut PgConnection,
    org_id: Uuid,
    a: &NewApplication<'_>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO applications (org_id, program_id, role, user_id, person_id, full_name,
                                   class_or_position, contact, motivation, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id AS "v!""#,
        org_id,
        a.program_id,
        a.role.code(),
        a.user_id,
        a.person_id,
        a.full_name,
        a.class_or_position,
        a.contact,
        a.motivation,
        a.source,
    )
    .fetch_one(conn)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Application {
    pub id: Uuid,
    pub role: Side,
    pub user_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub full_name: String,
    pub class_or_position: String,
    pub contact: String,
    pub motivation: String,
    pub status: ApplicationStatus,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

pub async fn of_program(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Application>, sqlx::Error> {
    sqlx::query_as!(
        Application,
        r#"SELECT id AS "id!", role AS "role!: Side", user_id AS "user_id?", person_id AS "person_id?", full_name AS "full_name!", class_or_position AS "class_or_position!", contact AS "contact!",
        motivation AS "motivation!", status AS "status!: ApplicationStatus", reason AS "reason!", created_at AS "created_at!" FROM applications WHERE org_id = $1 AND program_id = $2
          ORDER BY CASE status WHEN 'new' THEN 0 ELSE 1 END, created_at DESC LIMIT 2000"#,
        org_id,
        program_id,
    )
    .fetch_all(conn)
    .await
}

pub async fn one(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    id: Uuid,
) -> Result<Option<Application>, sqlx::Error> {
    sqlx::query_as!(
        Application,
        r#"SELECT id AS "id!", role AS "role!: Side", user_id AS "user_id?", person_id AS "person_id?", full_name AS "full_name!", class_or_position AS "class_or_position!", contact AS "contact!",
        motivation AS "motivation!", status AS "status!: ApplicationStatus", reason AS "reason!", created_at AS "created_at!" FROM applications WHERE org_id = $1 AND program_id = $2 AND id = $3 FOR UPDATE"#,
        org_id,
        program_id,
        id,
    )
    .fetch_optional(conn)
    .await
}

pub async fn decide(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    (status, reason): (ApplicationStatus, &str),
    person_id: Option<Uuid>,
    by: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE applications SET status = $3, reason = $4, person_id = coalesce($5, person_id),
                decided_by = $6, decided_at = now()
          WHERE org_id = $1 AND id = $2 AND status = 'new'",
        org_id,
        id,
        status.code(),
        reason,
        person_id,
        by,
    )
    .execute(conn)
    .await?;
    Ok(())
}
