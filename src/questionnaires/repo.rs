//! Queries of questionnaires, versions, assignments, responses and notifications.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

use super::model::{Definition, Raw};

/// Creates the built-in questionnaires for the organization if it has none yet.
pub async fn ensure_templates(conn: &mut PgConnection, org_id: Uuid) -> Result<(), sqlx::Error> {
    let has: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM questionnaires WHERE org_id = $1 AND template_code <> '')",
    )
    .bind(org_id)
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
    let id: Option<Uuid> = sqlx::query_scalar(
        "SELECT id FROM questionnaires WHERE org_id = $1 AND template_code = $2",
    )
    .bind(org_id)
    .bind(code)
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
    let id: Uuid = sqlx::query_scalar("INSERT INTO questionnaires (org_id, title, purpose, template_code) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(org_id)
        .bind(title)
        .bind(purpose)
        .bind(template_code)
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO questionnaire_versions (org_id, questionnaire_id, number, definition) VALUES ($1, $2, 1, $3)")
        .bind(org_id)
        .bind(id)
        .bind(Json(def))
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
    sqlx::query_as(
        "SELECT id, title FROM questionnaires WHERE org_id = $1
          ORDER BY template_code = '', created_at",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await
}

pub async fn list(conn: &mut PgConnection, org_id: Uuid) -> Result<Vec<QRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT q.id, q.title, q.purpose, q.template_code, v.number AS version,
                (SELECT count(*) FROM jsonb_path_query(v.definition, '$.sections[*].questions[*]')) AS questions,
                (SELECT count(*) FROM assignments a WHERE a.org_id = q.org_id AND a.questionnaire_id = q.id) AS assignments,
                (SELECT count(*) FROM responses r JOIN assignments a ON a.id = r.assignment_id
                  WHERE a.org_id = q.org_id AND a.questionnaire_id = q.id AND r.status = 'submitted') AS responses
           FROM questionnaires q
           JOIN LATERAL (SELECT number, definition FROM questionnaire_versions
                          WHERE questionnaire_id = q.id ORDER BY number DESC LIMIT 1) v ON true
          WHERE q.org_id = $1 ORDER BY q.template_code = '', q.created_at",
    )
    .bind(org_id)
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
    let row: Option<CurrentRow> = sqlx::query_as(
        "SELECT q.id, q.title, q.purpose, v.id, v.number, v.definition,
                EXISTS (SELECT 1 FROM responses r WHERE r.version_id = v.id)
           FROM questionnaires q
           JOIN LATERAL (SELECT id, number, definition FROM questionnaire_versions
                          WHERE questionnaire_id = q.id ORDER BY number DESC LIMIT 1) v ON true
          WHERE q.org_id = $1 AND q.id = $2",
    )
    .bind(org_id)
    .bind(id)
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
        sqlx::query("INSERT INTO questionnaire_versions (org_id, questionnaire_id, number, definition) VALUES ($1, $2, $3, $4)")
            .bind(org_id)
            .bind(cur.id)
            .bind(cur.version + 1)
            .bind(Json(def))
            .execute(conn)
            .await?;
        Ok(true)
    } else {
        sqlx::query(
            "UPDATE questionnaire_versions SET definition = $3 WHERE org_id = $1 AND id = $2",
        )
        .bind(org_id)
        .bind(cur.version_id)
        .bind(Json(def))
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
    sqlx::query("UPDATE questionnaires SET title = $3, purpose = $4 WHERE org_id = $1 AND id = $2")
        .bind(org_id)
        .bind(id)
        .bind(title)
        .bind(purpose)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn versions(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, i32, Definition)>, sqlx::Error> {
    let rows: Vec<(Uuid, i32, Json<Definition>)> = sqlx::query_as("SELECT id, number, definition FROM questionnaire_versions WHERE org_id = $1 AND id = ANY ($2) LIMIT 500")
        .bind(org_id)
        .bind(ids)
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

const ASSIGNMENT_SELECT: &str = "
    SELECT a.id, a.questionnaire_id, q.title, a.program_id, p.name AS program_name, a.audience, a.deadline,
           a.created_at,
           (SELECT count(*) FROM assignment_targets t WHERE t.assignment_id = a.id) AS targets,
           (SELECT count(*) FROM responses r WHERE r.assignment_id = a.id AND r.status = 'submitted') AS submitted
      FROM assignments a JOIN questionnaires q ON q.id = a.questionnaire_id
      LEFT JOIN programs p ON p.id = a.program_id";

pub async fn assignments_of(
    conn: &mut PgConnection,
    org_id: Uuid,
    questionnaire_id: Uuid,
) -> Result<Vec<Assignment>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{ASSIGNMENT_SELECT} WHERE a.org_id = $1 AND a.questionnaire_id = $2 ORDER BY a.created_at DESC LIMIT 500")))
        .bind(org_id)
        .bind(questionnaire_id)
        .fetch_all(conn)
        .await
}

/// The sendings of several questionnaires, newest first (one query).
pub async fn assignments_of_many(
    conn: &mut PgConnection,
    org_id: Uuid,
    questionnaires: &[Uuid],
) -> Result<Vec<Assignment>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{ASSIGNMENT_SELECT} WHERE a.org_id = $1 AND a.questionnaire_id = ANY($2) ORDER BY a.created_at DESC LIMIT 500")))
        .bind(org_id)
        .bind(questionnaires)
        .fetch_all(conn)
        .await
}

pub async fn assignment(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<Assignment>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{ASSIGNMENT_SELECT} WHERE a.org_id = $1 AND a.id = $2"
    )))
    .bind(org_id)
    .bind(id)
    .fetch_optional(conn)
    .await
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
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO assignments (org_id, questionnaire_id, program_id, audience, deadline, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(org_id)
    .bind(questionnaire_id)
    .bind(program_id)
    .bind(audience)
    .bind(deadline)
    .bind(by)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO assignment_targets (org_id, assignment_id, person_id) SELECT $1, $2, unnest($3::uuid[]) ON CONFLICT DO NOTHING")
        .bind(org_id)
        .bind(id)
        .bind(people)
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
    pub status: Option<String>,
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
    sqlx::query_as(
        "SELECT p.id AS person_id, p.number, p.last_name, p.first_name, p.middle_name, p.class_name,
                p.anonymized_at IS NOT NULL AS anonymized, p.user_id, r.status, r.on_behalf, r.version_id,
                r.answers, r.submitted_at
           FROM assignment_targets t JOIN people p ON p.org_id = t.org_id AND p.id = t.person_id
           LEFT JOIN responses r ON r.assignment_id = t.assignment_id AND r.person_id = t.person_id
          WHERE t.org_id = $1 AND t.assignment_id = $2
          ORDER BY p.anonymized_at IS NOT NULL, p.last_name COLLATE ru_icu, p.first_name COLLATE ru_icu, p.number LIMIT 10000",
    )
    .bind(org_id)
    .bind(assignment_id)
    .fetch_all(conn)
    .await
}

/// Who has not sent the assignment's form, has no account and has an e-mail address in the
/// base: (person, first name and patronymic, address). Those with accounts are told through
/// their notifications.
pub async fn unanswered_addresses(
    conn: &mut PgConnection,
    org_id: Uuid,
    assignment_id: Uuid,
) -> Result<Vec<(Uuid, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, trim(p.first_name || ' ' || p.middle_name), p.email
           FROM assignment_targets t JOIN people p ON p.org_id = t.org_id AND p.id = t.person_id
           LEFT JOIN responses r ON r.assignment_id = t.assignment_id AND r.person_id = t.person_id
          WHERE t.org_id = $1 AND t.assignment_id = $2 AND p.anonymized_at IS NULL
            AND p.user_id IS NULL AND p.email <> ''
            AND r.status IS DISTINCT FROM 'submitted'
          LIMIT 10000",
    )
    .bind(org_id)
    .bind(assignment_id)
    .fetch_all(conn)
    .await
}

pub async fn is_target(
    conn: &mut PgConnection,
    org_id: Uuid,
    assignment_id: Uuid,
    person_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM assignment_targets WHERE org_id = $1 AND assignment_id = $2 AND person_id = $3)")
        .bind(org_id)
        .bind(assignment_id)
        .bind(person_id)
        .fetch_one(conn)
        .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Response {
    pub version_id: Uuid,
    pub answers: Json<Raw>,
    pub status: String,
    pub on_behalf: bool,
    pub updated_at: DateTime<Utc>,
}

pub async fn response(
    conn: &mut PgConnection,
    org_id: Uuid,
    assignment_id: Uuid,
    person_id: Uuid,
) -> Result<Option<Response>, sqlx::Error> {
    sqlx::query_as("SELECT version_id, answers, status, on_behalf, updated_at FROM responses WHERE org_id = $1 AND assignment_id = $2 AND person_id = $3")
        .bind(org_id)
        .bind(assignment_id)
        .bind(person_id)
        .fetch_optional(conn)
        .await
}

/// A draft or a submission of one person's answers.
pub struct ResponseInput<'a> {
    pub assignment_id: Uuid,
    pub person_id: Uuid,
    pub version_id: Uuid,
    pub answers: &'a Raw,
    pub submit: bool,
    /// Filled by the curator from a paper form.
    pub on_behalf: bool,
}

/// Saves a draft or a first submission; returns whether it was written. A submitted response is
/// final: neither a draft nor another submission touches it (that is [`change_response`]).
pub async fn save_response(
    conn: &mut PgConnection,
    org_id: Uuid,
    r: &ResponseInput<'_>,
) -> Result<bool, sqlx::Error> {
    let ResponseInput {
        assignment_id,
        person_id,
        version_id,
        answers,
        submit,
        on_behalf,
    } = *r;
    // Saved only while the person has a valid consent (checked in the same statement).
    let n = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO responses (org_id, assignment_id, person_id, version_id, answers, status, on_behalf, submitted_at)
         SELECT $1, $2, $3, $4, $5, CASE WHEN $6 THEN 'submitted' ELSE 'draft' END, $7, CASE WHEN $6 THEN now() END
           FROM people p WHERE p.org_id = $1 AND p.id = $3 AND p.anonymized_at IS NULL AND {}
         ON CONFLICT (assignment_id, person_id) DO UPDATE SET
             version_id = EXCLUDED.version_id, answers = EXCLUDED.answers,
             status = CASE WHEN $6 THEN 'submitted' ELSE responses.status END,
             on_behalf = CASE WHEN $6 THEN $7 ELSE responses.on_behalf END,
             submitted_at = CASE WHEN $6 THEN now() ELSE responses.submitted_at END,
             updated_at = now()
           WHERE responses.status = 'draft'",
        crate::people::valid_consent_sql()
    )))
    .bind(org_id)
    .bind(assignment_id)
    .bind(person_id)
    .bind(version_id)
    .bind(Json(answers))
    .bind(submit)
    .bind(on_behalf)
    .execute(conn)
    .await?;
    Ok(n.rows_affected() == 1)
}

/// «Изменить ответ»: a submitted response gets new answers (by its author, or by the curator from
/// the person's words — `on_behalf`); the answers it had are kept in `response_versions` with
/// who replaced them. Returns false when there is no submitted response to change (or no valid
/// consent). The caller audits.
pub async fn change_response(
    conn: &mut PgConnection,
    org_id: Uuid,
    r: &ResponseInput<'_>,
    by: Uuid,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(sqlx::AssertSqlSafe(format!(
        "WITH old AS (
             SELECT r.id, r.org_id, r.answers, r.on_behalf, r.submitted_at
               FROM responses r JOIN people p ON p.org_id = r.org_id AND p.id = r.person_id
              WHERE r.org_id = $1 AND r.assignment_id = $2 AND r.person_id = $3
                AND r.status = 'submitted' AND p.anonymized_at IS NULL AND {}
                FOR UPDATE OF r),
         upd AS (
             UPDATE responses x SET version_id = $5, answers = $6, on_behalf = $7,
                    submitted_at = now(), updated_at = now()
               FROM old WHERE x.id = old.id
             RETURNING old.id, old.org_id, old.answers, old.on_behalf, old.submitted_at)
         INSERT INTO response_versions (org_id, response_id, answers, on_behalf, submitted_at, replaced_by)
         SELECT org_id, id, answers, on_behalf, submitted_at, $4 FROM upd",
        crate::people::valid_consent_sql()
    )))
    .bind(org_id)
    .bind(r.assignment_id)
    .bind(r.person_id)
    .bind(by)
    .bind(r.version_id)
    .bind(Json(r.answers))
    .bind(r.on_behalf)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Mine {
    pub assignment_id: Uuid,
    pub person_id: Uuid,
    pub title: String,
    pub program_name: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub status: Option<String>,
}

/// Questionnaires given to the people linked to `user_id`.
pub async fn mine(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<Mine>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id AS assignment_id, p.id AS person_id, q.title, pr.name AS program_name, a.deadline, r.status
           FROM assignment_targets t
           JOIN people p ON p.org_id = t.org_id AND p.id = t.person_id
           JOIN assignments a ON a.id = t.assignment_id
           JOIN questionnaires q ON q.id = a.questionnaire_id
           LEFT JOIN programs pr ON pr.id = a.program_id
           LEFT JOIN responses r ON r.assignment_id = a.id AND r.person_id = p.id
          WHERE t.org_id = $1 AND p.user_id = $2
          ORDER BY r.status = 'submitted', a.deadline NULLS LAST, a.created_at DESC LIMIT 200",
    )
    .bind(org_id)
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// The person linked to `user_id` who is a target of the assignment.
pub async fn my_person(
    conn: &mut PgConnection,
    org_id: Uuid,
    assignment_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT p.id FROM assignment_targets t JOIN people p ON p.org_id = t.org_id AND p.id = t.person_id
          WHERE t.org_id = $1 AND t.assignment_id = $2 AND p.user_id = $3 LIMIT 1",
    )
    .bind(org_id)
    .bind(assignment_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

/// A person's answers across questionnaires: (assignment, title, status, updated).
pub async fn answers_of(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
) -> Result<Vec<(Uuid, String, String, DateTime<Utc>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.assignment_id, q.title, r.status, r.updated_at FROM responses r
           JOIN assignments a ON a.id = r.assignment_id JOIN questionnaires q ON q.id = a.questionnaire_id
          WHERE r.org_id = $1 AND r.person_id = $2 ORDER BY r.updated_at DESC LIMIT 500",
    )
    .bind(org_id)
    .bind(person_id)
    .fetch_all(conn)
    .await
}

/// The other side of a program (for ranked choices): mentors for a mentee and the reverse.
pub async fn other_side(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    person_id: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.last_name || ' ' || p.first_name
           FROM enrolments e JOIN people p ON p.org_id = e.org_id AND p.id = e.person_id
          WHERE e.org_id = $1 AND e.program_id = $2 AND p.anonymized_at IS NULL AND p.id <> $3
            AND e.role <> coalesce((SELECT role FROM enrolments x WHERE x.program_id = $2 AND x.person_id = $3 LIMIT 1), '')
          ORDER BY p.last_name COLLATE ru_icu, p.first_name COLLATE ru_icu",
    )
    .bind(org_id)
    .bind(program_id)
    .bind(person_id)
    .fetch_all(conn)
    .await
}

/// Assignments past their deadline with forms not sent: (assignment, questionnaire title, how
/// many have not sent), for the curator's digest.
pub async fn late(
    conn: &mut PgConnection,
    org_id: Uuid,
    today: NaiveDate,
) -> Result<Vec<(Uuid, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, q.title, count(*) FILTER (WHERE r.status IS DISTINCT FROM 'submitted')
           FROM assignments a JOIN questionnaires q ON q.org_id = a.org_id AND q.id = a.questionnaire_id
           JOIN assignment_targets t ON t.assignment_id = a.id
           LEFT JOIN responses r ON r.assignment_id = t.assignment_id AND r.person_id = t.person_id
          WHERE a.org_id = $1 AND a.deadline < $2
          GROUP BY a.id, q.title, a.deadline
         HAVING count(*) FILTER (WHERE r.status IS DISTINCT FROM 'submitted') > 0
          ORDER BY a.deadline DESC LIMIT 50",
    )
    .bind(org_id)
    .bind(today)
    .fetch_all(conn)
    .await
}
