//! Logging a meeting (POST `/o/{slug}/pairs/{pair}/meetings`): the form parsed into
//! [`MeetingForm`], one call of the command [`crate::meetings::log`]; a mistake brings the page
//! back with everything typed (422).

use axum::response::Response;

use crate::error::{AppError, AppResult};
use crate::meetings::{Capacity, MeetingForm};
use crate::tenancy::OrgCtx;
use crate::web::forms::Form;
use crate::web::forms::settle;
use crate::web::ids::PairId;

use super::pair::page;
use super::{Access, pair_for};

pub async fn log_meeting(
    org: OrgCtx,
    PairId(pair): PairId,
    Form(mut form): Form<MeetingForm>,
) -> AppResult<Response> {
    let (row, access) = pair_for(&org, pair).await?;
    let by = match access {
        Access::Log => Capacity::Mentor,
        Access::OnBehalf => Capacity::OnBehalf,
        Access::Read => return Err(AppError::Forbidden),
    };
    let mut tx = org.begin().await?;
    let done = crate::meetings::log(&mut tx, &org.actor(), &row, by, &mut form).await;
    settle(
        tx,
        done,
        |logged| {
            let what = logged.message(org.org.today());
            org.flash(&org.paths().meetings(row.id), what)
        },
        |errors| page(&org, &row, access, Some(form), errors),
    )
    .await
}
