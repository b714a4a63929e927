//! The command of «Веса и правила» (ARCHITECTURE.md, «Commands»): the weights of the criteria
//! (0–100, not all zero), the objective, the minimum score (0–100), the form's rule gap (0–40),
//! «один предмет», and each mentor's places (0–30), saved only from the version the curator saw
//! (a concurrent save is reported, nothing overwritten). A curator acts.

use sqlx::PgConnection;
use uuid::Uuid;

use super::model::Settings;
use super::repo;
use crate::auth::model::Role;
use crate::error::AppError;
use crate::matching::Objective;
use crate::matching::score::CRITERIA;
use crate::people::Side;
use crate::tenancy::Actor;

/// The settings as typed: each value as sent (a weight by criterion code, places by mentor).
#[derive(Clone, Debug, Default)]
pub struct SettingsInput {
    pub weights: Vec<(String, String)>,
    pub objective: String,
    pub min_score: String,
    pub rule_gap: String,
    pub same_subject: bool,
    /// The version of the settings the form was made from.
    pub version: String,
    /// Places by mentor (empty: left as is); a person who is not a mentor of the program is
    /// ignored.
    pub places: Vec<(Uuid, String)>,
}

/// What [`save_settings`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum SettingsSaved {
    Saved,
    /// Every problem, in the form's order; nothing saved.
    Invalid(Vec<String>),
    /// Someone saved since the version the form was made from; nothing saved.
    Conflict,
}

/// Saves the weights and rules of a program's matching, and the mentors' places.
pub async fn save_settings(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    program_id: Uuid,
    input: &SettingsInput,
) -> Result<SettingsSaved, AppError> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let program = crate::programs::program(&mut *conn, by.org.id, program_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let mut s = Settings::defaults(&program.form_code);
    for (code, label) in CRITERIA {
        let typed = input
            .weights
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, v)| v.trim())
            .unwrap_or_default();
        match typed.parse::<u32>() {
            Ok(v) if v <= 100 => {
                s.weights.insert(code.to_string(), v);
            }
            _ => errors.push(format!("Вес «{label}»: целое число от 0 до 100.")),
        }
    }
    if errors.is_empty() && s.weights.values().all(|v| *v == 0) {
        errors.push("Хотя бы один вес должен быть больше нуля.".into());
    }
    s.objective = if input.objective == "coverage" {
        Objective::Coverage
    } else {
        Objective::Quality
    };
    match input.min_score.trim().parse::<u32>() {
        Ok(v) if v <= 100 => s.min_score = v,
        _ => errors.push("Минимальная оценка: целое число от 0 до 100.".into()),
    }
    let gap = input.rule_gap.trim();
    if !gap.is_empty() {
        match gap.parse::<i32>() {
            Ok(g) if (0..=40).contains(&g) => s.rule_gap = Some(g),
            _ => errors.push("Разница (классов или лет стажа): целое число от 0 до 40.".into()),
        }
    }
    s.same_subject = input.same_subject;
    s.version = crate::web::forms::int(&input.version);
    let people = repo::participants(&mut *conn, by.org.id, program.id).await?;
    let mut caps = Vec::new();
    for p in people.iter().filter(|p| p.role == Side::Mentor) {
        let Some((_, raw)) = input.places.iter().find(|(id, _)| *id == p.person_id) else {
            continue;
        };
        if raw.trim().is_empty() {
            continue;
        }
        match raw.trim().parse::<i32>() {
            Ok(c) if (0..=30).contains(&c) => caps.push((p.person_id, c)),
            _ => errors.push(format!("{}: число мест — от 0 до 30.", p.name)),
        }
    }
    if !errors.is_empty() {
        return Ok(SettingsSaved::Invalid(errors));
    }
    if !repo::save_settings(&mut *conn, by.org.id, program.id, &s).await? {
        return Ok(SettingsSaved::Conflict);
    }
    for (person, c) in caps {
        crate::participants::set_capacity(&mut *conn, by.org.id, program.id, person, c).await?;
    }
    Ok(SettingsSaved::Saved)
}
