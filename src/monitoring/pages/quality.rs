//! The program's own quality (`/programs/{program}/monitoring/quality`; stage 1 of monitoring):
//! the share of the pairs' meetings held of those planned (cancelled ones counted against), the
//! participants' satisfaction from meeting and activity feedback, and the curator's SWOT —
//! strengths, weaknesses, opportunities, threats — printable as a summary.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::Response;

use crate::auth::model::Role;
use crate::error::AppResult;
use crate::monitoring::{model, repo};
use crate::paths::ProgramPaths;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct QualityForm {
    pub action: String,
    pub pulse: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "monitoring/quality.html")]
pub struct QualityPage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub program_name: String,
    pub held: String,
    pub satisfaction: String,
    pub activities: String,
    pub swot: [String; 4],
    pub can_edit: bool,
    /// The mid-program pulse is on.
    pub pulse: bool,
    /// The satisfaction questionnaires' answers, for mentors and for mentees.
    pub surveys: Vec<Survey>,
}

/// One satisfaction questionnaire summed up: who, how many answered, each scale's mean.
pub struct Survey {
    pub who: &'static str,
    pub answered: String,
    pub lines: Vec<SurveyLine>,
}

pub struct SurveyLine {
    pub question: String,
    pub mean: String,
    pub answers: usize,
}

pub async fn quality(pc: ProgramCtx) -> AppResult<QualityPage> {
    let pc = pc.staff()?;
    let org = &pc.org;
    let mut conn = org.conn().await?;
    let q = repo::quality(&mut conn, org.org.id, pc.program.id, org.org.today()).await?;
    let swot = repo::swot(&mut conn, org.org.id, pc.program.id).await?;
    let pulse = repo::pulse(&mut conn, org.org.id, pc.program.id).await?;
    let (held, cancelled) = crate::activities::occurrence_counts(
        &mut conn,
        &org.org,
        pc.program.id,
        chrono::Utc::now(),
    )
    .await?;
    let mut surveys = Vec::new();
    for (code, who) in [
        ("satisfaction_mentors", "Наставники"),
        ("satisfaction_mentees", "Наставляемые"),
    ] {
        let sum = crate::questionnaires::numbers::scale_summary(
            &mut conn,
            org.org.id,
            pc.program.id,
            code,
        )
        .await?;
        if let Some(sum) = sum.filter(|s| s.asked > 0) {
            surveys.push(Survey {
                who,
                answered: format!("ответили {} из {}", sum.answered, sum.asked),
                lines: sum
                    .means
                    .into_iter()
                    .map(|(question, mean, answers)| SurveyLine {
                        question,
                        mean: model::fmt(mean),
                        answers,
                    })
                    .collect(),
            });
        }
    }
    drop(conn);
    let planned = q.meetings_held + q.meetings_cancelled;
    Ok(QualityPage {
        ctx: org.page(
            format!("Качество программы — {}", pc.program.name),
            "programs",
        ),
        prog: org.paths().in_program(pc.program.id),
        program_name: pc.program.name.clone(),
        held: if planned == 0 {
            "встреч пар пока не было".into()
        } else {
            format!(
                "проведено {} из {} запланированных встреч пар ({:.0} %), отменено {}, впереди {}",
                q.meetings_held,
                planned,
                100.0 * q.meetings_held as f64 / planned as f64,
                q.meetings_cancelled,
                q.meetings_ahead
            )
        },
        satisfaction: format!(
            "оценка встреч участниками: {} из 5 (ответов: {})",
            model::fmt(q.meeting_rating),
            q.meeting_answers
        ),
        activities: format!(
            "занятий проведено {} из {} запланированных{}; оценка занятий: {} из 5 (ответов: {})",
            held,
            held + cancelled,
            if held + cancelled > 0 {
                format!(
                    " ({:.0} %)",
                    100.0 * held as f64 / (held + cancelled) as f64
                )
            } else {
                String::new()
            },
            model::fmt(q.activity_rating),
            q.activity_answers
        ),
        swot,
        pulse,
        surveys,
        can_edit: org.has(Role::Curator),
    })
}

pub async fn save_swot(
    pc: ProgramCtx,
    crate::web::forms::FormAnd(form, data): crate::web::forms::FormAnd<QualityForm>,
) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let back = org.paths().in_program(pc.program.id).quality();
    let actor = org.actor();
    let mut tx = org.begin().await?;
    let (done, msg) = if form.action == "pulse" {
        let on = form.pulse == "1";
        let done = crate::monitoring::commands::set_pulse(&mut tx, &actor, pc.program.id, on);
        (done.await, "Настройка промежуточного опроса сохранена.")
    } else {
        let s = ["strengths", "weaknesses", "opportunities", "threats"].map(|f| data.get(f));
        let swot = [s[0].as_str(), s[1].as_str(), s[2].as_str(), s[3].as_str()];
        let done = crate::monitoring::commands::save_swot(&mut tx, &actor, pc.program.id, swot);
        (done.await, "SWOT сохранён.")
    };
    let answer = done;
    org.settled(tx, answer, &back, |_| msg.to_string()).await
}
