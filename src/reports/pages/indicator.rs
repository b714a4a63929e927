//! The people behind an indicator (`/o/{org}/reports/indicators/{code}`, with the period's
//! query): those counted, those of the base not (yet) counted, and those lacking the data the
//! indicator needs (birth date, years of teaching, the enterprise) — so that no share is taken on
//! trust. For partner enterprises, the enterprises with and without mentors. Audited.

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use uuid::Uuid;

use super::{period_label, period_query, share_label, unit_label};
use crate::error::{AppError, AppResult};
use crate::reports::{self, model, repo};
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::forms::ru_date;

pub struct PersonLine {
    pub name: String,
    pub class_name: String,
    pub birth: String,
    pub experience: String,
    pub partner_org: String,
    pub url: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/indicator.html")]
pub struct IndicatorPage {
    pub ctx: PageCtx,
    pub back: String,
    pub title: &'static str,
    pub period: String,
    pub summary: String,
    pub missing_what: &'static str,
    pub counted: Vec<PersonLine>,
    pub not_counted: Vec<PersonLine>,
    pub missing: Vec<PersonLine>,
    /// Partner enterprises (with mentors / without).
    pub units_with: Vec<String>,
    pub units_without: Vec<String>,
}

fn missing_what(code: &str) -> &'static str {
    match code {
        "young_teachers" => "нет даты рождения или стажа",
        "partners" => "не указано предприятие",
        _ => "нет даты рождения",
    }
}

pub async fn indicator(
    org: OrgCtx,
    Path((_, code)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<IndicatorPage> {
    org.require_staff()?;
    let p = reports::period_of(&q, org.org.today());
    let now = q.get("when").map(String::as_str) == Some("now");
    let mut conn = org.read_conn().await?;
    let (all, _) = reports::indicators(&mut conn, org.org.id, &p).await?;
    let ind = all
        .into_iter()
        .find(|i| i.code == code)
        .ok_or(AppError::NotFound)?;
    let counted: BTreeSet<Uuid> = ind.counted.iter().copied().collect();
    let ids: Vec<Uuid> = ind.base.iter().chain(ind.missing.iter()).copied().collect();
    let people = repo::named(&mut conn, org.org.id, &ids).await?;
    drop(conn);
    crate::audit::record(
        &mut *org.conn().await?,
        &org,
        "reports.indicator",
        None,
        &format!("{code}, {}, людей: {}", period_label(&p), people.len()),
    )
    .await?;
    let paths = org.paths();
    let line = |x: &repo::Named| PersonLine {
        name: x.name.clone(),
        class_name: x.class_name.clone(),
        birth: x
            .birth_date
            .map(|b| {
                format!(
                    "{} ({} лет на {})",
                    ru_date(b),
                    model::age_on(b, p.to),
                    ru_date(p.to)
                )
            })
            .unwrap_or_else(|| "—".into()),
        experience: x
            .experience_years
            .map(|e| e.to_string())
            .unwrap_or_else(|| "—".into()),
        partner_org: x.partner_org.clone(),
        url: paths.person(x.id),
    };
    let missing: BTreeSet<Uuid> = ind.missing.iter().copied().collect();
    let units_without = ind
        .units
        .iter()
        .filter(|u| !ind.counted_units.contains(u))
        .cloned()
        .collect();
    Ok(IndicatorPage {
        ctx: org.page(ind.title, "reports"),
        back: format!("{}{}", paths.dashboard(), period_query(&p, now)),
        title: ind.title,
        period: period_label(&p),
        summary: format!(
            "{} из {} {} — {}",
            ind.numerator(),
            ind.denominator(),
            unit_label(&ind),
            share_label(&ind)
        ),
        missing_what: missing_what(&code),
        counted: people
            .iter()
            .filter(|x| counted.contains(&x.id))
            .map(line)
            .collect(),
        not_counted: people
            .iter()
            .filter(|x| !counted.contains(&x.id) && !missing.contains(&x.id))
            .map(line)
            .collect(),
        missing: people
            .iter()
            .filter(|x| missing.contains(&x.id))
            .map(line)
            .collect(),
        units_with: ind.counted_units.clone(),
        units_without,
    })
}
