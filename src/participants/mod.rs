//! Participants of programs: enrolment of people as наставник or наставляемый (only with a valid
//! consent), their status ladders, mentor training with attendance, mentors of earlier programs.
//! Other domains use the functions re-exported here.

pub mod forget;
pub mod model;
pub mod pages;
pub mod repo;

use uuid::Uuid;

pub use crate::people::Side;
pub use model::EnrolmentStatus;

use crate::error::AppResult;
use crate::tenancy::Actor;
use crate::web::forms::{FormErrors, Refused, parse_date, trimmed};
pub use repo::{
    EnrolmentRow, History, Participant, add_training, enrol, enrolled, enrolments_in,
    enrolments_of, enrolments_of_people, history_of_people, is_enrolled, mark_paired, participants,
    people_enrolled, set_attendance, set_capacity,
};

/// The command that enrols people who have a valid consent (an erased record, or one without a
/// consent, is refused with its reason; someone enrolled already in that role is left as is);
/// returns (enrolled, refused with reasons). A curator's; a program of another organization is
/// 404.
pub async fn enrol_people(
    conn: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    program_id: Uuid,
    people: &[Uuid],
    role: Side,
) -> AppResult<(usize, Vec<String>)> {
    by.require(&mut *conn, &[crate::auth::model::Role::Curator])
        .await?;
    if crate::programs::program(&mut *conn, by.org.id, program_id)
        .await?
        .is_none()
    {
        return Err(crate::error::AppError::NotFound);
    }
    let mut enrolled = 0;
    let mut refused = Vec::new();
    for id in people {
        let Some((p, problem)) = crate::people::participation(&mut *conn, by.org.id, *id).await?
        else {
            continue;
        };
        if let Some(why) = problem {
            let name = crate::people::model::display_name(
                p.number,
                &p.last_name,
                &p.first_name,
                &p.middle_name,
                p.anonymized_at.is_some(),
            );
            refused.push(format!("{name}: {why}"));
            continue;
        }
        if repo::enrol(&mut *conn, by.org.id, program_id, p.id, role).await? {
            crate::audit::record(
                &mut *conn,
                by,
                "enrolment",
                Some(p.id),
                &format!("{} — {}", role.label(), program_id),
            )
            .await?;
            enrolled += 1;
        }
    }
    Ok((enrolled, refused))
}

/// The command that moves the chosen participants of a program (their enrolments' ids) up or down
/// their status ladder (`role` mentor or mentee; a status of that ladder only); returns how many
/// changed.
pub async fn set_status(
    conn: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    program_id: Uuid,
    ids: &[Uuid],
    role: Side,
    status: &str,
) -> Result<usize, Refused> {
    let mut errors = FormErrors::default();
    let status = EnrolmentStatus::parse(status).filter(|s| s.fits(role));
    if status.is_none() {
        errors.add("status", "Выберите статус.");
    }
    if ids.is_empty() {
        errors.add("ids", "Отметьте участников.");
    }
    let Some(status) = status.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    Ok(repo::set_statuses(conn, by.org.id, program_id, ids, role, status).await? as usize)
}

/// The command that adds a session to the mentors' training plan: a date and a topic of at most
/// 300 characters.
pub async fn plan_training(
    conn: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    program_id: Uuid,
    held_on: &str,
    topic: &str,
) -> Result<(), Refused> {
    let topic = trimmed(topic);
    let mut errors = FormErrors::default();
    let date = parse_date(held_on);
    if date.is_none() {
        errors.add("held_on", "Укажите дату занятия.");
    }
    if topic.is_empty() {
        errors.add("topic", "Укажите тему занятия.");
    }
    let n = topic.chars().count();
    if n > 300 {
        errors.add(
            "topic",
            format!("Тема занятия: {}", crate::web::forms::too_long(300, n)),
        );
    }
    match date {
        Some(date) if errors.is_empty() => {
            repo::add_training(conn, by.org.id, program_id, date, &topic).await?;
            Ok(())
        }
        _ => Err(errors.into()),
    }
}

/// The command that keeps who of the program's participants attended the training session
/// `session` (404 for a session of another program); a curator's.
pub async fn mark_training(
    conn: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    (program_id, session): (Uuid, Uuid),
    present: &[Uuid],
) -> Result<(), Refused> {
    by.require(&mut *conn, &[crate::auth::model::Role::Curator])
        .await?;
    if !repo::set_attendance(conn, by.org.id, program_id, session, present).await? {
        return Err(crate::error::AppError::NotFound.into());
    }
    Ok(())
}

pub fn enrol_message(enrolled: usize, refused: &[String]) -> (bool, String) {
    if refused.is_empty() {
        (true, format!("Включено в программу: {enrolled}."))
    } else {
        (
            false,
            format!(
                "Включено: {enrolled}. Не включены ({}): {}",
                refused.len(),
                refused.join("; ")
            ),
        )
    }
}

/// Notes whether a mentor is ready to continue after this program (the long-term mentor base).
pub async fn set_ready_to_continue(
    conn: &mut sqlx::PgConnection,
    org_id: uuid::Uuid,
    (program_id, person_id): (uuid::Uuid, uuid::Uuid),
    ready: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE enrolments SET ready_to_continue = $4
          WHERE org_id = $1 AND program_id = $2 AND person_id = $3 AND role = 'mentor'",
        org_id,
        program_id,
        person_id,
        ready,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes a pair's outcome back into a participant's enrolment: its «результаты» gain `line`
/// (their history in the base), and a new status when given (a mentee «завершил» or back in the
/// base for a new pair).
pub async fn add_results(
    conn: &mut sqlx::PgConnection,
    org_id: uuid::Uuid,
    (program_id, person_id): (uuid::Uuid, uuid::Uuid),
    line: &str,
    status: Option<EnrolmentStatus>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE enrolments SET results = CASE WHEN results = '' THEN $4 ELSE results || E'\\n' || $4 END,
                status = coalesce($5, status)
          WHERE org_id = $1 AND program_id = $2 AND person_id = $3",
        org_id,
        program_id,
        person_id,
        line,
        status.map(EnrolmentStatus::code),
    )
    .execute(conn)
    .await?;
    Ok(())
}
