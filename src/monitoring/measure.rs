//! The commands that record a measurement (ARCHITECTURE.md, «Commands»): a table typed by the
//! curator, the numbers the participants answered in a questionnaire, a class's file. Each value
//! must fit its parameter's scale and the person must have a valid consent; a typed table or a
//! file with any problem saves nothing and lists every problem. Audited.

use std::collections::{HashMap, HashSet};

use sqlx::PgConnection;
use uuid::Uuid;

use super::commands::parse_value;
use super::{model, repo};
use crate::auth::model::Role;
use crate::error::AppError;
use crate::people::import::{Field, Table, auto_mapping};
use crate::questionnaires::numbers;
use crate::tenancy::Actor;
use crate::web::forms::{FormErrors, Refused};

/// Which measurement of which group: `stage` entry or final, `role` mentee or mentor, `class`
/// one class of the group (empty: all of it).
#[derive(Debug, Clone, Copy)]
pub struct Sheet<'a> {
    pub program_id: Uuid,
    pub stage: &'static str,
    pub role: crate::people::Side,
    pub class: &'a str,
}

/// A measurement not saved.
#[derive(Debug)]
pub enum Unsaved {
    /// Nothing was saved: every problem, and the cells they are in (parameter, person).
    Problems {
        messages: Vec<String>,
        cells: Vec<(Uuid, Uuid)>,
    },
    Failed(AppError),
}

impl<E: Into<AppError>> From<E> for Unsaved {
    fn from(e: E) -> Self {
        Unsaved::Failed(e.into())
    }
}

async fn group(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    sheet: Sheet<'_>,
) -> Result<(Vec<repo::Parameter>, Vec<repo::Person>), sqlx::Error> {
    let params = repo::parameters(&mut *conn, by.org.id, sheet.program_id)
        .await?
        .into_iter()
        .filter(|p| p.role == sheet.role)
        .collect();
    let people = repo::people(&mut *conn, by.org.id, sheet.program_id)
        .await?
        .into_iter()
        .filter(|p| p.role == sheet.role && (sheet.class.is_empty() || p.class_name == sheet.class))
        .collect();
    Ok((params, people))
}

fn scale(p: &repo::Parameter) -> String {
    format!(
        "{} до {}",
        model::fmt(Some(p.min_value)),
        model::fmt(Some(p.max_value))
    )
}

/// The curator's table: `typed` holds each cell as typed (parameter, person); a cell left empty
/// (or not sent) clears the value. Returns how many people the table had.
pub async fn enter(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    sheet: Sheet<'_>,
    typed: &HashMap<(Uuid, Uuid), String>,
) -> Result<usize, Unsaved> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let (params, people) = group(&mut *conn, by, sheet).await?;
    let mut writes = Vec::new();
    let (mut messages, mut cells) = (Vec::new(), Vec::new());
    for p in &people {
        for x in &params {
            let raw = typed
                .get(&(x.id, p.person_id))
                .map(|s| s.trim())
                .unwrap_or_default();
            if raw.is_empty() {
                writes.push((x.id, p.person_id, None));
                continue;
            }
            if !p.consent {
                messages.push(format!(
                    "{}: нет действующего согласия на обработку данных — замер не вносится.",
                    p.name
                ));
                cells.push((x.id, p.person_id));
                continue;
            }
            match parse_value(raw) {
                Some(v) if v >= x.min_value && v <= x.max_value => {
                    writes.push((x.id, p.person_id, Some(v)))
                }
                _ => {
                    messages.push(format!("{}, «{}»: число от {}.", p.name, x.title, scale(x)));
                    cells.push((x.id, p.person_id));
                }
            }
        }
    }
    if !messages.is_empty() {
        messages.dedup();
        return Err(Unsaved::Problems { messages, cells });
    }
    for (param, person, value) in &writes {
        repo::set(
            &mut *conn,
            by.org.id,
            (*param, *person, sheet.stage),
            *value,
            ("curator", by.user_id),
        )
        .await?;
    }
    crate::audit::record(
        &mut *conn,
        by,
        "monitoring.enter",
        None,
        &format!(
            "программа {}, замер {}, {}, строк: {}",
            sheet.program_id,
            sheet.stage,
            sheet.role,
            people.len()
        ),
    )
    .await?;
    Ok(people.len())
}

/// What one fill from answers did.
#[derive(Debug, Default, PartialEq)]
pub struct Filled {
    pub written: usize,
    pub kept: usize,
    pub no_consent: usize,
    pub off_scale: usize,
}

/// Fills the stage from a sending of a questionnaire tied to the group's parameters: each
/// submitted number within the scale becomes the person's value (source «self»); a value the
/// curator typed or imported is kept; people without a valid consent and answers off the scale
/// are counted, not written.
pub async fn fill_from_answers(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    sheet: Sheet<'_>,
    sending: Option<Uuid>,
) -> Result<Filled, Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let mut errors = FormErrors::default();
    let sending = match sending {
        Some(id) => numbers::sending(&mut *conn, by.org.id, id).await?,
        None => None,
    };
    let Some(sending) = sending else {
        errors.add("sending", "Выберите рассылку анкеты.");
        return Err(errors.into());
    };
    let params: Vec<repo::Parameter> = repo::parameters(&mut *conn, by.org.id, sheet.program_id)
        .await?
        .into_iter()
        .filter(|p| p.role == sheet.role && p.questionnaire_id == Some(sending.questionnaire_id))
        .collect();
    if params.is_empty() {
        errors.add(
            "sending",
            "С вопросами этой анкеты не связан ни один параметр этой группы.",
        );
        return Err(errors.into());
    }
    let people: HashMap<Uuid, repo::Person> = repo::people(&mut *conn, by.org.id, sheet.program_id)
        .await?
        .into_iter()
        .filter(|p| p.role == sheet.role)
        .map(|p| (p.person_id, p))
        .collect();
    let by_hand: HashSet<(Uuid, Uuid)> =
        repo::sources(&mut *conn, by.org.id, sheet.program_id, sheet.stage)
            .await?
            .into_iter()
            .filter(|(_, _, source)| source != "self")
            .map(|(param, person, _)| (param, person))
            .collect();
    let answers = numbers::submitted(&mut *conn, by.org.id, sending.id).await?;
    let mut done = Filled::default();
    for (person, raw) in &answers {
        let Some(p) = people.get(person) else {
            continue;
        };
        for x in &params {
            let Some(v) = numbers::number(raw, x.question_key.as_deref().unwrap_or_default())
            else {
                continue;
            };
            if !p.consent {
                done.no_consent += 1;
            } else if v < x.min_value || v > x.max_value {
                done.off_scale += 1;
            } else if by_hand.contains(&(x.id, *person)) {
                done.kept += 1;
            } else {
                repo::set(
                    &mut *conn,
                    by.org.id,
                    (x.id, *person, sheet.stage),
                    Some(v),
                    ("self", by.user_id),
                )
                .await?;
                done.written += 1;
            }
        }
    }
    crate::audit::record(
        &mut *conn,
        by,
        "monitoring.from_answers",
        None,
        &format!(
            "программа {}, замер {}, рассылка {}: записано {}",
            sheet.program_id, sheet.stage, sending.id, done.written
        ),
    )
    .await?;
    Ok(done)
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('ё', "е")
}

/// The parameter a column header names: its title, or the start of it (five letters at least).
fn column_param<'a>(header: &str, params: &'a [repo::Parameter]) -> Option<&'a repo::Parameter> {
    let h = norm(header);
    if h.chars().count() < 5 {
        return None;
    }
    params
        .iter()
        .find(|p| norm(&p.title) == h)
        .or_else(|| params.iter().find(|p| norm(&p.title).starts_with(&h)))
}

/// A class's file read as a table: a name column (ФИО, or Фамилия and Имя) and a column per
/// parameter, headed by its title (or the start of it). Every row must match one participant of
/// the group by surname and name; returns how many values were written.
pub async fn import(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    sheet: Sheet<'_>,
    table: &Table,
) -> Result<usize, Unsaved> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let (params, people) = group(&mut *conn, by, sheet).await?;
    let class = sheet.class;
    let mapping = auto_mapping(&table.headers);
    let col = |f: Field| mapping.iter().position(|m| *m == Some(f));
    let columns: Vec<(usize, &repo::Parameter)> = table
        .headers
        .iter()
        .enumerate()
        .filter(|(i, _)| mapping[*i].is_none())
        .filter_map(|(i, h)| column_param(h, &params).map(|p| (i, p)))
        .collect();
    let mut problems: Vec<String> = Vec::new();
    if columns.is_empty() {
        problems.push("В файле нет столбцов с названиями параметров мониторинга.".into());
    }
    let mut writes = Vec::new();
    for (n, row) in table.rows.iter().enumerate() {
        let line = table.first_line + n;
        let name = match (
            col(Field::FullName),
            col(Field::LastName),
            col(Field::FirstName),
        ) {
            (Some(c), _, _) => row[c]
                .split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" "),
            (None, Some(l), Some(f)) => format!("{} {}", row[l], row[f]),
            _ => String::new(),
        };
        if norm(&name).is_empty() {
            continue;
        }
        let found: Vec<&repo::Person> = people
            .iter()
            .filter(|p| norm(&p.name) == norm(&name))
            .collect();
        let person = match found.as_slice() {
            [p] => *p,
            [] => {
                problems.push(format!(
                    "Строка {line}: «{name}» — нет среди участников{}.",
                    if class.is_empty() {
                        String::new()
                    } else {
                        format!(" класса {class}")
                    }
                ));
                continue;
            }
            _ => {
                problems.push(format!(
                    "Строка {line}: «{name}» — несколько участников с таким именем; выберите класс."
                ));
                continue;
            }
        };
        if !person.consent {
            problems.push(format!(
                "Строка {line}: {} — нет действующего согласия на обработку данных.",
                person.name
            ));
            continue;
        }
        for (c, p) in &columns {
            let raw = row[*c].trim();
            if raw.is_empty() {
                continue;
            }
            match parse_value(raw) {
                Some(v) if v >= p.min_value && v <= p.max_value => {
                    writes.push((p.id, person.person_id, v))
                }
                _ => problems.push(format!(
                    "Строка {line}, «{}»: «{raw}» — нужно число от {}.",
                    p.title,
                    scale(p)
                )),
            }
        }
    }
    if !problems.is_empty() {
        problems.truncate(50);
        return Err(Unsaved::Problems {
            messages: problems,
            cells: Vec::new(),
        });
    }
    for (param, person, v) in &writes {
        repo::set(
            &mut *conn,
            by.org.id,
            (*param, *person, sheet.stage),
            Some(*v),
            ("import", by.user_id),
        )
        .await?;
    }
    crate::audit::record(
        &mut *conn,
        by,
        "monitoring.import",
        None,
        &format!(
            "программа {}, замер {}, значений {}",
            sheet.program_id,
            sheet.stage,
            writes.len()
        ),
    )
    .await?;
    Ok(writes.len())
}
