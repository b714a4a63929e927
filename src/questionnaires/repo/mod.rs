//! Queries of questionnaires, versions, assignments, responses and notifications.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

use super::model::{Definition, Raw, ResponseStatus};

mod responses;
#[allow(unused_imports)]
pub use responses::*;

/// Creates the built-in questionnaires for the organization if it has none yet.
pub async fn ensure_templates(conn: &mut PgConnection, org_id: Uuid) -> Result<(), sqlx::Error> {
    let has: bool = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM questionnaires WHERE org_id = $1 AND template_code <> '') AS "v!""#,
        org_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    if has {
        return Ok(());
    }
    for (code, title, purpose, def) in super::templates::all() {
        create(&mut *conn, org_id, title, purpose, code, &def).await?;
    }
    Ok(())
}

/// The current version of the organization's built-in questionnaire `code`.
pub async fn template(
    conn: &mut PgConnection,
    org_id: Uuid,
    code: &str,
) -> Result<Option<Current>, sqlx::Error> {
    let id: Option<Uuid> = sqlx::query_scalar!(
        r#"SELECT id AS "v!" FROM questionnaires WHERE org_id = $1 AND template_code = $2"#,
        org_id,
        code,
    )
    .fetch_optional(&mut *conn)
    .await?;
    match id {
        Some(id) => current(conn, org_id, id).await,
        None => Ok(None),
    }
}

pub async fn create(
    conn: &mut PgConnection,
    org_id: Uuid,
    title: &str,
    purpose: &str,
    template_code: &str,
    def: &Definition,
) -> Result<Uuid, sqlx::Error> {
    let id: Uuid = sqlx::query_scalar!(
        r#"INSERT INTO questionnaires (org_id, title, purpose, template_code) VALUES ($1, $2, $3, $4) RETURNING id AS "v!""#,
        org_id,
        title,
        purpose,
        template_code,
    )
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query!(
        "INSERT INTO questionnaire_versions (org_id, questionnaire_id, number, definition) VALUES ($1, $2, 1, $3)",
        org_id,
        id,
        Json(def) as _,
    )
        .execute(conn)
        .await?;
    Ok(id)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct QRow {
    pub id: Uuid,
    pub title: String,
    pub purpose: String,
    pub template_code: String,
    pub version: i32,
    pub questions: i64,
    pub assignments: i64,
    pub responses: i64,
}

/// The organization's questionnaires by name only (a choice on another page: nothing counted).
pub async fn titles(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT id AS "c0!", title AS "c1!" FROM questionnaires WHERE org_id = $1
          ORDER BY template_code = '', created_at"#,
        org_id,
    )
    .map(|r| (r.c0, r.c1))
    .fetch_all(conn)
    .await
}

pub async fn list(conn: &mut PgConnection, org_id: Uuid) -> Result<Vec<QRow>, sqlx::Error> {
    sqlx::query_as!(
        QRow,
        r#"SELECT q.id AS "id!", q.title AS "title!", q.purpose AS "purpose!", q.template_code AS "template_code!", v.number AS "version!",
                (SELECT count(*) FROM jsonb_path_query(v.definition, '$.sections[*].questions[*]')) AS "questions!",
                (SELECT count(*) FROM assignments a WHERE a.org_id = q.org_id AND a.questionnaire_id = q.id) AS "assignments!",
                (SELECT count(*) FROM responses r JOIN assignments a ON a.id = r.assignment_id
                  WHERE a.org_id = q.org_id AND a.questionnaire_id = q.id AND r.status = 'submitted') AS "responses!"
           FROM questionnaires q
           JOIN LATERAL (SELECT number, definition FROM questionnaire_versions
                          WHERE questionnaire_id = q.id ORDER BY number DESC LIMIT 1) v ON true
          WHERE q.org_id = $1 ORDER BY q.template_code = '', q.created_at"#,
        org_id,
    )
    .fetch_all(conn)
    .await
}

#[derive(Clone, Debug)]
pub struct Current {
    pub id: Uuid,
    pub title: String,
    pub purpose: String,
    pub version_id: Uuid,
    pub version: i32,
    pub def: Definition,
    /// Responses (drafts included) point at the current version: editing makes a new one.
    pub answered: bool,
}

type CurrentRow = (Uuid, String, String, Uuid, i32, Json<Definition>, bool);

pub async fn current(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<Current>, sqlx::Error> {
    let row: Option<CurrentRow> = sqlx::query!(
        r#"SELECT q.id AS "c0!", q.title AS "c1!", q.purpose AS "c2!", v.id AS "c3!", v.number AS "c4!", v.definition AS "c5!: Json<Definition>",
                EXISTS (SELECT 1 FROM responses r WHERE r.version_id = v.id) AS "c6!"
           FROM questionnaires q
           JOIN LATERAL (SELECT id, number, definition FROM questionnaire_versions
                          WHERE questionnaire_id = q.id ORDER BY number DESC LIMIT 1) v ON true
          WHERE q.org_id = $1 AND q.id = $2"#,
        org_id,
        id,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3, r.c4, r.c5, r.c6))
    .fetch_optional(conn)
    .await?;
    Ok(row.map(
        |(id, title, purpose, version_id, version, def, answered)| Current {
            id,
            title,
            purpose,
            version_id,
            version,
            def: def.0,
            answered,
        },
    ))
}

/// Saves a changed definition: a new version when the current one has answers, else in place.
/// Returns whether a new version was made.
pub async fn save_definition(
    conn: &mut PgConnection,
    org_id: Uuid,
    cur: &Current,
    def: &Definition,
) -> Result<bool, sqlx::Error> {
    if cur.answered {
        sqlx::query!(
            "INSERT INTO questionnaire_versions (org_id, questionnaire_id, number, definition) VALUES ($1, $2, $3, $4)",
            org_id,
            cur.id,
            cur.version + 1,
            Json(def) as _,
        )
            .execute(conn)
            .await?;
        Ok(true)
    } else {
        sqlx::query!(
            "UPDATE questionnaire_versions SET definition = $3 WHERE org_id = $1 AND id = $2",
            org_id,
            cur.version_id,
            Json(def) as _,
        )
        .execute(conn)
        .await?;
        Ok(false)
    }
}

pub async fn rename(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    title: &str,
    purpose: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE questionnaires SET title = $3, purpose = $4 WHERE org_id = $1 AND id = $2",
        org_id,
        id,
        title,
        purpose,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn versions(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, i32, Definition)>, sqlx::Error> {
    let rows: Vec<(Uuid, i32, Json<Definition>)> = sqlx::query!(
        r#"SELECT id AS "c0!", number AS "c1!", definition AS "c2!: Json<Definition>" FROM questionnaire_versions WHERE org_id = $1 AND id = ANY ($2) LIMIT 500"#,
        org_id,
        ids,
    ).map(|r| (r.c0, r.c1, r.c2))
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|(id, n, d)| (id, n, d.0)).collect())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Assignment {
    pub id: Uuid,
    pub questionnaire_id: Uuid,
    pub title: String,
    pub program_id: Option<Uuid>,
    pub program_name: Option<String>,
    pub audience: String,
    pub deadline: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub targets: i64,
    pub submitted: i64,
}

pub async fn assignments_of(
    conn: &mut PgConnection,
    org_id: Uuid,
    questionnaire_id: Uuid,
) -> Result<Vec<Assignment>, sqlx::Error> {
    read_assignments(conn, org_id, Some(&[questionnaire_id]), None).await
}

/// The sendings of several questionnaires, newest first (one query).
pub async fn assignments_of_many(
    conn: &mut PgConnection,
    org_id: Uuid,
    questionnaires: &[Uuid],
) -> Result<Vec<Assignment>, sqlx::Error> {
    read_assignments(conn, org_id, Some(questionnaires), None).await
}

/// The sendings of the questionnaires `of` (or the one sending `only`), newest first, with
/// their counts and their programs' names.
async fn read_assignments(
    conn: &mut PgConnection,
    org_id: Uuid,
    of: Option<&[Uuid]>,
    only: Option<Uuid>,
) -> Result<Vec<Assignment>, sqlx::Error> {
    let list = sqlx::query_as!(
        Assignment,
        r#"
    SELECT a.id AS "id!", a.questionnaire_id AS "questionnaire_id!", q.title AS "title!", a.program_id AS "program_id?", NULL::text AS "program_name?", a.audience AS "audience!", a.deadline AS "deadline?",
           a.created_at AS "created_at!",
           (SELECT count(*) FROM assignment_targets t WHERE t.assignment_id = a.id) AS "targets!",
           (SELECT count(*) FROM responses r WHERE r.assignment_id = a.id AND r.status = 'submitted') AS "submitted!"
      FROM assignments a JOIN questionnaires q ON q.id = a.questionnaire_id
      WHERE a.org_id = $1 AND ($2::uuid[] IS NULL OR a.questionnaire_id = ANY($2)) AND ($3::uuid IS NULL OR a.id = $3)
      ORDER BY a.created_at DESC LIMIT 500"#,
        org_id,
        of,
        only,
    )
    .fetch_all(&mut *conn)
    .await?;
    with_program_names(conn, org_id, list).await
}

/// The sendings with their programs' names (programs).
async fn with_program_names(
    conn: &mut PgConnection,
    org_id: Uuid,
    mut list: Vec<Assignment>,
) -> Result<Vec<Assignment>, sqlx::Error> {
    crate::programs::name_each(
        conn,
        org_id,
        &mut list,
        |a| a.program_id,
        |a, n| a.program_name = Some(n),
    )
    .await?;
    Ok(list)
}

pub async fn assignment(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<Assignment>, sqlx::Error> {
    Ok(read_assignments(conn, org_id, None, Some(id)).await?.pop())
}

/// A questionnaire given to people (of a program's audience, or chosen in the bases).
pub struct NewAssignment<'a> {
    pub questionnaire_id: Uuid,
    pub program_id: Option<Uuid>,
    pub audience: &'a str,
    pub deadline: Option<NaiveDate>,
    pub by: Uuid,
    pub people: &'a [Uuid],
}

pub async fn create_assignment(
    conn: &mut PgConnection,
    org_id: Uuid,
    a: &NewAssignment<'_>,
) -> Result<Uuid, sqlx::Error> {
    let NewAssignment {
        questionnaire_id,
        program_id,
        audience,
        deadline,
        by,
        people,
    } = *a;
    let id: Uuid = sqlx::query_scalar!(
        r#"INSERT INTO assignments (org_id, questionnaire_id, program_id, audience, deadline, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id AS "v!""#,
        org_id,
        questionnaire_id,
        program_id,
        audience,
        deadline,
        by,
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO assignment_targets (org_id, assignment_id, person_id) SELECT $1, $2, unnest($3::uuid[]) ON CONFLICT DO NOTHING",
        org_id,
        id,
        people,
    )
        .execute(conn)
        .await?;
    Ok(id)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Target {
    pub person_id: Uuid,
    pub number: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub class_name: String,
    pub anonymized: bool,
    pub user_id: Option<Uuid>,
    pub status: Option<ResponseStatus>,
    pub on_behalf: Option<bool>,
    pub version_id: Option<Uuid>,
    pub answers: Option<Json<Raw>>,
    pub submitted_at: Option<DateTime<Utc>>,
}

pub async fn targets(
    conn: &mut PgConnection,
    org_id: Uuid,
    assignment_id: Uuid,
) -> Result<Vec<Target>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT t.person_id, r.status AS "status?: ResponseStatus", r.on_behalf AS "on_behalf?", r.version_id AS "version_id?",
                r.answers AS "answers?: Json<Raw>", r.submitted_at AS "submitted_at?"
           FROM assignment_targets t
           LEFT JOIN responses r ON r.assignment_id = t.assignment_id AND r.person_id = t.person_id
          WHERE t.org_id = $1 AND t.assignment_id = $2 LIMIT 10000"#,
        org_id,
        assignment_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.person_id).collect();
    let cards = crate::people::cards(conn, org_id, &ids).await?;
    // Erased people last, then a Russian list's order.
    type Key = (bool, (String, String), i64);
    let mut out: Vec<(Key, Target)> = rows
        .into_iter()
        .filter_map(|r| {
            let c = cards.get(&r.person_id)?;
            Some((
                (c.anonymized, c.sort_key(), c.number),
                Target {
                    person_id: r.person_id,
                    number: c.number,
                    last_name: c.last_name.clone(),
                    first_name: c.first_name.clone(),
                    middle_name: c.middle_name.clone(),
                    class_name: c.class_name.clone(),
                    anonymized: c.anonymized,
                    user_id: c.user_id,
                    status: r.status,
                    on_behalf: r.on_behalf,
                    version_id: r.version_id,
                    answers: r.answers,
                    submitted_at: r.submitted_at,
                },
            ))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out.into_iter().map(|(_, t)| t).collect())
}

/// Who has not sent the assignment's form, has no account and has an e-mail address in the
/// base: (person, first name and patronymic, address). Those with accounts are told through
/// their notifications.
pub async fn unanswered_addresses(
    conn: &mut PgConnection,
    org_id: Uuid,
    assignment_id: Uuid,
) -> Result<Vec<(Uuid, String, String)>, sqlx::Error> {
    let open: Vec<Uuid> = sqlx::query_scalar!(
        r#"SELECT t.person_id AS "v!" FROM assignment_targets t
           LEFT JOIN responses r ON r.assignment_id = t.assignment_id AND r.person_id = t.person_id
          WHERE t.org_id = $1 AND t.assignment_id = $2 AND r.status IS DISTINCT FROM 'submitted'
          LIMIT 10000"#,
        org_id,
        assignment_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    crate::people::mail_addresses(conn, org_id, &open).await
}

pub async fn is_target(
    conn: &mut PgConnection,
    org_id: Uuid,
    assignment_id: Uuid,
    person_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM assignment_targets WHERE org_id = $1 AND assignment_id = $2 AND person_id = $3) AS "v!""#,
        org_id,
        assignment_id,
        person_id,
    )
        .fetch_one(conn)
        .await
}
