//! The regional monitoring table (`/t/{scope}/monitoring`, and `.xlsx`): a row per school with the
//! items regions collect — the «Наставничество» section on the school's site, the order
//! introducing the target model, the Положение, the roadmap, the mentorship programs, the order
//! appointing the curator (what the school entered in its settings), the bases of mentors and
//! mentees, the orders fixing pairs with their numbers and dates and the pairs they fixed, the
//! published cases, and the indicators — filled from the data.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use axum::response::Response;

use super::{Line, lines, pct};
use crate::error::AppResult;
use crate::territory::TerritoryCtx;
use crate::web::PageCtx;
use crate::web::xlsx::{Cell, Sheet};

/// The table's columns.
const HEADERS: [(&str, f64); 16] = [
    ("Школа", 34.0),
    ("Муниципалитет", 26.0),
    ("Раздел «Наставничество» на сайте", 30.0),
    ("Приказ о внедрении целевой модели", 24.0),
    ("Положение о наставничестве", 24.0),
    ("Дорожная карта", 16.0),
    ("Программы наставничества", 12.0),
    ("Приказ о назначении куратора", 24.0),
    ("База наставников", 10.0),
    ("База наставляемых", 10.0),
    ("Приказы о закреплении пар", 34.0),
    ("Пар и групп по приказам", 10.0),
    ("Опубликованные кейсы", 10.0),
    ("Обучающиеся 10–18 — наставляемые", 12.0),
    ("Обучающиеся 15–19 — наставники", 12.0),
    ("Молодые педагоги с наставником", 12.0),
];

fn or_none(s: &str) -> String {
    if s.trim().is_empty() {
        "нет".into()
    } else {
        s.trim().to_string()
    }
}

/// A school's row as text (the page) — the XLSX types the numbers.
fn texts(l: &Line) -> Vec<String> {
    let f = &l.figures;
    vec![
        l.school.short_name.clone(),
        l.school.municipality.clone(),
        or_none(&l.school.site_section_url),
        or_none(&l.school.doc_intro_order),
        or_none(&l.school.doc_regulation),
        if f.tasks_total > 0 {
            format!("есть, выполнено {} %", l.roadmap())
        } else {
            "нет".into()
        },
        f.programs.to_string(),
        or_none(&l.school.doc_curator_order),
        f.mentors_base.to_string(),
        f.mentees_base.to_string(),
        if f.orders.is_empty() {
            "нет".into()
        } else {
            f.orders
                .iter()
                .map(|(n, d, pairs)| {
                    format!(
                        "№ {n}{} ({pairs})",
                        d.map(|d| format!(" от {}", d.format("%d.%m.%Y")))
                            .unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        },
        f.orders.iter().map(|o| o.2).sum::<i64>().to_string(),
        f.cases_published.to_string(),
        pct(l.indicator("mentees_10_18")),
        pct(l.indicator("mentors_15_19")),
        pct(l.indicator("young_teachers")),
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "territory/monitoring.html")]
pub struct MonitoringPage {
    pub ctx: PageCtx,
    pub territory: String,
    pub period: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    pub xlsx: String,
}

pub async fn monitoring(
    t: TerritoryCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<MonitoringPage> {
    let p = crate::reports::period_of(&q, chrono::Utc::now().date_naive());
    let lines = lines(&t, &p, &q).await?;
    Ok(MonitoringPage {
        ctx: t.page("Мониторинговая таблица", "monitoring"),
        territory: t.scope.label(),
        period: p.label(),
        headers: HEADERS.iter().map(|h| h.0).collect(),
        rows: lines.iter().map(texts).collect(),
        xlsx: t
            .paths()
            .monitoring_xlsx(&format!("?from={}&to={}", p.from, p.to)),
    })
}

pub async fn monitoring_xlsx(
    t: TerritoryCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let p = crate::reports::period_of(&q, chrono::Utc::now().date_naive());
    let lines = lines(&t, &p, &q).await?;
    let share = |l: &Line, code: &str| super::share_cell(l.indicator(code));
    let sheet = Sheet {
        name: "Мониторинг".into(),
        headers: HEADERS.to_vec(),
        rows: lines
            .iter()
            .map(|l| {
                let t = texts(l);
                let f = &l.figures;
                vec![
                    Cell::from(t[0].clone()),
                    Cell::from(t[1].clone()),
                    Cell::from(t[2].clone()),
                    Cell::from(t[3].clone()),
                    Cell::from(t[4].clone()),
                    Cell::from(t[5].clone()),
                    Cell::Int(f.programs),
                    Cell::from(t[7].clone()),
                    Cell::Int(f.mentors_base),
                    Cell::Int(f.mentees_base),
                    Cell::from(t[10].clone()),
                    Cell::Int(f.orders.iter().map(|o| o.2).sum()),
                    Cell::Int(f.cases_published),
                    share(l, "mentees_10_18"),
                    share(l, "mentors_15_19"),
                    share(l, "young_teachers"),
                ]
            })
            .collect(),
    };
    let bytes = crate::web::xlsx::build(vec![sheet]).await?;
    Ok(crate::web::xlsx::download(
        "territory-monitoring.xlsx",
        bytes,
    ))
}
