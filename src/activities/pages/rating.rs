//! The mentors' rating of a program (`/programs/{program}/rating`): for each mentor the average
//! of the ratings from their activities' feedback and from their pairs' meeting feedback, the
//! number of answers, the trend by month, the attendance of the activities they led, and the
//! comments. A rating shows only from the minimum number of answers, with the number beside it.
//! The curator and the director always see it (names and comments); participants only when the
//! curator publishes it — without the mentors below the minimum, without names if anonymous, and
//! comments only if published too.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use crate::activities::repo::{self, RatingSettings};
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::paths::ProgramPaths;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;
use crate::web::forms::FormData;

pub struct MentorLine {
    pub name: String,
    pub average: String,
    pub answers: usize,
    pub enough: bool,
    pub trend: String,
    pub attendance: String,
    pub comments: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "activities/rating.html")]
pub struct RatingPage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub program_name: String,
    pub staff: bool,
    pub can_edit: bool,
    pub settings: RatingSettings,
    pub lines: Vec<MentorLine>,
    pub show_comments: bool,
}

const MONTHS: [&str; 12] = [
    "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
];

/// Each mentor's line, best first (those with enough answers before the others).
pub async fn mentor_lines(
    conn: &mut sqlx::PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    settings: &RatingSettings,
) -> Result<Vec<MentorLine>, sqlx::Error> {
    let answers = repo::rating_answers(conn, org_id, program_id).await?;
    let attendance = repo::leader_attendance(conn, org_id, program_id).await?;
    let mut by: BTreeMap<Uuid, Vec<&repo::RatingAnswer>> = BTreeMap::new();
    for a in &answers {
        by.entry(a.mentor_id).or_default().push(a);
    }
    let mut lines: Vec<(f64, MentorLine)> = by
        .into_iter()
        .map(|(id, list)| {
            let avg = list.iter().map(|a| f64::from(a.rating)).sum::<f64>() / list.len() as f64;
            let mut months: BTreeMap<NaiveDate, (f64, usize)> = BTreeMap::new();
            for a in &list {
                let m = months.entry(a.month).or_default();
                m.0 += f64::from(a.rating);
                m.1 += 1;
            }
            let enough = list.len() >= settings.min_answers.max(1) as usize;
            let att = attendance.iter().find(|x| x.0 == id);
            (
                if enough { avg } else { -1.0 },
                MentorLine {
                    name: list[0].mentor.clone(),
                    average: format!("{avg:.1}"),
                    answers: list.len(),
                    enough,
                    trend: months
                        .iter()
                        .map(|(m, (sum, n))| {
                            format!("{} {:.1}", MONTHS[m.month0() as usize], sum / *n as f64)
                        })
                        .collect::<Vec<_>>()
                        .join(" → "),
                    attendance: att
                        .filter(|a| a.2 > 0)
                        .map(|a| format!("{} из {}", a.1, a.2))
                        .unwrap_or_else(|| "—".into()),
                    comments: list
                        .iter()
                        .filter(|a| !a.comment.is_empty())
                        .map(|a| a.comment.clone())
                        .collect(),
                },
            )
        })
        .collect();
    lines.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    Ok(lines.into_iter().map(|l| l.1).collect())
}

pub async fn rating(pc: ProgramCtx) -> AppResult<RatingPage> {
    let pc = pc.viewable().await?;
    let org = &pc.org;
    let mut conn = org.conn().await?;
    let settings = repo::rating_settings(&mut conn, org.org.id, pc.program.id).await?;
    let staff = org.is_staff();
    if !staff && !settings.public {
        return Err(AppError::NotFound);
    }
    let mut lines = mentor_lines(&mut conn, org.org.id, pc.program.id, &settings).await?;
    drop(conn);
    if !staff {
        lines.retain(|l| l.enough);
        if settings.anonymous {
            for (i, l) in lines.iter_mut().enumerate() {
                l.name = format!("Наставник {}", i + 1);
            }
        }
    }
    Ok(RatingPage {
        ctx: org.page(
            format!("Рейтинг наставников — {}", pc.program.name),
            "programs",
        ),
        prog: org.paths().in_program(pc.program.id),
        program_name: pc.program.name.clone(),
        staff,
        can_edit: org.has(Role::Curator),
        show_comments: staff || settings.comments_public,
        settings,
        lines,
    })
}

pub async fn save_settings(pc: ProgramCtx, data: FormData) -> AppResult<Response> {
    super::curator(&pc.org)?;
    let org = &pc.org;
    let back = org.paths().in_program(pc.program.id).rating();
    let Some(min) = data
        .get("min_answers")
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|m| (1..=100).contains(m))
    else {
        return Ok(org.flash_error(&back, "Минимум ответов — от 1 до 100."));
    };
    let settings = RatingSettings {
        public: data.get("public") == "1",
        anonymous: data.get("anonymous") == "1",
        min_answers: min,
        comments_public: data.get("comments_public") == "1",
    };
    let mut tx = org.begin().await?;
    repo::set_rating_settings(&mut tx, org.org.id, pc.program.id, &settings).await?;
    tx.commit().await?;
    Ok(org.flash(&back, "Настройки рейтинга сохранены."))
}

#[cfg(test)]
mod tests {
    #[test]
    fn months_are_twelve() {
        assert_eq!(super::MONTHS.len(), 12);
    }
}
