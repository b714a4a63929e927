//! A program's monitoring parameters (`/programs/{program}/monitoring`): for mentees and for
//! mentors, each with its scale and direction; added from the templates of the program's form or
//! written by the curator; the way to the two measurement tables and to the influence report.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::Response;

use crate::auth::model::Role;
use crate::error::AppResult;
use crate::monitoring::commands::{self, NewParameters};
use crate::monitoring::{model, repo};
use crate::paths::ProgramPaths;
use crate::people::Side;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, Refused};
use crate::web::ids::Id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ParametersForm {
    pub action: String,
    pub higher: String,
    pub max: String,
    pub min: String,
    pub role: String,
    pub source: String,
    pub title: String,
}

pub struct ParamLine {
    pub title: String,
    pub role: &'static str,
    pub scale: String,
    pub direction: &'static str,
    pub delete: String,
    /// «Анкета: вопрос» when values come from a questionnaire, else empty.
    pub source: String,
    pub source_url: String,
    /// The numeric questions to choose from (the current one selected).
    pub sources: Vec<Choice>,
}

#[derive(Template, WebTemplate)]
#[template(path = "monitoring/parameters.html")]
pub struct ParametersPage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub program_name: String,
    pub can_edit: bool,
    pub params: Vec<ParamLine>,
    pub classes: Vec<String>,
}

pub async fn parameters(pc: ProgramCtx) -> AppResult<ParametersPage> {
    let pc = pc.staff()?;
    let org = &pc.org;
    let mut conn = org.conn().await?;
    let list = repo::parameters(&mut conn, org.org.id, pc.program.id).await?;
    let people = repo::people(&mut conn, org.org.id, pc.program.id).await?;
    let questions =
        crate::questionnaires::numbers::numeric_questions(&mut conn, org.org.id).await?;
    drop(conn);
    let prog = org.paths().in_program(pc.program.id);
    let mut classes: Vec<String> = people
        .iter()
        .map(|p| p.class_name.clone())
        .filter(|c| !c.is_empty())
        .collect();
    classes.sort();
    classes.dedup();
    Ok(ParametersPage {
        ctx: org.page(format!("Мониторинг — {}", pc.program.name), "programs"),
        program_name: pc.program.name.clone(),
        can_edit: org.has(Role::Curator),
        params: list
            .iter()
            .map(|p| ParamLine {
                title: p.title.clone(),
                role: if p.role == Side::Mentor {
                    "наставники"
                } else {
                    "наставляемые"
                },
                scale: format!(
                    "{} … {}",
                    model::fmt(Some(p.min_value)),
                    model::fmt(Some(p.max_value))
                ),
                direction: if p.higher_is_better {
                    "чем больше, тем лучше"
                } else {
                    "чем меньше, тем лучше"
                },
                delete: prog.monitoring_parameter(p.id),
                source: questions
                    .iter()
                    .find(|q| is_source(p, q))
                    .map(question_label)
                    .unwrap_or_default(),
                source_url: prog.monitoring_source(p.id),
                sources: std::iter::once(Choice {
                    value: String::new(),
                    label: "вручную или из файла".into(),
                    selected: p.questionnaire_id.is_none(),
                })
                .chain(questions.iter().map(|q| Choice {
                    value: source_value(q),
                    label: question_label(q),
                    selected: is_source(p, q),
                }))
                .collect(),
            })
            .collect(),
        classes,
        prog,
    })
}

type Question = crate::questionnaires::numbers::NumericQuestion;

fn is_source(p: &repo::Parameter, q: &Question) -> bool {
    p.questionnaire_id == Some(q.questionnaire_id) && p.question_key.as_deref() == Some(&q.key)
}

fn question_label(q: &Question) -> String {
    format!("«{}»: {}", q.questionnaire, q.text)
}

fn source_value(q: &Question) -> String {
    format!("{}:{}", q.questionnaire_id, q.key)
}

/// Ties a parameter to a scale or number question of a questionnaire (or back to hand entry).
pub async fn set_source(
    pc: ProgramCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<ParametersForm>,
) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let back = org.paths().in_program(pc.program.id).monitoring();
    let mut tx = org.begin().await?;
    let answer =
        commands::set_source(&mut tx, &org.actor(), (pc.program.id, id), &data.source).await;
    org.settled(tx, answer, &back, |tied| {
        String::from(if tied {
            "Параметр связан с вопросом анкеты: заполните замер из её рассылки."
        } else {
            "Параметр вводится вручную или из файла."
        })
    })
    .await
}

/// Adds the templates of the program's form for a role, or one parameter of the curator's.
pub async fn add(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<ParametersForm>,
) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let back = org.paths().in_program(pc.program.id).monitoring();
    let template = data.action == "template";
    let new = if template {
        NewParameters::Template { role: data.role }
    } else {
        NewParameters::Own {
            role: data.role,
            title: data.title,
            min: data.min,
            max: data.max,
            higher_is_better: data.higher != "0",
        }
    };
    let mut tx = org.begin().await?;
    let program = (pc.program.id, pc.program.form_code.as_str());
    let answer = commands::add_parameters(&mut tx, &org.actor(), program, &new).await;
    org.settled(tx, answer, &back, |added| {
        if template {
            format!("Добавлено параметров из шаблона: {added}.")
        } else {
            "Параметр добавлен.".to_string()
        }
    })
    .await
}

pub async fn delete(pc: ProgramCtx, Id(id): Id) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let mut tx = org.begin().await?;
    commands::delete_parameter(&mut tx, &org.actor(), pc.program.id, id)
        .await
        .map_err(Refused::into_error)?;
    tx.commit().await?;
    Ok(org.flash(
        &org.paths().in_program(pc.program.id).monitoring(),
        "Параметр и его значения удалены.",
    ))
}
