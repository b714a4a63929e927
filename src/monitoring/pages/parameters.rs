//! A program's monitoring parameters (`/programs/{program}/monitoring`): for mentees and for
//! mentors, each with its scale and direction; added from the templates of the program's form or
//! written by the curator; the way to the two measurement tables and to the influence report.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::Response;

use super::parse_value;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::monitoring::{model, repo};
use crate::paths::ProgramPaths;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, trimmed};
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
                role: if p.role == "mentor" {
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
    let raw = data.source.clone();
    let mut tx = org.begin().await?;
    let source = if raw.is_empty() {
        None
    } else {
        let questions =
            crate::questionnaires::numbers::numeric_questions(&mut tx, org.org.id).await?;
        match questions.into_iter().find(|q| source_value(q) == raw) {
            Some(q) => Some((q.questionnaire_id, q.key)),
            None => {
                return Ok(org.flash_error(
                    &back,
                    "Такого вопроса-шкалы или числа в анкетах организации нет.",
                ));
            }
        }
    };
    if !repo::set_source(
        &mut tx,
        (org.org.id, pc.program.id, id),
        source.as_ref().map(|(q, k)| (*q, k.as_str())),
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(org.flash(
        &back,
        if source.is_some() {
            "Параметр связан с вопросом анкеты: заполните замер из её рассылки."
        } else {
            "Параметр вводится вручную или из файла."
        },
    ))
}

/// Adds the templates of the program's form for a role, or one parameter of the curator's.
pub async fn add(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<ParametersForm>,
) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let back = org.paths().in_program(pc.program.id).monitoring();
    let role = data.role.clone();
    if !["mentee", "mentor"].contains(&role.as_str()) {
        return Ok(org.flash_error(&back, "Выберите: наставляемые или наставники."));
    }
    let mut tx = org.begin().await?;
    if data.action == "template" {
        let mut added = 0;
        for (title, min, max, higher) in model::templates(&pc.program.form_code, &role) {
            added += usize::from(
                repo::add_parameter(
                    &mut tx,
                    org.org.id,
                    pc.program.id,
                    (&role, title),
                    (*min, *max, *higher),
                )
                .await?,
            );
        }
        tx.commit().await?;
        return Ok(org.flash(&back, &format!("Добавлено параметров из шаблона: {added}.")));
    }
    let title = trimmed(&data.title);
    let (min, max) = (parse_value(&data.min), parse_value(&data.max));
    let (Some(min), Some(max)) = (min, max) else {
        return Ok(org.flash_error(&back, "Укажите шкалу: от и до — числа."));
    };
    if title.is_empty() || title.chars().count() > 200 || max <= min {
        return Ok(org.flash_error(
            &back,
            "Напишите название (до 200 знаков) и шкалу «от» меньше «до».",
        ));
    }
    let higher = data.higher != "0";
    if !repo::add_parameter(
        &mut tx,
        org.org.id,
        pc.program.id,
        (&role, &title),
        (min, max, higher),
    )
    .await?
    {
        return Ok(org.flash_error(&back, "Такой параметр уже есть."));
    }
    tx.commit().await?;
    Ok(org.flash(&back, "Параметр добавлен."))
}

pub async fn delete(pc: ProgramCtx, Id(id): Id) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let mut tx = org.begin().await?;
    if !repo::delete_parameter(&mut tx, org.org.id, pc.program.id, id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(org.flash(
        &org.paths().in_program(pc.program.id).monitoring(),
        "Параметр и его значения удалены.",
    ))
}
