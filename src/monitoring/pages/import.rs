//! A measurement from a file (POST `/programs/{program}/monitoring/{entry|final}/import`): a
//! class's marks and absences as XLSX or CSV — a name column (ФИО, or Фамилия and Имя) and a
//! column per parameter, headed by its title (or the start of it). Every row must match one
//! participant of the role (and class, if one is chosen) by surname and name, every value must
//! fit its scale and the person must have a valid consent; otherwise nothing is saved and every
//! problem is listed.

use axum::extract::{Multipart, Path};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::stage_label;
use crate::auth::model::Role;
use crate::error::AppResult;
use crate::monitoring::measure::{Sheet, Unsaved};
use crate::programs::ProgramCtx;

pub async fn import(
    pc: ProgramCtx,
    Path((_, _, stage)): Path<(String, String, String)>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let stage = match stage.as_str() {
        "entry" => "entry",
        "final" => "final",
        _ => return Err(crate::error::AppError::NotFound),
    };
    // The one reader of uploads (people::upload): the same limits as the class lists.
    let received = crate::people::upload::receive(&mut multipart).await;
    let fields = match &received {
        Ok(r) => r.fields.clone(),
        Err((_, f)) => f.clone(),
    };
    let role = crate::people::Side::of_form(fields.get("role").map_or("", String::as_str));
    let class = fields.get("class").cloned().unwrap_or_default();
    let read = match received {
        Ok(r) => crate::people::upload::parse(&org.state, r.bytes)
            .await?
            .map_err(|e| e.to_string()),
        Err((e, _)) => Err(e.to_string()),
    };
    let table = match read {
        Ok(t) => t,
        Err(msg) => {
            let page =
                super::entry::page_with_errors(&pc, stage, (role, &class), vec![msg]).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let back = org
        .paths()
        .in_program(pc.program.id)
        .monitoring_table(stage, role.code(), &class);
    let sheet = Sheet {
        program_id: pc.program.id,
        stage,
        role,
        class: &class,
    };
    let mut tx = org.begin().await?;
    match crate::monitoring::measure::import(&mut tx, &org.actor(), sheet, &table).await {
        Ok(written) => {
            tx.commit().await?;
            Ok(org.flash(
                &back,
                &format!(
                    "Из файла внесено значений: {written} ({} замер).",
                    stage_label(stage)
                ),
            ))
        }
        Err(Unsaved::Problems { messages, .. }) => {
            drop(tx);
            let page = super::entry::page_with_errors(&pc, stage, (role, &class), messages).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(Unsaved::Failed(e)) => Err(e),
    }
}
