//! «Лучшие наставники» of a program (`/programs/{program}/best`): the candidates ranked by their
//! rating (activity and meeting feedback, from enough answers), their pairs' goals reached and
//! the number of answers; the curator nominates one with the reason (or withdraws the
//! nomination), the director confirms. Curators and directors only.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::Response;
use uuid::Uuid;

use crate::auth::model::Role;
use crate::completion::{BestStep, repo};
use crate::error::{AppError, AppResult};
use crate::paths::ProgramPaths;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;
use crate::web::forms::Refused;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct BestForm {
    pub action: String,
    pub mentor: String,
    pub reason: String,
}

pub struct Candidate {
    pub id: String,
    pub name: String,
    pub rating: String,
    pub answers: usize,
    pub pairs: String,
    pub nominated: bool,
    pub reason: String,
    pub confirmed: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "completion/best.html")]
pub struct BestPage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub program_name: String,
    pub candidates: Vec<Candidate>,
    pub is_curator: bool,
    pub is_director: bool,
    pub min_answers: i32,
}

pub async fn best(pc: ProgramCtx) -> AppResult<BestPage> {
    pc.org.require_staff()?;
    let org = &pc.org;
    let mut conn = org.conn().await?;
    let settings = crate::activities::rating_settings(&mut conn, org.org.id, pc.program.id).await?;
    let lines =
        crate::activities::mentor_lines(&mut conn, org.org.id, pc.program.id, &settings).await?;
    let mentors = repo::mentors_with_results(&mut conn, org.org.id, pc.program.id).await?;
    let nominations = repo::best(&mut conn, org.org.id, pc.program.id).await?;
    drop(conn);
    let mut candidates: Vec<(f64, Candidate)> = mentors
        .into_iter()
        .map(|(id, name, completed, reached)| {
            let l = lines.iter().find(|l| l.mentor_id == id);
            let enough = l.is_some_and(|l| l.enough);
            let goals = reached as f64 / completed.max(1) as f64;
            let avg: f64 = l
                .map(|l| l.average.replace(',', ".").parse().unwrap_or(0.0))
                .unwrap_or(0.0);
            let n = nominations.iter().find(|n| n.0 == id);
            (
                if enough { avg + goals } else { goals - 10.0 },
                Candidate {
                    id: id.to_string(),
                    rating: match l {
                        Some(l) if l.enough => l.average.clone(),
                        Some(_) => "недостаточно ответов".into(),
                        None => "отзывов нет".into(),
                    },
                    answers: l.map(|l| l.answers).unwrap_or(0),
                    pairs: if completed > 0 {
                        format!("завершено пар: {completed}, цели достигнуты: {reached}")
                    } else {
                        "завершённых пар нет".into()
                    },
                    nominated: n.is_some(),
                    reason: n.map(|n| n.1.clone()).unwrap_or_default(),
                    confirmed: n.is_some_and(|n| n.2),
                    name,
                },
            )
        })
        .collect();
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(BestPage {
        ctx: org.page(
            format!("Лучшие наставники — {}", pc.program.name),
            "programs",
        ),
        prog: org.paths().in_program(pc.program.id),
        program_name: pc.program.name.clone(),
        candidates: candidates.into_iter().map(|c| c.1).collect(),
        is_curator: org.has(Role::Curator),
        is_director: org.has(Role::Director),
        min_answers: settings.min_answers,
    })
}

/// `nominate` (curator, with a reason), `withdraw` (curator), `confirm` (director).
pub async fn decide(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<BestForm>,
) -> AppResult<Response> {
    pc.org.require_staff()?;
    let org = &pc.org;
    let back = org.paths().in_program(pc.program.id).best();
    let person = Uuid::parse_str(&data.mentor).map_err(|_| AppError::NotFound)?;
    let (step, msg) = match data.action.as_str() {
        "nominate" => (
            BestStep::Nominate(data.reason.clone()),
            "Наставник выдвинут; директор подтвердит.",
        ),
        "withdraw" => (BestStep::Withdraw, "Выдвижение снято."),
        "confirm" => (BestStep::Confirm, "Подтверждено: лучший наставник."),
        _ => return Ok(org.flash_error(&back, "Неизвестное действие.")),
    };
    let mut tx = org.begin().await?;
    match crate::completion::decide_best(&mut tx, &org.actor(), (pc.program.id, person), step).await
    {
        Ok(()) => {
            tx.commit().await?;
            Ok(org.flash(&back, msg))
        }
        Err(Refused::Invalid(errors)) => Ok(org.flash_error(&back, &errors.first())),
        Err(Refused::Failed(e)) => Err(e),
    }
}
