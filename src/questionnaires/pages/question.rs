//! The question form of the builder: adding, editing, moving and deleting a question (a new
//! version once anyone has answered).

use super::show::{ShowPage, show_page};
use super::*;
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

pub(super) fn question_from(form: &QuestionForm, key: String) -> Result<Question, String> {
    let kind = Kind::parse(&form.kind).ok_or("Выберите тип вопроса.")?;
    if form.text.is_empty() {
        return Err("Введите текст вопроса.".into());
    }
    for (what, v, max) in [
        ("Текст вопроса", &form.text, 1000),
        ("Пояснение", &form.help, 2000),
        ("Новый раздел", &form.new_section, 200),
        ("Подписи шкалы", &form.min_label, 100),
        ("Подписи шкалы", &form.max_label, 100),
    ] {
        let n = v.chars().count();
        if n > max {
            return Err(format!("{what}: {}", crate::web::forms::too_long(max, n)));
        }
    }
    if form.options.lines().count() > 100 || form.options.lines().any(|l| l.chars().count() > 300) {
        return Err("Вариантов не больше 100, каждый не длиннее 300 символов.".into());
    }
    let options: Vec<String> = form
        .options
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if matches!(kind, Kind::Single | Kind::Multiple) && options.len() < 2 {
        return Err("Для выбора нужны хотя бы два варианта, по одному в строке.".into());
    }
    let num = |s: &str, what: &str| -> Result<Option<f64>, String> {
        if s.is_empty() {
            Ok(None)
        } else {
            model::parse_number(s)
                .map(Some)
                .ok_or(format!("{what}: введите число."))
        }
    };
    let (min, max) = (num(&form.min, "Минимум")?, num(&form.max, "Максимум")?);
    if let (Some(a), Some(b)) = (min, max)
        && a > b
    {
        return Err("Минимум больше максимума.".into());
    }
    let small = |s: &str| s.parse::<u32>().ok().filter(|n| *n <= 50).unwrap_or(0);
    let key_ok = form
        .matching_key
        .chars()
        .all(|c| c.is_ascii_lowercase() || c == '_');
    if !key_ok {
        return Err("Ключ подбора — латинские строчные буквы и «_», например help_areas.".into());
    }
    Ok(Question {
        key,
        kind: Some(kind),
        text: form.text.clone(),
        help: form.help.clone(),
        required: form.required,
        options: if matches!(kind, Kind::Single | Kind::Multiple) {
            options
        } else {
            Vec::new()
        },
        max_choices: if kind == Kind::Multiple {
            small(&form.max_choices)
        } else {
            0
        },
        scale_max: if kind == Kind::Scale {
            if form.scale_max == "10" { 10 } else { 5 }
        } else {
            0
        },
        min_label: if kind == Kind::Scale {
            form.min_label.clone()
        } else {
            String::new()
        },
        max_label: if kind == Kind::Scale {
            form.max_label.clone()
        } else {
            String::new()
        },
        min: if kind == Kind::Number { min } else { None },
        max: if kind == Kind::Number { max } else { None },
        matching_key: form.matching_key.clone(),
        rank_max: if kind == Kind::RankPeople {
            small(&form.rank_max).max(1)
        } else {
            0
        },
    })
}

pub(super) async fn save_def(
    org: &OrgCtx,
    cur: &repo::Current,
    def: &Definition,
    done: &str,
) -> AppResult<Response> {
    let mut conn = org.conn().await?;
    let new_version = repo::save_definition(&mut conn, org.org.id, cur, def).await?;
    let msg = if new_version {
        format!(
            "{done} Создана версия {}: прежние ответы остаются привязаны к своей версии.",
            cur.version + 1
        )
    } else {
        done.to_string()
    };
    Ok(org.flash(&org.paths().questionnaire(cur.id), &msg))
}

/// Adds a question (no `key`) or saves an edited one.
pub async fn save_question(
    org: OrgCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<QuestionFields>,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let cur = load(&org, id).await?;
    let form = read_question_form(&data);
    let mut def = cur.def.clone();
    let key = if form.key.is_empty() {
        def.next_key()
    } else {
        form.key.clone()
    };
    let q = match question_from(&form, key.clone()) {
        Ok(q) => q,
        Err(msg) => {
            let page = show_page(&org, cur, Some(form), msg).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let existing = def
        .sections
        .iter_mut()
        .flat_map(|s| s.questions.iter_mut())
        .find(|x| x.key == key);
    let done = if let Some(slot) = existing {
        *slot = q;
        "Вопрос сохранён."
    } else {
        let target = if !form.new_section.is_empty() || def.sections.is_empty() {
            def.sections.push(Section {
                title: if form.new_section.is_empty() {
                    "Вопросы".into()
                } else {
                    form.new_section.clone()
                },
                questions: Vec::new(),
            });
            def.sections.len() - 1
        } else {
            form.section
                .parse::<usize>()
                .ok()
                .filter(|i| *i < def.sections.len())
                .unwrap_or(def.sections.len() - 1)
        };
        def.sections[target].questions.push(q);
        "Вопрос добавлен."
    };
    save_def(&org, &cur, &def, done).await
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
    let cur = load(&org, id).await?;
    let mut def = cur.def.clone();
    let pos = def
        .sections
        .iter()
        .enumerate()
        .find_map(|(i, s)| {
            s.questions
                .iter()
                .position(|q| q.key == key)
                .map(|j| (i, j))
        })
        .ok_or(AppError::NotFound)?;
    let done = match data.action.clone().as_str() {
        "delete" => {
            def.sections[pos.0].questions.remove(pos.1);
            "Вопрос удалён."
        }
        "up" | "down" => {
            // Flatten, swap with the neighbour, keep sections: moving across a section border
            // moves the question into the neighbouring section.
            let (i, j) = pos;
            let up = data.action == "up";
            if up && j > 0 {
                def.sections[i].questions.swap(j, j - 1);
            } else if !up && j + 1 < def.sections[i].questions.len() {
                def.sections[i].questions.swap(j, j + 1);
            } else if up && i > 0 {
                let q = def.sections[i].questions.remove(j);
                def.sections[i - 1].questions.push(q);
            } else if !up && i + 1 < def.sections.len() {
                let q = def.sections[i].questions.remove(j);
                def.sections[i + 1].questions.insert(0, q);
            }
            "Порядок изменён."
        }
        _ => {
            return Ok(org.flash_error(&org.paths().questionnaire(cur.id), "Неизвестное действие."));
        }
    };
    save_def(&org, &cur, &def, done).await
}
