//! A program's schedule (`/programs/{program}/activities`): the week ahead, and a month
//! (`?month=YYYY-MM`) as a calendar grid — cancelled and moved occurrences shown as such. Staff
//! see every activity; participants those for their audience.

use crate::web::forms::MONTHS;
use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use chrono::{Datelike, Duration, NaiveDate, Utc};

use super::{SlotView, slot_view};
use crate::activities::{Viewer, schedule};
use crate::auth::model::Role;
use crate::error::AppResult;
use crate::paths::ProgramPaths;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;

pub struct Cell {
    /// 0 for the days of the neighbouring months.
    pub day: u32,
    pub today: bool,
    pub slots: Vec<SlotView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "activities/schedule.html")]
pub struct SchedulePage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub program_name: String,
    pub can_plan: bool,
    pub show_rating: bool,
    pub week: Vec<SlotView>,
    pub month_title: String,
    pub weeks: Vec<Vec<Cell>>,
    pub prev: String,
    pub next: String,
    pub calendar: String,
}

/// The first day of the month asked for (`YYYY-MM`), else of `today`'s.
fn month_of(q: &HashMap<String, String>, today: NaiveDate) -> NaiveDate {
    q.get("month")
        .and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
        .filter(|d| (2000..2100).contains(&d.year()))
        .unwrap_or_else(|| today.with_day(1).unwrap_or(today))
}

pub async fn activities(
    pc: ProgramCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<SchedulePage> {
    let pc = pc.viewable().await?;
    let org = &pc.org;
    let mut conn = org.conn().await?;
    let viewer = Viewer::of(&mut conn, org.org.id, org.user.id, org.is_staff()).await?;
    let now = Utc::now();
    let today = org.org.today();
    let programs = [pc.program.id];
    let week = schedule(
        &mut conn,
        &org.org,
        &viewer,
        &programs,
        (now, now + Duration::days(7)),
    )
    .await?;
    let first = month_of(&q, today);
    let next_first = (first + Duration::days(32)).with_day(1).unwrap_or(first);
    let local_midnight = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(org.org.offset()).single())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now)
    };
    let month = schedule(
        &mut conn,
        &org.org,
        &viewer,
        &programs,
        (local_midnight(first), local_midnight(next_first)),
    )
    .await?;
    let rating =
        crate::activities::repo::rating_settings(&mut conn, org.org.id, pc.program.id).await?;
    drop(conn);
    // The grid: weeks from Monday; days of other months blank.
    let lead = first.weekday().num_days_from_monday() as i64;
    let mut weeks: Vec<Vec<Cell>> = Vec::new();
    let mut day = first - Duration::days(lead);
    while day < next_first {
        let mut row = Vec::new();
        for _ in 0..7 {
            let inside = day.month() == first.month() && day.year() == first.year();
            row.push(Cell {
                day: if inside { day.day() } else { 0 },
                today: day == today,
                slots: if inside {
                    month
                        .iter()
                        .filter(|s| org.org.local(s.occurrence.starts).date_naive() == day)
                        .map(|s| slot_view(org, s))
                        .collect()
                } else {
                    Vec::new()
                },
            });
            day += Duration::days(1);
        }
        weeks.push(row);
    }
    let prog = org.paths().in_program(pc.program.id);
    let prev_first = (first - Duration::days(1)).with_day(1).unwrap_or(first);
    Ok(SchedulePage {
        ctx: org.page(format!("Расписание — {}", pc.program.name), "programs"),
        program_name: pc.program.name.clone(),
        can_plan: org.has(Role::Curator),
        show_rating: org.is_staff() || rating.public,
        week: week.iter().map(|s| slot_view(org, s)).collect(),
        month_title: format!("{} {}", MONTHS[first.month0() as usize], first.year()),
        weeks,
        prev: prog.activities_month(&prev_first.format("%Y-%m").to_string()),
        next: prog.activities_month(&next_first.format("%Y-%m").to_string()),
        calendar: org.paths().calendar(),
        prog,
    })
}
