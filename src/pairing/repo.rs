//! Loads what matching needs about a program's participants.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

use crate::matching::score::Profile;
use crate::questionnaires::model::{Definition, Raw};

pub struct Participant {
    pub person_id: Uuid,
    pub name: String,
    pub class_name: String,
    pub role: String,
    pub profile: Profile,
    pub answered: bool,
}

fn grade(class_name: &str) -> Option<i32> {
    let digits: String = class_name
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok().filter(|g| (1..=11).contains(g))
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
);

pub async fn participants(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Participant>, sqlx::Error> {
    let rows: Vec<ParticipantRow> = sqlx::query_as(
        "SELECT p.id, p.number, p.last_name, p.first_name, p.class_name, p.anonymized_at IS NOT NULL,
                e.role, p.kind, p.experience_years, p.subjects
           FROM enrolments e JOIN people p ON p.org_id = e.org_id AND p.id = e.person_id
          WHERE e.org_id = $1 AND e.program_id = $2
          ORDER BY e.role, p.last_name, p.first_name, p.number",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_all(&mut *conn)
    .await?;
    let consent: BTreeSet<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT p.id FROM people p JOIN enrolments e ON e.org_id = p.org_id AND e.person_id = p.id
          WHERE e.org_id = $1 AND e.program_id = $2 AND {}",
        crate::people::repo::valid_consent_sql()
    )))
    .bind(org_id)
    .bind(program_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    // The latest submitted mentor/mentee form of each person, with its version's definition.
    let answers: Vec<(Uuid, Json<Definition>, Json<Raw>)> = sqlx::query_as(
        "SELECT DISTINCT ON (r.person_id) r.person_id, v.definition, r.answers
           FROM responses r JOIN assignments a ON a.id = r.assignment_id
           JOIN questionnaires q ON q.id = a.questionnaire_id
           JOIN questionnaire_versions v ON v.id = r.version_id
          WHERE r.org_id = $1 AND r.status = 'submitted' AND q.purpose IN ('mentor_form', 'mentee_form')
            AND (a.program_id = $2 OR a.program_id IS NULL)
          ORDER BY r.person_id, r.submitted_at DESC",
    )
    .bind(org_id)
    .bind(program_id)
    .fetch_all(&mut *conn)
    .await?;
    let by_person: BTreeMap<Uuid, (Definition, Raw)> = answers
        .into_iter()
        .map(|(p, d, r)| (p, (d.0, r.0)))
        .collect();
    Ok(rows
        .into_iter()
        .map(
            |(id, number, last, first, class_name, anon, role, _kind, experience, subjects)| {
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
                }
            },
        )
        .collect())
}
