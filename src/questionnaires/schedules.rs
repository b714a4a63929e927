//! Questionnaires on a schedule (`questionnaire_schedules`): given to a program's mentors or
//! mentees on a day of the week by the morning job, each time with a few days to answer — the
//! seed's «Прогресс» every Friday, for progress and topic requests.

use chrono::{Datelike, Duration, NaiveDate};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::error::AppResult;
use crate::notifications::Teller;
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
            "mentor"
        } else {
            "mentee"
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
/// questionnaires go to its mentors and its mentees, once (the consent rule applies). Returns how
/// many were given.
pub async fn satisfaction_at_end(
    conn: &mut PgConnection,
    org: &Organization,
    teller: Teller<'_>,
    today: NaiveDate,
) -> AppResult<usize> {
    let due: Vec<(Uuid, Uuid)> = sqlx::query!(
        r#"SELECT g.id AS "c0!", coalesce(g.curator_user_id,
                   (SELECT user_id FROM memberships WHERE org_id = g.org_id AND 'curator' = ANY (roles) LIMIT 1)) AS "c1!"
           FROM programs g
          WHERE g.org_id = $1 AND g.ends_on <= $2 AND g.ends_on > $2 - 30 AND g.status <> 'draft'
            AND NOT EXISTS (SELECT 1 FROM assignments a JOIN questionnaires q ON q.id = a.questionnaire_id
                             WHERE a.program_id = g.id AND q.template_code LIKE 'satisfaction_%')
            AND EXISTS (SELECT 1 FROM memberships WHERE org_id = g.org_id AND 'curator' = ANY (roles))"#,
        org.id,
        today,
    ).map(|r| (r.c0, r.c1))
    .fetch_all(&mut *conn)
    .await?;
    let mut given = 0;
    for (program, by) in due {
        if !crate::jobs::once(conn, Some(org.id), SATISFACTION_ONCE, &program.to_string()).await? {
            continue;
        }
        super::repo::ensure_templates(conn, org.id).await?;
        for (code, audience, role) in [
            ("satisfaction_mentors", "mentors", "mentor"),
            ("satisfaction_mentees", "mentees", "mentee"),
        ] {
            let qid: Option<Uuid> = sqlx::query_scalar!(
                r#"SELECT id AS "v!" FROM questionnaires WHERE org_id = $1 AND template_code = $2"#,
                org.id,
                code,
            )
            .fetch_optional(&mut *conn)
            .await?;
            let Some(cur) = (match qid {
                Some(q) => super::repo::current(conn, org.id, q).await?,
                None => None,
            }) else {
                continue;
            };
            let candidates: Vec<Uuid> = crate::participants::participants(conn, org.id, program)
                .await?
                .into_iter()
                .filter(|p| p.role == role && !p.anonymized)
                .map(|p| p.person_id)
                .collect();
            if super::give::give_as(
                conn,
                org,
                (teller, by),
                &cur,
                (Some(program), audience),
                candidates,
                Some(today + Duration::days(7)),
            )
            .await?
            .is_some()
            {
                given += 1;
            }
        }
    }
    Ok(given)
}

/// Whether a pair's pulse is due `days` after its order (or agreement): on day 30, then every 60.
pub fn pulse_due(days: i64) -> bool {
    days == 30 || (days > 30 && (days - 30) % 60 == 0)
}

/// The mid-program pulse of the programs that turned it on: the satisfaction questionnaires to
/// the members of each pair due today (once a day). Returns how many pairs were asked.
pub async fn pulse(
    conn: &mut PgConnection,
    org: &Organization,
    teller: Teller<'_>,
    today: NaiveDate,
) -> AppResult<usize> {
    let pairs: Vec<(Uuid, Uuid, NaiveDate, Option<Uuid>)> = sqlx::query!(
        r#"SELECT x.id AS "c0!", x.program_id AS "c1!",
                coalesce((SELECT min(o.signed_on) FROM pair_order_items i JOIN pair_orders o ON o.id = i.order_id
                           WHERE i.pair_id = x.id AND i.action = 'fix' AND o.status = 'approved'),
                         coalesce(x.settled_at, x.created_at)::date) AS "c2!",
                coalesce(g.curator_user_id,
                         (SELECT user_id FROM memberships WHERE org_id = g.org_id AND 'curator' = ANY (roles) LIMIT 1)) AS "c3?"
           FROM pairs x JOIN programs g ON g.org_id = x.org_id AND g.id = x.program_id
           JOIN program_pulse pp ON pp.program_id = g.id AND pp.enabled
          WHERE x.org_id = $1 AND x.status = 'agreed' AND g.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM pulse_sent s WHERE s.pair_id = x.id AND s.on_date = $2)"#,
        org.id,
        today,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3))
    .fetch_all(&mut *conn)
    .await?;
    let mut asked = 0;
    for (pair, program, since, by) in pairs {
        let (Some(by), true) = (by, pulse_due((today - since).num_days())) else {
            continue;
        };
        let first = sqlx::query!(
            "INSERT INTO pulse_sent (pair_id, org_id, on_date) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            pair,
            org.id,
            today,
        )
        .execute(&mut *conn)
        .await?
        .rows_affected()
            == 1;
        if !first {
            continue;
        }
        super::repo::ensure_templates(conn, org.id).await?;
        let members: Vec<(Uuid, String)> = sqlx::query!(
            r#"SELECT person_id AS "c0!", role AS "c1!" FROM pair_members WHERE pair_id = $1"#,
            pair,
        )
        .map(|r| (r.c0, r.c1))
        .fetch_all(&mut *conn)
        .await?;
        for (code, role) in [
            ("satisfaction_mentors", "mentor"),
            ("satisfaction_mentees", "mentee"),
        ] {
            let people: Vec<Uuid> = members
                .iter()
                .filter(|m| m.1 == role)
                .map(|m| m.0)
                .collect();
            let qid: Option<Uuid> = sqlx::query_scalar!(
                r#"SELECT id AS "v!" FROM questionnaires WHERE org_id = $1 AND template_code = $2"#,
                org.id,
                code,
            )
            .fetch_optional(&mut *conn)
            .await?;
            let Some(cur) = (match qid {
                Some(q) => super::repo::current(conn, org.id, q).await?,
                None => None,
            }) else {
                continue;
            };
            super::give::give_as(
                conn,
                org,
                (teller, by),
                &cur,
                (Some(program), "people"),
                people,
                Some(today + Duration::days(5)),
            )
            .await?;
        }
        asked += 1;
    }
    Ok(asked)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_pulse_is_on_day_30_then_every_60() {
        let due: Vec<i64> = (0..260).filter(|d| super::pulse_due(*d)).collect();
        assert_eq!(due, [30, 90, 150, 210]);
    }
}
