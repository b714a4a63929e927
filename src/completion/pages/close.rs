//! Closing a program (POST `/programs/{program}/close`, the curator): once every pair is
//! completed (or cancelled), the program becomes «завершена» and its participants get the
//! satisfaction questionnaires (unless they already had them); its mentors stay in the base with
//! their history for the next program.

use axum::response::Response;

use crate::auth::model::Role;
use crate::completion::Closing;
use crate::error::AppResult;
use crate::programs::ProgramCtx;
use crate::web::forms::Refused;

pub async fn close(pc: ProgramCtx) -> AppResult<Response> {
    let pc = pc.editable()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let back = org.paths().in_program(pc.program.id).card();
    let mut tx = org.begin().await?;
    match crate::completion::close_program(&mut tx, &org.actor(), pc.program.id).await {
        Ok(Closing::Closed) => {
            tx.commit().await?;
            Ok(org.flash(
                &back,
                "Программа завершена; участникам отправлены анкеты удовлетворённости.",
            ))
        }
        Ok(Closing::PairsOpen(open)) => Ok(org.flash_error(
            &back,
            &format!("Сначала завершите или отмените пары программы: осталось {open}."),
        )),
        Ok(Closing::AlreadyFinished) => Ok(org.flash_error(&back, "Программа уже завершена.")),
        Err(Refused::Invalid(errors)) => Ok(org.flash_error(&back, &errors.first())),
        Err(Refused::Failed(e)) => Err(e),
    }
}
