//! A member's feedback on a held meeting: a rating 1–5, a comment and, after the trial meeting,
//! the fit check; «не подходим» tells the curators at once.

use axum::response::Response;

use super::pair_for;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::meetings::{model, repo};
use crate::notifications::{Note, Teller};
use crate::tenancy::OrgCtx;
use crate::web::forms::{FormData, trimmed};
use crate::web::ids::PairId;

/// A member rates a held meeting (1–5, a comment) and, after the trial meeting, says whether
/// they fit; «не подходим» tells the curators at once.
pub async fn give_feedback(
    org: OrgCtx,
    PairId(pair): PairId,
    crate::web::ids::Id(meeting): crate::web::ids::Id,
    data: FormData,
) -> AppResult<Response> {
    let (row, _) = pair_for(&org, pair).await?;
    let me = row
        .members
        .iter()
        .find(|m| m.user_id == Some(org.user.id))
        .ok_or(AppError::Forbidden)?;
    let mut tx = org.begin().await?;
    let (kind, held_on) = repo::meeting_of_pair(&mut tx, org.org.id, row.id, meeting)
        .await?
        .ok_or(AppError::NotFound)?;
    let back = org.paths().meetings(row.id);
    if held_on > org.org.today() {
        return Ok(org.flash_error(&back, "Оценить можно встречу, которая уже прошла."));
    }
    let Some(rating) = data
        .get("rating")
        .parse::<i16>()
        .ok()
        .filter(|r| (1..=5).contains(r))
    else {
        return Ok(org.flash_error(&back, "Выберите оценку от 1 до 5."));
    };
    let fit = data.get("fit");
    let answers = repo::fits_of(&mut tx, org.org.id, row.id, me.person_id).await?;
    let asked = model::asks_fit(&kind, held_on, &answers);
    let fit = (asked && model::FITS.iter().any(|f| f.0 == fit)).then_some(fit.as_str());
    let comment: String = trimmed(&data.get("comment")).chars().take(1000).collect();
    repo::give_feedback(
        &mut tx,
        org.org.id,
        meeting,
        me.person_id,
        rating,
        fit,
        &comment,
    )
    .await?;
    if fit == Some("no") {
        let curators: Vec<uuid::Uuid> =
            crate::tenancy::members_with_role(&mut tx, org.org.id, Role::Curator)
                .await?
                .into_iter()
                .map(|c| c.0)
                .collect();
        let text = format!(
            "{} считает, что пара в программе «{}» не подходит (после пробной встречи). Посмотрите пару.",
            me.name, row.program_name
        );
        let health = org.paths().in_program(row.program_id).health();
        let note = Note {
            kind: "pairs",
            text: &text,
            link: &health,
            details: &[],
        };
        crate::notifications::tell(&mut tx, Teller::of(&org), &curators, note).await?;
        // The curator's task: review the pair and, if they agree, end it by an amending order
        // (the mentee returns to matching).
        let names: Vec<&str> = row.members.iter().map(|m| m.name.as_str()).collect();
        let title = format!(
            "Рассмотреть пару «{}»: {} ответил(а) «не подходим»",
            names.join(" — "),
            me.name
        );
        crate::roadmap::add_curator_task(
            &mut tx,
            org.org.id,
            row.program_id,
            &title,
            org.org.today() + chrono::Duration::days(3),
            org.user.id,
        )
        .await?;
    }
    tx.commit().await?;
    let to = if data.get("back") == "home" {
        org.paths().home()
    } else {
        back
    };
    Ok(org.flash(&to, "Спасибо, оценка сохранена."))
}
