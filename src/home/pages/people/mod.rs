//! The pages of the bases that gather other domains: the lists with their bulk actions (enrol,
//! give a questionnaire, accounts) and a person's card (consents, requests, programs, answers,
//! account). What they share with the people's own pages is `people::view`.

pub mod card;
pub mod consents;
pub mod export;
pub mod list;

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::AppResult;
use crate::tenancy::OrgCtx;
use crate::web::forms::{Choice, FormErrors, Refused, ru_date};
use crate::web::{PageCtx, parse_id};

use crate::people::model;
use crate::people::view::*;
use crate::people::{self, Filter};

/// The people `f` asks for through participants: those of its program and status (`among`), and
/// those enrolled in the role of its base tab (they count as in that base).
pub(super) async fn with_enrolments(
    conn: &mut sqlx::PgConnection,
    org_id: Uuid,
    mut f: Filter,
) -> AppResult<Filter> {
    let status = Some(f.status.as_str()).filter(|s| !s.is_empty());
    if f.program.is_some() || status.is_some() {
        f.among = Some(
            crate::participants::people_enrolled(&mut *conn, org_id, None, f.program, status)
                .await?,
        );
    }
    if let Some(side) = crate::people::Side::parse(&f.base) {
        f.enrolled_in_base =
            crate::participants::people_enrolled(conn, org_id, Some(side), None, None).await?;
    }
    Ok(f)
}
