use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate, Utc};
use uuid::Uuid;

use super::model::{self, percent};
use super::repo::{self, ProgramInput, TaskInput, TaskRow};
use super::views::*;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::web::forms::{FormData, FormErrors, parse_date, ru_date, trimmed};
use crate::web::{AppState, OrgCtx, parse_id};

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn dates(a: NaiveDate, b: NaiveDate) -> String {
    format!("{} – {}", ru_date(a), ru_date(b))
}

/// Director and curator see every program; mentors and mentees only those they take part in
/// (enrolment comes with the bases issue, so none yet).
fn require_viewer(org: &OrgCtx) -> AppResult<()> {
    if org.is_staff() {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

fn card(p: repo::ProgramRow) -> ProgramCard {
    ProgramCard {
        id: p.id.to_string(),
        dates: dates(p.starts_on, p.ends_on),
        status_label: model::program_status_label(&p.status),
        status: p.status,
        percent: percent(p.tasks_done, p.tasks_total),
        done: p.tasks_done,
        total: p.tasks_total,
        overdue: p.tasks_overdue,
        curator: p.curator_name.unwrap_or_else(|| "не назначен".into()),
        name: p.name,
        form_title: p.form_title,
    }
}

pub async fn list(State(state): State<AppState>, org: OrgCtx) -> AppResult<ProgramsPage> {
    let mut conn = state.pool.acquire().await?;
    let mut programs = repo::programs(&mut conn, org.org.id).await?;
    if !org.is_staff() {
        let mine =
            crate::people::repo::programs_of_user(&mut conn, org.org.id, org.user.id).await?;
        programs.retain(|p| mine.contains(&p.id));
    }
    Ok(ProgramsPage {
        ctx: org.page("Программы наставничества", "programs"),
        base: org.url(""),
        programs: programs.into_iter().map(card).collect(),
        can_create: org.has(Role::Curator),
        is_staff: org.is_staff(),
    })
}

// ---- create / edit ---------------------------------------------------------------------------

struct FormOptions {
    forms: Vec<repo::Form>,
    org_forms: Vec<String>,
    variants: Vec<repo::Variant>,
    curators: Vec<(Uuid, String)>,
}

async fn form_options(state: &AppState, org: &OrgCtx) -> AppResult<FormOptions> {
    let mut conn = state.pool.acquire().await?;
    Ok(FormOptions {
        forms: repo::forms(&mut conn).await?,
        org_forms: repo::org_form_codes(&mut conn, org.org.id).await?,
        variants: repo::variants(&mut conn).await?,
        curators: crate::tenancy::repo::members_with_role(&mut conn, org.org.id, Role::Curator)
            .await?,
    })
}

fn form_page(
    org: &OrgCtx,
    heading: String,
    action: String,
    cancel: String,
    form: ProgramForm,
    errors: FormErrors,
    opts: &FormOptions,
    conflict: bool,
) -> ProgramFormPage {
    // Forms the organization runs (all of the catalog if it has chosen none yet), plus the
    // program's current form.
    let offered: Vec<&repo::Form> = opts
        .forms
        .iter()
        .filter(|f| {
            opts.org_forms.is_empty()
                || opts.org_forms.contains(&f.code)
                || f.code == form.form_code
        })
        .collect();
    let forms = offered
        .iter()
        .map(|f| Choice {
            value: f.code.clone(),
            label: f.title.clone(),
            selected: f.code == form.form_code,
        })
        .collect();
    let variant_groups = offered
        .iter()
        .map(|f| VariantGroup {
            form_title: f.title.clone(),
            form_code: f.code.clone(),
            variants: opts
                .variants
                .iter()
                .filter(|v| v.form_code == f.code)
                .map(|v| Choice {
                    value: v.code.clone(),
                    label: v.title.clone(),
                    selected: form.variants.contains(&v.code),
                })
                .collect(),
        })
        .collect();
    let statuses = model::PROGRAM_STATUSES
        .iter()
        .map(|(c, l)| Choice {
            value: c.to_string(),
            label: l.to_string(),
            selected: *c == form.status,
        })
        .collect();
    let curators = opts
        .curators
        .iter()
        .map(|(id, name)| Choice {
            value: id.to_string(),
            label: name.clone(),
            selected: form.curator == id.to_string(),
        })
        .collect();
    ProgramFormPage {
        ctx: org.page(heading.clone(), "programs"),
        heading,
        action,
        cancel,
        form,
        errors,
        forms,
        variant_groups,
        statuses,
        curators,
        conflict,
        no_org_forms: opts.org_forms.is_empty(),
    }
}

fn read_program_form(data: &FormData) -> ProgramForm {
    ProgramForm {
        name: trimmed(&data.get("name")),
        form_code: data.get("form_code"),
        variants: data.all("variants"),
        goal: trimmed(&data.get("goal")),
        description: trimmed(&data.get("description")),
        starts_on: trimmed(&data.get("starts_on")),
        ends_on: trimmed(&data.get("ends_on")),
        status: data.get("status"),
        curator: data.get("curator"),
        version: data.int("version"),
    }
}

struct ValidProgram {
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    curator: Option<Uuid>,
}

fn validate_program(form: &ProgramForm, opts: &FormOptions) -> Result<ValidProgram, FormErrors> {
    let mut e = FormErrors::default();
    if form.name.is_empty() {
        e.add("name", "Введите название программы.");
    }
    e.limit("name", &form.name, 200);
    e.limit("goal", &form.goal, 2000);
    e.limit("description", &form.description, 5000);
    if !opts.forms.iter().any(|f| f.code == form.form_code) {
        e.add("form_code", "Выберите форму наставничества.");
    }
    let starts = parse_date(&form.starts_on);
    let ends = parse_date(&form.ends_on);
    if starts.is_none() {
        e.add("starts_on", "Укажите дату начала (ДД.ММ.ГГГГ).");
    }
    if ends.is_none() {
        e.add("ends_on", "Укажите дату окончания (ДД.ММ.ГГГГ).");
    }
    if let (Some(s), Some(en)) = (starts, ends) {
        if en <= s {
            e.add("ends_on", "Дата окончания должна быть позже даты начала.");
        } else if (en - s).num_days() > 366 * 5 {
            e.add("ends_on", "Программа не может длиться дольше пяти лет.");
        }
        if s.year() < 2000 || en.year() > 2100 {
            e.add("starts_on", "Проверьте год.");
        }
    }
    if !model::is_program_status(&form.status) {
        e.add("status", "Выберите статус.");
    }
    let curator = if form.curator.is_empty() {
        None
    } else {
        match Uuid::parse_str(&form.curator)
            .ok()
            .filter(|id| opts.curators.iter().any(|(c, _)| c == id))
        {
            Some(id) => Some(id),
            None => {
                e.add("curator", "Выберите куратора из списка.");
                None
            }
        }
    };
    match (e.is_empty(), starts, ends) {
        (true, Some(starts_on), Some(ends_on)) => Ok(ValidProgram {
            starts_on,
            ends_on,
            curator,
        }),
        _ => Err(e),
    }
}

fn program_input<'a>(form: &'a ProgramForm, valid: &ValidProgram) -> ProgramInput<'a> {
    ProgramInput {
        name: &form.name,
        form_code: &form.form_code,
        variant_codes: &form.variants,
        goal: &form.goal,
        description: &form.description,
        starts_on: valid.starts_on,
        ends_on: valid.ends_on,
        status: &form.status,
        curator_user_id: valid.curator,
    }
}

fn unique_name_error(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.constraint() == Some("programs_org_name_key"))
}

pub async fn new_page(State(state): State<AppState>, org: OrgCtx) -> AppResult<Response> {
    org.require_any(&[Role::Curator])?;
    let opts = form_options(&state, &org).await?;
    let start = today();
    // A school year by default: from today to the next June 30.
    let end_year = if start.month() >= 7 {
        start.year() + 1
    } else {
        start.year()
    };
    let end = NaiveDate::from_ymd_opt(end_year, 6, 30)
        .filter(|e| *e > start)
        .unwrap_or(start + chrono::Duration::days(270));
    let form = ProgramForm {
        form_code: opts.org_forms.first().cloned().unwrap_or_default(),
        starts_on: start.to_string(),
        ends_on: end.to_string(),
        status: "draft".into(),
        curator: org.user.id.to_string(),
        ..Default::default()
    };
    Ok(form_page(
        &org,
        "Новая программа".into(),
        org.url("/programs/new"),
        org.url("/programs"),
        form,
        FormErrors::default(),
        &opts,
        false,
    )
    .into_response())
}

pub async fn create(
    State(state): State<AppState>,
    org: OrgCtx,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&[Role::Curator])?;
    let opts = form_options(&state, &org).await?;
    let mut form = read_program_form(&data);
    let render = |form: ProgramForm, errors: FormErrors| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(
                &org,
                "Новая программа".into(),
                org.url("/programs/new"),
                org.url("/programs"),
                form,
                errors,
                &opts,
                false,
            ),
        )
            .into_response()
    };
    let valid = match validate_program(&form, &opts) {
        Ok(v) => v,
        Err(errors) => return Ok(render(form, errors)),
    };
    if form.goal.is_empty()
        && let Some(f) = opts.forms.iter().find(|f| f.code == form.form_code)
    {
        form.goal = f.goal.clone();
    }
    let input = program_input(&form, &valid);
    let mut tx = state.pool.begin().await?;
    let id = match repo::create_program(&mut tx, org.org.id, &input).await {
        Ok(id) => id,
        Err(e) if unique_name_error(&e) => {
            let mut errors = FormErrors::default();
            errors.add("name", "Программа с таким названием уже есть.");
            return Ok(render(form, errors));
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    Ok(org.flash(
        &org.url(&format!("/programs/{id}/roadmap")),
        "Программа создана. Дорожная карта из семи этапов готова к работе.",
    ))
}

/// Director and curator see every program; mentors and mentees the programs they take part in.
async fn viewable_program(
    state: &AppState,
    org: &OrgCtx,
    raw_id: &str,
) -> AppResult<repo::ProgramRow> {
    let p = load_program(state, org, raw_id).await?;
    if org.is_staff() {
        return Ok(p);
    }
    let mut conn = state.pool.acquire().await?;
    let mine = crate::people::repo::programs_of_user(&mut conn, org.org.id, org.user.id).await?;
    if mine.contains(&p.id) {
        Ok(p)
    } else {
        Err(AppError::NotFound)
    }
}

async fn load_program(state: &AppState, org: &OrgCtx, raw_id: &str) -> AppResult<repo::ProgramRow> {
    let id = parse_id(raw_id)?;
    let mut conn = state.pool.acquire().await?;
    repo::program(&mut conn, org.org.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit_page(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<Response> {
    let p = editable_program(&state, &org, &id).await?;
    let opts = form_options(&state, &org).await?;
    let mut conn = state.pool.acquire().await?;
    let variants = repo::program_variants(&mut conn, org.org.id, p.id).await?;
    let form = ProgramForm {
        name: p.name.clone(),
        form_code: p.form_code.clone(),
        variants: variants.into_iter().map(|v| v.code).collect(),
        goal: p.goal.clone(),
        description: p.description.clone(),
        starts_on: p.starts_on.to_string(),
        ends_on: p.ends_on.to_string(),
        status: p.status.clone(),
        curator: p.curator_user_id.map(|u| u.to_string()).unwrap_or_default(),
        version: p.version,
    };
    Ok(form_page(
        &org,
        format!("Изменить программу «{}»", p.name),
        org.url(&format!("/programs/{}/edit", p.id)),
        org.url(&format!("/programs/{}", p.id)),
        form,
        FormErrors::default(),
        &opts,
        false,
    )
    .into_response())
}

pub async fn update(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    let p = editable_program(&state, &org, &id).await?;
    let opts = form_options(&state, &org).await?;
    let mut form = read_program_form(&data);
    let heading = format!("Изменить программу «{}»", p.name);
    let action = org.url(&format!("/programs/{}/edit", p.id));
    let cancel = org.url(&format!("/programs/{}", p.id));
    let valid = match validate_program(&form, &opts) {
        Ok(v) => v,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&org, heading, action, cancel, form, errors, &opts, false),
            )
                .into_response());
        }
    };
    let input = program_input(&form, &valid);
    let mut tx = state.pool.begin().await?;
    let saved = match repo::update_program(&mut tx, org.org.id, p.id, form.version, &input).await {
        Ok(s) => s,
        Err(e) if unique_name_error(&e) => {
            let mut errors = FormErrors::default();
            errors.add("name", "Программа с таким названием уже есть.");
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&org, heading, action, cancel, form, errors, &opts, false),
            )
                .into_response());
        }
        Err(e) => return Err(e.into()),
    };
    if !saved {
        drop(tx);
        // Someone saved in between: keep what this user typed, take the new version so that a
        // second press knowingly overwrites.
        form.version = p.version;
        return Ok((
            StatusCode::CONFLICT,
            form_page(
                &org,
                heading,
                action,
                cancel,
                form,
                FormErrors::default(),
                &opts,
                true,
            ),
        )
            .into_response());
    }
    tx.commit().await?;
    Ok(org.flash(&cancel, "Изменения программы сохранены."))
}

// ---- program page ------------------------------------------------------------------------------

fn stage_counts(tasks: &[TaskRow], stage_id: Uuid, today: NaiveDate) -> (i64, i64, i64) {
    let mut done = 0;
    let mut total = 0;
    let mut overdue = 0;
    for t in tasks.iter().filter(|t| t.stage_id == stage_id) {
        total += 1;
        if t.status == "done" {
            done += 1;
        } else if t.due_on < today {
            overdue += 1;
        }
    }
    (done, total, overdue)
}

pub async fn show(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<ProgramPage> {
    let p = viewable_program(&state, &org, &id).await?;
    let mut conn = state.pool.acquire().await?;
    let form = repo::form(&mut conn, &p.form_code)
        .await?
        .ok_or(AppError::NotFound)?;
    let variants = repo::program_variants(&mut conn, org.org.id, p.id).await?;
    let stages = repo::stages(&mut conn, org.org.id, p.id).await?;
    let tasks = repo::tasks(&mut conn, org.org.id, p.id).await?;
    let now = today();
    let stages = stages
        .into_iter()
        .map(|s| {
            let (done, total, overdue) = stage_counts(&tasks, s.id, now);
            StageSummary {
                number: s.number,
                title: s.title,
                done,
                total,
                percent: percent(done, total),
                overdue,
            }
        })
        .collect();
    Ok(ProgramPage {
        ctx: org.page(p.name.clone(), "programs"),
        base: org.url(""),
        id: p.id.to_string(),
        status_label: model::program_status_label(&p.status),
        status: p.status,
        dates: dates(p.starts_on, p.ends_on),
        curator: p.curator_name.unwrap_or_else(|| "не назначен".into()),
        goal: p.goal,
        description: p.description,
        form_title: form.title,
        form_goal: form.goal,
        form_tasks: form.tasks,
        form_results: form.results,
        mentor_side: form.mentor_side,
        mentee_side: form.mentee_side,
        variants: variants.into_iter().map(|v| (v.title, v.goal)).collect(),
        stages,
        percent: percent(p.tasks_done, p.tasks_total),
        done: p.tasks_done,
        total: p.tasks_total,
        overdue: p.tasks_overdue,
        can_edit: org.has(Role::Curator),
        name: p.name,
    })
}

// ---- roadmap -----------------------------------------------------------------------------------

fn task_view(t: &TaskRow, now: NaiveDate) -> TaskView {
    let responsible = match &t.responsible_name {
        Some(n) => format!(
            "{} ({})",
            n,
            model::role_label(&t.responsible_role).to_lowercase()
        ),
        None => model::role_label(&t.responsible_role).to_string(),
    };
    TaskView {
        id: t.id.to_string(),
        code: t.code.clone(),
        title: t.title.clone(),
        period: t.period.clone(),
        due: ru_date(t.due_on),
        overdue: t.status != "done" && t.due_on < now,
        status: t.status.clone(),
        status_label: model::task_status_label(&t.status),
        responsible,
        version: t.version,
        updated: match &t.updated_by_name {
            Some(n) => format!("изменил(а) {n}"),
            None => String::new(),
        },
        note: String::new(),
    }
}

pub async fn roadmap(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<RoadmapPage> {
    let p = viewable_program(&state, &org, &id).await?;
    let mut conn = state.pool.acquire().await?;
    let stages = repo::stages(&mut conn, org.org.id, p.id).await?;
    let tasks = repo::tasks(&mut conn, org.org.id, p.id).await?;
    let now = today();
    let stages = stages
        .into_iter()
        .map(|s| {
            let (done, total, _) = stage_counts(&tasks, s.id, now);
            StageView {
                id: s.id.to_string(),
                number: s.number,
                title: s.title,
                task_text: s.task_text,
                result_text: s.result_text,
                done,
                total,
                percent: percent(done, total),
                tasks: tasks
                    .iter()
                    .filter(|t| t.stage_id == s.id)
                    .map(|t| task_view(t, now))
                    .collect(),
            }
        })
        .collect();
    Ok(RoadmapPage {
        ctx: org.page(format!("Дорожная карта — {}", p.name), "programs"),
        base: org.url(&format!("/programs/{}", p.id)),
        program_url: org.url(&format!("/programs/{}", p.id)),
        program_name: p.name,
        stages,
        percent: percent(p.tasks_done, p.tasks_total),
        done: p.tasks_done,
        total: p.tasks_total,
        overdue: p.tasks_overdue,
        can_edit: org.has(Role::Curator),
        csrf: org.ctx.csrf.clone(),
        statuses: model::TASK_STATUSES.to_vec(),
    })
}

fn is_htmx(headers: &HeaderMap) -> bool {
    headers.get("hx-request").is_some()
}

pub async fn set_status(
    State(state): State<AppState>,
    org: OrgCtx,
    headers: HeaderMap,
    Path((_, id, task_id)): Path<(String, String, String)>,
    data: FormData,
) -> AppResult<Response> {
    let p = editable_program(&state, &org, &id).await?;
    let task_id = parse_id(&task_id)?;
    let status = data.get("status");
    if !model::is_task_status(&status) {
        return Err(AppError::Validation("Неизвестный статус задачи.".into()));
    }
    let mut conn = state.pool.acquire().await?;
    let current = repo::task(&mut conn, org.org.id, p.id, task_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let saved = repo::set_task_status(
        &mut conn,
        org.org.id,
        p.id,
        task_id,
        data.int("version"),
        org.user.id,
        &status,
    )
    .await?;
    let roadmap_url = org.url(&format!("/programs/{}/roadmap", p.id));
    if is_htmx(&headers) {
        let fresh = repo::task(&mut conn, org.org.id, p.id, task_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut view = task_view(&fresh, today());
        if !saved {
            view.note = format!(
                "Задачу уже изменил другой пользователь: сейчас статус «{}». Ваш выбор не сохранён — выберите снова, если нужно.",
                model::task_status_label(&current.status)
            );
        }
        return Ok(TaskPartial {
            task: view,
            base: org.url(&format!("/programs/{}", p.id)),
            can_edit: true,
            csrf: org.ctx.csrf.clone(),
            statuses: model::TASK_STATUSES.to_vec(),
        }
        .into_response());
    }
    Ok(if saved {
        org.flash(
            &format!("{roadmap_url}#task-{task_id}"),
            &format!("Статус задачи {} изменён.", current.code),
        )
    } else {
        org.flash_error(
            &format!("{roadmap_url}#task-{task_id}"),
            &format!(
                "Задачу {} уже изменил другой пользователь (сейчас «{}»). Проверьте и выберите статус снова.",
                current.code,
                model::task_status_label(&current.status)
            ),
        )
    })
}

fn task_choices(
    form: &TaskForm,
    people: &[(Uuid, String)],
) -> (Vec<Choice>, Vec<Choice>, Vec<Choice>) {
    let roles = model::RESPONSIBLE_ROLES
        .iter()
        .map(|(c, l)| Choice {
            value: c.to_string(),
            label: l.to_string(),
            selected: *c == form.responsible_role,
        })
        .collect();
    let people = people
        .iter()
        .map(|(id, n)| Choice {
            value: id.to_string(),
            label: n.clone(),
            selected: form.responsible_user == id.to_string(),
        })
        .collect();
    let statuses = model::TASK_STATUSES
        .iter()
        .map(|(c, l)| Choice {
            value: c.to_string(),
            label: l.to_string(),
            selected: *c == form.status,
        })
        .collect();
    (roles, people, statuses)
}

fn read_task_form(data: &FormData) -> TaskForm {
    TaskForm {
        title: trimmed(&data.get("title")),
        due_on: trimmed(&data.get("due_on")),
        responsible_role: data.get("responsible_role"),
        responsible_user: data.get("responsible_user"),
        status: data.get("status"),
        version: data.int("version"),
    }
}

struct ValidTask {
    due_on: NaiveDate,
    responsible_user_id: Option<Uuid>,
}

fn validate_task(form: &TaskForm, people: &[(Uuid, String)]) -> Result<ValidTask, FormErrors> {
    let mut e = FormErrors::default();
    if form.title.is_empty() {
        e.add("title", "Введите формулировку задачи.");
    }
    e.limit("title", &form.title, 1000);
    let due = parse_date(&form.due_on);
    if due.is_none() {
        e.add("due_on", "Укажите срок (ДД.ММ.ГГГГ).");
    }
    if !model::is_role(&form.responsible_role) {
        e.add("responsible_role", "Выберите ответственную роль.");
    }
    if !model::is_task_status(&form.status) {
        e.add("status", "Выберите статус.");
    }
    let user = if form.responsible_user.is_empty() {
        None
    } else {
        match Uuid::parse_str(&form.responsible_user)
            .ok()
            .filter(|id| people.iter().any(|(p, _)| p == id))
        {
            Some(id) => Some(id),
            None => {
                e.add("responsible_user", "Выберите человека из списка.");
                None
            }
        }
    };
    match (e.is_empty(), due) {
        (true, Some(due_on)) => Ok(ValidTask {
            due_on,
            responsible_user_id: user,
        }),
        _ => Err(e),
    }
}

/// A program the current user may edit (curator), else 404 for outsiders and 403 for other roles.
async fn editable_program(
    state: &AppState,
    org: &OrgCtx,
    raw_id: &str,
) -> AppResult<repo::ProgramRow> {
    require_viewer(org)?;
    let p = load_program(state, org, raw_id).await?;
    org.require_any(&[Role::Curator])?;
    Ok(p)
}

/// Where a task form lives and what it is about.
struct TaskTarget {
    heading: String,
    stage_title: String,
    code: String,
    period: String,
    action: String,
    cancel: String,
}

impl TaskTarget {
    fn edit(org: &OrgCtx, p: &repo::ProgramRow, t: &TaskRow, stage: &repo::StageRow) -> Self {
        TaskTarget {
            heading: format!("Задача {}", t.code),
            stage_title: format!("{}. {}", stage.number, stage.title),
            code: t.code.clone(),
            period: t.period.clone(),
            action: org.url(&format!("/programs/{}/roadmap/tasks/{}/edit", p.id, t.id)),
            cancel: org.url(&format!("/programs/{}/roadmap#task-{}", p.id, t.id)),
        }
    }

    fn new(org: &OrgCtx, p: &repo::ProgramRow, stage: &repo::StageRow) -> Self {
        TaskTarget {
            heading: "Новая задача".into(),
            stage_title: format!("{}. {}", stage.number, stage.title),
            code: String::new(),
            period: String::new(),
            action: org.url(&format!(
                "/programs/{}/roadmap/stages/{}/tasks/new",
                p.id, stage.id
            )),
            cancel: org.url(&format!("/programs/{}/roadmap", p.id)),
        }
    }
}

fn task_page(
    org: &OrgCtx,
    target: TaskTarget,
    form: TaskForm,
    errors: FormErrors,
    people: &[(Uuid, String)],
    conflict: Option<String>,
) -> TaskFormPage {
    let (roles, people, statuses) = task_choices(&form, people);
    TaskFormPage {
        ctx: org.page(target.heading.clone(), "programs"),
        heading: target.heading,
        stage_title: target.stage_title,
        code: target.code,
        period: target.period,
        delete_action: target.action.replace("/edit", "/delete"),
        action: target.action,
        cancel: target.cancel,
        form,
        errors,
        roles,
        people,
        statuses,
        conflict,
    }
}

/// A task of the program with its stage and the people who can be responsible.
struct TaskScope {
    task: TaskRow,
    stage: repo::StageRow,
    people: Vec<(Uuid, String)>,
}

async fn task_scope(
    conn: &mut sqlx::PgConnection,
    org: &OrgCtx,
    p: &repo::ProgramRow,
    raw_task: &str,
) -> AppResult<TaskScope> {
    let task_id = parse_id(raw_task)?;
    let task = repo::task(&mut *conn, org.org.id, p.id, task_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let stage = repo::stage(&mut *conn, org.org.id, p.id, task.stage_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let people = crate::tenancy::repo::member_names(&mut *conn, org.org.id).await?;
    Ok(TaskScope {
        task,
        stage,
        people,
    })
}

pub async fn edit_task_page(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id, task_id)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let p = editable_program(&state, &org, &id).await?;
    let mut conn = state.pool.acquire().await?;
    let TaskScope {
        task: t,
        stage,
        people,
    } = task_scope(&mut conn, &org, &p, &task_id).await?;
    let form = TaskForm {
        title: t.title.clone(),
        due_on: t.due_on.to_string(),
        responsible_role: t.responsible_role.clone(),
        responsible_user: t
            .responsible_user_id
            .map(|u| u.to_string())
            .unwrap_or_default(),
        status: t.status.clone(),
        version: t.version,
    };
    let target = TaskTarget::edit(&org, &p, &t, &stage);
    Ok(task_page(&org, target, form, FormErrors::default(), &people, None).into_response())
}

pub async fn update_task(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id, task_id)): Path<(String, String, String)>,
    data: FormData,
) -> AppResult<Response> {
    let p = editable_program(&state, &org, &id).await?;
    let mut tx = state.pool.begin().await?;
    let TaskScope {
        task: t,
        stage,
        people,
    } = task_scope(&mut tx, &org, &p, &task_id).await?;
    let mut form = read_task_form(&data);
    let target = TaskTarget::edit(&org, &p, &t, &stage);
    let valid = match validate_task(&form, &people) {
        Ok(v) => v,
        Err(errors) => {
            let page = task_page(&org, target, form, errors, &people, None);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let input = TaskInput {
        title: &form.title,
        due_on: valid.due_on,
        responsible_role: &form.responsible_role,
        responsible_user_id: valid.responsible_user_id,
        status: &form.status,
    };
    if !repo::update_task(
        &mut tx,
        org.org.id,
        p.id,
        t.id,
        form.version,
        org.user.id,
        &input,
    )
    .await?
    {
        // A concurrent edit: nothing is overwritten; the user's input stays in the form, and
        // the saved state is shown beside it.
        let saved = format!(
            "«{}», срок {}, ответственный: {}, статус «{}»{}",
            t.title,
            ru_date(t.due_on),
            t.responsible_name
                .clone()
                .unwrap_or_else(|| model::role_label(&t.responsible_role).to_string()),
            model::task_status_label(&t.status),
            t.updated_by_name
                .as_ref()
                .map(|n| format!(" (изменил(а) {n})"))
                .unwrap_or_default()
        );
        form.version = t.version;
        let page = task_page(
            &org,
            target,
            form,
            FormErrors::default(),
            &people,
            Some(saved),
        );
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    tx.commit().await?;
    Ok(org.flash(&target.cancel, &format!("Задача {} сохранена.", t.code)))
}

async fn stage_of(
    conn: &mut sqlx::PgConnection,
    org: &OrgCtx,
    p: &repo::ProgramRow,
    raw_stage: &str,
) -> AppResult<repo::StageRow> {
    let stage_id = parse_id(raw_stage)?;
    repo::stage(conn, org.org.id, p.id, stage_id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn new_task_page(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id, stage_id)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let p = editable_program(&state, &org, &id).await?;
    let mut conn = state.pool.acquire().await?;
    let stage = stage_of(&mut conn, &org, &p, &stage_id).await?;
    let people = crate::tenancy::repo::member_names(&mut conn, org.org.id).await?;
    let form = TaskForm {
        due_on: today().max(p.starts_on).min(p.ends_on).to_string(),
        responsible_role: "curator".into(),
        status: "todo".into(),
        ..Default::default()
    };
    let target = TaskTarget::new(&org, &p, &stage);
    Ok(task_page(&org, target, form, FormErrors::default(), &people, None).into_response())
}

pub async fn create_task(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id, stage_id)): Path<(String, String, String)>,
    data: FormData,
) -> AppResult<Response> {
    let p = editable_program(&state, &org, &id).await?;
    let mut tx = state.pool.begin().await?;
    let stage = stage_of(&mut tx, &org, &p, &stage_id).await?;
    let people = crate::tenancy::repo::member_names(&mut tx, org.org.id).await?;
    let form = read_task_form(&data);
    let valid = match validate_task(&form, &people) {
        Ok(v) => v,
        Err(errors) => {
            let page = task_page(
                &org,
                TaskTarget::new(&org, &p, &stage),
                form,
                errors,
                &people,
                None,
            );
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let input = TaskInput {
        title: &form.title,
        due_on: valid.due_on,
        responsible_role: &form.responsible_role,
        responsible_user_id: valid.responsible_user_id,
        status: &form.status,
    };
    let new_id = repo::add_task(&mut tx, org.org.id, p.id, &stage, org.user.id, &input).await?;
    tx.commit().await?;
    Ok(org.flash(
        &org.url(&format!("/programs/{}/roadmap#task-{new_id}", p.id)),
        "Задача добавлена.",
    ))
}

pub async fn delete_task(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id, task_id)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let p = editable_program(&state, &org, &id).await?;
    let task_id = parse_id(&task_id)?;
    let mut conn = state.pool.acquire().await?;
    let t = repo::task(&mut conn, org.org.id, p.id, task_id)
        .await?
        .ok_or(AppError::NotFound)?;
    repo::delete_task(&mut conn, org.org.id, p.id, task_id).await?;
    Ok(org.flash(
        &org.url(&format!("/programs/{}/roadmap", p.id)),
        &format!("Задача {} «{}» удалена.", t.code, t.title),
    ))
}
