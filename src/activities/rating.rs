//! The mentors' rating of a program, shared by its dashboard and by «лучшие наставники»: for each
//! mentor the average of the ratings from their activities' feedback and from their pairs'
//! meeting feedback, the number of answers, the trend by month, the attendance of their
//! activities and the comments; best first (those with enough answers before the others). And
//! the program's activities as rated, for monitoring's quality page.

use crate::web::forms::MONTHS_SHORT;
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::repo::{self, RatingSettings};

pub struct MentorLine {
    pub mentor_id: Uuid,
    pub name: String,
    pub average: String,
    pub answers: usize,
    pub enough: bool,
    pub trend: String,
    pub attendance: String,
    pub comments: Vec<String>,
}

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
                    mentor_id: id,
                    name: list[0].mentor.clone(),
                    average: format!("{avg:.1}"),
                    answers: list.len(),
                    enough,
                    trend: months
                        .iter()
                        .map(|(m, (sum, n))| {
                            format!(
                                "{} {:.1}",
                                MONTHS_SHORT[m.month0() as usize],
                                sum / *n as f64
                            )
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

/// The program's activities as rated by those who attended: (mean rating, how many rated).
pub async fn program_rating(
    conn: &mut sqlx::PgConnection,
    org_id: uuid::Uuid,
    program_id: uuid::Uuid,
) -> Result<(Option<f64>, i64), sqlx::Error> {
    let r = sqlx::query!(
        r#"SELECT avg(f.rating)::float8 AS "rating?", count(*) AS "answers!" FROM activity_feedback f
           JOIN activities a ON a.id = f.activity_id WHERE a.org_id = $1 AND a.program_id = $2"#,
        org_id,
        program_id,
    )
    .fetch_one(conn)
    .await?;
    Ok((r.rating, r.answers))
}
