//! Every query on the activities tables: activities and their exceptions (here), who an
//! activity is for (here), sign-ups, attendance and feedback (`attendance`), the organization's
//! formats, topic requests, calendar feed links and the rating's settings and answers
//! (`settings`).

mod attendance;
mod settings;

pub use attendance::*;
pub use settings::*;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{Audience, Exception, Timing};
use crate::people::Side;

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
    pub audience: Audience,
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
    /// The exceptions as the activity's statement returns them: (date, moved to).
    #[sqlx(rename = "exceptions")]
    exceptions_json: sqlx::types::Json<Vec<(NaiveDate, Option<DateTime<Utc>>)>>,
}

impl Activity {
    /// Whether a participant of the program (their side, class and person) is in the
    /// activity's audience; its leaders always are.
    pub fn is_for(&self, role: Side, class_name: &str, person: Uuid) -> bool {
        self.leaders.contains(&person)
            || match self.audience {
                Audience::All => true,
                Audience::Mentees => role == Side::Mentee,
                Audience::Mentors => role == Side::Mentor,
                Audience::Classes => self.classes.iter().any(|c| c == class_name),
                Audience::Person => self.person_id == Some(person),
            }
    }
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

/// The exceptions of each activity (read in the same statement) in their place.
fn with_exceptions(mut list: Vec<Activity>) -> Vec<Activity> {
    for a in &mut list {
        a.exceptions = std::mem::take(&mut a.exceptions_json.0)
            .into_iter()
            .map(|(on_date, moved_to)| Exception { on_date, moved_to })
            .collect();
    }
    list
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
    let list: Vec<Activity> = sqlx::query_as("SELECT a.id, a.program_id, ''::text AS program_name, a.format, a.topic,
        a.description, a.level, a.leaders, a.expert, a.starts_at, a.minutes, a.place, a.link,
        a.audience, a.classes, a.person_id, a.capacity, a.repeat_days, a.repeat_until, a.recording,
        a.materials, a.cancelled, a.cancel_reason, a.sequence, a.updated_at, a.feedback_questionnaire,
        a.created_by,
        (SELECT coalesce(json_agg(json_build_array(e.on_date, e.moved_to)), '[]')
           FROM activity_exceptions e WHERE e.activity_id = a.id) AS exceptions
   FROM activities a WHERE a.org_id = $1 AND a.program_id = ANY($2)
            AND a.starts_at < $4 + interval '60 days'
            AND (coalesce(a.repeat_until::timestamptz + interval '1 day', a.starts_at) >= $3 - interval '60 days')
          ORDER BY a.starts_at LIMIT 5000")
    .bind(org_id)
    .bind(programs)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    with_program_names(conn, org_id, with_exceptions(list)).await
}

pub async fn one(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<Activity>, sqlx::Error> {
    let list: Vec<Activity> = sqlx::query_as("SELECT a.id, a.program_id, ''::text AS program_name, a.format, a.topic,
        a.description, a.level, a.leaders, a.expert, a.starts_at, a.minutes, a.place, a.link,
        a.audience, a.classes, a.person_id, a.capacity, a.repeat_days, a.repeat_until, a.recording,
        a.materials, a.cancelled, a.cancel_reason, a.sequence, a.updated_at, a.feedback_questionnaire,
        a.created_by,
        (SELECT coalesce(json_agg(json_build_array(e.on_date, e.moved_to)), '[]')
           FROM activity_exceptions e WHERE e.activity_id = a.id) AS exceptions
   FROM activities a WHERE a.org_id = $1 AND a.id = $2")
    .bind(org_id)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(with_program_names(conn, org_id, with_exceptions(list))
        .await?
        .pop())
}

/// The activities with their programs' names (programs).
async fn with_program_names(
    conn: &mut PgConnection,
    org_id: Uuid,
    mut list: Vec<Activity>,
) -> Result<Vec<Activity>, sqlx::Error> {
    crate::programs::name_each(
        conn,
        org_id,
        &mut list,
        |a| Some(a.program_id),
        |a, n| a.program_name = n,
    )
    .await?;
    Ok(list)
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
    pub audience: Audience,
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

/// Writes an activity: a new one of the program (`id` none, made by `by`) or the activity `id`
/// changed — then SEQUENCE goes up so that calendars take the change. Returns its id (none for
/// an `id` that is no activity of the organization).
pub async fn save(
    conn: &mut PgConnection,
    (org_id, program_id): (Uuid, Uuid),
    id: Option<Uuid>,
    a: &Input<'_>,
    by: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO activities AS x (id, org_id, program_id, format, topic, description, level,
                                 leaders, expert, starts_at, minutes, place, link, audience,
                                 classes, person_id, capacity, repeat_days, repeat_until,
                                 recording, materials, created_by, feedback_questionnaire)
         VALUES (coalesce($3, gen_random_uuid()), $1, $2, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                 $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
         ON CONFLICT (id) DO UPDATE
            SET format = EXCLUDED.format, topic = EXCLUDED.topic,
                description = EXCLUDED.description, level = EXCLUDED.level,
                leaders = EXCLUDED.leaders, expert = EXCLUDED.expert,
                starts_at = EXCLUDED.starts_at, minutes = EXCLUDED.minutes,
                place = EXCLUDED.place, link = EXCLUDED.link, audience = EXCLUDED.audience,
                classes = EXCLUDED.classes, person_id = EXCLUDED.person_id,
                capacity = EXCLUDED.capacity, repeat_days = EXCLUDED.repeat_days,
                repeat_until = EXCLUDED.repeat_until, recording = EXCLUDED.recording,
                materials = EXCLUDED.materials,
                feedback_questionnaire = EXCLUDED.feedback_questionnaire,
                sequence = x.sequence + 1, updated_at = now()
          WHERE x.org_id = EXCLUDED.org_id
         RETURNING id AS "v!""#,
        org_id,
        program_id,
        id,
        a.format,
        a.topic,
        a.description,
        a.level,
        a.leaders,
        a.expert,
        a.starts_at,
        a.minutes,
        a.place,
        a.link,
        a.audience.code(),
        a.classes,
        a.person_id,
        a.capacity,
        a.repeat_days,
        a.repeat_until,
        a.recording,
        a.materials,
        by,
        a.feedback_questionnaire,
    )
    .fetch_optional(conn)
    .await
}

/// Keeps which assignment of the feedback questionnaire belongs to an occurrence.
pub async fn add_feedback_form(
    conn: &mut PgConnection,
    id: Uuid,
    on_date: NaiveDate,
    assignment: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO activity_feedback_forms (activity_id, on_date, assignment_id) VALUES ($1, $2, $3)",
        id,
        on_date,
        assignment,
    )
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
    sqlx::query_scalar!(
        r#"SELECT assignment_id AS "v!" FROM activity_feedback_forms WHERE activity_id = $1 AND on_date = $2"#,
        id,
        on_date,
    )
    .fetch_all(conn)
    .await
}

/// The link to an activity's recording and its materials.
pub async fn set_recording(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    (link, materials): (&str, &str),
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE activities SET recording = $3, materials = $4, updated_at = now() WHERE org_id = $1 AND id = $2",
        org_id,
        id,
        link,
        materials,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Cancels (or restores) the whole activity.
pub async fn set_cancelled(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    cancelled: bool,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE activities SET cancelled = $3, cancel_reason = $4, sequence = sequence + 1,
                updated_at = now() WHERE org_id = $1 AND id = $2",
        org_id,
        id,
        cancelled,
        reason,
    )
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
            sqlx::query!(
                "INSERT INTO activity_exceptions (activity_id, on_date, moved_to, reason)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (activity_id, on_date) DO UPDATE SET moved_to = EXCLUDED.moved_to,
                        reason = EXCLUDED.reason",
                id,
                on_date,
                moved_to,
                reason,
            )
            .execute(&mut *conn)
            .await?;
        }
        None => {
            sqlx::query!(
                "DELETE FROM activity_exceptions WHERE activity_id = $1 AND on_date = $2",
                id,
                on_date,
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    sqlx::query!(
        "UPDATE activities SET sequence = sequence + 1, updated_at = now() WHERE id = $1",
        id,
    )
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
    sqlx::query_scalar!(
        r#"SELECT reason AS "v!" FROM activity_exceptions WHERE activity_id = $1 AND on_date = $2"#,
        id,
        on_date,
    )
    .fetch_optional(conn)
    .await
}

/// Where a user takes part: (program, role, person, class).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Enrolment {
    pub program_id: Uuid,
    pub role: Side,
    pub person_id: Uuid,
    pub class_name: String,
}

pub async fn enrolments_of_user(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<Enrolment>, sqlx::Error> {
    let persons = crate::people::persons_of_user(&mut *conn, org_id, user_id).await?;
    let cards = crate::people::cards(&mut *conn, org_id, &persons).await?;
    Ok(
        crate::participants::enrolments_of_people(conn, org_id, &persons)
            .await?
            .into_iter()
            .map(|(program_id, person_id, role)| Enrolment {
                program_id,
                role,
                person_id,
                class_name: cards
                    .get(&person_id)
                    .map(|c| c.class_name.clone())
                    .unwrap_or_default(),
            })
            .collect(),
    )
}

/// The people of a program with their cards, in the order of a Russian list: (card, role).
async fn roster(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<(crate::people::Card, Side)>, sqlx::Error> {
    let enrolled = crate::participants::enrolled(&mut *conn, org_id, program_id).await?;
    let ids: Vec<Uuid> = enrolled.iter().map(|e| e.0).collect();
    let cards = crate::people::cards(&mut *conn, org_id, &ids).await?;
    let mut out: Vec<(crate::people::Card, Side)> = enrolled
        .into_iter()
        .filter_map(|(id, role, _)| Some((cards.get(&id)?.clone(), role)))
        .collect();
    out.sort_by_key(|(c, _)| c.sort_key());
    Ok(out)
}

/// The people an activity is for (its audience among the program's participants): (person, name).
pub async fn audience(
    conn: &mut PgConnection,
    org_id: Uuid,
    a: &Activity,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let mut seen = std::collections::HashSet::new();
    Ok(roster(conn, org_id, a.program_id)
        .await?
        .into_iter()
        .filter(|(c, role)| a.is_for(*role, &c.class_name, c.id))
        .filter(|(c, _)| !a.leaders.contains(&c.id) && seen.insert(c.id))
        .take(2000)
        .map(|(c, _)| (c.id, c.short_name()))
        .collect())
}

/// Names of people by id (leaders): (id, «Фамилия Имя»).
pub async fn names(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    Ok(crate::people::cards(conn, org_id, ids)
        .await?
        .into_values()
        .map(|c| (c.id, c.short_name()))
        .collect())
}

/// A program's mentors and participants' classes (for the form): (person, name, role), classes.
pub async fn program_people(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<(Vec<(Uuid, String, Side)>, Vec<String>), sqlx::Error> {
    let mut people = roster(conn, org_id, program_id).await?;
    let mut classes: Vec<String> = people
        .iter()
        .map(|(c, _)| c.class_name.clone())
        .filter(|c| !c.is_empty())
        .collect();
    classes.sort();
    classes.dedup();
    classes.truncate(200);
    people.sort_by(|a, b| {
        a.1.code()
            .cmp(b.1.code())
            .then_with(|| a.0.sort_key().cmp(&b.0.sort_key()))
    });
    people.truncate(3000);
    Ok((
        people
            .into_iter()
            .map(|(c, role)| (c.id, c.short_name(), role))
            .collect(),
        classes,
    ))
}
