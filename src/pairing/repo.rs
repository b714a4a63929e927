//! Loads what matching needs about a program's participants.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

pub use super::model::Participant;
use crate::matching::score::Profile;
use crate::questionnaires::model::{Definition, Raw};

fn grade(class_name: &str) -> Option<i32> {
    let digits: String = class_name
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok().filter(|g| (1..=11).contains(g))
}

/// The mentor test as one figure in [0, 1]: the mean of its scales, each from its lowest to its
/// highest mark.
fn test_result(def: &Definition, raw: &Raw) -> Option<f64> {
    let marks: Vec<f64> = def
        .questions()
        .filter(|q| q.kind() == crate::questionnaires::model::Kind::Scale)
        .filter_map(|q| {
            let top = if q.scale_max == 10 { 10.0 } else { 5.0 };
            let v: f64 = raw.get(&q.key)?.first()?.trim().parse().ok()?;
            Some(((v - 1.0) / (top - 1.0)).clamp(0.0, 1.0))
        })
        .collect();
    (!marks.is_empty()).then(|| marks.iter().sum::<f64>() / marks.len() as f64)
}

type ParticipantRow = (
    Uuid,
    i64,
    String,
    String,
    String,
    bool,
    String,
    String,
    Option<i32>,
    String,
    i32,
    Option<Uuid>,
);

pub async fn participants(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Participant>, sqlx::Error> {
    let rows: Vec<ParticipantRow> = sqlx::query_as(
        "SELECT p.id, p.number, p.last_name, p.first_name, p.class_name, p.anonymized_at IS NOT NULL,
                e.role, p.kind, p.experience_years, p.subjects, e.capacity, p.user_id
           FROM enrolments e JOIN people p ON p.org_id = e.org_id AND p.id = e.person_id
          WHERE e.org_id = $1 AND e.program_id = $2
          ORDER BY e.role, p.last_name COLLATE ru_icu, p.first_name COLLATE ru_icu, p.number LIMIT 5000",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_all(&mut *conn)
    .await?;
    let consent: BTreeSet<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT p.id FROM people p JOIN enrolments e ON e.org_id = p.org_id AND e.person_id = p.id
          WHERE e.org_id = $1 AND e.program_id = $2 AND {}",
        crate::people::valid_consent_sql()
    )))
    .bind(org_id)
    .bind(program_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    // The latest submitted mentor/mentee form and mentor test of each person, with its version's
    // definition.
    let answers: Vec<(Uuid, String, Json<Definition>, Json<Raw>)> = sqlx::query_as(
        "SELECT DISTINCT ON (r.person_id, q.purpose = 'mentor_test') r.person_id, q.purpose, v.definition, r.answers
           FROM responses r JOIN assignments a ON a.id = r.assignment_id
           JOIN questionnaires q ON q.id = a.questionnaire_id
           JOIN questionnaire_versions v ON v.id = r.version_id
          WHERE r.org_id = $1 AND r.status = 'submitted'
            AND q.purpose IN ('mentor_form', 'mentee_form', 'mentor_test')
            AND (a.program_id = $2 OR a.program_id IS NULL)
          ORDER BY r.person_id, q.purpose = 'mentor_test', r.submitted_at DESC",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_person: BTreeMap<Uuid, (Definition, Raw)> = BTreeMap::new();
    let mut tests: BTreeMap<Uuid, f64> = BTreeMap::new();
    for (p, purpose, d, r) in answers {
        if purpose == "mentor_test" {
            if let Some(t) = test_result(&d.0, &r.0) {
                tests.insert(p, t);
            }
        } else {
            by_person.insert(p, (d.0, r.0));
        }
    }
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                number,
                last,
                first,
                class_name,
                anon,
                role,
                _kind,
                experience,
                subjects,
                capacity,
                user_id,
            )| {
                let mut profile = Profile {
                    id: id.to_string(),
                    consent: consent.contains(&id) && !anon,
                    grade: grade(&class_name),
                    experience,
                    subjects: subjects
                        .split(',')
                        .map(|s| s.trim().to_lowercase())
                        .filter(|s| !s.is_empty())
                        .collect(),
                    ..Default::default()
                };
                profile.test = tests.get(&id).copied();
                let answered = by_person.contains_key(&id);
                if let Some((def, raw)) = by_person.get(&id) {
                    for q in def.questions() {
                        let v: Vec<String> = raw
                            .get(&q.key)
                            .cloned()
                            .unwrap_or_default()
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect();
                        match q.matching_key.as_str() {
                            "help_areas" => profile.help_areas = v,
                            "interests" => profile.interests = v.into_iter().collect(),
                            "availability" => profile.availability = v.into_iter().collect(),
                            "frequency" => profile.frequency = v.into_iter().next(),
                            "format" => profile.format = v.into_iter().next(),
                            "fields" => profile.fields = v.into_iter().collect(),
                            _ => {}
                        }
                    }
                }
                Participant {
                    person_id: id,
                    name: crate::people::model::display_name(number, &last, &first, "", anon),
                    class_name,
                    role,
                    profile,
                    answered,
                    capacity: capacity.max(0) as u32,
                    user_id,
                }
            },
        )
        .collect())
}

// ---- settings, capacities, «не ставить вместе» ------------------------------------------------

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::model::{Settings, Status};
use crate::matching::Objective;

type SettingsRow = (
    Json<BTreeMap<String, u32>>,
    String,
    i32,
    Option<i32>,
    bool,
    i32,
);

pub async fn settings(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    form_code: &str,
) -> Result<Settings, sqlx::Error> {
    let row: Option<SettingsRow> = sqlx::query_as(
        "SELECT weights, objective, min_score, rule_gap, same_subject, version
               FROM matching_settings WHERE org_id = $1 AND program_id = $2",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_optional(conn)
    .await?;
    let mut s = Settings::defaults(form_code);
    if let Some((w, objective, min, gap, subject, version)) = row {
        for (k, v) in w.0 {
            if s.weights.contains_key(&k) {
                s.weights.insert(k, v.min(100));
            }
        }
        s.objective = if objective == "coverage" {
            Objective::Coverage
        } else {
            Objective::Quality
        };
        s.min_score = min.clamp(0, 100) as u32;
        s.rule_gap = gap;
        s.same_subject = subject;
        s.version = version;
    }
    Ok(s)
}

/// Saves the settings if nobody saved them since `s.version`; false on a conflict.
pub async fn save_settings(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    s: &Settings,
) -> Result<bool, sqlx::Error> {
    let objective = if s.objective == Objective::Coverage {
        "coverage"
    } else {
        "quality"
    };
    let sql = if s.version == 0 {
        "INSERT INTO matching_settings (org_id, program_id, weights, objective, min_score, rule_gap, same_subject)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (program_id) DO NOTHING"
    } else {
        "UPDATE matching_settings SET weights = $3, objective = $4, min_score = $5, rule_gap = $6,
                same_subject = $7, version = version + 1, updated_at = now()
          WHERE org_id = $1 AND program_id = $2 AND version = $8"
    };
    let done = sqlx::query(sql)
        .bind(org_id)
        .bind(program_id)
        .bind(Json(&s.weights))
        .bind(objective)
        .bind(s.min_score as i32)
        .bind(s.rule_gap)
        .bind(s.same_subject)
        .bind(s.version)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(done == 1)
}

pub async fn set_capacity(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    person_id: Uuid,
    capacity: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE enrolments SET capacity = $4 WHERE org_id = $1 AND program_id = $2 AND person_id = $3 AND role = 'mentor'",
    )
    .bind(org_id)
    .bind(program_id)
    .bind(person_id)
    .bind(capacity)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn forbidden(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<HashSet<(Uuid, Uuid)>, sqlx::Error> {
    let rows: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "SELECT mentor_id, mentee_id FROM matching_forbidden WHERE org_id = $1 AND program_id = $2 LIMIT 5000",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

pub async fn set_forbidden(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    (mentor, mentee): (Uuid, Uuid),
    on: bool,
    by: Uuid,
) -> Result<(), sqlx::Error> {
    if on {
        sqlx::query(
            "INSERT INTO matching_forbidden (org_id, program_id, mentor_id, mentee_id, created_by)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(org_id)
        .bind(program_id)
        .bind(mentor)
        .bind(mentee)
        .bind(by)
        .execute(conn)
        .await?;
    } else {
        sqlx::query(
            "DELETE FROM matching_forbidden WHERE org_id = $1 AND program_id = $2 AND mentor_id = $3 AND mentee_id = $4",
        )
        .bind(org_id)
        .bind(program_id)
        .bind(mentor)
        .bind(mentee)
        .execute(conn)
        .await?;
    }
    Ok(())
}

// ---- pairs and groups ------------------------------------------------------------------------

/// Serialises pair changes of one program (two curators accepting at once).
pub async fn lock_program(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query_scalar::<_, Uuid>(
        "SELECT id FROM programs WHERE org_id = $1 AND id = $2 FOR UPDATE",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_optional(conn)
    .await?
    .is_some())
}

/// (mentor, mentee) of every live pair (proposed or agreed) whose mentee has not refused.
pub async fn live(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<(Uuid, Uuid)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.mentor_id, m.person_id FROM pairs p
           JOIN pair_members m ON m.pair_id = p.id AND m.role = 'mentee'
          WHERE p.org_id = $1 AND p.program_id = $2 AND p.status IN ('proposed', 'agreed')
            AND m.answer IS DISTINCT FROM 'no' LIMIT 5000",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_all(conn)
    .await
}

/// A pair (or group) to create, «предложена».
pub struct NewPair<'a> {
    pub program_id: Uuid,
    pub mentor: Uuid,
    pub mentees: &'a [Uuid],
    pub scheme: &'a str,
    pub score: Option<f64>,
    pub explanation: &'a str,
    pub by: Uuid,
}

pub async fn create_pair(
    conn: &mut PgConnection,
    org_id: Uuid,
    p: &NewPair<'_>,
) -> Result<Uuid, sqlx::Error> {
    let NewPair {
        program_id,
        mentor,
        mentees,
        scheme,
        score,
        explanation,
        by,
    } = *p;
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO pairs (org_id, program_id, mentor_id, scheme, score, explanation, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(org_id)
    .bind(program_id)
    .bind(mentor)
    .bind(scheme)
    .bind(score.map(|s| s as f32))
    .bind(explanation)
    .bind(by)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO pair_members (org_id, pair_id, person_id, role)
         SELECT $1, $2, $3, 'mentor' UNION ALL SELECT $1, $2, unnest($4::uuid[]), 'mentee'",
    )
    .bind(org_id)
    .bind(id)
    .bind(mentor)
    .bind(mentees)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub struct MemberRow {
    pub person_id: Uuid,
    pub name: String,
    pub class_name: String,
    pub role: String,
    pub answer: Option<String>,
    pub comment: String,
    pub on_paper: bool,
    pub user_id: Option<Uuid>,
}

pub struct PairRow {
    pub id: Uuid,
    pub program_id: Uuid,
    pub program_name: String,
    pub status: String,
    pub scheme: String,
    pub score: Option<f32>,
    pub explanation: String,
    pub created_at: DateTime<Utc>,
    pub members: Vec<MemberRow>,
    /// The form variant the curator set («Успевающий – неуспевающий»): (code, title).
    pub variant: Option<(String, String)>,
    /// How often the pair means to meet, in days, when the curator set it.
    pub every_days: Option<i32>,
}

/// A pair as [`PAIR_COLUMNS`] returns it.
#[derive(sqlx::FromRow)]
struct PairSql {
    id: Uuid,
    program_id: Uuid,
    program_name: String,
    status: String,
    scheme: String,
    score: Option<f32>,
    explanation: String,
    created_at: DateTime<Utc>,
    variant_code: Option<String>,
    variant_title: Option<String>,
    members: sqlx::types::Json<Vec<MemberJson>>,
    every_days: Option<i32>,
}

/// A member as the pair's statement returns it (the `members` column of [`PAIR_COLUMNS`]).
#[derive(serde::Deserialize)]
struct MemberJson {
    person_id: Uuid,
    number: i64,
    last_name: String,
    first_name: String,
    anonymized: bool,
    class_name: String,
    role: String,
    answer: Option<String>,
    comment: String,
    on_paper: bool,
    user_id: Option<Uuid>,
}

/// The rows of [`PAIR_COLUMNS`] as pairs with their members (read in the same statement: a list
/// of pairs is one round trip, however long).
fn with_members(rows: Vec<PairSql>) -> Vec<PairRow> {
    rows.into_iter()
        .map(|r| PairRow {
            every_days: r.every_days,
            variant: r.variant_code.zip(r.variant_title),
            members: r.members.0.into_iter().map(MemberRow::from).collect(),
            id: r.id,
            program_id: r.program_id,
            program_name: r.program_name,
            status: r.status,
            scheme: r.scheme,
            score: r.score,
            explanation: r.explanation,
            created_at: r.created_at,
        })
        .collect()
}

impl From<MemberJson> for MemberRow {
    fn from(m: MemberJson) -> Self {
        MemberRow {
            name: crate::people::model::display_name(
                m.number,
                &m.last_name,
                &m.first_name,
                "",
                m.anonymized,
            ),
            person_id: m.person_id,
            class_name: m.class_name,
            role: m.role,
            answer: m.answer,
            comment: m.comment,
            on_paper: m.on_paper,
            user_id: m.user_id,
        }
    }
}

const PAIR_COLUMNS: &str =
    "SELECT x.id, x.program_id, g.name AS program_name, x.status, x.scheme, x.score, x.explanation,
           x.created_at, x.variant_code, v.title AS variant_title,
           (SELECT coalesce(json_agg(json_build_object(
                       'person_id', m.person_id, 'number', p.number, 'last_name', p.last_name,
                       'first_name', p.first_name, 'anonymized', p.anonymized_at IS NOT NULL,
                       'class_name', p.class_name, 'role', m.role, 'answer', m.answer,
                       'comment', m.comment, 'on_paper', m.on_paper, 'user_id', p.user_id)
                     ORDER BY m.role DESC, p.last_name COLLATE ru_icu, p.first_name COLLATE ru_icu), '[]')
              FROM pair_members m JOIN people p ON p.org_id = m.org_id AND p.id = m.person_id
             WHERE m.org_id = x.org_id AND m.pair_id = x.id) AS members,
           (SELECT r.every_days FROM pair_rhythm r WHERE r.org_id = x.org_id AND r.pair_id = x.id) AS every_days
   FROM pairs x JOIN programs g ON g.org_id = x.org_id AND g.id = x.program_id
   LEFT JOIN form_variants v ON v.code = x.variant_code";

/// Sets a pair's form variant (one of its program's variants) or clears it; false when the pair
/// is not the program's or the variant is not one the program runs.
pub async fn set_variant(
    conn: &mut PgConnection,
    (org_id, program_id, pair_id): (Uuid, Uuid, Uuid),
    variant: Option<&str>,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE pairs SET variant_code = $4
          WHERE org_id = $1 AND program_id = $2 AND id = $3
            AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM program_variants pv
                 WHERE pv.org_id = $1 AND pv.program_id = $2 AND pv.variant_code = $4))",
    )
    .bind(org_id)
    .bind(program_id)
    .bind(pair_id)
    .bind(variant)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn pairs_of_program(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<PairRow>, sqlx::Error> {
    let rows: Vec<PairSql> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{PAIR_COLUMNS} WHERE x.org_id = $1 AND x.program_id = $2
          ORDER BY CASE x.status WHEN 'proposed' THEN 0 WHEN 'agreed' THEN 1 ELSE 2 END, x.created_at DESC LIMIT 5000"
    )))
    .bind(org_id)
    .bind(program_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(with_members(rows))
}

pub async fn pair(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
) -> Result<Option<PairRow>, sqlx::Error> {
    let rows: Vec<PairSql> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{PAIR_COLUMNS} WHERE x.org_id = $1 AND x.id = $2"
    )))
    .bind(org_id)
    .bind(pair_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(with_members(rows).pop())
}

/// Pairs and groups the user belongs to (through their person), live ones first.
pub async fn pairs_of_user(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<PairRow>, sqlx::Error> {
    let rows: Vec<PairSql> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{PAIR_COLUMNS} WHERE x.org_id = $1 AND x.status IN ('proposed', 'agreed', 'completed') AND EXISTS (
            SELECT 1 FROM pair_members m JOIN people p ON p.org_id = m.org_id AND p.id = m.person_id
             WHERE m.pair_id = x.id AND p.user_id = $2 AND m.answer IS DISTINCT FROM 'no')
          ORDER BY x.created_at DESC LIMIT 50"
    )))
    .bind(org_id)
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(with_members(rows))
}

/// One member's answer to a proposed pair (in their account, or on paper through the curator).
pub struct Answer<'a> {
    pub pair_id: Uuid,
    pub person_id: Uuid,
    pub yes: bool,
    pub comment: &'a str,
    pub on_paper: bool,
    pub by: Uuid,
}

/// Records one member's answer and settles the pair; returns the new status (None when the
/// person is not a member or the pair is no longer waiting).
pub async fn answer(
    conn: &mut PgConnection,
    org_id: Uuid,
    a: &Answer<'_>,
) -> Result<Option<Status>, sqlx::Error> {
    let Answer {
        pair_id,
        person_id,
        yes,
        comment,
        on_paper,
        by,
    } = *a;
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM pairs WHERE org_id = $1 AND id = $2 FOR UPDATE")
            .bind(org_id)
            .bind(pair_id)
            .fetch_optional(&mut *conn)
            .await?;
    if status.as_deref() != Some("proposed") {
        return Ok(None);
    }
    let done = sqlx::query(
        "UPDATE pair_members SET answer = $4, comment = $5, on_paper = $6, answered_by = $7, answered_at = now()
          WHERE org_id = $1 AND pair_id = $2 AND person_id = $3",
    )
    .bind(org_id)
    .bind(pair_id)
    .bind(person_id)
    .bind(if yes { "yes" } else { "no" })
    .bind(comment)
    .bind(on_paper)
    .bind(by)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if done == 0 {
        return Ok(None);
    }
    let members: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT role, answer FROM pair_members WHERE org_id = $1 AND pair_id = $2")
            .bind(org_id)
            .bind(pair_id)
            .fetch_all(&mut *conn)
            .await?;
    let view: Vec<(&str, Option<bool>)> = members
        .iter()
        .map(|(r, a)| (r.as_str(), a.as_deref().map(|a| a == "yes")))
        .collect();
    let status = super::model::settle(&view);
    sqlx::query(
        "UPDATE pairs SET status = $3, version = version + 1,
                settled_at = CASE WHEN $3 = 'proposed' THEN NULL ELSE now() END
          WHERE org_id = $1 AND id = $2",
    )
    .bind(org_id)
    .bind(pair_id)
    .bind(status.code())
    .execute(&mut *conn)
    .await?;
    if status == Status::Agreed {
        sqlx::query(
            "UPDATE enrolments e SET status = 'paired' FROM pairs x, pair_members m
              WHERE x.org_id = $1 AND x.id = $2 AND m.pair_id = x.id AND m.answer = 'yes'
                AND e.org_id = x.org_id AND e.program_id = x.program_id AND e.person_id = m.person_id
                AND e.role = m.role",
        )
        .bind(org_id)
        .bind(pair_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(Some(status))
}

pub async fn cancel(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE pairs SET status = 'cancelled', settled_at = now(), version = version + 1
          WHERE org_id = $1 AND id = $2 AND status IN ('proposed', 'agreed')",
    )
    .bind(org_id)
    .bind(pair_id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Who hears about a program's pairs: its curator, or every curator of the organization.
pub async fn curators(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT user_id FROM memberships WHERE org_id = $1 AND (
            user_id = (SELECT curator_user_id FROM programs WHERE org_id = $1 AND id = $2)
            OR (NOT EXISTS (SELECT 1 FROM programs WHERE org_id = $1 AND id = $2 AND curator_user_id IS NOT NULL)
                AND 'curator' = ANY(roles)))",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_all(conn)
    .await
}

/// The latest submitted «предпочтения» answers in the program: person → ranked person ids.
pub async fn wishes(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<std::collections::HashMap<Uuid, Vec<Uuid>>, sqlx::Error> {
    let rows: Vec<(Uuid, Json<Definition>, Json<Raw>)> = sqlx::query_as(
        "SELECT DISTINCT ON (r.person_id) r.person_id, v.definition, r.answers
           FROM responses r JOIN assignments a ON a.id = r.assignment_id
           JOIN questionnaires q ON q.id = a.questionnaire_id
           JOIN questionnaire_versions v ON v.id = r.version_id
          WHERE r.org_id = $1 AND r.status = 'submitted' AND q.purpose = 'preferences' AND a.program_id = $2
          ORDER BY r.person_id, r.submitted_at DESC LIMIT 20000",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(person, def, raw)| {
            let list = def
                .0
                .questions()
                .into_iter()
                .find(|q| q.kind() == crate::questionnaires::model::Kind::RankPeople)
                .and_then(|q| raw.0.get(&q.key).cloned())
                .unwrap_or_default()
                .iter()
                .filter_map(|s| Uuid::parse_str(s).ok())
                .collect();
            (person, list)
        })
        .collect())
}

/// Refusals answered since `since`: (program, who refused, the pair).
pub async fn refusals_since(
    conn: &mut PgConnection,
    org_id: Uuid,
    since: DateTime<Utc>,
) -> Result<Vec<(Uuid, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.program_id, pr.name,
                trim(pe.last_name || ' ' || pe.first_name)
           FROM pair_members m JOIN pairs p ON p.org_id = m.org_id AND p.id = m.pair_id
           JOIN programs pr ON pr.org_id = p.org_id AND pr.id = p.program_id
           JOIN people pe ON pe.org_id = m.org_id AND pe.id = m.person_id
          WHERE m.org_id = $1 AND m.answer = 'no' AND m.answered_at >= $2
          ORDER BY m.answered_at LIMIT 200",
    )
    .bind(org_id)
    .bind(since)
    .fetch_all(conn)
    .await
}

pub async fn set_rhythm(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
    every_days: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pair_rhythm (pair_id, org_id, every_days) VALUES ($1, $2, $3)
         ON CONFLICT (pair_id) DO UPDATE SET every_days = EXCLUDED.every_days",
    )
    .bind(pair_id)
    .bind(org_id)
    .bind(every_days)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks an agreed pair completed (false when it is not agreed any more).
pub async fn complete(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE pairs SET status = 'completed', version = version + 1
          WHERE org_id = $1 AND id = $2 AND status = 'agreed'",
    )
    .bind(org_id)
    .bind(pair_id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaires::model::Kind;

    #[test]
    fn mentor_test_result_spans_each_scale() {
        let def = crate::questionnaires::templates::all()
            .into_iter()
            .find(|t| t.0 == "mentor_test")
            .map(|t| t.3)
            .unwrap();
        let scales: Vec<_> = def
            .questions()
            .filter(|q| q.kind() == Kind::Scale)
            .collect();
        assert!(!scales.is_empty());
        let mut raw = Raw::new();
        for q in &scales {
            raw.insert(q.key.clone(), vec!["1".into()]);
        }
        assert_eq!(test_result(&def, &raw), Some(0.0));
        for q in &scales {
            let top = if q.scale_max == 10 { "10" } else { "5" };
            raw.insert(q.key.clone(), vec![top.into()]);
        }
        assert_eq!(test_result(&def, &raw), Some(1.0));
        assert_eq!(test_result(&def, &Raw::new()), None);
    }
}
