//! Responses: one person's answer to a sending (drafts never touch a submitted one; a change keeps the replaced answers), what is theirs to fill, and the answers read back.

#[allow(unused_imports)]
use super::*;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Response {
    pub version_id: Uuid,
    pub answers: Json<Raw>,
    pub status: ResponseStatus,
    pub on_behalf: bool,
    pub updated_at: DateTime<Utc>,
}

pub async fn response(
    conn: &mut PgConnection,
    org_id: Uuid,
    assignment_id: Uuid,
    person_id: Uuid,
) -> Result<Option<Response>, sqlx::Error> {
    sqlx::query_as!(
        Response,
        r#"SELECT version_id AS "version_id!", answers AS "answers!: Json<Raw>", status AS "status!: ResponseStatus", on_behalf AS "on_behalf!", updated_at AS "updated_at!" FROM responses WHERE org_id = $1 AND assignment_id = $2 AND person_id = $3"#,
        org_id,
        assignment_id,
        person_id,
    )
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
    // Saved only while the person has a valid consent (their row held until the commit).
    if !crate::people::hold_consented(&mut *conn, org_id, person_id).await? {
        return Ok(false);
    }
    let n = sqlx::query!(
        "INSERT INTO responses (org_id, assignment_id, person_id, version_id, answers, status, on_behalf, submitted_at)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN 'submitted' ELSE 'draft' END, $7, CASE WHEN $6 THEN now() END)
         ON CONFLICT (assignment_id, person_id) DO UPDATE SET
             version_id = EXCLUDED.version_id, answers = EXCLUDED.answers,
             status = CASE WHEN $6 THEN 'submitted' ELSE responses.status END,
             on_behalf = CASE WHEN $6 THEN $7 ELSE responses.on_behalf END,
             submitted_at = CASE WHEN $6 THEN now() ELSE responses.submitted_at END,
             updated_at = now()
           WHERE responses.status = 'draft'",
        org_id,
        assignment_id,
        person_id,
        version_id,
        Json(answers) as _,
        submit,
        on_behalf,
    )
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
    if !crate::people::hold_consented(&mut *conn, org_id, r.person_id).await? {
        return Ok(false);
    }
    let n = sqlx::query!(
        "WITH old AS (
             SELECT r.id, r.org_id, r.answers, r.on_behalf, r.submitted_at
               FROM responses r
              WHERE r.org_id = $1 AND r.assignment_id = $2 AND r.person_id = $3
                AND r.status = 'submitted'
                FOR UPDATE OF r),
         upd AS (
             UPDATE responses x SET version_id = $5, answers = $6, on_behalf = $7,
                    submitted_at = now(), updated_at = now()
               FROM old WHERE x.id = old.id
             RETURNING old.id, old.org_id, old.answers, old.on_behalf, old.submitted_at)
         INSERT INTO response_versions (org_id, response_id, answers, on_behalf, submitted_at, replaced_by)
         SELECT org_id, id, answers, on_behalf, submitted_at, $4 FROM upd",
        org_id,
        r.assignment_id,
        r.person_id,
        by,
        r.version_id,
        Json(r.answers) as _,
        r.on_behalf,
    )
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
    pub program_id: Option<Uuid>,
    pub deadline: Option<NaiveDate>,
    pub status: Option<ResponseStatus>,
}

/// Questionnaires given to the people linked to `user_id`.
pub async fn mine(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<Mine>, sqlx::Error> {
    let persons = crate::people::persons_of_user(&mut *conn, org_id, user_id).await?;
    let mut list = sqlx::query_as!(
        Mine,
        r#"SELECT a.id AS "assignment_id!", t.person_id AS "person_id!", q.title AS "title!", NULL::text AS "program_name?",
                  a.program_id AS "program_id?", a.deadline AS "deadline?", r.status AS "status?: ResponseStatus"
           FROM assignment_targets t
           JOIN assignments a ON a.id = t.assignment_id
           JOIN questionnaires q ON q.id = a.questionnaire_id
           LEFT JOIN responses r ON r.assignment_id = a.id AND r.person_id = t.person_id
          WHERE t.org_id = $1 AND t.person_id = ANY($2)
          ORDER BY r.status = 'submitted', a.deadline NULLS LAST, a.created_at DESC LIMIT 200"#,
        org_id,
        &persons,
    )
    .fetch_all(&mut *conn)
    .await?;
    crate::programs::name_each(
        conn,
        org_id,
        &mut list,
        |m| m.program_id,
        |m, n| m.program_name = Some(n),
    )
    .await?;
    Ok(list)
}

/// The person linked to `user_id` who is a target of the assignment.
pub async fn my_person(
    conn: &mut PgConnection,
    org_id: Uuid,
    assignment_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    let persons = crate::people::persons_of_user(&mut *conn, org_id, user_id).await?;
    sqlx::query_scalar!(
        r#"SELECT person_id AS "v!" FROM assignment_targets
          WHERE org_id = $1 AND assignment_id = $2 AND person_id = ANY($3) LIMIT 1"#,
        org_id,
        assignment_id,
        &persons,
    )
    .fetch_optional(conn)
    .await
}

/// A person's answers across questionnaires: (assignment, title, status, updated).
pub async fn answers_of(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
) -> Result<Vec<(Uuid, String, ResponseStatus, DateTime<Utc>)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT r.assignment_id AS "c0!", q.title AS "c1!", r.status AS "c2!: ResponseStatus", r.updated_at AS "c3!" FROM responses r
           JOIN assignments a ON a.id = r.assignment_id JOIN questionnaires q ON q.id = a.questionnaire_id
          WHERE r.org_id = $1 AND r.person_id = $2 ORDER BY r.updated_at DESC LIMIT 500"#,
        org_id,
        person_id,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3))
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
    let enrolled = crate::participants::enrolled(&mut *conn, org_id, program_id).await?;
    let mine = enrolled.iter().find(|e| e.0 == person_id).map(|e| e.1);
    let ids: Vec<Uuid> = enrolled
        .iter()
        .filter(|e| e.0 != person_id && Some(e.1) != mine)
        .map(|e| e.0)
        .collect();
    let cards = crate::people::cards(conn, org_id, &ids).await?;
    let mut others: Vec<&crate::people::Card> = cards.values().filter(|c| !c.anonymized).collect();
    others.sort_by_key(|c| c.sort_key());
    Ok(others
        .into_iter()
        .map(|c| (c.id, format!("{} {}", c.last_name, c.first_name)))
        .collect())
}

/// Assignments past their deadline with forms not sent: (assignment, questionnaire title, how
/// many have not sent), for the curator's digest.
pub async fn late(
    conn: &mut PgConnection,
    org_id: Uuid,
    today: NaiveDate,
) -> Result<Vec<(Uuid, String, i64)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT a.id AS "c0!", q.title AS "c1!", count(*) FILTER (WHERE r.status IS DISTINCT FROM 'submitted') AS "c2!"
           FROM assignments a JOIN questionnaires q ON q.org_id = a.org_id AND q.id = a.questionnaire_id
           JOIN assignment_targets t ON t.assignment_id = a.id
           LEFT JOIN responses r ON r.assignment_id = t.assignment_id AND r.person_id = t.person_id
          WHERE a.org_id = $1 AND a.deadline < $2
          GROUP BY a.id, q.title, a.deadline
         HAVING count(*) FILTER (WHERE r.status IS DISTINCT FROM 'submitted') > 0
          ORDER BY a.deadline DESC LIMIT 50"#,
        org_id,
        today,
    ).map(|r| (r.c0, r.c1, r.c2))
    .fetch_all(conn)
    .await
}
