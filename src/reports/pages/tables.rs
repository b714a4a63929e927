//! The detailed reports (`/o/{org}/reports`): the list with the filters (period, program, form,
//! class) and «Выгрузить всё» (one workbook, a sheet per report plus the indicators); each
//! report as a page (`/reports/{code}`, the first rows) and as the same table in XLSX
//! (`/reports/{code}/export.xlsx`). Curators and directors; every view and download audited.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use axum::response::Response;

use super::{period_label, period_query};
use crate::error::{AppError, AppResult};
use crate::reports::tables::{self, Filters, REPORTS};
use crate::reports::{self, period_of};
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::forms::Choice;

/// Rows a report page shows; the XLSX has them all.
const PAGE_ROWS: usize = 500;

pub struct Link {
    pub title: &'static str,
    pub url: String,
    pub xlsx: String,
}

pub struct Row {
    pub cells: Vec<CellView>,
}

pub struct CellView {
    pub text: String,
    /// A number (right-aligned).
    pub num: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/tables.html")]
pub struct ReportPage {
    pub ctx: PageCtx,
    pub title: String,
    pub action: String,
    pub period: String,
    pub from: String,
    pub to: String,
    pub programs: Vec<Choice>,
    pub forms: Vec<Choice>,
    pub classes: Vec<Choice>,
    pub links: Vec<Link>,
    pub all_xlsx: String,
    pub dashboard: String,
    /// One report (empty on the list).
    pub headers: Vec<&'static str>,
    pub rows: Vec<Row>,
    pub total: usize,
    pub xlsx: String,
    pub is_report: bool,
}

fn filters(q: &HashMap<String, String>, today: chrono::NaiveDate) -> Filters {
    let some = |k: &str| {
        q.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    Filters {
        period: period_of(q, today),
        program: some("program").and_then(|v| uuid::Uuid::parse_str(&v).ok()),
        form: some("form"),
        class: some("class"),
    }
}

/// The filters as a query string (the period, then what is chosen).
fn query_of(f: &Filters) -> String {
    let mut s = period_query(&f.period, false);
    if let Some(p) = f.program {
        s.push_str(&format!("&program={p}"));
    }
    for (k, v) in [("form", &f.form), ("class", &f.class)] {
        if let Some(v) = v {
            let v: String = form_urlencoded::byte_serialize(v.as_bytes()).collect();
            s.push_str(&format!("&{k}={v}"));
        }
    }
    s
}

async fn page(
    org: &OrgCtx,
    f: &Filters,
    one: Option<(&'static str, tables::Table)>,
) -> AppResult<ReportPage> {
    let mut conn = org.read_conn().await?;
    let programs = crate::programs::programs(&mut conn, org.org.id).await?;
    let codes = crate::programs::org_form_codes(&mut conn, org.org.id).await?;
    let forms = crate::programs::forms(&mut conn).await?;
    let classes = crate::people::classes(&mut conn, org.org.id).await?;
    drop(conn);
    let paths = org.paths();
    let query = query_of(f);
    let all = |label: &str| Choice {
        value: String::new(),
        label: label.into(),
        selected: false,
    };
    let (title, headers, rows, total, xlsx, is_report) = match one {
        Some((code, t)) => (
            t.title.to_string(),
            t.headers.iter().map(|h| h.0).collect(),
            t.rows
                .iter()
                .take(PAGE_ROWS)
                .map(|r| Row {
                    cells: r
                        .iter()
                        .map(|c| CellView {
                            text: c.display(),
                            num: c.numeric(),
                        })
                        .collect(),
                })
                .collect(),
            t.total,
            paths.report_xlsx(code, &query),
            true,
        ),
        None => (
            "Отчёты".to_string(),
            Vec::new(),
            Vec::new(),
            0,
            String::new(),
            false,
        ),
    };
    Ok(ReportPage {
        ctx: org.page(title.clone(), "reports"),
        title,
        action: String::new(),
        period: period_label(&f.period),
        from: f.period.from.to_string(),
        to: f.period.to.to_string(),
        programs: std::iter::once(all("все программы"))
            .chain(programs.iter().map(|p| Choice {
                value: p.id.to_string(),
                label: p.name.clone(),
                selected: f.program == Some(p.id),
            }))
            .collect(),
        forms: std::iter::once(all("все формы"))
            .chain(
                forms
                    .iter()
                    .filter(|x| codes.contains(&x.code))
                    .map(|x| Choice {
                        value: x.code.clone(),
                        label: x.title.clone(),
                        selected: f.form.as_deref() == Some(x.code.as_str()),
                    }),
            )
            .collect(),
        classes: std::iter::once(all("все классы"))
            .chain(classes.iter().map(|c| Choice {
                value: c.clone(),
                label: c.clone(),
                selected: f.class.as_deref() == Some(c.as_str()),
            }))
            .collect(),
        links: REPORTS
            .iter()
            .map(|(code, title)| Link {
                title,
                url: paths.report(code, &query),
                xlsx: paths.report_xlsx(code, &query),
            })
            .collect(),
        all_xlsx: paths.reports_xlsx(&query),
        dashboard: format!("{}{}", paths.dashboard(), period_query(&f.period, false)),
        headers,
        rows,
        total,
        xlsx,
        is_report,
    })
}

pub async fn list(org: OrgCtx, Query(q): Query<HashMap<String, String>>) -> AppResult<ReportPage> {
    org.require_staff()?;
    let f = filters(&q, org.org.today());
    let mut p = page(&org, &f, None).await?;
    p.action = org.paths().reports("");
    Ok(p)
}

/// One report under the query's filters, its view or download recorded in the audit trail.
async fn audited(
    org: &OrgCtx,
    code: &str,
    q: &HashMap<String, String>,
    (action, limit): (&str, i64),
) -> AppResult<(Filters, tables::Table)> {
    org.require_staff()?;
    let f = filters(q, org.org.today());
    let mut conn = org.read_conn().await?;
    let t = tables::first_rows(&mut conn, &org.org, &f, code, limit)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    crate::audit::record(
        &mut *org.conn().await?,
        org,
        action,
        None,
        &format!(
            "{}, {}, строк: {}",
            t.title,
            period_label(&f.period),
            t.total
        ),
    )
    .await?;
    Ok((f, t))
}

pub async fn report(
    org: OrgCtx,
    Path((_, code)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<ReportPage> {
    let (f, t) = audited(&org, &code, &q, ("reports.view", PAGE_ROWS as i64)).await?;
    let code = t.code;
    let mut p = page(&org, &f, Some((code, t))).await?;
    p.action = org.paths().report(code, "");
    Ok(p)
}

pub async fn export(
    org: OrgCtx,
    Path((_, code)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let (_, t) = audited(&org, &code, &q, ("reports.export", tables::MAX_ROWS)).await?;
    let bytes = crate::web::xlsx::build(vec![t.sheet()]).await?;
    Ok(crate::web::xlsx::download(
        &format!("{}.xlsx", t.code),
        bytes,
    ))
}

/// «Выгрузить всё»: the indicators, then a sheet per report.
pub async fn export_all(
    org: OrgCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    org.require_staff()?;
    let f = filters(&q, org.org.today());
    let mut conn = org.read_conn().await?;
    let (indicators, ms) = reports::indicators(&mut conn, org.org.id, &f.period).await?;
    let all = tables::all(&mut conn, &org.org, &f).await?;
    drop(conn);
    crate::audit::record(
        &mut *org.conn().await?,
        &org,
        "reports.export",
        None,
        &format!("все отчёты, {}", period_label(&f.period)),
    )
    .await?;
    let mut sheets = super::export::sheets(&f.period, &indicators, &ms);
    sheets.extend(all.iter().map(|t| t.sheet()));
    let bytes = crate::web::xlsx::build(sheets).await?;
    Ok(crate::web::xlsx::download("nastavnik-reports.xlsx", bytes))
}
