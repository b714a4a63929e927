//! A measurement from a file (POST `/programs/{program}/monitoring/{entry|final}/import`): a
//! class's marks and absences as XLSX or CSV — a name column (ФИО, or Фамилия and Имя) and a
//! column per parameter, headed by its title (or the start of it). Every row must match one
//! participant of the role (and class, if one is chosen) by surname and name, every value must
//! fit its scale and the person must have a valid consent; otherwise nothing is saved and every
//! problem is listed.

use axum::extract::{Multipart, Path};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{parse_value, stage_label};
use crate::auth::model::Role;
use crate::error::AppResult;
use crate::monitoring::{model, repo};
use crate::people::import::{Field, auto_mapping};
use crate::programs::ProgramCtx;

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

pub async fn import(
    pc: ProgramCtx,
    Path((_, _, stage)): Path<(String, String, String)>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let stage = match stage.as_str() {
        "entry" => "entry",
        "final" => "final",
        _ => return Err(crate::error::AppError::NotFound),
    };
    // The one reader of uploads (people::upload): the same limits as the class lists.
    let received = crate::people::upload::receive(&mut multipart).await;
    let fields = match &received {
        Ok(r) => r.fields.clone(),
        Err((_, f)) => f.clone(),
    };
    let role = if fields.get("role").map(String::as_str) == Some("mentor") {
        "mentor"
    } else {
        "mentee"
    };
    let class = fields.get("class").cloned().unwrap_or_default();
    let read = match received {
        Ok(r) => crate::people::upload::parse(&org.state, r.bytes)
            .await?
            .map_err(|e| e.to_string()),
        Err((e, _)) => Err(e.to_string()),
    };
    let table = match read {
        Ok(t) => t,
        Err(msg) => {
            let page =
                super::entry::page_with_errors(&pc, stage, (role, &class), vec![msg]).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let back = org
        .paths()
        .in_program(pc.program.id)
        .monitoring_table(stage, role, &class);
    let mut tx = org.begin().await?;
    let params: Vec<repo::Parameter> = repo::parameters(&mut tx, org.org.id, pc.program.id)
        .await?
        .into_iter()
        .filter(|p| p.role == role)
        .collect();
    let people: Vec<repo::Person> = repo::people(&mut tx, org.org.id, pc.program.id)
        .await?
        .into_iter()
        .filter(|p| p.role == role && (class.is_empty() || p.class_name == class))
        .collect();
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
                    "Строка {line}, «{}»: «{raw}» — нужно число от {} до {}.",
                    p.title,
                    model::fmt(Some(p.min_value)),
                    model::fmt(Some(p.max_value))
                )),
            }
        }
    }
    if !problems.is_empty() {
        drop(tx);
        problems.truncate(50);
        let page = super::entry::page_with_errors(&pc, stage, (role, &class), problems).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    for (param, person, v) in &writes {
        repo::set(
            &mut tx,
            org.org.id,
            (*param, *person, stage),
            Some(*v),
            ("import", org.user.id),
        )
        .await?;
    }
    crate::audit::record(
        &mut tx,
        org,
        "monitoring.import",
        None,
        &format!(
            "программа {}, замер {stage}, значений {}",
            pc.program.id,
            writes.len()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(org.flash(
        &back,
        &format!(
            "Из файла внесено значений: {} ({} замер).",
            writes.len(),
            stage_label(stage)
        ),
    ))
}
