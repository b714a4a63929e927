//! The director's dashboard (`/o/{org}/dashboard`): for a period (the school year by default, or
//! «сейчас») the target model's indicators with progress bars against their targets and the
//! lists behind them, satisfaction and the meeting rating, participants and pairs by form and
//! variant, the programs with their roadmap progress and overdue tasks, pairs by status and those
//! at risk, meetings held against planned by month (an SVG chart with its table), best mentors
//! and cases — each block linking to its detail. Works on a phone.

use crate::web::forms::MONTHS_SHORT;
use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;

use super::{period_label, period_query, share_label, unit_label};
use crate::error::AppResult;
use crate::reports::{self, model, repo};
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::view::Prop;

pub struct IndicatorView {
    pub title: &'static str,
    pub numerator: usize,
    pub denominator: usize,
    pub unit: &'static str,
    pub share: String,
    /// 0–100 for the bar.
    pub bar: u32,
    pub target: String,
    /// «цель достигнута» / «ниже цели» / empty.
    pub verdict: &'static str,
    pub good: bool,
    pub missing: usize,
    pub url: String,
}

pub struct ProgramLine {
    pub name: String,
    pub url: String,
    pub roadmap: String,
    pub status: crate::programs::ProgramStatus,
    pub percent: i64,
    pub overdue: i64,
}

pub struct MonthLine {
    pub month: String,
    pub held: i64,
    pub cancelled: i64,
    pub planned: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/dashboard.html")]
pub struct DashboardPage {
    pub ctx: PageCtx,
    pub period: String,
    pub from: String,
    pub to: String,
    pub now: bool,
    pub year_url: String,
    pub now_url: String,
    pub xlsx: String,
    /// The detailed reports for the same period.
    pub reports: String,
    pub indicators: Vec<IndicatorView>,
    pub satisfaction: String,
    pub rating: String,
    pub forms: Vec<model::FormCount>,
    pub programs: Vec<ProgramLine>,
    pub pairs: Vec<Prop>,
    pub at_risk: i64,
    pub chart: String,
    pub months: Vec<MonthLine>,
    pub best: String,
    pub cases: String,
    pub cases_url: String,
    /// Where the denominators come from, and a warning when the base is not the whole school.
    pub base_note: String,
    pub base_warning: String,
    /// Activities of the period: held, cancelled, planned, attendance.
    pub activities: String,
    /// The monitoring's before/after by parameter (at most 8 lines).
    pub monitoring: Vec<MonitoringLine>,
    /// Links to the detailed reports of the same period: (key, url).
    pub links: Vec<Prop>,
}

pub struct MonitoringLine {
    pub program: String,
    pub parameter: String,
    pub both: String,
    pub change: String,
    pub improved: String,
}

/// Bars of meetings per month: held (green), cancelled (grey), planned ahead (blue).
fn chart(months: &[MonthLine]) -> String {
    let max = months
        .iter()
        .map(|m| m.held + m.cancelled + m.planned)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let (step, h, bottom) = (44.0, 160.0, 20.0);
    let w = (months.len().max(1) as f64) * step + 10.0;
    let mut svg = format!(
        "<svg class=\"months\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-hidden=\"true\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, m) in months.iter().enumerate() {
        let x = 10.0 + i as f64 * step;
        let mut y = h - bottom;
        for (n, color) in [
            (m.held, "#2e8b57"),
            (m.cancelled, "#9aa0a6"),
            (m.planned, "#8fb8e8"),
        ] {
            let bar = (n as f64 / max) * (h - bottom - 16.0);
            if n > 0 {
                y -= bar;
                svg.push_str(&format!(
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"30\" height=\"{bar:.1}\" fill=\"{color}\"/>"
                ));
            }
        }
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text><text x=\"{:.1}\" y=\"{h}\" text-anchor=\"middle\">{}</text>",
            x + 15.0,
            y - 4.0,
            m.held,
            x + 15.0,
            m.month
        ));
    }
    svg.push_str("</svg>");
    svg
}

pub async fn dashboard(
    org: OrgCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<DashboardPage> {
    org.require_staff()?;
    let today = org.org.today();
    let p = reports::period_of(&q, today);
    let now = q.get("when").map(String::as_str) == Some("now");
    let query = period_query(&p, now);
    let mut conn = org.read_conn().await?;
    let people = repo::people(&mut conn, org.org.id).await?;
    let ms = repo::memberships(&mut conn, org.org.id).await?;
    let (satisfaction, answered) =
        crate::questionnaires::numbers::satisfaction_between(&mut conn, org.org.id, (p.from, p.to))
            .await?;
    let (rating, rated) = repo::meeting_rating(&mut conn, org.org.id, (p.from, p.to)).await?;
    let programs = crate::programs::programs(&mut conn, org.org.id).await?;
    let by_status = repo::pairs_by_status(&mut conn, org.org.id).await?;
    let at_risk = repo::pairs_without_meetings(
        &mut conn,
        org.org.id,
        today,
        (
            crate::meetings::model::DEFAULT_EVERY_DAYS,
            crate::meetings::model::GRACE_DAYS,
        ),
    )
    .await?;
    let months = repo::meetings_by_month(&mut conn, org.org.id, (p.from, p.to), today).await?;
    let (confirmed, nominated, cases, published) =
        repo::best_and_cases(&mut conn, org.org.id).await?;
    let filters = reports::tables::Filters {
        period: p,
        program: None,
        form: None,
        class: None,
    };
    let activities = reports::tables::table(&mut conn, &org.org, &filters, "activities").await?;
    let monitoring = reports::tables::table(&mut conn, &org.org, &filters, "monitoring").await?;
    drop(conn);
    let indicators = model::indicators(&people, &ms, &p);
    let paths = org.paths();
    let students = people
        .iter()
        .filter(|x| crate::people::model::is_learner(&x.kind))
        .count();
    let teachers = people.iter().filter(|x| x.kind == "teacher").count();
    let months: Vec<MonthLine> = months
        .into_iter()
        .map(|(m, held, cancelled, planned)| {
            use chrono::Datelike;
            MonthLine {
                month: format!("{} {}", MONTHS_SHORT[m.month0() as usize], m.year() % 100),
                held,
                cancelled,
                planned,
            }
        })
        .collect();
    let text = |c: &crate::web::xlsx::Cell| c.display();
    let activities = activities.map(|t| {
        let status = |s: &str| t.rows.iter().filter(|r| text(&r[5]) == s).count();
        let came: i64 = t
            .rows
            .iter()
            .map(|r| match r[8] {
                crate::web::xlsx::Cell::Int(n) => n,
                _ => 0,
            })
            .sum();
        if t.rows.is_empty() {
            "занятий в периоде нет".to_string()
        } else {
            format!(
                "проведено {}, отменено {}, запланировано {}; отметок о посещении: {came}",
                status("проведено"),
                status("отменено"),
                status("запланировано")
            )
        }
    });
    let report = |code: &str| paths.report(code, &query);
    Ok(DashboardPage {
        activities: activities.unwrap_or_default(),
        monitoring: monitoring
            .map(|t| {
                t.rows
                    .iter()
                    .take(8)
                    .map(|r| MonitoringLine {
                        program: text(&r[0]),
                        parameter: text(&r[1]),
                        both: text(&r[3]),
                        change: text(&r[6]),
                        improved: text(&r[7]),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        links: [
            ("pairs", "Пары"),
            ("meetings", "Встречи"),
            ("activities", "Занятия"),
            ("monitoring", "Мониторинг"),
            ("roadmap", "Дорожные карты"),
            ("hours", "Часы наставников"),
        ]
        .iter()
        .map(|(code, label)| Prop {
            label: label.to_string(),
            value: report(code),
        })
        .collect(),
        ctx: org.page("Показатели", "reports"),
        period: period_label(&p),
        from: p.from.to_string(),
        to: p.to.to_string(),
        now,
        year_url: paths.dashboard(),
        now_url: format!("{}?when=now", paths.dashboard()),
        xlsx: paths.indicators_xlsx(&query),
        reports: paths.reports(&query),
        indicators: indicators
            .iter()
            .map(|i| IndicatorView {
                title: i.title,
                numerator: i.numerator(),
                denominator: i.denominator(),
                unit: unit_label(i),
                share: share_label(i),
                bar: i
                    .share()
                    .map(|s| (s * 100.0).round().clamp(0.0, 100.0) as u32)
                    .unwrap_or(0),
                target: i
                    .target
                    .map(|t| format!("цель — не менее {:.0} %", t * 100.0))
                    .unwrap_or_default(),
                verdict: match i.meets_target() {
                    Some(true) => "цель достигнута",
                    Some(false) => "ниже цели",
                    None => "",
                },
                good: i.meets_target() == Some(true),
                missing: i.missing.len(),
                url: paths.indicator(i.code, &query),
            })
            .collect(),
        satisfaction: match satisfaction {
            Some(s) => format!("{:.0} % (анкет удовлетворённости: {answered})", s * 100.0),
            None => "анкет удовлетворённости за период нет".into(),
        },
        rating: match rating {
            Some(r) => format!("{:.1} из 5 (оценок: {rated})", r).replace('.', ","),
            None => "оценок встреч за период нет".into(),
        },
        forms: model::by_form(&ms, &p),
        programs: programs
            .iter()
            .map(|x| ProgramLine {
                name: x.name.clone(),
                url: paths.program(x.id),
                roadmap: paths.roadmap(x.id),
                status: x.status,
                percent: crate::programs::percent(x.tasks_done, x.tasks_total),
                overdue: x.tasks_overdue,
            })
            .collect(),
        pairs: by_status
            .iter()
            .map(|(s, n)| Prop {
                label: crate::pairing::model::Status::parse(s)
                    .map_or("другие", |s| s.label())
                    .into(),
                value: n.to_string(),
            })
            .collect(),
        at_risk,
        chart: chart(&months),
        months,
        best: format!("подтверждено директором: {confirmed} из {nominated} выдвинутых"),
        cases: format!("кейсов: {cases}, опубликовано: {published}"),
        cases_url: paths.cases(),
        base_note: format!(
            "Знаменатели — люди в базе организации: обучающихся {students} (по данным организации — {}), педагогов {teachers} (по данным организации — {}). Возраст — полных лет на последний день периода; пара считается работавшей в периоде, если согласована не позже его конца и не завершена до его начала.",
            org.org.students_count, org.org.teachers_count
        ),
        base_warning: if (students as i64) < i64::from(org.org.students_count) {
            let mentees = indicators
                .iter()
                .find(|i| i.code == "mentees_10_18")
                .map(|i| i.numerator())
                .unwrap_or(0);
            format!(
                "В базе не вся организация ({students} обучающихся из {}): доли по базе могут быть выше настоящих. От численности по данным организации наставляемые 10–18 лет — {mentees} из {} ({} %; в эту численность входят все возрасты). Загрузите списки классов в базу.",
                org.org.students_count,
                org.org.students_count,
                format!(
                    "{:.1}",
                    100.0 * mentees as f64 / f64::from(org.org.students_count.max(1))
                )
                .replace('.', ",")
            )
        } else {
            String::new()
        },
    })
}
