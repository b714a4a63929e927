//! Queries of meetings (`meetings`) and nudges (`meeting_nudges`).

use chrono::{NaiveDate, NaiveTime};
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{MeetingFormat, MeetingKind};

/// A meeting as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Meeting {
    pub id: Uuid,
    pub kind: MeetingKind,
    pub held_on: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
    pub format: MeetingFormat,
    pub place: String,
    pub topic: String,
    pub goal: String,
    pub done: String,
    pub result: String,
    pub next_steps: String,
    pub important: bool,
    pub on_behalf: bool,
    pub cancelled: bool,
    pub cancel_reason: String,
    /// The mentor's private note: never shown to the mentee.
    pub private_note: String,
}

/// The pair's meetings, the latest first.
pub async fn of_pair(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
) -> Result<Vec<Meeting>, sqlx::Error> {
    sqlx::query_as!(
        Meeting,
        r#"SELECT id, kind AS "kind: MeetingKind", held_on, starts_at, ends_at, format AS "format: MeetingFormat", place, topic, goal, done, result,
                next_steps, important, on_behalf, cancelled, cancel_reason, private_note
           FROM meetings WHERE org_id = $1 AND pair_id = $2
          ORDER BY held_on DESC, starts_at DESC NULLS LAST, created_at DESC LIMIT 500"#,
        org_id,
        pair_id,
    )
    .fetch_all(conn)
    .await
}

/// A meeting to write.
#[derive(Clone, Debug)]
pub struct NewMeeting<'a> {
    pub pair_id: Uuid,
    pub kind: MeetingKind,
    pub held_on: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
    pub format: MeetingFormat,
    pub place: &'a str,
    pub topic: &'a str,
    pub goal: &'a str,
    pub done: &'a str,
    pub result: &'a str,
    pub next_steps: &'a str,
    pub important: bool,
    pub on_behalf: bool,
    pub cancelled: bool,
    pub cancel_reason: &'a str,
    pub private_note: &'a str,
    /// Each mentee of a group: (person, present). Empty for a pair.
    pub attendance: &'a [(Uuid, bool)],
    pub by: Uuid,
}

pub async fn insert(
    conn: &mut PgConnection,
    org_id: Uuid,
    m: &NewMeeting<'_>,
) -> Result<Uuid, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "INSERT INTO meetings (org_id, pair_id, kind, held_on, starts_at, ends_at, format, place,
                               topic, goal, done, result, next_steps, important, on_behalf,
                               created_by, cancelled, cancel_reason, private_note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
         RETURNING id",
        org_id,
        m.pair_id,
        m.kind.code(),
        m.held_on,
        m.starts_at,
        m.ends_at,
        m.format.code(),
        m.place,
        m.topic,
        m.goal,
        m.done,
        m.result,
        m.next_steps,
        m.important,
        m.on_behalf,
        m.by,
        m.cancelled,
        m.cancel_reason,
        m.private_note,
    )
    .fetch_one(&mut *conn)
    .await?;
    if !m.attendance.is_empty() {
        let (people, present): (Vec<Uuid>, Vec<bool>) = m.attendance.iter().copied().unzip();
        sqlx::query!(
            "INSERT INTO meeting_attendance (meeting_id, org_id, person_id, present)
             SELECT $1, $2, unnest($3::uuid[]), unnest($4::bool[])",
            id,
            org_id,
            &people,
            &present,
        )
        .execute(conn)
        .await?;
    }
    Ok(id)
}

/// Who of a group was absent, per meeting of the pair: (meeting, person).
pub async fn absences_of_pair(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
) -> Result<Vec<(Uuid, Uuid)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT a.meeting_id, a.person_id FROM meeting_attendance a
           JOIN meetings m ON m.id = a.meeting_id
          WHERE m.org_id = $1 AND m.pair_id = $2 AND NOT a.present",
        org_id,
        pair_id,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.meeting_id, r.person_id))
        .collect())
}

/// The mentees' names, «Фамилия Имя, …» in the order of a Russian list.
pub(super) fn names(
    cards: &std::collections::HashMap<Uuid, crate::people::Card>,
    ids: &[Uuid],
) -> String {
    let mut found: Vec<&crate::people::Card> = ids.iter().filter_map(|id| cards.get(id)).collect();
    found.sort_by_key(|c| c.sort_key());
    found
        .iter()
        .map(|c| c.short_name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The agreed pairs the user is a member of (through their people): (pair, the member).
async fn pairs_of_user(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<(Uuid, Uuid)>, sqlx::Error> {
    let persons = crate::people::persons_of_user(&mut *conn, org_id, user_id).await?;
    crate::pairing::agreed_with(conn, org_id, &persons).await
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
    sqlx::query_as!(
        Feedback,
        "SELECT f.meeting_id, f.person_id, f.rating, f.fit, f.comment
           FROM meeting_feedback f JOIN meetings m ON m.id = f.meeting_id
          WHERE m.org_id = $1 AND m.pair_id = $2",
        org_id,
        pair_id,
    )
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
    let row = sqlx::query!(
        "SELECT kind, held_on FROM meetings WHERE org_id = $1 AND pair_id = $2 AND id = $3",
        org_id,
        pair_id,
        meeting_id,
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.kind, r.held_on)))
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
    sqlx::query!(
        "INSERT INTO meeting_feedback (meeting_id, org_id, person_id, rating, fit, comment)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (meeting_id, person_id)
         DO UPDATE SET rating = EXCLUDED.rating, fit = EXCLUDED.fit, comment = EXCLUDED.comment",
        meeting_id,
        org_id,
        person_id,
        rating,
        fit,
        comment,
    )
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
    let rows = sqlx::query!(
        r#"SELECT m.held_on, f.fit AS "fit!" FROM meeting_feedback f JOIN meetings m ON m.id = f.meeting_id
          WHERE m.org_id = $1 AND m.pair_id = $2 AND f.person_id = $3 AND f.fit IS NOT NULL"#,
        org_id,
        pair_id,
        person_id,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.held_on, r.fit)).collect())
}

/// A planned meeting of a pair the user belongs to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Upcoming {
    pub pair_id: Uuid,
    pub held_on: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub kind: MeetingKind,
    pub topic: String,
}

/// The user's meetings from `today` on (their agreed pairs), soonest first.
pub async fn upcoming_for_user(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    today: NaiveDate,
) -> Result<Vec<Upcoming>, sqlx::Error> {
    let pairs: Vec<Uuid> = pairs_of_user(&mut *conn, org_id, user_id)
        .await?
        .into_iter()
        .map(|p| p.0)
        .collect();
    sqlx::query_as!(
        Upcoming,
        r#"SELECT m.pair_id, m.held_on, m.starts_at, m.kind AS "kind: MeetingKind", m.topic
           FROM meetings m
          WHERE m.org_id = $1 AND m.held_on >= $3 AND m.pair_id = ANY($2)
          ORDER BY m.held_on, m.starts_at NULLS LAST LIMIT 10"#,
        org_id,
        &pairs,
        today,
    )
    .fetch_all(conn)
    .await
}

/// A pair's meetings and feedback in figures (the health page).
#[derive(Clone, Debug)]
pub struct PairFigures {
    pub pair_id: Uuid,
    /// The day the pair was agreed.
    pub agreed: NaiveDate,
    pub held: i64,
    pub planned: i64,
    pub last: Option<NaiveDate>,
    pub rating: Option<f64>,
    /// A rating of 1–2 in the last 30 days.
    pub low_rating: bool,
    /// Each member's latest answer to «подходим?»: (person, fit).
    pub fits: Vec<(Uuid, String)>,
    /// The approved order that fixed the pair (orders).
    pub fixed: Option<crate::orders::Fixed>,
    /// (status, progress) of every goal of the pair's plans (plans).
    pub goals: Vec<(crate::plans::GoalStatus, i16)>,
}

/// Figures of the pairs given on `today`: their meetings and feedback in one pass, the day each
/// was agreed (pairing; the organization's own day, as `today` is), the order that fixed it (orders) and its plans' goals (plans).
pub async fn figures(
    conn: &mut PgConnection,
    org: &crate::tenancy::Organization,
    pairs: &[Uuid],
    today: NaiveDate,
) -> Result<Vec<PairFigures>, sqlx::Error> {
    let org_id = org.id;
    let known = crate::pairing::pairs_by_id(&mut *conn, org_id, pairs).await?;
    let ids: Vec<Uuid> = known.iter().map(|p| p.id).collect();
    let rows = sqlx::query!(
        r#"WITH m AS (
            SELECT pair_id,
                   count(*) FILTER (WHERE held_on <= $3 AND NOT cancelled) AS held,
                   count(*) FILTER (WHERE held_on > $3 AND NOT cancelled) AS planned,
                   max(held_on) FILTER (WHERE held_on <= $3 AND NOT cancelled) AS last
              FROM meetings WHERE org_id = $1 AND pair_id = ANY($2) GROUP BY pair_id),
         f AS (
            SELECT x.pair_id, avg(f.rating)::float8 AS rating,
                   bool_or(f.rating <= 2 AND x.held_on >= $3 - 30) AS low
              FROM meeting_feedback f JOIN meetings x ON x.id = f.meeting_id
             WHERE x.org_id = $1 AND x.pair_id = ANY($2) GROUP BY x.pair_id)
         SELECT p.id AS "pair_id!", coalesce(m.held, 0) AS "held!", coalesce(m.planned, 0) AS "planned!",
                m.last AS "last?", f.rating AS "rating?", coalesce(f.low, false) AS "low_rating!",
                (SELECT coalesce(json_agg(json_build_array(l.person_id, l.fit)), '[]')
                   FROM (SELECT DISTINCT ON (fb.person_id) fb.person_id, fb.fit
                           FROM meeting_feedback fb JOIN meetings x ON x.id = fb.meeting_id
                          WHERE x.org_id = $1 AND x.pair_id = p.id AND fb.fit IS NOT NULL
                          ORDER BY fb.person_id, x.held_on DESC, fb.created_at DESC) l) AS "fits!: sqlx::types::Json<Vec<(Uuid, String)>>"
           FROM unnest($2::uuid[]) AS p(id) LEFT JOIN m ON m.pair_id = p.id LEFT JOIN f ON f.pair_id = p.id"#,
        org_id,
        &ids,
        today,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut fixed: std::collections::HashMap<Uuid, crate::orders::Fixed> =
        crate::orders::fixed_of_pairs(&mut *conn, org_id, &ids)
            .await?
            .into_iter()
            .collect();
    let mut goals: std::collections::HashMap<Uuid, Vec<(crate::plans::GoalStatus, i16)>> =
        crate::plans::progress_of_pairs(conn, org_id, &ids)
            .await?
            .into_iter()
            .map(|p| (p.pair_id, p.goals))
            .collect();
    let agreed: std::collections::HashMap<Uuid, NaiveDate> = known
        .iter()
        .map(|p| (p.id, org.local(p.agreed_at).date_naive()))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(PairFigures {
                pair_id: r.pair_id,
                agreed: *agreed.get(&r.pair_id)?,
                held: r.held,
                planned: r.planned,
                last: r.last,
                rating: r.rating,
                low_rating: r.low_rating,
                fits: r.fits.0,
                fixed: fixed.remove(&r.pair_id),
                goals: goals.remove(&r.pair_id).unwrap_or_default(),
            })
        })
        .collect())
}

/// Every meeting of a mentor's agreed pairs in a program, the earliest first, with the pair's
/// mentees' names.
pub async fn of_mentor(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    mentor_id: Uuid,
) -> Result<Vec<(Meeting, String)>, sqlx::Error> {
    let pairs =
        crate::pairing::agreed_in(&mut *conn, org_id, &[program_id], Some(mentor_id)).await?;
    let ids: Vec<Uuid> = pairs.iter().map(|p| p.id).collect();
    let mentees: Vec<Uuid> = pairs
        .iter()
        .flat_map(|p| p.mentees.iter().copied())
        .collect();
    let cards = crate::people::cards(&mut *conn, org_id, &mentees).await?;
    let by_pair: std::collections::HashMap<Uuid, String> = pairs
        .iter()
        .map(|p| (p.id, names(&cards, &p.mentees)))
        .collect();
    let rows = sqlx::query!(
        r#"SELECT m.id, m.pair_id, m.kind AS "kind: MeetingKind", m.held_on, m.starts_at, m.ends_at, m.format AS "format: MeetingFormat", m.place, m.topic, m.goal,
                m.done, m.result, m.next_steps, m.important, m.on_behalf, m.cancelled,
                m.cancel_reason, m.private_note
           FROM meetings m
          WHERE m.org_id = $1 AND m.pair_id = ANY($2)
          ORDER BY m.held_on, m.starts_at NULLS LAST LIMIT 5000"#,
        org_id,
        &ids,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let meeting = Meeting {
                id: r.id,
                kind: r.kind,
                held_on: r.held_on,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                format: r.format,
                place: r.place,
                topic: r.topic,
                goal: r.goal,
                done: r.done,
                result: r.result,
                next_steps: r.next_steps,
                important: r.important,
                on_behalf: r.on_behalf,
                cancelled: r.cancelled,
                cancel_reason: r.cancel_reason,
                private_note: r.private_note,
            };
            (
                meeting,
                by_pair.get(&r.pair_id).cloned().unwrap_or_default(),
            )
        })
        .collect())
}

/// A held meeting the user (a member of the pair) has not rated yet.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Unrated {
    pub pair_id: Uuid,
    pub meeting_id: Uuid,
    pub held_on: NaiveDate,
    pub kind: MeetingKind,
    pub topic: String,
}

/// The user's held meetings of the last `days` days they have not rated, the latest first.
pub async fn unrated_for_user(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    today: NaiveDate,
    days: i32,
) -> Result<Vec<Unrated>, sqlx::Error> {
    let (pairs, persons): (Vec<Uuid>, Vec<Uuid>) = pairs_of_user(&mut *conn, org_id, user_id)
        .await?
        .into_iter()
        .unzip();
    sqlx::query_as!(
        Unrated,
        r#"SELECT m.pair_id AS "pair_id!", m.id AS "meeting_id!", m.held_on AS "held_on!", m.kind AS "kind!: MeetingKind", m.topic AS "topic!"
           FROM unnest($2::uuid[], $3::uuid[]) AS pm(pair_id, person_id)
           JOIN meetings m ON m.pair_id = pm.pair_id
          WHERE m.org_id = $1 AND NOT m.cancelled
            AND m.held_on <= $4 AND m.held_on > $4 - $5::int
            AND NOT EXISTS (SELECT 1 FROM meeting_feedback f
                             WHERE f.meeting_id = m.id AND f.person_id = pm.person_id)
          ORDER BY m.held_on DESC LIMIT 5"#,
        org_id,
        &pairs,
        &persons,
        today,
        days,
    )
    .fetch_all(conn)
    .await
}

/// The user's pair meetings from `from` on (their agreed pairs), for their calendar feed:
/// (meeting, pair, date, start, end, kind, topic, cancelled).
pub async fn planned_for_user(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    from: NaiveDate,
) -> Result<
    Vec<(
        Uuid,
        Uuid,
        NaiveDate,
        Option<NaiveTime>,
        Option<NaiveTime>,
        String,
        String,
        bool,
    )>,
    sqlx::Error,
> {
    let pairs: Vec<Uuid> = pairs_of_user(&mut *conn, org_id, user_id)
        .await?
        .into_iter()
        .map(|p| p.0)
        .collect();
    let rows = sqlx::query!(
        "SELECT m.id, m.pair_id, m.held_on, m.starts_at, m.ends_at, m.kind, m.topic, m.cancelled
           FROM meetings m
          WHERE m.org_id = $1 AND m.held_on >= $3 AND m.pair_id = ANY($2)
          ORDER BY m.held_on LIMIT 1000",
        org_id,
        &pairs,
        from,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.id,
                r.pair_id,
                r.held_on,
                r.starts_at,
                r.ends_at,
                r.kind,
                r.topic,
                r.cancelled,
            )
        })
        .collect())
}
