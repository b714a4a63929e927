//! The organization's own formats, topic requests, calendar feed links, and the mentors' rating:
//! its settings per program and the answers it is computed from.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// The organization's own formats.
pub async fn formats(conn: &mut PgConnection, org_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT label AS "v!" FROM activity_formats WHERE org_id = $1 ORDER BY label COLLATE ru_icu LIMIT 100"#,
        org_id,
    )
    .fetch_all(conn)
    .await
}

pub async fn add_format(
    conn: &mut PgConnection,
    org_id: Uuid,
    label: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO activity_formats (org_id, label) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        org_id,
        label,
    )
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
    let mut topics = sqlx::query_as!(
        Topic,
        r#"SELECT t.id AS "id!", t.text AS "text!", '' AS "who!", t.user_id AS "user_id?", t.created_at AS "created_at!",
                t.activity_id AS "activity_id?", a.starts_at AS "activity_starts?"
           FROM topic_requests t
           LEFT JOIN activities a ON a.id = t.activity_id
          WHERE t.org_id = $1 AND t.program_id = $2 ORDER BY t.created_at DESC LIMIT 500"#,
        org_id,
        program_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let users: Vec<Uuid> = topics.iter().filter_map(|t| t.user_id).collect();
    let names = crate::auth::full_names(conn, &users).await?;
    for t in &mut topics {
        if let Some(name) = t.user_id.and_then(|u| names.get(&u)) {
            t.who = name.clone();
        }
    }
    Ok(topics)
}

pub async fn add_topic(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    user_id: Uuid,
    text: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO topic_requests (org_id, program_id, user_id, text) VALUES ($1, $2, $3, $4)",
        org_id,
        program_id,
        user_id,
        text,
    )
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
    sqlx::query!(
        "UPDATE topic_requests SET activity_id = $3 WHERE org_id = $1 AND id = $2",
        org_id,
        topic,
        activity,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A calendar feed link: (organization, user, program).
pub async fn feed(
    conn: &mut PgConnection,
    digest: &str,
) -> Result<Option<(Uuid, Uuid, Option<Uuid>)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT org_id AS "c0!", user_id AS "c1!", program_id AS "c2?" FROM calendar_feeds WHERE digest = $1"#,
        digest,
    ).map(|r| (r.c0, r.c1, r.c2))
        .fetch_optional(conn)
        .await
}

/// The user's feed links here: (program or None for the personal feed, created).
pub async fn feeds_of(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<(Option<Uuid>, DateTime<Utc>)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT program_id AS "c0?", created_at AS "c1!" FROM calendar_feeds WHERE org_id = $1 AND user_id = $2"#,
        org_id,
        user_id,
    ).map(|r| (r.c0, r.c1))
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
    sqlx::query!(
        "DELETE FROM calendar_feeds WHERE org_id = $1 AND user_id = $2
            AND program_id IS NOT DISTINCT FROM $3",
        org_id,
        user_id,
        program_id,
    )
    .execute(&mut *conn)
    .await?;
    if let Some(d) = digest {
        sqlx::query!(
            "INSERT INTO calendar_feeds (digest, org_id, user_id, program_id) VALUES ($1, $2, $3, $4)",
            d,
            org_id,
            user_id,
            program_id,
        )
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
    Ok(sqlx::query_as!(
        RatingSettings,
        "SELECT public, anonymous, min_answers, comments_public FROM rating_settings
          WHERE org_id = $1 AND program_id = $2",
        org_id,
        program_id,
    )
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
    sqlx::query!(
        "INSERT INTO rating_settings (program_id, org_id, public, anonymous, min_answers, comments_public)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (program_id) DO UPDATE SET public = EXCLUDED.public,
                anonymous = EXCLUDED.anonymous, min_answers = EXCLUDED.min_answers,
                comments_public = EXCLUDED.comments_public",
        program_id,
        org_id,
        s.public,
        s.anonymous,
        s.min_answers,
        s.comments_public,
    )
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
    // The activities' own feedback, each to every leader of the activity.
    let mut answers: Vec<(Uuid, NaiveDate, i16, String, bool)> = sqlx::query!(
        r#"SELECT l AS "mentor!", date_trunc('month', f.on_date)::date AS "month!", f.rating, f.comment
             FROM activity_feedback f JOIN activities a ON a.id = f.activity_id, unnest(a.leaders) AS l
            WHERE a.org_id = $1 AND a.program_id = $2 LIMIT 100000"#,
        org_id,
        program_id,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.mentor, r.month, r.rating, r.comment, true))
    .collect();
    // The pairs' meetings, from meetings.
    answers.extend(
        crate::meetings::mentor_ratings(&mut *conn, org_id, program_id)
            .await?
            .into_iter()
            .map(|(m, month, rating, comment)| (m, month, rating, comment, false)),
    );
    let mut mentors: Vec<Uuid> = answers.iter().map(|a| a.0).collect();
    mentors.sort();
    mentors.dedup();
    let cards = crate::people::cards(conn, org_id, &mentors).await?;
    Ok(answers
        .into_iter()
        .filter_map(|(mentor_id, month, rating, comment, from_activity)| {
            Some(RatingAnswer {
                mentor: cards.get(&mentor_id)?.short_name(),
                mentor_id,
                month,
                rating,
                comment,
                from_activity,
            })
        })
        .collect())
}

/// Attendance of each leader's activities: (mentor, marked present, marked in all).
pub async fn leader_attendance(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<(Uuid, i64, i64)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT l AS "c0!", count(*) FILTER (WHERE s.attended) AS "c1!", count(*) FILTER (WHERE s.attended IS NOT NULL) AS "c2!"
           FROM activities a, unnest(a.leaders) AS l, activity_signups s
          WHERE a.org_id = $1 AND a.program_id = $2 AND s.activity_id = a.id
          GROUP BY l"#,
        org_id,
        program_id,
    ).map(|r| (r.c0, r.c1, r.c2))
    .fetch_all(conn)
    .await
}
