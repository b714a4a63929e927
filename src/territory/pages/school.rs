//! One school of the territory as aggregates (`/t/{scope}/schools/{org}`): the indicators with
//! their numerators and denominators, participants and pairs by form and variant, pairs by
//! status, meetings by month, programs with roadmap progress, published cases — never a list of
//! people. A school outside the territory answers 404.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use chrono::Datelike;

use crate::error::{AppError, AppResult};
use crate::reports::model;
use crate::territory::{TerritoryCtx, repo};
use crate::web::PageCtx;
use crate::web::view::Prop;

pub struct IndicatorLine {
    pub title: &'static str,
    pub share: String,
    pub numerator: usize,
    pub denominator: usize,
    pub missing: usize,
    pub target: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "territory/school.html")]
pub struct SchoolPage {
    pub ctx: PageCtx,
    pub back: String,
    pub name: String,
    pub full_name: String,
    pub municipality: String,
    pub period: String,
    pub indicators: Vec<IndicatorLine>,
    pub forms: Vec<model::FormCount>,
    pub pairs: Vec<Prop>,
    pub months: Vec<Prop>,
    pub programs: Vec<Prop>,
    pub cases: i64,
}

pub async fn school(
    t: TerritoryCtx,
    Path((_, org)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<SchoolPage> {
    let org = uuid::Uuid::parse_str(&org).map_err(|_| AppError::NotFound)?;
    let today = chrono::Utc::now().date_naive();
    let p = crate::reports::period_of(&q, today);
    let mut conn = t.conn().await?;
    let school = repo::schools(&mut conn, &t.scope)
        .await?
        .into_iter()
        .find(|s| s.id == org)
        .ok_or(AppError::NotFound)?;
    let (indicators, ms) = crate::reports::indicators(&mut conn, org, &p).await?;
    let pairs = crate::reports::pairs_by_status(&mut conn, org).await?;
    let months = crate::reports::meetings_by_month(&mut conn, org, (p.from, p.to), today).await?;
    let programs = crate::programs::programs(&mut conn, org).await?;
    let figures = repo::figures(&mut conn, &[org], (p.from, p.to), today).await?;
    drop(conn);
    Ok(SchoolPage {
        ctx: t.page(school.short_name.clone(), "schools"),
        back: t.paths().schools(),
        name: school.short_name.clone(),
        full_name: school.full_name.clone(),
        municipality: school.municipality.clone(),
        period: p.label(),
        indicators: indicators
            .iter()
            .map(|i| IndicatorLine {
                title: i.title,
                share: super::pct(Some(&i.summary())),
                numerator: i.numerator(),
                denominator: i.denominator(),
                missing: i.missing.len(),
                target: i
                    .target
                    .map(|t| format!("цель — не менее {:.0} %", t * 100.0))
                    .unwrap_or_default(),
            })
            .collect(),
        forms: model::by_form(&ms, &p),
        pairs: pairs
            .into_iter()
            .map(|(s, n)| Prop {
                label: match s.as_str() {
                    "proposed" => "предложены",
                    "agreed" => "работают",
                    "completed" => "завершены",
                    "refused" => "отказы",
                    _ => "отменены",
                }
                .into(),
                value: n.to_string(),
            })
            .collect(),
        months: months
            .into_iter()
            .map(|(m, held, cancelled, planned)| Prop {
                label: format!("{:02}.{}", m.month(), m.year()),
                value: format!("проведено {held}, отменено {cancelled}, запланировано {planned}"),
            })
            .collect(),
        programs: programs
            .iter()
            .map(|g| Prop {
                label: g.name.clone(),
                value: format!(
                    "{}; дорожная карта {} %{}",
                    g.status.label(),
                    crate::programs::percent(g.tasks_done, g.tasks_total),
                    if g.tasks_overdue > 0 {
                        format!(", просрочено задач: {}", g.tasks_overdue)
                    } else {
                        String::new()
                    }
                ),
            })
            .collect(),
        cases: figures.get(&org).map(|f| f.cases_published).unwrap_or(0),
    })
}
