//! One person's answers to an assignment, each with the question of its own version.

use super::*;
use crate::web::ids::{Id, PersonId};

pub async fn answers(org: OrgCtx, Id(id): Id, PersonId(pid): PersonId) -> AppResult<AnswersPage> {
    let l = load_results(&org, id).await?;
    crate::audit::read(
        &org.state.pool,
        &org,
        "answers.view",
        Some(pid),
        &format!("анкета {id}"),
    )
    .await?;
    let t = l
        .targets
        .iter()
        .find(|t| t.person_id == pid)
        .ok_or(AppError::NotFound)?;
    let (number, def) = t
        .version_id
        .and_then(|v| l.versions.get(&v))
        .map(|(n, d)| (*n, d.clone()))
        .unwrap_or((l.cur.version, l.cur.def.clone()));
    let raw = t.answers.as_ref().map(|a| a.0.clone()).unwrap_or_default();
    let names = |id: &str| l.names.get(id).cloned().unwrap_or_else(|| "—".into());
    Ok(AnswersPage {
        ctx: org.page(format!("Ответы — {}", target_name(t)), "questionnaires"),
        back: org.paths().assignment(l.assignment.id),
        title: l.cur.title.clone(),
        person: target_name(t),
        status: match t.status {
            Some(crate::questionnaires::ResponseStatus::Submitted) => "отправлено",
            Some(_) => "черновик",
            None => "нет ответов",
        },
        version: number,
        on_behalf: t.on_behalf.unwrap_or(false),
        rows: crate::web::view::props(def.questions().map(|q| {
            (
                q.text.clone(),
                model::display(
                    q,
                    raw.get(&q.key).map(|v| v.as_slice()).unwrap_or(&[]),
                    &names,
                ),
            )
        })),
        scores: if l.cur.purpose == "mentor_test" {
            model::section_scores(&def, &raw, 3.5)
                .into_iter()
                .map(|(section, m, gap)| SectionScore {
                    section,
                    score: format!("{m:.1}").replace('.', ","),
                    gap,
                })
                .collect()
        } else {
            Vec::new()
        },
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaires/answers.html")]
pub struct AnswersPage {
    pub ctx: PageCtx,
    pub back: String,
    pub title: String,
    pub person: String,
    pub status: &'static str,
    pub version: i32,
    pub on_behalf: bool,
    pub rows: Vec<crate::web::view::Prop>,
    /// The mentor test: (section, mean, a gap to work on).
    pub scores: Vec<SectionScore>,
}

/// A section of the mentor test: its mean score and whether it is a gap to work on in training.
pub struct SectionScore {
    pub section: String,
    pub score: String,
    pub gap: bool,
}
