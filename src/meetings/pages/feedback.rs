//! A member's feedback on a held meeting (POST `/o/{slug}/pairs/{pair}/meetings/{id}/feedback`):
//! the form parsed into [`FeedbackForm`], one call of the command [`crate::meetings::rate`]; a
//! refusal comes back as the message above the journal.

use axum::response::Response;

use super::pair_for;
use crate::error::{AppError, AppResult};
use crate::meetings::FeedbackForm;
use crate::tenancy::OrgCtx;
use crate::web::forms::{Form, Refused};
use crate::web::ids::{Id, PairId};

pub async fn give_feedback(
    org: OrgCtx,
    PairId(pair): PairId,
    Id(meeting): Id,
    Form(form): Form<FeedbackForm>,
) -> AppResult<Response> {
    let (row, _) = pair_for(&org, pair).await?;
    let me = row
        .members
        .iter()
        .find(|m| m.user_id == Some(org.user.id))
        .ok_or(AppError::Forbidden)?;
    let back = org.paths().meetings(row.id);
    let mut tx = org.begin().await?;
    match crate::meetings::rate(&mut tx, &org.actor(), &row, me, meeting, &form).await {
        Ok(()) => {
            tx.commit().await?;
            let to = if form.back == "home" {
                org.paths().home()
            } else {
                back
            };
            Ok(org.flash(&to, "Спасибо, оценка сохранена."))
        }
        Err(Refused::Invalid(errors)) => {
            let why = errors.messages().join(" ");
            Ok(org.flash_error(&back, &why))
        }
        Err(Refused::Failed(e)) => Err(e),
    }
}
