//! Queries of enrolment (`enrolments`) and mentor training (`training_sessions`,
//! `training_attendance`).

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::EnrolmentStatus;
use crate::people::Side;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EnrolmentRow {
    pub id: Uuid,
    pub program_id: Uuid,
    pub program_name: String,
    pub role: Side,
    pub status: EnrolmentStatus,
    pub joined_on: NaiveDate,
    pub results: String,
    pub trainings_attended: i64,
    pub trainings_total: i64,
}

/// A person's history across programs.
pub async fn enrolments_of(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
) -> Result<Vec<EnrolmentRow>, sqlx::Error> {
    let mut rows = sqlx::query_as!(
        EnrolmentRow,
        r#"SELECT e.id AS "id!", e.program_id AS "program_id!", '' AS "program_name!", e.role AS "role!: Side", e.status AS "status!: EnrolmentStatus", e.joined_on AS "joined_on!", e.results AS "results!",
                (SELECT count(*) FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id
                  WHERE s.org_id = e.org_id AND s.program_id = e.program_id AND a.person_id = e.person_id) AS "trainings_attended!",
                (SELECT count(*) FROM training_sessions s WHERE s.org_id = e.org_id AND s.program_id = e.program_id) AS "trainings_total!"
           FROM enrolments e
          WHERE e.org_id = $1 AND e.person_id = $2
          LIMIT 500"#,
        org_id,
        person_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.program_id).collect();
    let briefs = crate::programs::briefs(conn, org_id, &ids).await?;
    rows.retain(|r| briefs.contains_key(&r.program_id));
    for r in &mut rows {
        r.program_name = briefs[&r.program_id].0.clone();
    }
    // The latest program first.
    rows.sort_by(|a, b| {
        briefs[&b.program_id]
            .1
            .cmp(&briefs[&a.program_id].1)
            .then_with(|| a.role.code().cmp(b.role.code()))
    });
    Ok(rows)
}

/// Whether the person is enrolled in the program with `role`.
pub async fn is_enrolled(
    conn: &mut PgConnection,
    org_id: Uuid,
    (program_id, person_id): (Uuid, Uuid),
    role: Side,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM enrolments WHERE org_id = $1 AND program_id = $2 AND person_id = $3 AND role = $4) AS "v!""#,
        org_id,
        program_id,
        person_id,
        role.code(),
    )
    .fetch_one(conn)
    .await
}

/// Enrols (idempotently); returns whether a new enrolment was made.
pub async fn enrol(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    person_id: Uuid,
    role: Side,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "INSERT INTO enrolments (org_id, program_id, person_id, role, status)
         VALUES ($1, $2, $3, $4, 'application') ON CONFLICT (program_id, person_id, role) DO NOTHING",
        org_id,
        program_id,
        person_id,
        role.code(),
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    crate::people::add_to_base(conn, org_id, person_id, role).await?;
    Ok(n == 1)
}

/// A program's enrolments as other domains read them: (person, role, a mentor's places).
pub async fn enrolled(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<(Uuid, Side, i32)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT person_id, role AS "role: Side", capacity FROM enrolments WHERE org_id = $1 AND program_id = $2 LIMIT 5000"#,
        org_id,
        program_id,
    )
    .map(|r| (r.person_id, r.role, r.capacity))
    .fetch_all(conn)
    .await
}

/// The enrolments of some people, in every program: (program, person, role).
pub async fn enrolments_of_people(
    conn: &mut PgConnection,
    org_id: Uuid,
    people: &[Uuid],
) -> Result<Vec<(Uuid, Uuid, Side)>, sqlx::Error> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query!(
        r#"SELECT program_id, person_id, role AS "role: Side" FROM enrolments WHERE org_id = $1 AND person_id = ANY($2)"#,
        org_id,
        people,
    )
    .map(|r| (r.program_id, r.person_id, r.role))
    .fetch_all(conn)
    .await
}

/// The people enrolled in the organization's programs, narrowed by role, program and status
/// (each when given) — what the people list filters by.
pub async fn people_enrolled(
    conn: &mut PgConnection,
    org_id: Uuid,
    role: Option<Side>,
    program: Option<Uuid>,
    status: Option<&str>,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT DISTINCT person_id AS "v!" FROM enrolments
            WHERE org_id = $1 AND ($2::text IS NULL OR role = $2)
              AND ($3::uuid IS NULL OR program_id = $3) AND ($4::text IS NULL OR status = $4)
            LIMIT 100000"#,
        org_id,
        role.map(Side::code),
        program,
        status,
    )
    .fetch_all(conn)
    .await
}

/// A person's part in a program, as the export of the bases lists it.
#[derive(Clone, Debug)]
pub struct History {
    pub person_id: Uuid,
    pub program_id: Uuid,
    pub role: Side,
    pub joined_on: NaiveDate,
    pub results: String,
}

/// The enrolments of the people `people`, whatever the program.
pub async fn history_of_people(
    conn: &mut PgConnection,
    org_id: Uuid,
    people: &[Uuid],
) -> Result<Vec<History>, sqlx::Error> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_as!(
        History,
        r#"SELECT person_id, program_id, role AS "role: Side", joined_on, results FROM enrolments
          WHERE org_id = $1 AND person_id = ANY($2)"#,
        org_id,
        people,
    )
    .fetch_all(conn)
    .await
}

/// The enrolments of some programs: (program, person, role).
pub async fn enrolments_in(
    conn: &mut PgConnection,
    org_id: Uuid,
    programs: &[Uuid],
) -> Result<Vec<(Uuid, Uuid, Side)>, sqlx::Error> {
    if programs.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query!(
        r#"SELECT program_id, person_id, role AS "role: Side" FROM enrolments WHERE org_id = $1 AND program_id = ANY($2)"#,
        org_id,
        programs,
    )
    .map(|r| (r.program_id, r.person_id, r.role))
    .fetch_all(conn)
    .await
}

/// A mentor's places in a program (0–30; the caller checked).
pub async fn set_capacity(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    person_id: Uuid,
    capacity: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE enrolments SET capacity = $4 WHERE org_id = $1 AND program_id = $2 AND person_id = $3 AND role = 'mentor'",
        org_id,
        program_id,
        person_id,
        capacity,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The members of a pair both sides agreed to (person, role) are «в паре».
pub async fn mark_paired(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    members: &[(Uuid, Side)],
) -> Result<(), sqlx::Error> {
    let people: Vec<Uuid> = members.iter().map(|m| m.0).collect();
    let roles: Vec<&str> = members.iter().map(|m| m.1.code()).collect();
    sqlx::query!(
        "UPDATE enrolments e SET status = 'paired' FROM unnest($3::uuid[], $4::text[]) AS m(person_id, role)
          WHERE e.org_id = $1 AND e.program_id = $2 AND e.person_id = m.person_id AND e.role = m.role",
        org_id,
        program_id,
        &people,
        &roles as &[&str],
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Participant {
    pub enrolment_id: Uuid,
    pub person_id: Uuid,
    pub number: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub class_name: String,
    pub anonymized: bool,
    pub role: Side,
    pub status: EnrolmentStatus,
    pub joined_on: NaiveDate,
    pub attended: i64,
}

pub async fn participants(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Participant>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT e.id, e.person_id, e.role AS "role: Side", e.status AS "status: EnrolmentStatus", e.joined_on,
                (SELECT count(*) FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id
                  WHERE s.org_id = e.org_id AND s.program_id = e.program_id AND a.person_id = e.person_id) AS "attended!"
           FROM enrolments e
          WHERE e.org_id = $1 AND e.program_id = $2 LIMIT 5000"#,
        org_id,
        program_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.person_id).collect();
    let cards = crate::people::cards(conn, org_id, &ids).await?;
    let mut list: Vec<Participant> = rows
        .into_iter()
        .filter_map(|r| {
            let c = cards.get(&r.person_id)?;
            Some(Participant {
                enrolment_id: r.id,
                person_id: r.person_id,
                number: c.number,
                last_name: c.last_name.clone(),
                first_name: c.first_name.clone(),
                middle_name: c.middle_name.clone(),
                class_name: c.class_name.clone(),
                anonymized: c.anonymized,
                role: r.role,
                status: r.status,
                joined_on: r.joined_on,
                attended: r.attended,
            })
        })
        .collect();
    // By role, the erased last, then a Russian list's order.
    list.sort_by_cached_key(|p| {
        use crate::people::cards::list_key;
        (
            p.role.code(),
            p.anonymized,
            list_key(&p.last_name),
            list_key(&p.first_name),
            p.number,
        )
    });
    Ok(list)
}

/// Sets the status of the given enrolments of the program with `role`; returns how many changed.
pub async fn set_statuses(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    ids: &[Uuid],
    role: Side,
    status: EnrolmentStatus,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE enrolments SET status = $5, version = version + 1
          WHERE org_id = $1 AND program_id = $2 AND id = ANY ($3) AND role = $4",
        org_id,
        program_id,
        ids,
        role.code(),
        status.code(),
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// Mentors of the organization's other programs who are not in this one.
/// Mentors of the organization's other programs not yet in this one: (person, name, their
/// latest program, ready to continue) — those ready first.
pub async fn earlier_mentors(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<(Uuid, String, String, bool)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT e.person_id, e.program_id, coalesce(e.ready_to_continue, false) AS "ready!"
           FROM enrolments e
          WHERE e.org_id = $1 AND e.role = 'mentor' AND e.program_id <> $2
            AND NOT EXISTS (SELECT 1 FROM enrolments x WHERE x.program_id = $2
                             AND x.person_id = e.person_id AND x.role = 'mentor')
          LIMIT 20000"#,
        org_id,
        program_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut people: Vec<Uuid> = rows.iter().map(|r| r.person_id).collect();
    people.sort();
    people.dedup();
    let cards = crate::people::cards(&mut *conn, org_id, &people).await?;
    let programs: Vec<Uuid> = rows.iter().map(|r| r.program_id).collect();
    let briefs = crate::programs::briefs(conn, org_id, &programs).await?;
    // Each mentor once, with their latest program.
    let mut latest: std::collections::HashMap<Uuid, (chrono::NaiveDate, String, bool)> =
        std::collections::HashMap::new();
    for r in rows {
        let Some((name, starts)) = briefs.get(&r.program_id) else {
            continue;
        };
        let newer = latest.get(&r.person_id).is_none_or(|l| *starts > l.0);
        if newer {
            latest.insert(r.person_id, (*starts, name.clone(), r.ready));
        }
    }
    let mut out: Vec<(Uuid, String, String, bool)> = latest
        .into_iter()
        .filter_map(|(person, (_, program, ready))| {
            let c = cards.get(&person).filter(|c| !c.anonymized)?;
            let name = [&c.last_name, &c.first_name, &c.middle_name]
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            Some((person, name, program, ready))
        })
        .collect();
    // Those ready to continue first, then by name.
    out.sort_by(|a, b| {
        b.3.cmp(&a.3).then_with(|| {
            crate::people::cards::list_key(&a.1).cmp(&crate::people::cards::list_key(&b.1))
        })
    });
    out.truncate(5000);
    Ok(out)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TrainingSession {
    pub id: Uuid,
    pub held_on: NaiveDate,
    pub topic: String,
    pub attendees: Vec<Uuid>,
}

pub async fn training_sessions(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<TrainingSession>, sqlx::Error> {
    sqlx::query_as!(
        TrainingSession,
        r#"SELECT s.id AS "id!", s.held_on AS "held_on!", s.topic AS "topic!",
                coalesce(array_agg(a.person_id) FILTER (WHERE a.person_id IS NOT NULL), '{}') AS "attendees!"
           FROM training_sessions s LEFT JOIN training_attendance a ON a.session_id = s.id
          WHERE s.org_id = $1 AND s.program_id = $2
          GROUP BY s.id ORDER BY s.held_on, s.created_at LIMIT 500"#,
        org_id,
        program_id,
    )
    .fetch_all(conn)
    .await
}

pub async fn add_training(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    held_on: NaiveDate,
    topic: &str,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO training_sessions (org_id, program_id, held_on, topic) VALUES ($1, $2, $3, $4) RETURNING id AS "v!""#,
        org_id,
        program_id,
        held_on,
        topic,
    )
        .fetch_one(conn)
        .await
}

/// Replaces the attendance of a session with `people` (only the program's mentors count).
pub async fn set_attendance(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    session_id: Uuid,
    people: &[Uuid],
) -> Result<bool, sqlx::Error> {
    let exists: bool = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM training_sessions WHERE org_id = $1 AND program_id = $2 AND id = $3) AS "v!""#,
        org_id,
        program_id,
        session_id,
    )
        .fetch_one(&mut *conn)
        .await?;
    if !exists {
        return Ok(false);
    }
    sqlx::query!(
        "DELETE FROM training_attendance WHERE org_id = $1 AND session_id = $2",
        org_id,
        session_id,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO training_attendance (org_id, session_id, person_id)
         SELECT $1, $2, e.person_id FROM enrolments e
          WHERE e.org_id = $1 AND e.program_id = $3 AND e.role = 'mentor' AND e.person_id = ANY ($4)",
        org_id,
        session_id,
        program_id,
        people,
    )
    .execute(conn)
    .await?;
    Ok(true)
}
