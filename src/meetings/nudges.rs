//! The pairs to nudge: agreed pairs of the active programs that have gone longer than their
//! rhythm (plus a grace) without a meeting held, each nudged at most once in a while
//! (`meeting_nudges`). The pairs come from `pairing`, the names from `people` and `programs`.
//! And a program's meetings in figures, for monitoring.

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

use super::repo::names;

/// An agreed pair that has gone too long without a meeting.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Stale {
    pub pair_id: Uuid,
    pub program_name: String,
    pub mentor_user_id: Option<Uuid>,
    pub mentees: String,
    /// The last meeting held, or the day the pair was agreed.
    pub since: NaiveDate,
    /// How often the pair means to meet (days).
    pub every_days: i32,
}

/// Agreed pairs of the organization's active programs whose last meeting held (or agreement) was
/// their planned interval plus `grace_days` or more before `today`, not nudged in the last
/// `renudge_days`; they are marked nudged `today`. Cancelled meetings do not count. The pairs
/// come from `pairing`, the names from `people` and `programs`.
pub async fn stale_pairs(
    conn: &mut PgConnection,
    (org_id, offset): (Uuid, chrono::FixedOffset),
    today: NaiveDate,
    grace_days: i32,
    renudge_days: i64,
) -> Result<Vec<Stale>, sqlx::Error> {
    let programs: std::collections::HashMap<Uuid, String> =
        crate::programs::active_names(&mut *conn, org_id)
            .await?
            .into_iter()
            .collect();
    let ids: Vec<Uuid> = programs.keys().copied().collect();
    let pairs = crate::pairing::agreed_in(&mut *conn, org_id, &ids, None).await?;
    let pair_ids: Vec<Uuid> = pairs.iter().map(|p| p.id).collect();
    let last: std::collections::HashMap<Uuid, NaiveDate> = sqlx::query!(
        r#"SELECT pair_id, max(held_on) AS "last!" FROM meetings
            WHERE org_id = $1 AND pair_id = ANY($2) AND held_on <= $3 AND NOT cancelled
            GROUP BY pair_id"#,
        org_id,
        &pair_ids,
        today,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.pair_id, r.last))
    .collect();
    let nudged: std::collections::HashMap<Uuid, NaiveDate> = sqlx::query!(
        "SELECT pair_id, nudged_on FROM meeting_nudges WHERE org_id = $1 AND pair_id = ANY($2)",
        org_id,
        &pair_ids,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.pair_id, r.nudged_on))
    .collect();
    let mut due: Vec<(&crate::pairing::Agreed, NaiveDate, i32)> = pairs
        .iter()
        .filter_map(|p| {
            let since = last
                .get(&p.id)
                .map_or(p.agreed_on(offset), |l| (*l).max(p.agreed_on(offset)));
            let every = p
                .every_days
                .unwrap_or(crate::meetings::model::DEFAULT_EVERY_DAYS);
            let late = since <= today - chrono::Duration::days(i64::from(every + grace_days));
            let quiet = nudged
                .get(&p.id)
                .is_none_or(|n| *n <= today - chrono::Duration::days(renudge_days));
            (late && quiet).then_some((p, since, every))
        })
        .collect();
    due.sort_by_key(|d| d.1);
    due.truncate(2000);
    let mut people: Vec<Uuid> = due
        .iter()
        .flat_map(|d| std::iter::once(d.0.mentor_id).chain(d.0.mentees.iter().copied()))
        .collect();
    people.sort();
    people.dedup();
    let cards = crate::people::cards(&mut *conn, org_id, &people).await?;
    let stale: Vec<Stale> = due
        .into_iter()
        .map(|(p, since, every)| Stale {
            pair_id: p.id,
            program_name: programs.get(&p.program_id).cloned().unwrap_or_default(),
            mentor_user_id: cards.get(&p.mentor_id).and_then(|c| c.user_id),
            mentees: names(&cards, &p.mentees),
            since,
            every_days: every,
        })
        .collect();
    let ids: Vec<Uuid> = stale.iter().map(|s| s.pair_id).collect();
    sqlx::query!(
        "INSERT INTO meeting_nudges (pair_id, org_id, nudged_on) SELECT unnest($2::uuid[]), $1, $3
         ON CONFLICT (pair_id) DO UPDATE SET nudged_on = EXCLUDED.nudged_on",
        org_id,
        &ids,
        today,
    )
    .execute(conn)
    .await?;
    Ok(stale)
}

/// A program's meetings in figures (the quality page): held, cancelled, planned ahead, and the
/// members' mean rating with how many rated. The pairs come from `pairing`.
pub async fn program_figures(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    today: NaiveDate,
) -> Result<((i64, i64, i64), (Option<f64>, i64)), sqlx::Error> {
    let pairs: Vec<Uuid> = crate::pairing::mentors_of_pairs(&mut *conn, org_id, program_id)
        .await?
        .into_iter()
        .map(|p| p.0)
        .collect();
    let counts = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE held_on <= $3 AND NOT cancelled) AS "held!",
                count(*) FILTER (WHERE cancelled) AS "cancelled!",
                count(*) FILTER (WHERE held_on > $3 AND NOT cancelled) AS "ahead!"
           FROM meetings WHERE org_id = $1 AND pair_id = ANY($2)"#,
        org_id,
        &pairs,
        today,
    )
    .fetch_one(&mut *conn)
    .await?;
    let rated = sqlx::query!(
        r#"SELECT avg(f.rating)::float8 AS "rating?", count(*) AS "answers!" FROM meeting_feedback f
           JOIN meetings m ON m.id = f.meeting_id
          WHERE m.org_id = $1 AND m.pair_id = ANY($2)"#,
        org_id,
        &pairs,
    )
    .fetch_one(conn)
    .await?;
    Ok((
        (counts.held, counts.cancelled, counts.ahead),
        (rated.rating, rated.answers),
    ))
}

/// The members' ratings of the meetings of a program's pairs, each with the pair's mentor (not the
/// mentor's own): (mentor, month, rating, comment) — for the mentors' rating.
pub async fn mentor_ratings(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<(Uuid, NaiveDate, i16, String)>, sqlx::Error> {
    let (pairs, mentors): (Vec<Uuid>, Vec<Uuid>) =
        crate::pairing::mentors_of_pairs(&mut *conn, org_id, program_id)
            .await?
            .into_iter()
            .unzip();
    Ok(sqlx::query!(
        r#"SELECT x.mentor_id AS "mentor!", date_trunc('month', m.held_on)::date AS "month!",
                  f.rating, f.comment
             FROM unnest($2::uuid[], $3::uuid[]) AS x(pair_id, mentor_id)
             JOIN meetings m ON m.pair_id = x.pair_id
             JOIN meeting_feedback f ON f.meeting_id = m.id
            WHERE m.org_id = $1 AND f.person_id <> x.mentor_id
            LIMIT 100000"#,
        org_id,
        &pairs,
        &mentors,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.mentor, r.month, r.rating, r.comment))
    .collect())
}
