//! What matching reads of the answers (ARCHITECTURE.md, «One owner per table»): each person's
//! latest submitted questionnaire form and mentor test of a program (or given to everyone), and
//! the latest «предпочтения» of a program — with the definition of the version answered.

use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

use super::model::{Definition, Raw};

/// The latest submitted mentor/mentee form and mentor test of each person for the program (or
/// given without a program): (person, purpose, definition, answers).
pub async fn matching_answers(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<(Uuid, String, Definition, Raw)>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"SELECT DISTINCT ON (r.person_id, q.purpose = 'mentor_test') r.person_id AS "c0!", q.purpose AS "c1!", v.definition AS "c2!: Json<Definition>", r.answers AS "c3!: Json<Raw>"
           FROM responses r JOIN assignments a ON a.id = r.assignment_id
           JOIN questionnaires q ON q.id = a.questionnaire_id
           JOIN questionnaire_versions v ON v.id = r.version_id
          WHERE r.org_id = $1 AND r.status = 'submitted'
            AND q.purpose IN ('mentor_form', 'mentee_form', 'mentor_test')
            AND (a.program_id = $2 OR a.program_id IS NULL)
          ORDER BY r.person_id, q.purpose = 'mentor_test', r.submitted_at DESC"#,
        org_id,
        program_id,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.c0, r.c1, r.c2.0, r.c3.0))
    .collect())
}

/// The latest submitted «предпочтения» of each person in the program: (person, definition,
/// answers).
pub async fn preference_answers(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<(Uuid, Definition, Raw)>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"SELECT DISTINCT ON (r.person_id) r.person_id AS "c0!", v.definition AS "c1!: Json<Definition>", r.answers AS "c2!: Json<Raw>"
           FROM responses r JOIN assignments a ON a.id = r.assignment_id
           JOIN questionnaires q ON q.id = a.questionnaire_id
           JOIN questionnaire_versions v ON v.id = r.version_id
          WHERE r.org_id = $1 AND r.status = 'submitted' AND q.purpose = 'preferences' AND a.program_id = $2
          ORDER BY r.person_id, r.submitted_at DESC LIMIT 20000"#,
        org_id,
        program_id,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.c0, r.c1.0, r.c2.0))
    .collect())
}
