//! The schools of a territory (`/t/{scope}`): for each — its municipality, the indicators'
//! shares, roadmap progress with overdue tasks, pairs working and completed, meetings held in
//! the period, published cases; sorted and filtered (municipality, kind); totals over the
//! territory and the share of schools meeting each target; XLSX of the same table
//! (`/t/{scope}/schools.xlsx`). Counts and shares only.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use axum::response::Response;

use super::{Line, lines, pct};
use crate::error::AppResult;
use crate::reports::model::INDICATORS;
use crate::territory::{TerritoryCtx, repo};
use crate::web::PageCtx;
use crate::web::forms::Choice;
use crate::web::xlsx::{Cell, Sheet};

pub struct SchoolRow {
    pub name: String,
    pub url: String,
    pub municipality: String,
    pub mentees: String,
    pub mentors: String,
    pub teachers: String,
    pub partners: String,
    pub roadmap: i64,
    pub overdue: i64,
    pub pairs: i64,
    pub completed: i64,
    pub meetings: i64,
    pub cases: i64,
}

/// A total over the territory: the summed share, and how many schools meet the target.
pub struct Total {
    pub title: &'static str,
    pub share: String,
    pub numerator: usize,
    pub denominator: usize,
    pub meeting: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "territory/schools.html")]
pub struct SchoolsPage {
    pub ctx: PageCtx,
    pub territory: String,
    pub period: String,
    pub from: String,
    pub to: String,
    pub municipalities: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub sorts: Vec<Choice>,
    pub is_region: bool,
    pub rows: Vec<SchoolRow>,
    pub totals: Vec<Total>,
    pub xlsx: String,
    pub action: String,
    /// When the oldest line was computed, and where to recount.
    pub fresh: String,
    pub recount: String,
}

const SORTS: [(&str, &str); 5] = [
    ("name", "по названию"),
    ("mentees", "по вовлечённости обучающихся"),
    ("teachers", "по молодым педагогам"),
    ("roadmap", "по дорожной карте"),
    ("pairs", "по числу пар"),
];

fn share(l: &Line, code: &str) -> f64 {
    l.indicator(code).and_then(|i| i.share()).unwrap_or(-1.0)
}

fn sorted(mut lines: Vec<Line>, by: &str) -> Vec<Line> {
    match by {
        "mentees" => {
            lines.sort_by(|a, b| share(b, "mentees_10_18").total_cmp(&share(a, "mentees_10_18")))
        }
        "teachers" => {
            lines.sort_by(|a, b| share(b, "young_teachers").total_cmp(&share(a, "young_teachers")))
        }
        "roadmap" => lines.sort_by_key(|l| std::cmp::Reverse(l.roadmap())),
        "pairs" => lines
            .sort_by_key(|l| std::cmp::Reverse(l.figures.pairs_agreed + l.figures.pairs_completed)),
        _ => {}
    }
    lines
}

pub fn totals(lines: &[Line]) -> Vec<Total> {
    INDICATORS
        .iter()
        .map(|(code, title, target)| {
            let of: Vec<_> = lines.iter().filter_map(|l| l.indicator(code)).collect();
            let numerator: usize = of.iter().map(|i| i.numerator).sum();
            let denominator: usize = of.iter().map(|i| i.denominator).sum();
            let with_data = of.iter().filter(|i| i.denominator > 0).count();
            let meeting = of.iter().filter(|i| i.meets_target() == Some(true)).count();
            Total {
                title,
                share: if denominator > 0 {
                    format!("{:.1} %", 100.0 * numerator as f64 / denominator as f64).replace('.', ",")
                } else {
                    "—".into()
                },
                numerator,
                denominator,
                meeting: match target {
                    Some(t) if with_data > 0 => format!(
                        "цель {:.0} % достигнута в {meeting} из {with_data} школ с данными ({:.0} %)",
                        t * 100.0,
                        100.0 * meeting as f64 / with_data as f64
                    ),
                    Some(_) => "нет школ с данными".into(),
                    None => String::new(),
                },
            }
        })
        .collect()
}

fn row(t: &TerritoryCtx, l: &Line) -> SchoolRow {
    SchoolRow {
        name: l.school.short_name.clone(),
        url: t.paths().school(l.school.id),
        municipality: l.school.municipality.clone(),
        mentees: pct(l.indicator("mentees_10_18")),
        mentors: pct(l.indicator("mentors_15_19")),
        teachers: pct(l.indicator("young_teachers")),
        partners: pct(l.indicator("partners")),
        roadmap: l.roadmap(),
        overdue: l.figures.tasks_overdue,
        pairs: l.figures.pairs_agreed,
        completed: l.figures.pairs_completed,
        meetings: l.figures.meetings_held,
        cases: l.figures.cases_published,
    }
}

pub async fn schools(
    t: TerritoryCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<SchoolsPage> {
    let p = crate::reports::period_of(&q, chrono::Utc::now().date_naive());
    let by = q.get("sort").map(String::as_str).unwrap_or("name");
    let lines = sorted(lines(&t, &p, &q).await?, by);
    let mut conn = t.conn().await?;
    let municipalities = if t.scope.level == "region" {
        repo::municipalities(&mut conn, t.scope.id).await?
    } else {
        Vec::new()
    };
    drop(conn);
    let chosen = q.get("municipality").cloned().unwrap_or_default();
    let kind = q.get("kind").cloned().unwrap_or_default();
    let query = format!(
        "?from={}&to={}&municipality={chosen}&kind={kind}",
        p.from, p.to
    );
    Ok(SchoolsPage {
        ctx: t.page("Школы территории", "schools"),
        territory: t.scope.label(),
        period: p.label(),
        from: p.from.to_string(),
        to: p.to.to_string(),
        municipalities: std::iter::once(Choice {
            value: String::new(),
            label: "все муниципалитеты".into(),
            selected: chosen.is_empty(),
        })
        .chain(municipalities.iter().map(|(id, name)| Choice {
            value: id.to_string(),
            label: name.clone(),
            selected: chosen == id.to_string(),
        }))
        .collect(),
        kinds: crate::web::forms::choices(
            &[
                ("", "все"),
                ("school", "школы"),
                ("college", "колледжи"),
                ("other", "другие"),
            ],
            &kind,
        ),
        sorts: crate::web::forms::choices(&SORTS, by),
        is_region: t.scope.level == "region",
        totals: totals(&lines),
        fresh: super::freshness(&lines),
        recount: t.paths().recount(&format!("?from={}&to={}", p.from, p.to)),
        rows: lines.iter().map(|l| row(&t, l)).collect(),
        xlsx: t.paths().schools_xlsx(&query),
        action: t.paths().schools(),
    })
}

pub async fn schools_xlsx(
    t: TerritoryCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let p = crate::reports::period_of(&q, chrono::Utc::now().date_naive());
    let lines = lines(&t, &p, &q).await?;
    let share = |l: &Line, code: &str| super::share_cell(l.indicator(code));
    let sheet = Sheet {
        name: "Школы".into(),
        headers: vec![
            ("Школа", 36.0),
            ("Муниципалитет", 28.0),
            ("Обучающиеся 10–18 — наставляемые", 14.0),
            ("Обучающиеся 15–19 — наставники", 14.0),
            ("Молодые педагоги с наставником", 14.0),
            ("Предприятия с наставниками", 14.0),
            ("Дорожная карта", 10.0),
            ("Просрочено задач", 10.0),
            ("Пар работает", 10.0),
            ("Пар завершено", 10.0),
            ("Встреч проведено", 10.0),
            ("Кейсов опубликовано", 10.0),
        ],
        rows: lines
            .iter()
            .map(|l| {
                vec![
                    Cell::from(l.school.short_name.clone()),
                    Cell::from(l.school.municipality.clone()),
                    share(l, "mentees_10_18"),
                    share(l, "mentors_15_19"),
                    share(l, "young_teachers"),
                    share(l, "partners"),
                    Cell::Percent(l.roadmap() as f64 / 100.0),
                    Cell::Int(l.figures.tasks_overdue),
                    Cell::Int(l.figures.pairs_agreed),
                    Cell::Int(l.figures.pairs_completed),
                    Cell::Int(l.figures.meetings_held),
                    Cell::Int(l.figures.cases_published),
                ]
            })
            .collect(),
    };
    let bytes = crate::web::xlsx::build(vec![sheet]).await?;
    Ok(crate::web::xlsx::download("territory-schools.xlsx", bytes))
}
