//! The question form of the builder: adding, editing, moving and deleting a question (a new
//! version once anyone has answered).

use super::show::{ShowPage, show_page};
use super::*;
use crate::questionnaires::questions;
use crate::web::forms::Refused;
use crate::web::ids::Id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct QuestionFields {
    pub action: String,
    pub help: String,
    pub key: String,
    pub kind: String,
    pub matching_key: String,
    pub max: String,
    pub max_choices: String,
    pub max_label: String,
    pub min: String,
    pub min_label: String,
    pub new_section: String,
    pub options: String,
    pub rank_max: String,
    pub required: String,
    pub scale_max: String,
    pub section: String,
    pub text: String,
}

pub(super) fn form_of(q: &Question, section: usize) -> QuestionForm {
    QuestionForm {
        key: q.key.clone(),
        section: section.to_string(),
        new_section: String::new(),
        kind: q.kind().code().into(),
        text: q.text.clone(),
        help: q.help.clone(),
        required: q.required,
        options: q.options.join("\n"),
        max_choices: if q.max_choices > 0 {
            q.max_choices.to_string()
        } else {
            String::new()
        },
        scale_max: if q.scale_max == 10 {
            "10".into()
        } else {
            "5".into()
        },
        min_label: q.min_label.clone(),
        max_label: q.max_label.clone(),
        min: q.min.map(model::fmt_num).unwrap_or_default(),
        max: q.max.map(model::fmt_num).unwrap_or_default(),
        matching_key: q.matching_key.clone(),
        rank_max: if q.rank_max > 0 {
            q.rank_max.to_string()
        } else {
            String::new()
        },
    }
}

pub(super) fn read_question_form(data: &QuestionFields) -> QuestionForm {
    QuestionForm {
        key: data.key.clone(),
        section: data.section.clone(),
        new_section: trimmed(&data.new_section),
        kind: data.kind.clone(),
        text: trimmed(&data.text),
        help: trimmed(&data.help),
        required: !data.required.clone().is_empty(),
        options: data.options.clone(),
        max_choices: trimmed(&data.max_choices),
        scale_max: data.scale_max.clone(),
        min_label: trimmed(&data.min_label),
        max_label: trimmed(&data.max_label),
        min: trimmed(&data.min),
        max: trimmed(&data.max),
        matching_key: trimmed(&data.matching_key),
        rank_max: trimmed(&data.rank_max),
    }
}

fn flash_changed(org: &OrgCtx, id: Uuid, c: questions::Changed) -> Response {
    let msg = match c.new_version {
        Some(n) => format!(
            "{} Создана версия {n}: прежние ответы остаются привязаны к своей версии.",
            c.done
        ),
        None => c.done.to_string(),
    };
    org.flash(&org.paths().questionnaire(id), &msg)
}

/// Adds a question (no `key`) or saves an edited one.
pub async fn save_question(
    org: OrgCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<QuestionFields>,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let form = read_question_form(&data);
    let mut conn = org.conn().await?;
    match questions::save_question(&mut conn, &org.actor(), id, &form).await {
        Ok(c) => Ok(flash_changed(&org, id, c)),
        Err(Refused::Invalid(e)) => {
            drop(conn);
            let cur = load(&org, id).await?;
            let page = show_page(&org, cur, Some(form), e.first()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(Refused::Failed(e)) => Err(e),
    }
}

pub async fn edit_question(
    org: OrgCtx,
    Id(id): Id,
    Path((_, _, key)): Path<(String, String, String)>,
) -> AppResult<ShowPage> {
    org.require_any(&EDITORS)?;
    let cur = load(&org, id).await?;
    let found = cur
        .def
        .sections
        .iter()
        .enumerate()
        .find_map(|(i, s)| {
            s.questions
                .iter()
                .find(|q| q.key == key)
                .map(|q| form_of(q, i))
        })
        .ok_or(AppError::NotFound)?;
    show_page(&org, cur, Some(found), String::new()).await
}

pub async fn question_action(
    org: OrgCtx,
    Id(id): Id,
    Path((_, _, key)): Path<(String, String, String)>,
    crate::web::forms::Form(data): crate::web::forms::Form<QuestionFields>,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let Some(action) = questions::Move::parse(&data.action) else {
        load(&org, id).await?;
        return Ok(org.flash_error(&org.paths().questionnaire(id), "Неизвестное действие."));
    };
    let mut conn = org.conn().await?;
    let changed = questions::move_question(&mut conn, &org.actor(), id, &key, action)
        .await
        .map_err(Refused::into_error)?;
    Ok(flash_changed(&org, id, changed))
}
