//! The commands of a program's monitoring setup (ARCHITECTURE.md, «Commands»): its parameters
//! (the templates of its form, or the curator's own), a parameter's source (a scale or number
//! question of a questionnaire, or hand entry), the mid-program pulse and the SWOT. Each checks
//! that a curator acts and refuses a bad input with its message; the measurements themselves are
//! `measure`.

use sqlx::PgConnection;
use uuid::Uuid;

use super::{model, repo};
use crate::auth::model::Role;
use crate::error::AppError;
use crate::web::forms::Refused;

/// The two groups of a program that are measured.
pub fn role_of(raw: &str) -> Option<crate::people::Side> {
    crate::people::Side::parse(raw)
}

/// A value as typed: «4,5» or «4.5».
pub fn parse_value(raw: &str) -> Option<f64> {
    raw.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// What to add to a program's parameters.
#[derive(Debug, Clone)]
pub enum NewParameters {
    /// The templates of the program's form for the group.
    Template { role: String },
    /// One of the curator's own: a title (at most 200 characters) and a scale, as typed.
    Own {
        role: String,
        title: String,
        min: String,
        max: String,
        higher_is_better: bool,
    },
}

/// Adds parameters to the program (`form_code` its form of mentorship); returns how many were
/// new (a parameter of the same title and group is not added twice).
pub async fn add_parameters(
    conn: &mut PgConnection,
    by: &crate::tenancy::Actor<'_>,
    (program_id, form_code): (Uuid, &str),
    new: &NewParameters,
) -> Result<usize, Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let raw_role = match new {
        NewParameters::Template { role } | NewParameters::Own { role, .. } => role,
    };
    let Some(role) = role_of(raw_role) else {
        return Err(Refused::field(
            "role",
            "Выберите: наставляемые или наставники.",
        ));
    };
    match new {
        NewParameters::Template { .. } => {
            let mut added = 0;
            for (title, min, max, higher) in model::templates(form_code, role) {
                added += usize::from(
                    repo::add_parameter(
                        &mut *conn,
                        by.org.id,
                        program_id,
                        (role, title),
                        (*min, *max, *higher),
                    )
                    .await?,
                );
            }
            Ok(added)
        }
        NewParameters::Own {
            title,
            min,
            max,
            higher_is_better,
            ..
        } => {
            let title = title.trim();
            let (Some(min), Some(max)) = (parse_value(min), parse_value(max)) else {
                return Err(Refused::field("min", "Укажите шкалу: от и до — числа."));
            };
            if title.is_empty() || title.chars().count() > 200 || max <= min {
                return Err(Refused::field(
                    "title",
                    "Напишите название (до 200 знаков) и шкалу «от» меньше «до».",
                ));
            }
            if !repo::add_parameter(
                &mut *conn,
                by.org.id,
                program_id,
                (role, title),
                (min, max, *higher_is_better),
            )
            .await?
            {
                return Err(Refused::field("title", "Такой параметр уже есть."));
            }
            Ok(1)
        }
    }
}

/// Deletes a parameter of the program with its values (404 when there is no such parameter).
pub async fn delete_parameter(
    conn: &mut PgConnection,
    by: &crate::tenancy::Actor<'_>,
    program_id: Uuid,
    id: Uuid,
) -> Result<(), Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    if !repo::delete_parameter(&mut *conn, by.org.id, program_id, id).await? {
        return Err(AppError::NotFound.into());
    }
    Ok(())
}

/// Ties a parameter to a scale or number question of the organization's questionnaires (`source`
/// as the form sends it, `{questionnaire}:{key}`), or back to hand entry (empty); returns whether
/// it is now tied.
pub async fn set_source(
    conn: &mut PgConnection,
    by: &crate::tenancy::Actor<'_>,
    (program_id, id): (Uuid, Uuid),
    source: &str,
) -> Result<bool, Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let source = if source.is_empty() {
        None
    } else {
        let questions =
            crate::questionnaires::numbers::numeric_questions(&mut *conn, by.org.id).await?;
        match questions
            .into_iter()
            .find(|q| format!("{}:{}", q.questionnaire_id, q.key) == source)
        {
            Some(q) => Some((q.questionnaire_id, q.key)),
            None => {
                return Err(Refused::field(
                    "source",
                    "Такого вопроса-шкалы или числа в анкетах организации нет.",
                ));
            }
        }
    };
    if !repo::set_source(
        &mut *conn,
        (by.org.id, program_id, id),
        source.as_ref().map(|(q, k)| (*q, k.as_str())),
    )
    .await?
    {
        return Err(AppError::NotFound.into());
    }
    Ok(source.is_some())
}

/// Turns the mid-program pulse of the program on or off.
pub async fn set_pulse(
    conn: &mut PgConnection,
    by: &crate::tenancy::Actor<'_>,
    program_id: Uuid,
    on: bool,
) -> Result<(), Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    repo::set_pulse(&mut *conn, by.org.id, program_id, on).await?;
    Ok(())
}

/// Keeps the curator's SWOT of the program: strengths, weaknesses, opportunities, threats, each
/// at most 4,000 characters.
pub async fn save_swot(
    conn: &mut PgConnection,
    by: &crate::tenancy::Actor<'_>,
    program_id: Uuid,
    swot: [&str; 4],
) -> Result<(), Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let s = swot.map(|v| v.trim().to_string());
    if s.iter().any(|v| v.chars().count() > 4000) {
        return Err(Refused::field(
            "swot",
            "Каждый раздел SWOT — до 4000 знаков.",
        ));
    }
    repo::set_swot(&mut *conn, by.org.id, program_id, &s, by.user_id).await?;
    Ok(())
}
