//! Queries of meetings (`meetings`) and nudges (`meeting_nudges`).

use chrono::{NaiveDate, NaiveTime};
use sqlx::PgConnection;
use uuid::Uuid;

/// A meeting as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Meeting {
    pub id: Uuid,
    pub kind: String,
    pub held_on: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
    pub format: String,
    pub place: String,
    pub topic: String,
    pub goal: String,
    pub done: String,
    pub result: String,
    pub next_steps: String,
    pub important: bool,
    pub on_behalf: bool,
}

/// The pair's meetings, the latest first.
pub async fn of_pair(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
) -> Result<Vec<Meeting>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, held_on, starts_at, ends_at, format, place, topic, goal, done, result,
                next_steps, important, on_behalf
           FROM meetings WHERE org_id = $1 AND pair_id = $2
          ORDER BY held_on DESC, starts_at DESC NULLS LAST, created_at DESC LIMIT 500",
    )
    .bind(org_id)
    .bind(pair_id)
    .fetch_all(conn)
    .await
}

/// A meeting to write.
#[derive(Clone, Debug)]
pub struct NewMeeting<'a> {
    pub pair_id: Uuid,
    pub kind: &'a str,
    pub held_on: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
    pub format: &'a str,
    pub place: &'a str,
    pub topic: &'a str,
    pub goal: &'a str,
    pub done: &'a str,
    pub result: &'a str,
    pub next_steps: &'a str,
    pub important: bool,
    pub on_behalf: bool,
    pub by: Uuid,
}

pub async fn insert(
    conn: &mut PgConnection,
    org_id: Uuid,
    m: &NewMeeting<'_>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO meetings (org_id, pair_id, kind, held_on, starts_at, ends_at, format, place,
                               topic, goal, done, result, next_steps, important, on_behalf,
                               created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         RETURNING id",
    )
    .bind(org_id)
    .bind(m.pair_id)
    .bind(m.kind)
    .bind(m.held_on)
    .bind(m.starts_at)
    .bind(m.ends_at)
    .bind(m.format)
    .bind(m.place)
    .bind(m.topic)
    .bind(m.goal)
    .bind(m.done)
    .bind(m.result)
    .bind(m.next_steps)
    .bind(m.important)
    .bind(m.on_behalf)
    .bind(m.by)
    .fetch_one(conn)
    .await
}

/// An agreed pair that has gone too long without a meeting.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Stale {
    pub pair_id: Uuid,
    pub program_name: String,
    pub mentor_user_id: Option<Uuid>,
    pub mentees: String,
    /// The last meeting held, or the day the pair was agreed.
    pub since: NaiveDate,
}

/// Agreed pairs of the organization whose last meeting held (or agreement) was `after_days` or
/// more before `today`, not nudged in the last `every_days`; they are marked nudged `today`.
pub async fn stale_pairs(
    conn: &mut PgConnection,
    org_id: Uuid,
    today: NaiveDate,
    after_days: i64,
    every_days: i64,
) -> Result<Vec<Stale>, sqlx::Error> {
    let stale: Vec<Stale> = sqlx::query_as(
        "WITH last AS (
            SELECT p.id, pr.name AS program_name, mp.user_id AS mentor_user_id,
                   greatest(coalesce((SELECT max(m.held_on) FROM meetings m
                                       WHERE m.pair_id = p.id AND m.held_on <= $2), '-infinity'::date),
                            coalesce(p.settled_at, p.created_at)::date) AS since
              FROM pairs p JOIN programs pr ON pr.org_id = p.org_id AND pr.id = p.program_id
              JOIN people mp ON mp.org_id = p.org_id AND mp.id = p.mentor_id
             WHERE p.org_id = $1 AND p.status = 'agreed' AND pr.status = 'active')
         SELECT l.id AS pair_id, l.program_name, l.mentor_user_id,
                coalesce((SELECT string_agg(trim(pe.last_name || ' ' || pe.first_name), ', ')
                            FROM pair_members pm JOIN people pe ON pe.org_id = pm.org_id AND pe.id = pm.person_id
                           WHERE pm.pair_id = l.id AND pm.role = 'mentee'), '') AS mentees,
                l.since
           FROM last l
           LEFT JOIN meeting_nudges n ON n.pair_id = l.id
          WHERE l.since <= $2 - $3::int
            AND (n.nudged_on IS NULL OR n.nudged_on <= $2 - $4::int)
          ORDER BY l.since LIMIT 2000",
    )
    .bind(org_id)
    .bind(today)
    .bind(after_days as i32)
    .bind(every_days as i32)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = stale.iter().map(|s| s.pair_id).collect();
    sqlx::query(
        "INSERT INTO meeting_nudges (pair_id, org_id, nudged_on) SELECT unnest($2::uuid[]), $1, $3
         ON CONFLICT (pair_id) DO UPDATE SET nudged_on = EXCLUDED.nudged_on",
    )
    .bind(org_id)
    .bind(&ids)
    .bind(today)
    .execute(conn)
    .await?;
    Ok(stale)
}

/// A member's feedback on a meeting.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Feedback {
    pub meeting_id: Uuid,
    pub person_id: Uuid,
    pub rating: i16,
    pub fit: Option<String>,
    pub comment: String,
}

/// The feedback given on the pair's meetings.
pub async fn feedback_of_pair(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
) -> Result<Vec<Feedback>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.meeting_id, f.person_id, f.rating, f.fit, f.comment
           FROM meeting_feedback f JOIN meetings m ON m.id = f.meeting_id
          WHERE m.org_id = $1 AND m.pair_id = $2",
    )
    .bind(org_id)
    .bind(pair_id)
    .fetch_all(conn)
    .await
}

/// A meeting of the pair: (kind, date); `None` when it is not this pair's.
pub async fn meeting_of_pair(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
    meeting_id: Uuid,
) -> Result<Option<(String, NaiveDate)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT kind, held_on FROM meetings WHERE org_id = $1 AND pair_id = $2 AND id = $3",
    )
    .bind(org_id)
    .bind(pair_id)
    .bind(meeting_id)
    .fetch_optional(conn)
    .await
}

/// Records (or changes) a member's feedback.
pub async fn give_feedback(
    conn: &mut PgConnection,
    org_id: Uuid,
    meeting_id: Uuid,
    person_id: Uuid,
    rating: i16,
    fit: Option<&str>,
    comment: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO meeting_feedback (meeting_id, org_id, person_id, rating, fit, comment)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (meeting_id, person_id)
         DO UPDATE SET rating = EXCLUDED.rating, fit = EXCLUDED.fit, comment = EXCLUDED.comment",
    )
    .bind(meeting_id)
    .bind(org_id)
    .bind(person_id)
    .bind(rating)
    .bind(fit)
    .bind(comment)
    .execute(conn)
    .await?;
    Ok(())
}

/// A member's answers to «подходим?» on the pair's meetings: (the meeting's date, the answer).
pub async fn fits_of(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
    person_id: Uuid,
) -> Result<Vec<(NaiveDate, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.held_on, f.fit FROM meeting_feedback f JOIN meetings m ON m.id = f.meeting_id
          WHERE m.org_id = $1 AND m.pair_id = $2 AND f.person_id = $3 AND f.fit IS NOT NULL",
    )
    .bind(org_id)
    .bind(pair_id)
    .bind(person_id)
    .fetch_all(conn)
    .await
}

/// A planned meeting of a pair the user belongs to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Upcoming {
    pub pair_id: Uuid,
    pub held_on: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub kind: String,
    pub topic: String,
}

/// The user's meetings from `today` on (their agreed pairs), soonest first.
pub async fn upcoming_for_user(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    today: NaiveDate,
) -> Result<Vec<Upcoming>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.pair_id, m.held_on, m.starts_at, m.kind, m.topic
           FROM meetings m JOIN pairs p ON p.org_id = m.org_id AND p.id = m.pair_id
          WHERE m.org_id = $1 AND m.held_on >= $3 AND p.status = 'agreed'
            AND EXISTS (SELECT 1 FROM pair_members pm JOIN people pe
                                  ON pe.org_id = pm.org_id AND pe.id = pm.person_id
                         WHERE pm.pair_id = p.id AND pe.user_id = $2)
          ORDER BY m.held_on, m.starts_at NULLS LAST LIMIT 10",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(today)
    .fetch_all(conn)
    .await
}
