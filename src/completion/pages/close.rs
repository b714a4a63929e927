//! Closing a program (POST `/programs/{program}/close`, the curator): once every pair is
//! completed (or cancelled), the program becomes «завершена» and its participants get the
//! satisfaction questionnaires (unless they already had them); its mentors stay in the base with
//! their history for the next program.

use axum::response::Response;

use crate::auth::model::Role;
use crate::error::AppResult;
use crate::programs::ProgramCtx;

pub async fn close(pc: ProgramCtx) -> AppResult<Response> {
    let pc = pc.editable()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let back = org.paths().in_program(pc.program.id).card();
    let mut tx = org.begin().await?;
    let open: i64 = sqlx::query_scalar!(
        r#"SELECT count(*) AS "v!" FROM pairs WHERE org_id = $1 AND program_id = $2 AND status IN ('proposed', 'agreed')"#,
        org.org.id,
        pc.program.id,
    )
    .fetch_one(&mut *tx)
    .await?;
    if open > 0 {
        return Ok(org.flash_error(
            &back,
            &format!("Сначала завершите или отмените пары программы: осталось {open}."),
        ));
    }
    if !crate::programs::finish(&mut tx, org.org.id, pc.program.id).await? {
        return Ok(org.flash_error(&back, "Программа уже завершена."));
    }
    // The same key as the morning job's on the program's last day: given once, whoever is first.
    let first = crate::jobs::once(
        &mut tx,
        Some(org.org.id),
        crate::questionnaires::schedules::SATISFACTION_ONCE,
        &pc.program.id.to_string(),
    )
    .await?;
    if first {
        crate::questionnaires::ensure_templates(&mut tx, org.org.id).await?;
        let people = crate::participants::participants(&mut tx, org.org.id, pc.program.id).await?;
        for (code, audience, role) in [
            ("satisfaction_mentors", "mentors", "mentor"),
            ("satisfaction_mentees", "mentees", "mentee"),
        ] {
            let ids: Vec<uuid::Uuid> = people
                .iter()
                .filter(|p| p.role == role && !p.anonymized)
                .map(|p| p.person_id)
                .collect();
            if let Some(cur) = crate::questionnaires::template(&mut tx, org.org.id, code).await? {
                let deadline = org.org.today() + chrono::Duration::days(7);
                crate::questionnaires::give(
                    &mut tx,
                    org,
                    &cur,
                    Some(pc.program.id),
                    audience,
                    ids,
                    Some(deadline),
                )
                .await?;
            }
        }
    }
    crate::audit::record(
        &mut tx,
        org,
        "program.close",
        None,
        &format!("программа {}", pc.program.id),
    )
    .await?;
    tx.commit().await?;
    Ok(org.flash(
        &back,
        "Программа завершена; участникам отправлены анкеты удовлетворённости.",
    ))
}
