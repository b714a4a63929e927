//! Questionnaires on a schedule (`questionnaire_schedules`): given to a program's mentors or
//! mentees on a day of the week by the morning job, each time with a few days to answer — the
//! seed's «Прогресс» every Friday, for progress and topic requests.

use chrono::{Datelike, Duration, NaiveDate};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::error::AppResult;
use crate::notifications::Teller;
use crate::people::Side;
use crate::tenancy::Organization;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Schedule {
    pub id: Uuid,
    pub questionnaire_id: Uuid,
    pub program_id: Uuid,
    pub program_name: String,
    pub audience: String,
    pub weekday: i16,
    pub days_to_answer: i32,
    pub last_given: Option<NaiveDate>,
    pub created_by: Option<Uuid>,
}

pub async fn of_questionnaire(
    conn: &mut PgConnection,
    org_id: Uuid,
    questionnaire_id: Uuid,
) -> Result<Vec<Schedule>, sqlx::Error> {
    let mut list = sqlx::query_as!(
        Schedule,
        r#"SELECT s.id AS "id!", s.questionnaire_id AS "questionnaire_id!", s.program_id AS "program_id!", ''::text AS "program_name!",
        s.audience AS "audience!", s.weekday AS "weekday!", s.days_to_answer AS "days_to_answer!", s.last_given AS "last_given?", s.created_by AS "created_by?"
   FROM questionnaire_schedules s WHERE s.org_id = $1 AND s.questionnaire_id = $2 ORDER BY s.created_at"#,
        org_id,
        questionnaire_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    crate::programs::name_each(
        conn,
        org_id,
        &mut list,
        |s| Some(s.program_id),
        |s, n| s.program_name = n,
    )
    .await?;
    Ok(list)
}

pub struct NewSchedule {
    pub questionnaire_id: Uuid,
    pub program_id: Uuid,
    pub audience: String,
    pub weekday: i16,
    pub days_to_answer: i32,
    pub by: Uuid,
}

pub async fn add(
    conn: &mut PgConnection,
    org_id: Uuid,
    s: &NewSchedule,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO questionnaire_schedules (org_id, questionnaire_id, program_id, audience, weekday,
                                              days_to_answer, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        org_id,
        s.questionnaire_id,
        s.program_id,
        &s.audience,
        s.weekday,
        s.days_to_answer,
        s.by,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete(
    conn: &mut PgConnection,
    org_id: Uuid,
    questionnaire_id: Uuid,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "DELETE FROM questionnaire_schedules WHERE org_id = $1 AND questionnaire_id = $2 AND id = $3",
        org_id,
        questionnaire_id,
        id,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Gives every questionnaire scheduled for `today`'s day of the week not yet given today (in
/// programs that are not finished). Returns how many were given.
pub async fn run_due(
    conn: &mut PgConnection,
    org: &Organization,
    teller: Teller<'_>,
    today: NaiveDate,
) -> AppResult<usize> {
    let weekday = today.weekday().number_from_monday() as i16;
    let running: Vec<Uuid> = crate::programs::running_names(&mut *conn, org.id)
        .await?
        .into_iter()
        .map(|p| p.0)
        .collect();
    let due: Vec<Schedule> = sqlx::query_as!(
        Schedule,
        r#"SELECT s.id AS "id!", s.questionnaire_id AS "questionnaire_id!", s.program_id AS "program_id!", ''::text AS "program_name!",
        s.audience AS "audience!", s.weekday AS "weekday!", s.days_to_answer AS "days_to_answer!", s.last_given AS "last_given?", s.created_by AS "created_by?"
   FROM questionnaire_schedules s WHERE s.org_id = $1 AND s.weekday = $2 AND (s.last_given IS NULL OR s.last_given < $3)
            AND s.program_id = ANY($4) FOR UPDATE OF s SKIP LOCKED"#,
        org.id,
        weekday,
        today,
        &running,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut given = 0;
    for s in due {
        sqlx::query!(
            "UPDATE questionnaire_schedules SET last_given = $2 WHERE id = $1",
            s.id,
            today,
        )
        .execute(&mut *conn)
        .await?;
        let (Some(cur), Some(by)) = (
            super::repo::current(conn, org.id, s.questionnaire_id).await?,
            s.created_by,
        ) else {
            continue;
        };
        let role = if s.audience == "mentors" {
            Side::Mentor
        } else {
            Side::Mentee
        };
        let candidates: Vec<Uuid> = crate::participants::participants(conn, org.id, s.program_id)
            .await?
            .into_iter()
            .filter(|p| p.role == role && !p.anonymized)
            .map(|p| p.person_id)
            .collect();
        let deadline = today + Duration::days(i64::from(s.days_to_answer));
        if super::give::give_as(
            conn,
            org,
            (teller, by),
            &cur,
            (Some(s.program_id), &s.audience),
            candidates,
            Some(deadline),
        )
        .await?
        .is_some()
        {
            given += 1;
        }
    }
    Ok(given)
}

/// The `done_once` kind of a program's satisfaction questionnaires (the morning job of its last
/// day and closing it share it: given once, whoever is first).
pub const SATISFACTION_ONCE: &str = "satisfaction_at_end";

/// At a program's end (its last day has come, it is not a draft): the built-in satisfaction
/// questionnaires go to its mentors and its mentees, once (the consent rule applies), given in
/// the name of its curator (or any curator of the organization; none without one). Returns how
/// many were given.
pub async fn satisfaction_at_end(
    conn: &mut PgConnection,
    org: &Organization,
    teller: Teller<'_>,
    today: NaiveDate,
) -> AppResult<usize> {
    let ending: Vec<(Uuid, Option<Uuid>)> = crate::programs::programs(&mut *conn, org.id)
        .await?
        .into_iter()
        .filter(|g| {
            g.ends_on <= today
                && g.ends_on > today - Duration::days(30)
                && g.status != crate::programs::ProgramStatus::Draft
        })
        .map(|g| (g.id, g.curator_user_id))
        .collect();
    if ending.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = ending.iter().map(|g| g.0).collect();
    let asked: std::collections::HashSet<Uuid> = sqlx::query_scalar!(
        r#"SELECT DISTINCT a.program_id AS "v!" FROM assignments a JOIN questionnaires q ON q.id = a.questionnaire_id
            WHERE a.org_id = $1 AND a.program_id = ANY($2) AND q.template_code LIKE 'satisfaction_%'"#,
        org.id,
        &ids,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let Some(any_curator) = any_curator(conn, org.id).await? else {
        return Ok(0);
    };
    let mut given = 0;
    let mut forms = None;
    for (program, curator) in ending.into_iter().filter(|g| !asked.contains(&g.0)) {
        if !crate::jobs::once(conn, Some(org.id), SATISFACTION_ONCE, &program.to_string()).await? {
            continue;
        }
        if forms.is_none() {
            forms = Some(satisfaction_forms(conn, org.id).await?);
        }
        let Some([mentors_form, mentees_form]) = &forms else {
            continue;
        };
        let by = curator.unwrap_or(any_curator);
        let list = crate::participants::participants(conn, org.id, program).await?;
        for (form, audience, role) in [
            (mentors_form, "mentors", Side::Mentor),
            (mentees_form, "mentees", Side::Mentee),
        ] {
            let Some(form) = form else {
                continue;
            };
            let candidates: Vec<Uuid> = list
                .iter()
                .filter(|p| p.role == role && !p.anonymized)
                .map(|p| p.person_id)
                .collect();
            let deadline = today + Duration::days(7);
            let to = (Some(program), audience);
            if give_template(conn, org, (teller, by), form, to, candidates, deadline).await? {
                given += 1;
            }
        }
    }
    Ok(given)
}

/// A curator of the organization, if it has one (the name a job gives questionnaires in when a
/// program has no curator of its own).
pub async fn any_curator(conn: &mut PgConnection, org_id: Uuid) -> AppResult<Option<Uuid>> {
    Ok(
        crate::tenancy::members_with_role(conn, org_id, crate::auth::model::Role::Curator)
            .await?
            .first()
            .map(|c| c.0),
    )
}

/// The built-in satisfaction questionnaires, for mentors and for mentees, each looked up once by
/// the job that gives them.
pub async fn satisfaction_forms(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> AppResult<[Option<super::repo::Current>; 2]> {
    Ok([
        template(conn, org_id, "satisfaction_mentors").await?,
        template(conn, org_id, "satisfaction_mentees").await?,
    ])
}

/// The current version of the built-in questionnaire `code` (the templates made first if the
/// organization has none yet); looked up once by a job that gives it to many.
pub async fn template(
    conn: &mut PgConnection,
    org_id: Uuid,
    code: &str,
) -> AppResult<Option<super::repo::Current>> {
    super::repo::ensure_templates(conn, org_id).await?;
    let qid: Option<Uuid> = sqlx::query_scalar!(
        r#"SELECT id AS "v!" FROM questionnaires WHERE org_id = $1 AND template_code = $2"#,
        org_id,
        code,
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match qid {
        Some(q) => super::repo::current(conn, org_id, q).await?,
        None => None,
    })
}

/// Gives the questionnaire version `cur` (a [`template`]) to `people` of the program, in the
/// name of `by`; false when nothing was given.
pub async fn give_template(
    conn: &mut PgConnection,
    org: &Organization,
    (teller, by): (Teller<'_>, Uuid),
    cur: &super::repo::Current,
    to: (Option<Uuid>, &str),
    people: Vec<Uuid>,
    deadline: NaiveDate,
) -> AppResult<bool> {
    let given =
        super::give::give_as(conn, org, (teller, by), cur, to, people, Some(deadline)).await?;
    Ok(given.is_some())
}
