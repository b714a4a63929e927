use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::model::{self, DAYS, Definition, Kind, PARTS, Question, Raw, Section, Summary};
use super::repo;
use super::views::*;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::people::model::display_name;
use crate::web::forms::{FormData, parse_date, ru_date, too_long, trimmed};
use crate::web::{AppState, OrgCtx, parse_id};

const EDITORS: [Role; 1] = [Role::Curator];
const READERS: [Role; 2] = [Role::Curator, Role::Director];

fn purpose_opts(selected: &str) -> Vec<Opt> {
    model::PURPOSES
        .iter()
        .map(|(c, l)| Opt {
            value: c.to_string(),
            label: l.to_string(),
            selected: *c == selected,
        })
        .collect()
}

pub async fn list(State(state): State<AppState>, org: OrgCtx) -> AppResult<ListPage> {
    org.require_any(&READERS)?;
    let mut tx = state.pool.begin().await?;
    repo::ensure_templates(&mut tx, org.org.id).await?;
    let items = repo::list(&mut tx, org.org.id).await?;
    tx.commit().await?;
    Ok(ListPage {
        ctx: org.page("Анкеты", "questionnaires"),
        base: org.url(""),
        items: items
            .into_iter()
            .map(|q| QLine {
                id: q.id.to_string(),
                title: q.title,
                purpose: model::purpose_label(&q.purpose),
                version: q.version,
                questions: q.questions,
                assignments: q.assignments,
                responses: q.responses,
                template: !q.template_code.is_empty(),
            })
            .collect(),
        purposes: purpose_opts("other"),
        can_edit: org.has(Role::Curator),
    })
}

pub async fn create(
    State(state): State<AppState>,
    org: OrgCtx,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let title = trimmed(&data.get("title"));
    let purpose = data.get("purpose");
    if title.is_empty() || !model::PURPOSES.iter().any(|(c, _)| *c == purpose) {
        return Ok(org.flash_error(
            &org.url("/questionnaires"),
            "Введите название и выберите назначение анкеты.",
        ));
    }
    if title.chars().count() > 200 {
        return Ok(org.flash_error(
            &org.url("/questionnaires"),
            &format!("Название анкеты: {}", too_long(200, title.chars().count())),
        ));
    }
    let mut conn = state.pool.acquire().await?;
    let def = Definition {
        sections: vec![Section {
            title: "Вопросы".into(),
            questions: Vec::new(),
        }],
    };
    let id = repo::create(&mut conn, org.org.id, &title, &purpose, "", &def).await?;
    Ok(org.flash(
        &org.url(&format!("/questionnaires/{id}")),
        "Анкета создана. Добавьте вопросы.",
    ))
}

async fn load(state: &AppState, org: &OrgCtx, raw: &str) -> AppResult<repo::Current> {
    let id = parse_id(raw)?;
    let mut conn = state.pool.acquire().await?;
    repo::current(&mut conn, org.org.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn copy(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let cur = load(&state, &org, &id).await?;
    let mut conn = state.pool.acquire().await?;
    let new = repo::create(
        &mut conn,
        org.org.id,
        &format!("{} (копия)", cur.title),
        &cur.purpose,
        "",
        &cur.def,
    )
    .await?;
    Ok(org.flash(
        &org.url(&format!("/questionnaires/{new}")),
        "Копия создана — её можно менять.",
    ))
}

fn question_details(q: &Question) -> String {
    let mut d = Vec::new();
    match q.kind() {
        Kind::Single | Kind::Multiple => {
            d.push(format!("варианты: {}", q.options.join(" · ")));
            if q.max_choices > 0 {
                d.push(format!("не больше {}", q.max_choices));
            }
        }
        Kind::Scale => d.push(format!(
            "1–{} ({} … {})",
            if q.scale_max == 10 { 10 } else { 5 },
            q.min_label,
            q.max_label
        )),
        Kind::Number => d.push(format!(
            "от {} до {}",
            q.min.map(model::fmt_num).unwrap_or_else(|| "—".into()),
            q.max.map(model::fmt_num).unwrap_or_else(|| "—".into())
        )),
        Kind::RankPeople => d.push(format!(
            "до {} человек",
            if q.rank_max == 0 { 3 } else { q.rank_max }
        )),
        _ => {}
    }
    if !q.matching_key.is_empty() {
        d.push(format!("ключ подбора: {}", q.matching_key));
    }
    d.join("; ")
}

async fn show_page(
    state: &AppState,
    org: &OrgCtx,
    cur: repo::Current,
    edit: Option<QuestionForm>,
    error: String,
) -> AppResult<ShowPage> {
    let mut conn = state.pool.acquire().await?;
    let assignments = repo::assignments_of(&mut conn, org.org.id, cur.id).await?;
    let programs = crate::programs::repo::programs(&mut conn, org.org.id).await?;
    let sections = cur
        .def
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| SectionView {
            index: i,
            title: s.title.clone(),
            questions: s
                .questions
                .iter()
                .enumerate()
                .map(|(j, q)| QView {
                    key: q.key.clone(),
                    kind: q.kind().label(),
                    text: q.text.clone(),
                    help: q.help.clone(),
                    required: q.required,
                    details: question_details(q),
                    first: i == 0 && j == 0,
                    last: i + 1 == cur.def.sections.len() && j + 1 == s.questions.len(),
                })
                .collect(),
        })
        .collect();
    Ok(ShowPage {
        ctx: org.page(cur.title.clone(), "questionnaires"),
        base: org.url(""),
        id: cur.id.to_string(),
        title: cur.title.clone(),
        purposes: purpose_opts(&cur.purpose),
        purpose: model::purpose_label(&cur.purpose).to_string(),
        version: cur.version,
        answered: cur.answered,
        sections,
        kinds: Kind::ALL
            .iter()
            .map(|k| Opt {
                value: k.code().into(),
                label: k.label().into(),
                selected: false,
            })
            .collect(),
        programs: programs
            .into_iter()
            .map(|p| Opt {
                value: p.id.to_string(),
                label: p.name,
                selected: false,
            })
            .collect(),
        assignments: assignments
            .into_iter()
            .map(|a| AssignmentLine {
                id: a.id.to_string(),
                who: audience_label(&a),
                deadline: a
                    .deadline
                    .map(ru_date)
                    .unwrap_or_else(|| "без срока".into()),
                submitted: a.submitted,
                targets: a.targets,
            })
            .collect(),
        can_edit: org.has(Role::Curator),
        edit,
        error,
    })
}

fn audience_label(a: &repo::Assignment) -> String {
    let who = match a.audience.as_str() {
        "mentors" => "наставники",
        "mentees" => "наставляемые",
        _ => "выбранные люди",
    };
    match &a.program_name {
        Some(p) => format!("{who} программы «{p}»"),
        None => who.to_string(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<ShowPage> {
    org.require_any(&READERS)?;
    let cur = load(&state, &org, &id).await?;
    show_page(&state, &org, cur, None, String::new()).await
}

fn form_of(q: &Question, section: usize) -> QuestionForm {
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

fn read_question_form(data: &FormData) -> QuestionForm {
    QuestionForm {
        key: data.get("key"),
        section: data.get("section"),
        new_section: trimmed(&data.get("new_section")),
        kind: data.get("kind"),
        text: trimmed(&data.get("text")),
        help: trimmed(&data.get("help")),
        required: !data.get("required").is_empty(),
        options: data.get("options"),
        max_choices: trimmed(&data.get("max_choices")),
        scale_max: data.get("scale_max"),
        min_label: trimmed(&data.get("min_label")),
        max_label: trimmed(&data.get("max_label")),
        min: trimmed(&data.get("min")),
        max: trimmed(&data.get("max")),
        matching_key: trimmed(&data.get("matching_key")),
        rank_max: trimmed(&data.get("rank_max")),
    }
}

fn question_from(form: &QuestionForm, key: String) -> Result<Question, String> {
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

async fn save_def(
    state: &AppState,
    org: &OrgCtx,
    cur: &repo::Current,
    def: &Definition,
    done: &str,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let new_version = repo::save_definition(&mut conn, org.org.id, cur, def).await?;
    let msg = if new_version {
        format!(
            "{done} Создана версия {}: прежние ответы остаются привязаны к своей версии.",
            cur.version + 1
        )
    } else {
        done.to_string()
    };
    Ok(org.flash(&org.url(&format!("/questionnaires/{}", cur.id)), &msg))
}

/// Adds a question (no `key`) or saves an edited one.
pub async fn save_question(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let cur = load(&state, &org, &id).await?;
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
            let page = show_page(&state, &org, cur, Some(form), msg).await?;
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
    save_def(&state, &org, &cur, &def, done).await
}

pub async fn edit_question(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id, key)): Path<(String, String, String)>,
) -> AppResult<ShowPage> {
    org.require_any(&EDITORS)?;
    let cur = load(&state, &org, &id).await?;
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
    show_page(&state, &org, cur, Some(found), String::new()).await
}

pub async fn question_action(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id, key)): Path<(String, String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let cur = load(&state, &org, &id).await?;
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
    let done = match data.get("action").as_str() {
        "delete" => {
            def.sections[pos.0].questions.remove(pos.1);
            "Вопрос удалён."
        }
        "up" | "down" => {
            // Flatten, swap with the neighbour, keep sections: moving across a section border
            // moves the question into the neighbouring section.
            let (i, j) = pos;
            let up = data.get("action") == "up";
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
            return Ok(org.flash_error(
                &org.url(&format!("/questionnaires/{}", cur.id)),
                "Неизвестное действие.",
            ));
        }
    };
    save_def(&state, &org, &cur, &def, done).await
}

pub async fn rename(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let cur = load(&state, &org, &id).await?;
    let title = trimmed(&data.get("title"));
    let purpose = data.get("purpose");
    let back = org.url(&format!("/questionnaires/{}", cur.id));
    if title.is_empty() || !model::PURPOSES.iter().any(|(c, _)| *c == purpose) {
        return Ok(org.flash_error(&back, "Введите название и выберите назначение."));
    }
    if title.chars().count() > 200 {
        return Ok(org.flash_error(
            &back,
            &format!("Название анкеты: {}", too_long(200, title.chars().count())),
        ));
    }
    let mut conn = state.pool.acquire().await?;
    repo::rename(&mut conn, org.org.id, cur.id, &title, &purpose).await?;
    Ok(org.flash(&back, "Название сохранено."))
}

// ---- assigning ---------------------------------------------------------------------------------

pub async fn assign(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let cur = load(&state, &org, &id).await?;
    let back = org.url(&format!("/questionnaires/{}", cur.id));
    let audience = data.get("audience");
    let deadline = match data.get("deadline").trim() {
        "" => None,
        s => match parse_date(s) {
            Some(d) => Some(d),
            None => return Ok(org.flash_error(&back, "Проверьте срок (ДД.ММ.ГГГГ).")),
        },
    };
    let mut tx = state.pool.begin().await?;
    let program = match Uuid::parse_str(&data.get("program")).ok() {
        Some(pid) => Some(
            crate::programs::repo::program(&mut tx, org.org.id, pid)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let candidates: Vec<Uuid> = match (audience.as_str(), &program) {
        ("mentors" | "mentees", Some(p)) => {
            let role = if audience == "mentors" {
                "mentor"
            } else {
                "mentee"
            };
            crate::participants::participants(&mut tx, org.org.id, p.id)
                .await?
                .into_iter()
                .filter(|x| x.role == role && !x.anonymized)
                .map(|x| x.person_id)
                .collect()
        }
        ("people", _) => {
            let ids: Vec<Uuid> = data
                .all("people")
                .iter()
                .filter_map(|s| Uuid::parse_str(s).ok())
                .collect();
            crate::people::repo::own_ids(&mut tx, org.org.id, &ids).await?
        }
        _ => return Ok(org.flash_error(&back, "Выберите программу и кому дать анкету.")),
    };
    let Some((aid, allowed, refused)) = give(
        &mut tx,
        &org,
        &cur,
        program.as_ref().map(|p| p.id),
        &audience,
        candidates,
        deadline,
    )
    .await?
    else {
        return Ok(org.flash_error(&back, "Некому дать анкету: нет участников с действующим согласием на обработку персональных данных."));
    };
    tx.commit().await?;
    let mut msg = format!("Анкета выдана: {allowed} человек.");
    if refused > 0 {
        msg.push_str(&format!(
            " Не выдана {refused} — нет действующего согласия на обработку персональных данных."
        ));
    }
    Ok(org.flash(&org.url(&format!("/assignments/{aid}")), &msg))
}

/// Gives the questionnaire to the candidates who have a valid consent (the consent rule) and
/// notifies those with accounts. Returns (assignment, given, refused), or None if nobody qualifies.
pub async fn give(
    conn: &mut sqlx::PgConnection,
    org: &OrgCtx,
    cur: &repo::Current,
    program: Option<Uuid>,
    audience: &str,
    candidates: Vec<Uuid>,
    deadline: Option<chrono::NaiveDate>,
) -> AppResult<Option<(Uuid, usize, usize)>> {
    let mut allowed = Vec::new();
    let mut refused = 0;
    for pid in candidates {
        match crate::people::repo::participation(&mut *conn, org.org.id, pid).await? {
            Some((_, None)) => allowed.push(pid),
            Some((_, Some(_))) => refused += 1,
            None => {}
        }
    }
    if allowed.is_empty() {
        return Ok(None);
    }
    let aid = repo::create_assignment(
        &mut *conn,
        org.org.id,
        cur.id,
        program,
        audience,
        deadline,
        org.user.id,
        &allowed,
    )
    .await?;
    let users: Vec<Uuid> = sqlx::query_scalar(
        "SELECT user_id FROM people WHERE org_id = $1 AND id = ANY ($2) AND user_id IS NOT NULL",
    )
    .bind(org.org.id)
    .bind(&allowed)
    .fetch_all(&mut *conn)
    .await?;
    repo::notify(
        &mut *conn,
        org.org.id,
        &users,
        &format!("Новая анкета: «{}»", cur.title),
        &org.url(&format!("/my/forms/{aid}")),
    )
    .await?;
    Ok(Some((aid, allowed.len(), refused)))
}

// ---- filling -------------------------------------------------------------------------------------

struct FillCtx {
    assignment: repo::Assignment,
    person_id: Uuid,
    person_name: String,
    cur: repo::Current,
    people: Vec<(Uuid, String)>,
    response: Option<repo::Response>,
}

async fn fill_ctx(
    state: &AppState,
    org: &OrgCtx,
    assignment_id: Uuid,
    person_id: Uuid,
) -> AppResult<FillCtx> {
    let mut conn = state.pool.acquire().await?;
    let assignment = repo::assignment(&mut conn, org.org.id, assignment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !repo::is_target(&mut conn, org.org.id, assignment_id, person_id).await? {
        return Err(AppError::NotFound);
    }
    let p = crate::people::repo::person(&mut conn, org.org.id, person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let cur = repo::current(&mut conn, org.org.id, assignment.questionnaire_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let people = match assignment.program_id {
        Some(pid) => repo::other_side(&mut conn, org.org.id, pid, person_id).await?,
        None => Vec::new(),
    };
    let response = repo::response(&mut conn, org.org.id, assignment_id, person_id).await?;
    Ok(FillCtx {
        person_name: display_name(
            p.number,
            &p.last_name,
            &p.first_name,
            &p.middle_name,
            p.anonymized_at.is_some(),
        ),
        assignment,
        person_id,
        cur,
        people,
        response,
    })
}

fn closed(a: &repo::Assignment) -> bool {
    a.deadline.map(|d| d < model::today()).unwrap_or(false)
}

fn fill_sections(
    def: &Definition,
    raw: &Raw,
    problems: &model::Problems,
    people: &[(Uuid, String)],
) -> Vec<FillSection> {
    def.sections
        .iter()
        .map(|s| FillSection {
            title: s.title.clone(),
            questions: s
                .questions
                .iter()
                .map(|q| {
                    let values = raw.get(&q.key).cloned().unwrap_or_default();
                    let first = values.first().cloned().unwrap_or_default();
                    let options = match q.kind() {
                        Kind::Single | Kind::Multiple => q
                            .options
                            .iter()
                            .map(|o| Opt {
                                value: o.clone(),
                                label: o.clone(),
                                selected: values.contains(o),
                            })
                            .collect(),
                        Kind::Scale => (1..=if q.scale_max == 10 { 10 } else { 5 })
                            .map(|n: u32| Opt {
                                value: n.to_string(),
                                label: n.to_string(),
                                selected: first == n.to_string(),
                            })
                            .collect(),
                        Kind::YesNo => vec![
                            Opt {
                                value: "yes".into(),
                                label: "да".into(),
                                selected: first == "yes",
                            },
                            Opt {
                                value: "no".into(),
                                label: "нет".into(),
                                selected: first == "no",
                            },
                        ],
                        _ => Vec::new(),
                    };
                    let grid = if q.kind() == Kind::Availability {
                        DAYS.iter()
                            .map(|(d, dl)| {
                                (
                                    *dl,
                                    PARTS
                                        .iter()
                                        .map(|(p, pl)| {
                                            let v = format!("{d}-{p}");
                                            let c = values.contains(&v);
                                            (v, *pl, c)
                                        })
                                        .collect(),
                                )
                            })
                            .collect()
                    } else {
                        Vec::new()
                    };
                    let ranks = if q.kind() == Kind::RankPeople {
                        let n = if q.rank_max == 0 { 3 } else { q.rank_max } as usize;
                        (0..n)
                            .map(|i| {
                                let chosen = values.get(i).cloned().unwrap_or_default();
                                people
                                    .iter()
                                    .map(|(id, name)| Opt {
                                        value: id.to_string(),
                                        label: name.clone(),
                                        selected: chosen == id.to_string(),
                                    })
                                    .collect()
                            })
                            .collect()
                    } else {
                        Vec::new()
                    };
                    FillQuestion {
                        key: q.key.clone(),
                        kind: q.kind().code(),
                        text: q.text.clone(),
                        help: q.help.clone(),
                        required: q.required,
                        error: problems.get(&q.key).cloned().unwrap_or_default(),
                        options,
                        value: first,
                        min_label: q.min_label.clone(),
                        max_label: q.max_label.clone(),
                        min: q.min.map(model::fmt_num).unwrap_or_default(),
                        max: q.max.map(model::fmt_num).unwrap_or_default(),
                        grid,
                        ranks,
                    }
                })
                .collect(),
        })
        .collect()
}

fn fill_page(
    org: &OrgCtx,
    c: &FillCtx,
    raw: &Raw,
    problems: &model::Problems,
    base: &str,
    back: String,
    on_behalf: bool,
    note: String,
) -> FillPage {
    FillPage {
        ctx: org.page(
            c.cur.title.clone(),
            if on_behalf { "questionnaires" } else { "home" },
        ),
        title: c.cur.title.clone(),
        person: c.person_name.clone(),
        action: base.to_string(),
        draft_action: format!("{base}/draft"),
        back,
        sections: fill_sections(&c.cur.def, raw, problems, &c.people),
        deadline: c.assignment.deadline.map(ru_date).unwrap_or_default(),
        closed: closed(&c.assignment),
        submitted: c
            .response
            .as_ref()
            .map(|r| r.status == "submitted")
            .unwrap_or(false),
        on_behalf,
        has_errors: !problems.is_empty(),
        saved_note: note,
    }
}

/// Who fills: the participant (`/my/forms/{a}`) or the curator on behalf (`/assignments/{a}/fill/{p}`).
async fn resolve(
    state: &AppState,
    org: &OrgCtx,
    assignment: &str,
    person: Option<&str>,
) -> AppResult<(FillCtx, String, String, bool)> {
    let aid = parse_id(assignment)?;
    match person {
        None => {
            let mut conn = state.pool.acquire().await?;
            let pid = repo::my_person(&mut conn, org.org.id, aid, org.user.id)
                .await?
                .ok_or(AppError::NotFound)?;
            drop(conn);
            let c = fill_ctx(state, org, aid, pid).await?;
            Ok((c, org.url(&format!("/my/forms/{aid}")), org.url(""), false))
        }
        Some(p) => {
            org.require_any(&EDITORS)?;
            let pid = parse_id(p)?;
            let c = fill_ctx(state, org, aid, pid).await?;
            Ok((
                c,
                org.url(&format!("/assignments/{aid}/fill/{pid}")),
                org.url(&format!("/assignments/{aid}")),
                true,
            ))
        }
    }
}

fn stored_raw(c: &FillCtx) -> Raw {
    c.response
        .as_ref()
        .map(|r| r.answers.0.clone())
        .unwrap_or_default()
}

pub async fn fill_mine(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, a)): Path<(String, String)>,
) -> AppResult<FillPage> {
    let (c, base, back, on_behalf) = resolve(&state, &org, &a, None).await?;
    let raw = stored_raw(&c);
    Ok(fill_page(
        &org,
        &c,
        &raw,
        &Default::default(),
        &base,
        back,
        on_behalf,
        String::new(),
    ))
}

pub async fn fill_for(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, a, p)): Path<(String, String, String)>,
) -> AppResult<FillPage> {
    let (c, base, back, on_behalf) = resolve(&state, &org, &a, Some(&p)).await?;
    let raw = stored_raw(&c);
    Ok(fill_page(
        &org,
        &c,
        &raw,
        &Default::default(),
        &base,
        back,
        on_behalf,
        String::new(),
    ))
}

async fn submit_inner(
    state: &AppState,
    org: &OrgCtx,
    a: &str,
    p: Option<&str>,
    data: FormData,
    draft_only: bool,
    headers: &HeaderMap,
) -> AppResult<Response> {
    let (c, base, back, on_behalf) = resolve(state, org, a, p).await?;
    let raw = model::raw_from_form(&c.cur.def, &data.0);
    if closed(&c.assignment) {
        let page = fill_page(
            org,
            &c,
            &raw,
            &Default::default(),
            &base,
            back,
            on_behalf,
            String::new(),
        );
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    let mut conn = state.pool.acquire().await?;
    // Nothing is saved for a person without a valid consent at this very moment.
    if !crate::people::has_valid_consent(&mut conn, org.org.id, c.person_id).await? {
        return Err(AppError::Validation(
            "Анкету нельзя заполнить: нет действующего согласия на обработку персональных данных. \
             Обратитесь к куратору."
                .into(),
        ));
    }
    if draft_only {
        repo::save_response(
            &mut conn,
            org.org.id,
            c.assignment.id,
            c.person_id,
            c.cur.version_id,
            &raw,
            false,
            on_behalf,
        )
        .await?;
        let note = format!(
            "Черновик сохранён в {}",
            chrono::Utc::now()
                .with_timezone(
                    &chrono::FixedOffset::east_opt(3 * 3600)
                        .unwrap_or(chrono::FixedOffset::east_opt(0).expect("zero"))
                )
                .format("%H:%M")
        );
        if headers.contains_key("hx-request") {
            return Ok(SavedPartial { note }.into_response());
        }
        let page = fill_page(
            org,
            &c,
            &raw,
            &Default::default(),
            &base,
            back,
            on_behalf,
            note,
        );
        return Ok(page.into_response());
    }
    let people: Vec<String> = c.people.iter().map(|(id, _)| id.to_string()).collect();
    let problems = model::validate(&c.cur.def, &raw, &people);
    if !problems.is_empty() {
        // Keep everything typed: as a draft, and in the re-rendered form.
        repo::save_response(
            &mut conn,
            org.org.id,
            c.assignment.id,
            c.person_id,
            c.cur.version_id,
            &raw,
            false,
            on_behalf,
        )
        .await?;
        let page = fill_page(
            org,
            &c,
            &raw,
            &problems,
            &base,
            back,
            on_behalf,
            String::new(),
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    repo::save_response(
        &mut conn,
        org.org.id,
        c.assignment.id,
        c.person_id,
        c.cur.version_id,
        &raw,
        true,
        on_behalf,
    )
    .await?;
    Ok(org.flash(
        &back,
        if on_behalf {
            "Ответы с бумажной анкеты сохранены."
        } else {
            "Спасибо! Ответы отправлены. Их можно изменить до срока."
        },
    ))
}

pub async fn submit_mine(
    State(state): State<AppState>,
    org: OrgCtx,
    headers: HeaderMap,
    Path((_, a)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    submit_inner(&state, &org, &a, None, data, false, &headers).await
}

pub async fn draft_mine(
    State(state): State<AppState>,
    org: OrgCtx,
    headers: HeaderMap,
    Path((_, a)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    submit_inner(&state, &org, &a, None, data, true, &headers).await
}

pub async fn submit_for(
    State(state): State<AppState>,
    org: OrgCtx,
    headers: HeaderMap,
    Path((_, a, p)): Path<(String, String, String)>,
    data: FormData,
) -> AppResult<Response> {
    submit_inner(&state, &org, &a, Some(&p), data, false, &headers).await
}

pub async fn draft_for(
    State(state): State<AppState>,
    org: OrgCtx,
    headers: HeaderMap,
    Path((_, a, p)): Path<(String, String, String)>,
    data: FormData,
) -> AppResult<Response> {
    submit_inner(&state, &org, &a, Some(&p), data, true, &headers).await
}

// ---- results ---------------------------------------------------------------------------------------

struct Loaded {
    assignment: repo::Assignment,
    cur: repo::Current,
    targets: Vec<repo::Target>,
    versions: HashMap<Uuid, (i32, Definition)>,
    names: HashMap<String, String>,
}

async fn load_results(state: &AppState, org: &OrgCtx, raw: &str) -> AppResult<Loaded> {
    org.require_any(&READERS)?;
    let id = parse_id(raw)?;
    let mut conn = state.pool.acquire().await?;
    let assignment = repo::assignment(&mut conn, org.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let cur = repo::current(&mut conn, org.org.id, assignment.questionnaire_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let targets = repo::targets(&mut conn, org.org.id, id).await?;
    let mut vids: Vec<Uuid> = targets.iter().filter_map(|t| t.version_id).collect();
    vids.sort();
    vids.dedup();
    let versions = repo::versions(&mut conn, org.org.id, &vids)
        .await?
        .into_iter()
        .map(|(id, n, d)| (id, (n, d)))
        .collect();
    let names: HashMap<String, String> = match assignment.program_id {
        Some(pid) => crate::participants::participants(&mut conn, org.org.id, pid)
            .await?
            .into_iter()
            .map(|p| {
                (
                    p.person_id.to_string(),
                    display_name(
                        p.number,
                        &p.last_name,
                        &p.first_name,
                        &p.middle_name,
                        p.anonymized,
                    ),
                )
            })
            .collect(),
        None => HashMap::new(),
    };
    Ok(Loaded {
        assignment,
        cur,
        targets,
        versions,
        names,
    })
}

fn target_name(t: &repo::Target) -> String {
    display_name(
        t.number,
        &t.last_name,
        &t.first_name,
        &t.middle_name,
        t.anonymized,
    )
}

const BAR_MAX: u32 = 358;
const ROW: u32 = 34;

fn bars(rows: &[(String, usize, u32)]) -> Vec<Bar> {
    let top = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    rows.iter()
        .enumerate()
        .map(|(i, (label, count, share))| Bar {
            label: label.clone(),
            count: *count,
            share: *share,
            width: (*count as u32 * BAR_MAX) / top as u32 + 2,
            y: i as u32 * ROW,
        })
        .collect()
}

pub async fn results(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<ResultsPage> {
    let l = load_results(&state, &org, &id).await?;
    crate::audit::read(
        &state.pool,
        &org,
        "results.view",
        None,
        &format!("анкета {id}"),
    )
    .await?;
    let submitted: Vec<&repo::Target> = l
        .targets
        .iter()
        .filter(|t| t.status.as_deref() == Some("submitted"))
        .collect();
    let answers: Vec<&Raw> = submitted
        .iter()
        .filter_map(|t| t.answers.as_ref().map(|a| &a.0))
        .collect();
    let older_versions = submitted
        .iter()
        .filter(|t| t.version_id != Some(l.cur.version_id))
        .count();
    let names = |id: &str| l.names.get(id).cloned().unwrap_or_else(|| "—".into());
    let summaries = l
        .cur
        .def
        .questions()
        .map(|q| {
            let s = model::summarize(q, &answers, &names);
            let mut out = QSummary {
                text: q.text.clone(),
                kind: q.kind().code(),
                answered: 0,
                bars: Vec::new(),
                svg_height: 0,
                mean: String::new(),
                median: String::new(),
                texts: Vec::new(),
                more_texts: 0,
                grid: Vec::new(),
            };
            match s {
                Summary::Counts { answered, rows } => {
                    out.answered = answered;
                    out.bars = bars(&rows);
                }
                Summary::Numbers {
                    answered,
                    mean,
                    median,
                    histogram,
                } => {
                    out.answered = answered;
                    out.mean = format!("{:.1}", mean).replace('.', ",");
                    out.median = model::fmt_num(median);
                    let total = answered.max(1);
                    let rows: Vec<(String, usize, u32)> = histogram
                        .into_iter()
                        .map(|(l, n)| {
                            let s = ((n * 100 + total / 2) / total) as u32;
                            (l, n, s)
                        })
                        .collect();
                    out.bars = bars(&rows);
                }
                Summary::Texts { answered, texts } => {
                    out.answered = answered;
                    out.more_texts = texts.len().saturating_sub(50);
                    out.texts = texts.into_iter().take(50).collect();
                }
                Summary::Grid { answered, cells } => {
                    out.answered = answered;
                    let top = cells.iter().flatten().copied().max().unwrap_or(0).max(1);
                    out.grid = DAYS
                        .iter()
                        .zip(cells)
                        .map(|((_, dl), row)| {
                            (
                                *dl,
                                row.into_iter()
                                    .map(|n| (n, (n * 4).div_ceil(top) as u32))
                                    .collect(),
                            )
                        })
                        .collect();
                }
            }
            out.svg_height = out.bars.len() as u32 * ROW;
            out
        })
        .collect();
    let row = |t: &repo::Target| PersonRow {
        person_id: t.person_id.to_string(),
        name: target_name(t),
        class_name: t.class_name.clone(),
        status: match t.status.as_deref() {
            Some("submitted") => "ответил(а)",
            Some(_) => "черновик",
            None => "не начинал(а)",
        },
        on_behalf: t.on_behalf.unwrap_or(false),
    };
    let targets = l.targets.len();
    Ok(ResultsPage {
        ctx: org.page(format!("Результаты — {}", l.cur.title), "questionnaires"),
        base: org.url(""),
        id: l.assignment.id.to_string(),
        questionnaire_id: l.cur.id.to_string(),
        title: l.cur.title.clone(),
        who: audience_label(&l.assignment),
        deadline: l
            .assignment
            .deadline
            .map(ru_date)
            .unwrap_or_else(|| "без срока".into()),
        targets,
        submitted: submitted.len(),
        drafts: l
            .targets
            .iter()
            .filter(|t| t.status.as_deref() == Some("draft"))
            .count(),
        rate: (submitted.len() * 100 + targets / 2)
            .checked_div(targets)
            .unwrap_or(0) as u32,
        summaries,
        people: l
            .targets
            .iter()
            .filter(|t| t.status.is_some())
            .map(row)
            .collect(),
        missing: l
            .targets
            .iter()
            .filter(|t| t.status.as_deref() != Some("submitted"))
            .map(row)
            .collect(),
        older_versions,
        can_edit: org.has(Role::Curator),
    })
}

pub async fn answers(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id, person)): Path<(String, String, String)>,
) -> AppResult<AnswersPage> {
    let l = load_results(&state, &org, &id).await?;
    let pid = parse_id(&person)?;
    crate::audit::read(
        &state.pool,
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
        back: org.url(&format!("/assignments/{}", l.assignment.id)),
        title: l.cur.title.clone(),
        person: target_name(t),
        status: match t.status.as_deref() {
            Some("submitted") => "отправлено",
            Some(_) => "черновик",
            None => "нет ответов",
        },
        version: number,
        on_behalf: t.on_behalf.unwrap_or(false),
        rows: def
            .questions()
            .map(|q| {
                (
                    q.text.clone(),
                    model::display(
                        q,
                        raw.get(&q.key).map(|v| v.as_slice()).unwrap_or(&[]),
                        &names,
                    ),
                )
            })
            .collect(),
        scores: if l.cur.purpose == "mentor_test" {
            model::section_scores(&def, &raw, 3.5)
                .into_iter()
                .map(|(s, m, gap)| (s, format!("{m:.1}").replace('.', ","), gap))
                .collect()
        } else {
            Vec::new()
        },
    })
}

pub async fn remind(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let l = load_results(&state, &org, &id).await?;
    let users: Vec<Uuid> = l
        .targets
        .iter()
        .filter(|t| t.status.as_deref() != Some("submitted"))
        .filter_map(|t| t.user_id)
        .collect();
    let mut conn = state.pool.acquire().await?;
    let n = repo::notify(
        &mut conn,
        org.org.id,
        &users,
        &format!("Напоминание: заполните анкету «{}»", l.cur.title),
        &org.url(&format!("/my/forms/{}", l.assignment.id)),
    )
    .await?;
    let without = l
        .targets
        .iter()
        .filter(|t| t.status.as_deref() != Some("submitted") && t.user_id.is_none())
        .count();
    let mut msg = format!("Напоминание отправлено: {n}.");
    if without > 0 {
        msg.push_str(&format!(
            " У {without} нет учётной записи — напомните лично или заполните с бумажной анкеты."
        ));
    }
    Ok(org.flash(&org.url(&format!("/assignments/{}", l.assignment.id)), &msg))
}

pub async fn export(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<Response> {
    let l = load_results(&state, &org, &id).await?;
    let mut conn = state.pool.acquire().await?;
    crate::audit::record(
        &mut conn,
        &org,
        "export",
        None,
        &format!("ответы на анкету «{}»", l.cur.title),
    )
    .await?;
    drop(conn);
    let names = |id: &str| l.names.get(id).cloned().unwrap_or_else(|| "—".into());
    let questions: Vec<&Question> = l.cur.def.questions().collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for t in l
        .targets
        .iter()
        .filter(|t| t.status.as_deref() == Some("submitted"))
    {
        let raw = t.answers.as_ref().map(|a| a.0.clone()).unwrap_or_default();
        let def = t
            .version_id
            .and_then(|v| l.versions.get(&v))
            .map(|(_, d)| d);
        let mut row = vec![
            target_name(t),
            t.class_name.clone(),
            t.submitted_at
                .map(|d| ru_date(d.date_naive()))
                .unwrap_or_default(),
            if t.on_behalf.unwrap_or(false) {
                "с бумажной анкеты".into()
            } else {
                String::new()
            },
        ];
        for q in &questions {
            // Each answer read with the question as it was in the answered version.
            let shown = def
                .and_then(|d| d.questions().find(|x| x.key == q.key))
                .unwrap_or(q);
            row.push(model::display(
                shown,
                raw.get(&q.key).map(|v| v.as_slice()).unwrap_or(&[]),
                &names,
            ));
        }
        rows.push(row);
    }
    let mut headers = vec![
        "ФИО".to_string(),
        "Класс".into(),
        "Дата ответа".into(),
        "Отметка".into(),
    ];
    headers.extend(questions.iter().map(|q| q.text.clone()));
    let bytes = tokio::task::spawn_blocking(move || {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, h) in headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, crate::web::xlsx::safe_cell(h), &bold)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string((r + 1) as u32, c as u16, crate::web::xlsx::safe_cell(v))?;
            }
        }
        sheet.set_column_width(0, 30)?;
        book.save_to_buffer()
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"otvety.xlsx\"".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Opens a notification: marks it read and goes to its page.
pub async fn open_notification(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let link = repo::read_notification(&mut conn, org.org.id, org.user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = if link.starts_with(&org.url("/")) {
        link
    } else {
        org.url("")
    };
    Ok(axum::response::Redirect::to(&to).into_response())
}
