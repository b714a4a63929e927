//! The commands of a questionnaire's questions (ARCHITECTURE.md, «Commands»): a question added
//! or saved (a kind, a text, limits on every field, at least two options for a choice, a
//! minimum not above the maximum, a matching key in Latin lower case), moved up or down (across a
//! section border into the neighbouring section), deleted. Once anyone has answered, a change is
//! a new version and earlier answers keep theirs. A curator acts; another organization's
//! questionnaire is 404.

use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{self, Kind, Question, Section};
use super::repo;
use crate::error::AppError;
use crate::tenancy::Actor;
use crate::web::forms::Refused;

/// The question form as typed (trimmed): `key` empty for a new question; `section` the index of
/// the section to add to, or `new_section` a title for a new one.
#[derive(Clone, Debug, Default)]
pub struct QuestionForm {
    pub key: String,
    pub section: String,
    pub new_section: String,
    pub kind: String,
    pub text: String,
    pub help: String,
    pub required: bool,
    pub options: String,
    pub max_choices: String,
    pub scale_max: String,
    pub min_label: String,
    pub max_label: String,
    pub min: String,
    pub max: String,
    pub matching_key: String,
    pub rank_max: String,
}

pub fn question_from(form: &QuestionForm, key: String) -> Result<Question, String> {
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

/// What a change of the questions did: what to say, and the new version's number when one was
/// made (someone had answered).
#[derive(Debug, PartialEq, Eq)]
pub struct Changed {
    pub done: &'static str,
    pub new_version: Option<i32>,
}

async fn store(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    cur: &repo::Current,
    def: &model::Definition,
    done: &'static str,
) -> Result<Changed, Refused> {
    let new_version = repo::save_definition(&mut *conn, by.org.id, cur, def).await?;
    Ok(Changed {
        done,
        new_version: new_version.then_some(cur.version + 1),
    })
}

/// Adds the question (no key) or saves the one with its key.
pub async fn save_question(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
    form: &QuestionForm,
) -> Result<Changed, Refused> {
    let cur = super::builder::editable(&mut *conn, by, id).await?;
    let mut def = cur.def.clone();
    let key = if form.key.is_empty() {
        def.next_key()
    } else {
        form.key.clone()
    };
    let q = question_from(form, key.clone()).map_err(|m| Refused::field("question", m))?;
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
    store(conn, by, &cur, &def, done).await
}

/// What may be done to a question from its row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Delete,
    Up,
    Down,
}

impl Move {
    /// The form's `action`; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "delete" => Some(Move::Delete),
            "up" => Some(Move::Up),
            "down" => Some(Move::Down),
            _ => None,
        }
    }
}

/// Deletes the question `key` or moves it one place (404 for a key the questionnaire lacks).
pub async fn move_question(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
    key: &str,
    action: Move,
) -> Result<Changed, Refused> {
    let cur = super::builder::editable(&mut *conn, by, id).await?;
    let mut def = cur.def.clone();
    let (i, j) = def
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
    let done = match action {
        Move::Delete => {
            def.sections[i].questions.remove(j);
            "Вопрос удалён."
        }
        Move::Up | Move::Down => {
            // Flatten, swap with the neighbour, keep sections: moving across a section border
            // moves the question into the neighbouring section.
            let up = action == Move::Up;
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
    };
    store(conn, by, &cur, &def, done).await
}
