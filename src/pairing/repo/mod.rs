//! Loads what matching needs about a program's participants.

use std::collections::BTreeMap;

use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

use crate::people::Side;

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

/// The program's participants as matching sees them: the enrolments (participants), each
/// person's card and consent (people), their latest forms and mentor test (questionnaires) — in
/// the order of the list: mentees, then mentors, each by name.
pub async fn participants(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Participant>, sqlx::Error> {
    let enrolled = crate::participants::enrolled(&mut *conn, org_id, program_id).await?;
    let ids: Vec<Uuid> = enrolled.iter().map(|e| e.0).collect();
    let cards = crate::people::cards(&mut *conn, org_id, &ids).await?;
    let consent = crate::people::with_valid_consent(&mut *conn, org_id, &ids).await?;
    let mut rows: Vec<(crate::people::Card, crate::people::Side, i32)> = enrolled
        .into_iter()
        .filter_map(|(id, role, capacity)| Some((cards.get(&id)?.clone(), role, capacity)))
        .collect();
    rows.sort_by(|a, b| {
        (a.1.code(), a.0.sort_key(), a.0.number).cmp(&(b.1.code(), b.0.sort_key(), b.0.number))
    });
    let answers = crate::questionnaires::matching_answers(&mut *conn, org_id, program_id).await?;
    let mut by_person: BTreeMap<Uuid, (Definition, Raw)> = BTreeMap::new();
    let mut tests: BTreeMap<Uuid, f64> = BTreeMap::new();
    for (p, purpose, d, r) in answers {
        if purpose == "mentor_test" {
            if let Some(t) = test_result(&d, &r) {
                tests.insert(p, t);
            }
        } else {
            by_person.insert(p, (d, r));
        }
    }
    Ok(rows
        .into_iter()
        .map(|(card, role, capacity)| {
            let id = card.id;
            let anon = card.anonymized;
            let class_name = card.class_name.clone();
            let experience = card.experience_years;
            let subjects = card.subjects.clone();
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
                name: card.short_name(),
                class_name,
                role,
                profile,
                answered,
                capacity: capacity.max(0) as u32,
                user_id: card.user_id,
            }
        })
        .collect())
}

// ---- settings, capacities, «не ставить вместе» ------------------------------------------------

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::model::{Settings, Status};
use crate::matching::Objective;

mod pairs;
#[allow(unused_imports)]
pub use pairs::*;

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
    let row: Option<SettingsRow> = sqlx::query!(
        r#"SELECT weights AS "c0!: Json<BTreeMap<String, u32>>", objective AS "c1!", min_score AS "c2!", rule_gap AS "c3?", same_subject AS "c4!", version AS "c5!"
               FROM matching_settings WHERE org_id = $1 AND program_id = $2"#,
        org_id,
        program_id,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3, r.c4, r.c5))
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
    let done = if s.version == 0 {
        sqlx::query!(
            "INSERT INTO matching_settings (org_id, program_id, weights, objective, min_score, rule_gap, same_subject)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (program_id) DO NOTHING",
            org_id,
            program_id,
            Json(&s.weights) as _,
            objective,
            s.min_score as i32,
            s.rule_gap,
            s.same_subject,
        )
        .execute(&mut *conn)
        .await?
    } else {
        sqlx::query!(
            "UPDATE matching_settings SET weights = $3, objective = $4, min_score = $5, rule_gap = $6,
                    same_subject = $7, version = version + 1, updated_at = now()
              WHERE org_id = $1 AND program_id = $2 AND version = $8",
            org_id,
            program_id,
            Json(&s.weights) as _,
            objective,
            s.min_score as i32,
            s.rule_gap,
            s.same_subject,
            s.version,
        )
        .execute(&mut *conn)
        .await?
    }
    .rows_affected();
    Ok(done == 1)
}

pub async fn forbidden(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<HashSet<(Uuid, Uuid)>, sqlx::Error> {
    let rows: Vec<(Uuid, Uuid)> = sqlx::query!(
        r#"SELECT mentor_id AS "c0!", mentee_id AS "c1!" FROM matching_forbidden WHERE org_id = $1 AND program_id = $2 LIMIT 5000"#,
        org_id,
        program_id,
    ).map(|r| (r.c0, r.c1))
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
        sqlx::query!(
            "INSERT INTO matching_forbidden (org_id, program_id, mentor_id, mentee_id, created_by)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            org_id,
            program_id,
            mentor,
            mentee,
            by,
        )
        .execute(conn)
        .await?;
    } else {
        sqlx::query!(
            "DELETE FROM matching_forbidden WHERE org_id = $1 AND program_id = $2 AND mentor_id = $3 AND mentee_id = $4",
            org_id,
            program_id,
            mentor,
            mentee,
        )
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
    crate::programs::lock(conn, org_id, program_id).await
}

/// (mentor, mentee) of every live pair (proposed or agreed) whose mentee has not refused.
pub async fn live(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<(Uuid, Uuid)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT p.mentor_id AS "c0!", m.person_id AS "c1!" FROM pairs p
           JOIN pair_members m ON m.pair_id = p.id AND m.role = 'mentee'
          WHERE p.org_id = $1 AND p.program_id = $2 AND p.status IN ('proposed', 'agreed')
            AND m.answer IS DISTINCT FROM 'no' LIMIT 5000"#,
        org_id,
        program_id,
    )
    .map(|r| (r.c0, r.c1))
    .fetch_all(conn)
    .await
}

/// Who hears about a program's pairs: its curator (while a member), or every curator of the
/// organization.
pub async fn curators(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Uuid>, sqlx::Error> {
    match crate::programs::curator_of(&mut *conn, org_id, program_id).await? {
        Some(Some(curator)) => Ok(
            if crate::tenancy::is_member(&mut *conn, org_id, curator).await? {
                vec![curator]
            } else {
                Vec::new()
            },
        ),
        _ => Ok(
            crate::tenancy::members_with_role(conn, org_id, crate::auth::model::Role::Curator)
                .await?
                .into_iter()
                .map(|m| m.0)
                .collect(),
        ),
    }
}

/// The latest submitted «предпочтения» answers in the program: person → ranked person ids.
pub async fn wishes(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<std::collections::HashMap<Uuid, Vec<Uuid>>, sqlx::Error> {
    let rows = crate::questionnaires::preference_answers(conn, org_id, program_id).await?;
    Ok(rows
        .into_iter()
        .map(|(person, def, raw)| {
            let list = def
                .questions()
                .into_iter()
                .find(|q| q.kind() == crate::questionnaires::model::Kind::RankPeople)
                .and_then(|q| raw.get(&q.key).cloned())
                .unwrap_or_default()
                .iter()
                .filter_map(|s| Uuid::parse_str(s).ok())
                .collect();
            (person, list)
        })
        .collect())
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
