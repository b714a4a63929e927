//! Every query on the activities tables: activities and their exceptions, sign-ups and
//! attendance, feedback, topic requests, the organization's formats, calendar feed links and
//! rating settings.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{Exception, Timing};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Activity {
    pub id: Uuid,
    pub program_id: Uuid,
    pub program_name: String,
    pub format: String,
    pub topic: String,
    pub description: String,
    pub level: String,
    pub leaders: Vec<Uuid>,
    pub expert: String,
    pub starts_at: DateTime<Utc>,
    pub minutes: i32,
    pub place: String,
    pub link: String,
    pub audience: String,
    pub classes: Vec<String>,
    pub person_id: Option<Uuid>,
    pub capacity: Option<i32>,
    pub repeat_days: Vec<i16>,
    pub repeat_until: Option<NaiveDate>,
    pub recording: String,
    pub materials: String,
    pub cancelled: bool,
    pub cancel_reason: String,
    pub sequence: i32,
    pub updated_at: DateTime<Utc>,
    pub feedback_questionnaire: Option<Uuid>,
    pub created_by: Option<Uuid>,
    #[sqlx(skip)]
    pub exceptions: Vec<Exception>,
}

impl Activity {
    pub fn timing(&self) -> Timing {
        Timing {
            starts_at: self.starts_at,
            minutes: self.minutes,
            repeat_days: self.repeat_days.clone(),
            repeat_until: self.repeat_until,
            cancelled: self.cancelled,
        }
    }
}

const COLUMNS: &str = "SELECT a.id, a.program_id, g.name AS program_name, a.format, a.topic,
        a.description, a.level, a.leaders, a.expert, a.starts_at, a.minutes, a.place, a.link,
        a.audience, a.classes, a.person_id, a.capacity, a.repeat_days, a.repeat_until, a.recording,
        a.materials, a.cancelled, a.cancel_reason, a.sequence, a.updated_at, a.feedback_questionnaire,
        a.created_by
   FROM activities a JOIN programs g ON g.org_id = a.org_id AND g.id = a.program_id";

async fn with_exceptions(
    conn: &mut PgConnection,
    mut list: Vec<Activity>,
) -> Result<Vec<Activity>, sqlx::Error> {
    let ids: Vec<Uuid> = list.iter().map(|a| a.id).collect();
    let rows: Vec<(Uuid, NaiveDate, Option<DateTime<Utc>>)> = sqlx::query_as(
        "SELECT activity_id, on_date, moved_to FROM activity_exceptions WHERE activity_id = ANY($1)",
    )
    .bind(&ids)
    .fetch_all(conn)
    .await?;
    for a in &mut list {
        a.exceptions = rows
            .iter()
            .filter(|r| r.0 == a.id)
            .map(|r| Exception {
                on_date: r.1,
                moved_to: r.2,
            })
            .collect();
    }
    Ok(list)
}

/// The activities of the programs given that may have an occurrence in [from, to): a one-off
/// starting in it, or a series running over it (moved dates may leave their series' span by a
/// few weeks, hence the margin).
pub async fn in_programs(
    conn: &mut PgConnection,
    org_id: Uuid,
    programs: &[Uuid],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Activity>, sqlx::Error> {
    let list: Vec<Activity> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{COLUMNS} WHERE a.org_id = $1 AND a.program_id = ANY($2)
            AND a.starts_at < $4 + interval '60 days'
            AND (coalesce(a.repeat_until::timestamptz + interval '1 day', a.starts_at) >= $3 - interval '60 days')
          ORDER BY a.starts_at LIMIT 5000"
    )))
    .bind(org_id)
    .bind(programs)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    with_exceptions(conn, list).await
}

pub async fn one(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<Activity>, sqlx::Error> {
    let list: Vec<Activity> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{COLUMNS} WHERE a.org_id = $1 AND a.id = $2"
    )))
    .bind(org_id)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(with_exceptions(conn, list).await?.pop())
}

/// An activity as written by the form.
pub struct Input<'a> {
    pub format: &'a str,
    pub topic: &'a str,
    pub description: &'a str,
    pub level: &'a str,
    pub leaders: &'a [Uuid],
    pub expert: &'a str,
    pub starts_at: DateTime<Utc>,
    pub minutes: i32,
    pub place: &'a str,
    pub link: &'a str,
    pub audience: &'a str,
    pub classes: &'a [String],
    pub person_id: Option<Uuid>,
    pub capacity: Option<i32>,
    pub repeat_days: &'a [i16],
    pub repeat_until: Option<NaiveDate>,
    pub recording: &'a str,
    pub materials: &'a str,
    /// A questionnaire asked of the attendees after each occurrence (besides the 1–5 rating).
    pub feedback_questionnaire: Option<Uuid>,
}

pub async fn insert(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    a: &Input<'_>,
    by: Uuid,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO activities (org_id, program_id, format, topic, description, level, leaders,
                                 expert, starts_at, minutes, place, link, audience, classes,
                                 person_id, capacity, repeat_days, repeat_until, recording,
                                 materials, created_by, feedback_questionnaire)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                 $19, $20, $21, $22) RETURNING id",
    )
    .bind(org_id)
    .bind(program_id)
    .bind(a.format)
    .bind(a.topic)
    .bind(a.description)
    .bind(a.level)
    .bind(a.leaders)
    .bind(a.expert)
    .bind(a.starts_at)
    .bind(a.minutes)
    .bind(a.place)
    .bind(a.link)
    .bind(a.audience)
    .bind(a.classes)
    .bind(a.person_id)
    .bind(a.capacity)
    .bind(a.repeat_days)
    .bind(a.repeat_until)
    .bind(a.recording)
    .bind(a.materials)
    .bind(by)
    .bind(a.feedback_questionnaire)
    .fetch_one(conn)
    .await
}

/// Saves an edit; SEQUENCE goes up so that calendars take the change.
pub async fn update(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    a: &Input<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE activities SET format = $3, topic = $4, description = $5, level = $6, leaders = $7,
                expert = $8, starts_at = $9, minutes = $10, place = $11, link = $12, audience = $13,
                classes = $14, person_id = $15, capacity = $16, repeat_days = $17,
                repeat_until = $18, recording = $19, materials = $20, feedback_questionnaire = $21,
                sequence = sequence + 1, updated_at = now()
          WHERE org_id = $1 AND id = $2",
    )
    .bind(org_id)
    .bind(id)
    .bind(a.format)
    .bind(a.topic)
    .bind(a.description)
    .bind(a.level)
    .bind(a.leaders)
    .bind(a.expert)
    .bind(a.starts_at)
    .bind(a.minutes)
    .bind(a.place)
    .bind(a.link)
    .bind(a.audience)
    .bind(a.classes)
    .bind(a.person_id)
    .bind(a.capacity)
    .bind(a.repeat_days)
    .bind(a.repeat_until)
    .bind(a.recording)
    .bind(a.materials)
    .bind(a.feedback_questionnaire)
    .execute(conn)
    .await?;
    Ok(())
}

/// Keeps which assignment of the feedback questionnaire belongs to an occurrence.
pub async fn add_feedback_form(
    conn: &mut PgConnection,
    id: Uuid,
    on_date: NaiveDate,
    assignment: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO activity_feedback_forms (activity_id, on_date, assignment_id) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(on_date)
        .bind(assignment)
        .execute(conn)
        .await?;
    Ok(())
}

/// The assignments of the feedback questionnaire given after an occurrence.
pub async fn feedback_forms(
    conn: &mut PgConnection,
    id: Uuid,
    on_date: NaiveDate,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT assignment_id FROM activity_feedback_forms WHERE activity_id = $1 AND on_date = $2",
    )
    .bind(id)
    .bind(on_date)
    .fetch_all(conn)
    .await
}

/// Cancels (or restores) the whole activity.
pub async fn set_cancelled(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    cancelled: bool,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE activities SET cancelled = $3, cancel_reason = $4, sequence = sequence + 1,
                updated_at = now() WHERE org_id = $1 AND id = $2",
    )
    .bind(org_id)
    .bind(id)
    .bind(cancelled)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves (to `moved_to`) or cancels (None) one date of a series; restores it with `restore`.
pub async fn set_exception(
    conn: &mut PgConnection,
    id: Uuid,
    on_date: NaiveDate,
    change: Option<(Option<DateTime<Utc>>, &str)>,
) -> Result<(), sqlx::Error> {
    match change {
        Some((moved_to, reason)) => {
            sqlx::query(
                "INSERT INTO activity_exceptions (activity_id, on_date, moved_to, reason)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (activity_id, on_date) DO UPDATE SET moved_to = EXCLUDED.moved_to,
                        reason = EXCLUDED.reason",
            )
            .bind(id)
            .bind(on_date)
            .bind(moved_to)
            .bind(reason)
            .execute(&mut *conn)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM activity_exceptions WHERE activity_id = $1 AND on_date = $2")
                .bind(id)
                .bind(on_date)
                .execute(&mut *conn)
                .await?;
        }
    }
    sqlx::query("UPDATE activities SET sequence = sequence + 1, updated_at = now() WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The reason a date was moved or cancelled.
pub async fn exception_reason(
    conn: &mut PgConnection,
    id: Uuid,
    on_date: NaiveDate,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT reason FROM activity_exceptions WHERE activity_id = $1 AND on_date = $2",
    )
    .bind(id)
    .bind(on_date)
    .fetch_optional(conn)
    .await
}

/// A person on an occurrence's list.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Signup {
    pub person_id: Uuid,
    pub name: String,
    pub signed_up: bool,
    pub attended: Option<bool>,
    pub user_id: Option<Uuid>,
}

pub async fn signups(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    on_date: NaiveDate,
) -> Result<Vec<Signup>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.person_id, CASE WHEN p.anonymized_at IS NOT NULL THEN 'Участник №' || p.number
                     ELSE trim(p.last_name || ' ' || p.first_name) END AS name,
                s.signed_up, s.attended, p.user_id
           FROM activity_signups s JOIN people p ON p.org_id = s.org_id AND p.id = s.person_id
          WHERE s.org_id = $1 AND s.activity_id = $2 AND s.on_date = $3
          ORDER BY p.last_name COLLATE ru_icu, p.first_name COLLATE ru_icu LIMIT 2000",
    )
    .bind(org_id)
    .bind(id)
    .bind(on_date)
    .fetch_all(conn)
    .await
}

/// Signs a person up (false when the occurrence is full).
pub async fn sign_up(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    on_date: NaiveDate,
    person: Uuid,
    capacity: Option<i32>,
) -> Result<bool, sqlx::Error> {
    // One sign-up at a time per occurrence, so that the capacity holds.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1::text || $2::text))")
        .bind(id)
        .bind(on_date)
        .execute(&mut *conn)
        .await?;
    if let Some(cap) = capacity {
        let taken: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM activity_signups
              WHERE activity_id = $1 AND on_date = $2 AND signed_up AND person_id <> $3",
        )
        .bind(id)
        .bind(on_date)
        .bind(person)
        .fetch_one(&mut *conn)
        .await?;
        if taken >= i64::from(cap) {
            return Ok(false);
        }
    }
    sqlx::query(
        "INSERT INTO activity_signups (activity_id, org_id, on_date, person_id, signed_up)
         VALUES ($1, $2, $3, $4, true)
         ON CONFLICT (activity_id, on_date, person_id) DO UPDATE SET signed_up = true",
    )
    .bind(id)
    .bind(org_id)
    .bind(on_date)
    .bind(person)
    .execute(conn)
    .await?;
    Ok(true)
}

pub async fn leave(
    conn: &mut PgConnection,
    id: Uuid,
    on_date: NaiveDate,
    person: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE activity_signups SET signed_up = false
          WHERE activity_id = $1 AND on_date = $2 AND person_id = $3",
    )
    .bind(id)
    .bind(on_date)
    .bind(person)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks who attended among `people` (the rest of them: absent).
pub async fn set_attendance(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    on_date: NaiveDate,
    people: &[Uuid],
    present: &[Uuid],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO activity_signups (activity_id, org_id, on_date, person_id, signed_up, attended)
         SELECT $1, $2, $3, p, false, p = ANY($5) FROM unnest($4::uuid[]) AS p
         ON CONFLICT (activity_id, on_date, person_id) DO UPDATE SET attended = EXCLUDED.attended",
    )
    .bind(id)
    .bind(org_id)
    .bind(on_date)
    .bind(people)
    .bind(present)
    .execute(conn)
    .await?;
    Ok(())
}

/// Attendees not yet asked for feedback, marked asked: (person, user).
pub async fn ask_attendees(
    conn: &mut PgConnection,
    id: Uuid,
    on_date: NaiveDate,
) -> Result<Vec<(Uuid, Option<Uuid>)>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE activity_signups s SET asked = true FROM people p
          WHERE s.activity_id = $1 AND s.on_date = $2 AND s.attended AND NOT s.asked
            AND p.org_id = s.org_id AND p.id = s.person_id
         RETURNING s.person_id, p.user_id",
    )
    .bind(id)
    .bind(on_date)
    .fetch_all(conn)
    .await
}

/// Whether a person attended an occurrence.
pub async fn attended(
    conn: &mut PgConnection,
    id: Uuid,
    on_date: NaiveDate,
    person: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query_scalar::<_, Option<bool>>(
        "SELECT attended FROM activity_signups WHERE activity_id = $1 AND on_date = $2 AND person_id = $3",
    )
    .bind(id)
    .bind(on_date)
    .bind(person)
    .fetch_optional(conn)
    .await?
    .flatten()
    .unwrap_or(false))
}

pub async fn give_feedback(
    conn: &mut PgConnection,
    org_id: Uuid,
    (id, on_date): (Uuid, NaiveDate),
    person: Uuid,
    rating: i16,
    comment: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO activity_feedback (activity_id, org_id, on_date, person_id, rating, comment)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (activity_id, on_date, person_id)
         DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment",
    )
    .bind(id)
    .bind(org_id)
    .bind(on_date)
    .bind(person)
    .bind(rating)
    .bind(comment)
    .execute(conn)
    .await?;
    Ok(())
}

/// The feedback on an occurrence: (person, rating, comment).
pub async fn feedback(
    conn: &mut PgConnection,
    id: Uuid,
    on_date: NaiveDate,
) -> Result<Vec<(Uuid, i16, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT person_id, rating, comment FROM activity_feedback WHERE activity_id = $1 AND on_date = $2",
    )
    .bind(id)
    .bind(on_date)
    .fetch_all(conn)
    .await
}

/// The organization's own formats.
pub async fn formats(conn: &mut PgConnection, org_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT label FROM activity_formats WHERE org_id = $1 ORDER BY label COLLATE ru_icu LIMIT 100",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await
}

pub async fn add_format(
    conn: &mut PgConnection,
    org_id: Uuid,
    label: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO activity_formats (org_id, label) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(org_id)
    .bind(label)
    .execute(conn)
    .await?;
    Ok(())
}

/// A topic request.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Topic {
    pub id: Uuid,
    pub text: String,
    pub who: String,
    pub user_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// The activity made of it: (id, first start).
    pub activity_id: Option<Uuid>,
    pub activity_starts: Option<DateTime<Utc>>,
}

/// Topic requests of a program, newest first.
pub async fn topics(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Topic>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id, t.text, coalesce(u.full_name, '') AS who, t.user_id, t.created_at,
                t.activity_id, a.starts_at AS activity_starts
           FROM topic_requests t LEFT JOIN users u ON u.id = t.user_id
           LEFT JOIN activities a ON a.id = t.activity_id
          WHERE t.org_id = $1 AND t.program_id = $2 ORDER BY t.created_at DESC LIMIT 500",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_all(conn)
    .await
}

pub async fn add_topic(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    user_id: Uuid,
    text: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO topic_requests (org_id, program_id, user_id, text) VALUES ($1, $2, $3, $4)",
    )
    .bind(org_id)
    .bind(program_id)
    .bind(user_id)
    .bind(text)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn link_topic(
    conn: &mut PgConnection,
    org_id: Uuid,
    topic: Uuid,
    activity: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE topic_requests SET activity_id = $3 WHERE org_id = $1 AND id = $2")
        .bind(org_id)
        .bind(topic)
        .bind(activity)
        .execute(conn)
        .await?;
    Ok(())
}

/// A calendar feed link: (organization, user, program).
pub async fn feed(
    conn: &mut PgConnection,
    digest: &str,
) -> Result<Option<(Uuid, Uuid, Option<Uuid>)>, sqlx::Error> {
    sqlx::query_as("SELECT org_id, user_id, program_id FROM calendar_feeds WHERE digest = $1")
        .bind(digest)
        .fetch_optional(conn)
        .await
}

/// The user's feed links here: (program or None for the personal feed, created).
pub async fn feeds_of(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<(Option<Uuid>, DateTime<Utc>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT program_id, created_at FROM calendar_feeds WHERE org_id = $1 AND user_id = $2",
    )
    .bind(org_id)
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// Replaces the user's link (personal, or of one program) by a new one; `digest` None revokes.
pub async fn set_feed(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    program_id: Option<Uuid>,
    digest: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM calendar_feeds WHERE org_id = $1 AND user_id = $2
            AND program_id IS NOT DISTINCT FROM $3",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(program_id)
    .execute(&mut *conn)
    .await?;
    if let Some(d) = digest {
        sqlx::query(
            "INSERT INTO calendar_feeds (digest, org_id, user_id, program_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(d)
        .bind(org_id)
        .bind(user_id)
        .bind(program_id)
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// How a program shows its mentors' rating.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RatingSettings {
    pub public: bool,
    pub anonymous: bool,
    pub min_answers: i32,
    pub comments_public: bool,
}

pub async fn rating_settings(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<RatingSettings, sqlx::Error> {
    Ok(sqlx::query_as(
        "SELECT public, anonymous, min_answers, comments_public FROM rating_settings
          WHERE org_id = $1 AND program_id = $2",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_optional(conn)
    .await?
    .unwrap_or(RatingSettings {
        public: false,
        anonymous: true,
        min_answers: 5,
        comments_public: false,
    }))
}

pub async fn set_rating_settings(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    s: &RatingSettings,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO rating_settings (program_id, org_id, public, anonymous, min_answers, comments_public)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (program_id) DO UPDATE SET public = EXCLUDED.public,
                anonymous = EXCLUDED.anonymous, min_answers = EXCLUDED.min_answers,
                comments_public = EXCLUDED.comments_public",
    )
    .bind(program_id)
    .bind(org_id)
    .bind(s.public)
    .bind(s.anonymous)
    .bind(s.min_answers)
    .bind(s.comments_public)
    .execute(conn)
    .await?;
    Ok(())
}

/// One answer about a mentor: from activity feedback (they led it) or from their pairs' meeting
/// feedback (by the mentees): (mentor, month, rating, comment, source).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RatingAnswer {
    pub mentor_id: Uuid,
    pub mentor: String,
    pub month: NaiveDate,
    pub rating: i16,
    pub comment: String,
    pub from_activity: bool,
}

pub async fn rating_answers(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<RatingAnswer>, sqlx::Error> {
    sqlx::query_as(
        "WITH answers AS (
            SELECT l AS mentor_id, date_trunc('month', f.on_date)::date AS month, f.rating, f.comment,
                   true AS from_activity
              FROM activity_feedback f JOIN activities a ON a.id = f.activity_id, unnest(a.leaders) AS l
             WHERE a.org_id = $1 AND a.program_id = $2
            UNION ALL
            SELECT x.mentor_id, date_trunc('month', m.held_on)::date, f.rating, f.comment, false
              FROM meeting_feedback f JOIN meetings m ON m.id = f.meeting_id
              JOIN pairs x ON x.org_id = m.org_id AND x.id = m.pair_id
             WHERE x.org_id = $1 AND x.program_id = $2 AND f.person_id <> x.mentor_id)
         SELECT a.mentor_id, CASE WHEN p.anonymized_at IS NOT NULL THEN 'Участник №' || p.number
                     ELSE trim(p.last_name || ' ' || p.first_name) END AS mentor,
                a.month, a.rating, a.comment, a.from_activity
           FROM answers a JOIN people p ON p.org_id = $1 AND p.id = a.mentor_id
          LIMIT 100000",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_all(conn)
    .await
}

/// Attendance of each leader's activities: (mentor, marked present, marked in all).
pub async fn leader_attendance(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<(Uuid, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l, count(*) FILTER (WHERE s.attended), count(*) FILTER (WHERE s.attended IS NOT NULL)
           FROM activities a, unnest(a.leaders) AS l, activity_signups s
          WHERE a.org_id = $1 AND a.program_id = $2 AND s.activity_id = a.id
          GROUP BY l",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_all(conn)
    .await
}

/// Where a user takes part: (program, role, person, class).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Enrolment {
    pub program_id: Uuid,
    pub role: String,
    pub person_id: Uuid,
    pub class_name: String,
}

pub async fn enrolments_of_user(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<Enrolment>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.program_id, e.role, p.id AS person_id, p.class_name
           FROM enrolments e JOIN people p ON p.org_id = e.org_id AND p.id = e.person_id
          WHERE e.org_id = $1 AND p.user_id = $2",
    )
    .bind(org_id)
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// The people an activity is for (its audience among the program's participants): (person, name).
pub async fn audience(
    conn: &mut PgConnection,
    org_id: Uuid,
    a: &Activity,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, CASE WHEN p.anonymized_at IS NOT NULL THEN 'Участник №' || p.number
                     ELSE trim(p.last_name || ' ' || p.first_name) END
           FROM enrolments e JOIN people p ON p.org_id = e.org_id AND p.id = e.person_id
          WHERE e.org_id = $1 AND e.program_id = $2
            AND ($3 = 'all' OR ($3 = 'mentees' AND e.role = 'mentee') OR ($3 = 'mentors' AND e.role = 'mentor')
                 OR ($3 = 'classes' AND p.class_name = ANY($4)) OR ($3 = 'person' AND p.id = $5))
            AND NOT p.id = ANY($6)
          ORDER BY p.last_name COLLATE ru_icu, p.first_name COLLATE ru_icu LIMIT 2000",
    )
    .bind(org_id)
    .bind(a.program_id)
    .bind(&a.audience)
    .bind(&a.classes)
    .bind(a.person_id)
    .bind(&a.leaders)
    .fetch_all(conn)
    .await
}

/// Names of people by id (leaders): (id, «Фамилия Имя»).
pub async fn names(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, CASE WHEN anonymized_at IS NOT NULL THEN 'Участник №' || number
                     ELSE trim(last_name || ' ' || first_name) END
           FROM people WHERE org_id = $1 AND id = ANY($2)",
    )
    .bind(org_id)
    .bind(ids)
    .fetch_all(conn)
    .await
}

/// A program's mentors and participants' classes (for the form): (person, name), classes.
pub async fn program_people(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<(Vec<(Uuid, String, String)>, Vec<String>), sqlx::Error> {
    let people: Vec<(Uuid, String, String)> = sqlx::query_as(
        "SELECT p.id, CASE WHEN p.anonymized_at IS NOT NULL THEN 'Участник №' || p.number
                     ELSE trim(p.last_name || ' ' || p.first_name) END, e.role
           FROM enrolments e JOIN people p ON p.org_id = e.org_id AND p.id = e.person_id
          WHERE e.org_id = $1 AND e.program_id = $2
          ORDER BY e.role, p.last_name COLLATE ru_icu, p.first_name COLLATE ru_icu LIMIT 3000",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_all(&mut *conn)
    .await?;
    let classes: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT p.class_name FROM enrolments e JOIN people p ON p.org_id = e.org_id AND p.id = e.person_id
          WHERE e.org_id = $1 AND e.program_id = $2 AND p.class_name <> '' ORDER BY 1 LIMIT 200",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_all(conn)
    .await?;
    Ok((people, classes))
}

/// Occurrences since `since` the user attended and has not rated: (activity, date, topic).
pub async fn unrated_of_user(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    since: NaiveDate,
) -> Result<Vec<(Uuid, NaiveDate, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.activity_id, s.on_date, a.topic
           FROM activity_signups s JOIN people p ON p.org_id = s.org_id AND p.id = s.person_id
           JOIN activities a ON a.id = s.activity_id
          WHERE s.org_id = $1 AND p.user_id = $2 AND s.attended AND s.on_date >= $3
            AND NOT EXISTS (SELECT 1 FROM activity_feedback f WHERE f.activity_id = s.activity_id
                              AND f.on_date = s.on_date AND f.person_id = s.person_id)
          ORDER BY s.on_date DESC LIMIT 5",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(since)
    .fetch_all(conn)
    .await
}
