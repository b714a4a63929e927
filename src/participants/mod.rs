//! Participants of programs: enrolment of people as наставник or наставляемый (only with a valid
//! consent), their status ladders, mentor training with attendance, mentors of earlier programs.
//! Other domains use the functions re-exported here.

pub mod pages;
pub mod repo;

use uuid::Uuid;

use crate::error::AppResult;
use crate::tenancy::OrgCtx;
pub use repo::{
    EnrolmentRow, Participant, add_training, enrol, enrolments_of, participants, set_attendance,
};

/// Enrols people who have a valid consent; returns (enrolled, refused with reasons).
pub async fn enrol_people(
    conn: &mut sqlx::PgConnection,
    org: &OrgCtx,
    program_id: Uuid,
    people: &[Uuid],
    role: &str,
) -> AppResult<(usize, Vec<String>)> {
    let mut enrolled = 0;
    let mut refused = Vec::new();
    for id in people {
        let Some((p, problem)) = crate::people::participation(&mut *conn, org.org.id, *id).await?
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
        if repo::enrol(&mut *conn, org.org.id, program_id, p.id, role).await? {
            crate::audit::record(
                &mut *conn,
                org,
                "enrolment",
                Some(p.id),
                &format!(
                    "{} — {}",
                    crate::people::model::role_label(role),
                    program_id
                ),
            )
            .await?;
            enrolled += 1;
        }
    }
    Ok((enrolled, refused))
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
    status: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE enrolments SET results = CASE WHEN results = '' THEN $4 ELSE results || E'\\n' || $4 END,
                status = coalesce($5, status)
          WHERE org_id = $1 AND program_id = $2 AND person_id = $3",
        org_id,
        program_id,
        person_id,
        line,
        status,
    )
    .execute(conn)
    .await?;
    Ok(())
}
