//! Sign-ups for an occurrence, attendance, the attendees' feedback, and what a user has still to
//! rate.

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

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
    let rows = sqlx::query!(
        "SELECT person_id, signed_up, attended FROM activity_signups
          WHERE org_id = $1 AND activity_id = $2 AND on_date = $3 LIMIT 2000",
        org_id,
        id,
        on_date,
    )
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.person_id).collect();
    let cards = crate::people::cards(conn, org_id, &ids).await?;
    let mut out: Vec<(crate::people::Card, Signup)> = rows
        .into_iter()
        .filter_map(|r| {
            let card = cards.get(&r.person_id)?.clone();
            let signup = Signup {
                person_id: r.person_id,
                name: card.short_name(),
                signed_up: r.signed_up,
                attended: r.attended,
                user_id: card.user_id,
            };
            Some((card, signup))
        })
        .collect();
    out.sort_by_key(|(c, _)| c.sort_key());
    Ok(out.into_iter().map(|(_, s)| s).collect())
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
    sqlx::query!(
        r#"SELECT true AS "locked!" FROM pg_advisory_xact_lock(hashtext($1::uuid::text || $2::date::text))"#,
        id,
        on_date,
    )
        .fetch_one(&mut *conn)
        .await?;
    if let Some(cap) = capacity {
        let taken: i64 = sqlx::query_scalar!(
            r#"SELECT count(*) AS "v!" FROM activity_signups
              WHERE activity_id = $1 AND on_date = $2 AND signed_up AND person_id <> $3"#,
            id,
            on_date,
            person,
        )
        .fetch_one(&mut *conn)
        .await?;
        if taken >= i64::from(cap) {
            return Ok(false);
        }
    }
    sqlx::query!(
        "INSERT INTO activity_signups (activity_id, org_id, on_date, person_id, signed_up)
         VALUES ($1, $2, $3, $4, true)
         ON CONFLICT (activity_id, on_date, person_id) DO UPDATE SET signed_up = true",
        id,
        org_id,
        on_date,
        person,
    )
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
    sqlx::query!(
        "UPDATE activity_signups SET signed_up = false
          WHERE activity_id = $1 AND on_date = $2 AND person_id = $3",
        id,
        on_date,
        person,
    )
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
    sqlx::query!(
        "INSERT INTO activity_signups (activity_id, org_id, on_date, person_id, signed_up, attended)
         SELECT $1, $2, $3, p, false, p = ANY($5) FROM unnest($4::uuid[]) AS p
         ON CONFLICT (activity_id, on_date, person_id) DO UPDATE SET attended = EXCLUDED.attended",
        id,
        org_id,
        on_date,
        people,
        present,
    )
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
    let asked = sqlx::query!(
        "UPDATE activity_signups SET asked = true
          WHERE activity_id = $1 AND on_date = $2 AND attended AND NOT asked
         RETURNING person_id, org_id",
        id,
        on_date,
    )
    .fetch_all(&mut *conn)
    .await?;
    let Some(org_id) = asked.first().map(|r| r.org_id) else {
        return Ok(Vec::new());
    };
    let ids: Vec<Uuid> = asked.iter().map(|r| r.person_id).collect();
    let cards = crate::people::cards(conn, org_id, &ids).await?;
    Ok(asked
        .into_iter()
        .filter_map(|r| Some((r.person_id, cards.get(&r.person_id)?.user_id)))
        .collect())
}

/// Whether a person attended an occurrence.
pub async fn attended(
    conn: &mut PgConnection,
    id: Uuid,
    on_date: NaiveDate,
    person: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query_scalar!(
        r#"SELECT attended AS "v?" FROM activity_signups WHERE activity_id = $1 AND on_date = $2 AND person_id = $3"#,
        id,
        on_date,
        person,
    )
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
    sqlx::query!(
        "INSERT INTO activity_feedback (activity_id, org_id, on_date, person_id, rating, comment)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (activity_id, on_date, person_id)
         DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment",
        id,
        org_id,
        on_date,
        person,
        rating,
        comment,
    )
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
    sqlx::query!(
        r#"SELECT person_id AS "c0!", rating AS "c1!", comment AS "c2!" FROM activity_feedback WHERE activity_id = $1 AND on_date = $2"#,
        id,
        on_date,
    ).map(|r| (r.c0, r.c1, r.c2))
    .fetch_all(conn)
    .await
}

/// Occurrences since `since` the user attended and has not rated: (activity, date, topic).
pub async fn unrated_of_user(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    since: NaiveDate,
) -> Result<Vec<(Uuid, NaiveDate, String)>, sqlx::Error> {
    let persons = crate::people::persons_of_user(&mut *conn, org_id, user_id).await?;
    sqlx::query!(
        r#"SELECT s.activity_id AS "c0!", s.on_date AS "c1!", a.topic AS "c2!"
           FROM activity_signups s
           JOIN activities a ON a.id = s.activity_id
          WHERE s.org_id = $1 AND s.person_id = ANY($2) AND s.attended AND s.on_date >= $3
            AND NOT EXISTS (SELECT 1 FROM activity_feedback f WHERE f.activity_id = s.activity_id
                              AND f.on_date = s.on_date AND f.person_id = s.person_id)
          ORDER BY s.on_date DESC LIMIT 5"#,
        org_id,
        &persons,
        since,
    )
    .map(|r| (r.c0, r.c1, r.c2))
    .fetch_all(conn)
    .await
}
