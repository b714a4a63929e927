//! Every query on `monitoring_parameters` and `measurements`, and the program's participants as
//! monitoring sees them (role, class, consent, whether a mentee has a pair).

use sqlx::PgConnection;
use uuid::Uuid;

use crate::people::Side;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Parameter {
    pub id: Uuid,
    pub role: Side,
    pub title: String,
    pub min_value: f64,
    pub max_value: f64,
    pub higher_is_better: bool,
    /// Values may come from this numeric question of a questionnaire (questionnaire, key).
    pub questionnaire_id: Option<Uuid>,
    pub question_key: Option<String>,
}

pub async fn parameters(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Parameter>, sqlx::Error> {
    sqlx::query_as!(
        Parameter,
        r#"SELECT id AS "id!", role AS "role!: Side", title AS "title!", min_value AS "min_value!", max_value AS "max_value!", higher_is_better AS "higher_is_better!", questionnaire_id AS "questionnaire_id?", question_key AS "question_key?"
           FROM monitoring_parameters
          WHERE org_id = $1 AND program_id = $2 ORDER BY role DESC, sort, created_at LIMIT 200"#,
        org_id,
        program_id,
    )
    .fetch_all(conn)
    .await
}

/// Adds a parameter (false when the program has one of that title for that role).
pub async fn add_parameter(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    (role, title): (Side, &str),
    (min, max, higher): (f64, f64, bool),
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "INSERT INTO monitoring_parameters (org_id, program_id, role, title, min_value, max_value,
                                           higher_is_better, sort)
         SELECT $1, $2, $3, $4, $5, $6, $7,
                coalesce((SELECT max(sort) + 1 FROM monitoring_parameters WHERE program_id = $2), 0)
         ON CONFLICT (program_id, role, title) DO NOTHING",
        org_id,
        program_id,
        role.code(),
        title,
        min,
        max,
        higher,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Ties a parameter to a numeric question (or unties it with None).
pub async fn set_source(
    conn: &mut PgConnection,
    (org_id, program_id, id): (Uuid, Uuid, Uuid),
    source: Option<(Uuid, &str)>,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE monitoring_parameters SET questionnaire_id = $4, question_key = $5
          WHERE org_id = $1 AND program_id = $2 AND id = $3",
        org_id,
        program_id,
        id,
        source.map(|s| s.0),
        source.map(|s| s.1),
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The source of each stored value of the program's measurements for a stage:
/// (parameter, person) → source ('curator', 'import' or 'self').
pub async fn sources(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    stage: &str,
) -> Result<Vec<(Uuid, Uuid, String)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT m.parameter_id AS "c0!", m.person_id AS "c1!", m.source AS "c2!"
           FROM measurements m JOIN monitoring_parameters x ON x.org_id = m.org_id AND x.id = m.parameter_id
          WHERE m.org_id = $1 AND x.program_id = $2 AND m.stage = $3"#,
        org_id,
        program_id,
        stage,
    ).map(|r| (r.c0, r.c1, r.c2))
    .fetch_all(conn)
    .await
}

pub async fn delete_parameter(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "DELETE FROM monitoring_parameters WHERE org_id = $1 AND program_id = $2 AND id = $3",
        org_id,
        program_id,
        id,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// A participant as monitoring sees them.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Person {
    pub person_id: Uuid,
    pub name: String,
    pub class_name: String,
    pub role: Side,
    pub consent: bool,
    /// A mentee in an agreed pair of the program (or a mentor with one).
    pub paired: bool,
    /// The form variant of that pair, when the curator set it.
    pub variant: Option<String>,
}

/// The program's participants (participants) with their names and classes (people), whether
/// their consent holds (people), and whether and in which form variant they worked in a pair
/// (pairing, the variants' titles from programs): mentees first, then by class and name.
pub async fn people(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Person>, sqlx::Error> {
    let enrolled = crate::participants::enrolled(&mut *conn, org_id, program_id).await?;
    let ids: Vec<Uuid> = enrolled.iter().map(|e| e.0).collect();
    let cards = crate::people::cards(&mut *conn, org_id, &ids).await?;
    let consent = crate::people::with_valid_consent(&mut *conn, org_id, &ids).await?;
    let worked = crate::pairing::worked_in(&mut *conn, org_id, program_id).await?;
    let titles: std::collections::HashMap<String, String> = crate::programs::variants(conn)
        .await?
        .into_iter()
        .map(|v| (v.code, v.title))
        .collect();
    let mut list: Vec<(String, (String, String), Person)> = enrolled
        .into_iter()
        .filter_map(|(id, role, _)| {
            let c = cards.get(&id)?;
            let pair = worked.get(&id);
            Some((
                c.class_name.clone(),
                c.sort_key(),
                Person {
                    person_id: id,
                    name: c.short_name(),
                    class_name: c.class_name.clone(),
                    consent: consent.contains(&id),
                    paired: pair.is_some(),
                    variant: pair
                        .and_then(|v| v.as_ref())
                        .and_then(|code| titles.get(code).cloned()),
                    role,
                },
            ))
        })
        .collect();
    list.sort_by(|a, b| (b.2.role.code(), &a.0, &a.1).cmp(&(a.2.role.code(), &b.0, &b.1)));
    Ok(list.into_iter().map(|x| x.2).collect())
}

/// Every measurement of the program: (parameter, person, stage, value).
pub async fn measurements(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<(Uuid, Uuid, String, f64)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT m.parameter_id AS "c0!", m.person_id AS "c1!", m.stage AS "c2!", m.value AS "c3!"
           FROM measurements m JOIN monitoring_parameters x ON x.org_id = m.org_id AND x.id = m.parameter_id
          WHERE m.org_id = $1 AND x.program_id = $2"#,
        org_id,
        program_id,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3))
    .fetch_all(conn)
    .await
}

/// Writes (or, with None, clears) one value.
pub async fn set(
    conn: &mut PgConnection,
    org_id: Uuid,
    (parameter, person, stage): (Uuid, Uuid, &str),
    value: Option<f64>,
    (source, by): (&str, Uuid),
) -> Result<(), sqlx::Error> {
    match value {
        Some(v) => {
            sqlx::query!(
                "INSERT INTO measurements (parameter_id, org_id, person_id, stage, value, source, entered_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (parameter_id, person_id, stage)
                 DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source,
                               entered_by = EXCLUDED.entered_by, entered_at = now()",
                parameter,
                org_id,
                person,
                stage,
                v,
                source,
                by,
            )
            .execute(conn)
            .await?;
        }
        None => {
            sqlx::query!(
                "DELETE FROM measurements WHERE org_id = $1 AND parameter_id = $2 AND person_id = $3 AND stage = $4",
                org_id,
                parameter,
                person,
                stage,
            )
            .execute(conn)
            .await?;
        }
    }
    Ok(())
}

/// The curator's SWOT of the program: (strengths, weaknesses, opportunities, threats).
pub async fn swot(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<[String; 4], sqlx::Error> {
    let row: Option<(String, String, String, String)> = sqlx::query!(
        r#"SELECT strengths AS "c0!", weaknesses AS "c1!", opportunities AS "c2!", threats AS "c3!" FROM program_swot
          WHERE org_id = $1 AND program_id = $2"#,
        org_id,
        program_id,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3))
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| [r.0, r.1, r.2, r.3]).unwrap_or_default())
}

pub async fn set_swot(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    s: &[String; 4],
    by: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO program_swot (program_id, org_id, strengths, weaknesses, opportunities, threats, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (program_id) DO UPDATE SET strengths = EXCLUDED.strengths,
                weaknesses = EXCLUDED.weaknesses, opportunities = EXCLUDED.opportunities,
                threats = EXCLUDED.threats, updated_by = EXCLUDED.updated_by, updated_at = now()",
        program_id,
        org_id,
        &s[0],
        &s[1],
        &s[2],
        &s[3],
        by,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The program's events as planned and held: pair meetings (held, cancelled, planned ahead) and
/// their average rating; activity feedback (answers, average).
pub struct Quality {
    pub meetings_held: i64,
    pub meetings_cancelled: i64,
    pub meetings_ahead: i64,
    pub meeting_rating: Option<f64>,
    pub meeting_answers: i64,
    pub activity_rating: Option<f64>,
    pub activity_answers: i64,
}

pub async fn quality(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    today: chrono::NaiveDate,
) -> Result<Quality, sqlx::Error> {
    let ((held, cancelled, ahead), (meeting_rating, meeting_answers)) =
        crate::meetings::program_figures(&mut *conn, org_id, program_id, today).await?;
    let (activity_rating, activity_answers) =
        crate::activities::rating::program_rating(conn, org_id, program_id).await?;
    Ok(Quality {
        meetings_held: held,
        meetings_cancelled: cancelled,
        meetings_ahead: ahead,
        meeting_rating,
        meeting_answers,
        activity_rating,
        activity_answers,
    })
}

/// Whether the program's mid-program pulse is on.
pub async fn pulse(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query_scalar!(
        r#"SELECT enabled AS "v!" FROM program_pulse WHERE org_id = $1 AND program_id = $2"#,
        org_id,
        program_id,
    )
    .fetch_optional(conn)
    .await?
    .unwrap_or(false))
}

pub async fn set_pulse(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    on: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO program_pulse (program_id, org_id, enabled) VALUES ($1, $2, $3)
         ON CONFLICT (program_id) DO UPDATE SET enabled = EXCLUDED.enabled",
        program_id,
        org_id,
        on,
    )
    .execute(conn)
    .await?;
    Ok(())
}
