//! The published cases of every school of the territory (`/t/{scope}/cases`): the stories the
//! schools published with the consent of the people named — the only texts that cross the school
//! boundary.

use askama::Template;
use askama_web::WebTemplate;

use crate::error::AppResult;
use crate::territory::{TerritoryCtx, repo};
use crate::web::PageCtx;

#[derive(Template, WebTemplate)]
#[template(path = "territory/cases.html")]
pub struct CasesPage {
    pub ctx: PageCtx,
    pub territory: String,
    pub cases: Vec<repo::PublishedCase>,
}

pub async fn cases(t: TerritoryCtx) -> AppResult<CasesPage> {
    let mut conn = t.conn().await?;
    let ids: Vec<uuid::Uuid> = repo::schools(&mut conn, &t.scope)
        .await?
        .iter()
        .map(|s| s.id)
        .collect();
    let cases = repo::published_cases(&mut conn, &ids).await?;
    Ok(CasesPage {
        ctx: t.page("Кейсы школ", "cases"),
        territory: t.scope.label(),
        cases,
    })
}
