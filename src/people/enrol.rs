//! Enrolment in programs, the program's participants page, mentor training with attendance, and
//! participant accounts (invitation links or printed login codes).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::response::Response;
use chrono::Utc;
use uuid::Uuid;

use super::model;
use super::repo;
use super::views::*;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::web::forms::{FormData, parse_date, ru_date, trimmed};
use crate::web::{AppState, OrgCtx, parse_id};

const EDITORS: [Role; 1] = [Role::Curator];

async fn own_program(
    state: &AppState,
    org: &OrgCtx,
    raw: &str,
) -> AppResult<crate::programs::repo::ProgramRow> {
    let id = parse_id(raw)?;
    let mut conn = state.pool.acquire().await?;
    crate::programs::repo::program(&mut conn, org.org.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn ids(data: &FormData, name: &str) -> Vec<Uuid> {
    data.all(name)
        .iter()
        .filter_map(|s| Uuid::parse_str(s).ok())
        .take(2000)
        .collect()
}

/// Enrols people who have a valid consent; returns (enrolled, refused with reasons).
async fn enrol_people(
    conn: &mut sqlx::PgConnection,
    org: &OrgCtx,
    program_id: Uuid,
    people: &[Uuid],
    role: &str,
) -> AppResult<(usize, Vec<String>)> {
    let mut enrolled = 0;
    let mut refused = Vec::new();
    for id in people {
        let Some((p, problem)) = repo::participation(&mut *conn, org.org.id, *id).await? else {
            continue;
        };
        if let Some(why) = problem {
            let name = model::display_name(
                p.number,
                &p.last_name,
                &p.first_name,
                &p.middle_name,
                p.anonymized_at.is_some(),
            );
            refused.push(format!("{name}: {why}"));
            continue;
        }
        if repo::enrol(&mut *conn, org.org.id, program_id, p.id, role).await? {
            crate::audit::record(
                &mut *conn,
                org,
                "enrolment",
                Some(p.id),
                &format!("{} — {}", model::role_label(role), program_id),
            )
            .await?;
            enrolled += 1;
        }
    }
    Ok((enrolled, refused))
}

fn enrol_message(enrolled: usize, refused: &[String]) -> (bool, String) {
    if refused.is_empty() {
        (true, format!("Включено в программу: {enrolled}."))
    } else {
        (
            false,
            format!(
                "Включено: {enrolled}. Не включены ({}): {}",
                refused.len(),
                refused.join("; ")
            ),
        )
    }
}

pub async fn enrol_one(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let person_id = parse_id(&id)?;
    let program = own_program(&state, &org, &data.get("program")).await?;
    let role = if data.get("role") == "mentor" {
        "mentor"
    } else {
        "mentee"
    };
    let mut tx = state.pool.begin().await?;
    if repo::person(&mut tx, org.org.id, person_id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let (n, refused) = enrol_people(&mut tx, &org, program.id, &[person_id], role).await?;
    tx.commit().await?;
    let back = org.url(&format!("/people/{person_id}"));
    Ok(match (n, refused.first()) {
        (_, Some(why)) => org.flash_error(&back, &format!("Нельзя включить в программу. {why}")),
        (0, None) => org.flash(&back, "Уже участвует в этой программе в этой роли."),
        _ => org.flash(
            &back,
            &format!(
                "Включён(а) в программу «{}» ({}).",
                program.name,
                model::role_label(role)
            ),
        ),
    })
}

/// Bulk actions from the bases page: enrol the selected people, or create their accounts.
pub async fn bulk(
    State(state): State<AppState>,
    org: OrgCtx,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let mut tx = state.pool.begin().await?;
    let people = repo::own_ids(&mut tx, org.org.id, &ids(&data, "ids")).await?;
    let back = org.url(&format!("/people?{}", data.get("back_query")));
    if people.is_empty() {
        return Ok(org.flash_error(&back, "Отметьте людей в списке."));
    }
    let role = if data.get("role") == "mentor" {
        "mentor"
    } else {
        "mentee"
    };
    match data.get("action").as_str() {
        "enrol" => {
            let program = own_program(&state, &org, &data.get("program")).await?;
            let (n, refused) = enrol_people(&mut tx, &org, program.id, &people, role).await?;
            tx.commit().await?;
            let (ok, msg) = enrol_message(n, &refused);
            Ok(if ok {
                org.flash(&back, &msg)
            } else {
                org.flash_error(&back, &msg)
            })
        }
        "questionnaire" => {
            let qid = parse_id(&data.get("questionnaire"))?;
            let cur = crate::questionnaires::repo::current(&mut tx, org.org.id, qid)
                .await?
                .ok_or(AppError::NotFound)?;
            let deadline = parse_date(&data.get("deadline"));
            match crate::questionnaires::handlers::give(&mut tx, &org, &cur, None, "people", people, deadline).await? {
                Some((aid, given, refused)) => {
                    tx.commit().await?;
                    let mut msg = format!("Анкета «{}» выдана: {given} человек.", cur.title);
                    if refused > 0 {
                        msg.push_str(&format!(" Не выдана {refused} — нет действующего согласия на обработку персональных данных."));
                    }
                    Ok(org.flash(&org.url(&format!("/assignments/{aid}")), &msg))
                }
                None => Ok(org.flash_error(&back, "Анкета не выдана: ни у кого из отмеченных нет действующего согласия на обработку персональных данных.")),
            }
        }
        "accounts" => {
            let days = code_days(&data);
            let mut issued = Vec::new();
            let mut refused = Vec::new();
            for id in &people {
                match create_account(&mut tx, &org, *id, role, days).await? {
                    Ok(a) => issued.push(a),
                    Err(why) => refused.push(why),
                }
            }
            let classes = class_opts(repo::classes(&mut tx, org.org.id).await?, "");
            tx.commit().await?;
            // The codes and links exist only now (the database keeps their digests): they are
            // shown once, on a printable page.
            let mut page = issued_page(&state, &org, issued, refused, days);
            page.classes = classes;
            Ok(page.into_response())
        }
        _ => Ok(org.flash_error(&back, "Выберите действие.")),
    }
}

/// Latin transliteration for logins (ГОСТ-like, lower case).
pub fn translit(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let t = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ы' => "y",
            'ю' => "iu",
            'я' => "ia",
            'ь' | 'ъ' => "",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "",
        };
        out.push_str(t);
    }
    out
}

/// What issuing an account gave: shown once (the database keeps only digests).
pub enum Issued {
    /// A login and a one-time code for a slip.
    Code {
        name: String,
        class_name: String,
        login: String,
        code: String,
    },
    /// An invitation link for someone with an e-mail.
    Link { name: String, link: String },
    /// The account already has a password: only the role was added.
    Ready { name: String },
    /// The e-mail belongs to an account outside this organization: it was invited and the
    /// person accepts in their own account.
    Invited { name: String },
}

fn class_opts(classes: Vec<String>, selected: &str) -> Vec<Opt> {
    classes
        .into_iter()
        .map(|c| Opt {
            selected: c == selected,
            label: c.clone(),
            value: c,
        })
        .collect()
}

fn code_days(data: &FormData) -> i64 {
    data.get("code_days")
        .parse::<i64>()
        .ok()
        .filter(|d| crate::auth::repo::CODE_DAYS_CHOICES.contains(d))
        .unwrap_or(crate::auth::repo::CODE_DAYS_DEFAULT)
}

/// Creates the account of a person (or issues a new code / link): people with an email get an
/// invitation link, others a login and a one-time code. An account that already exists outside
/// this organization is never attached: it gets an invitation to accept. Returns what was
/// issued, or why not.
async fn create_account(
    conn: &mut sqlx::PgConnection,
    org: &OrgCtx,
    person_id: Uuid,
    role: &str,
    code_days: i64,
) -> AppResult<Result<Issued, String>> {
    let Some(p) = repo::person(&mut *conn, org.org.id, person_id).await? else {
        return Err(AppError::NotFound);
    };
    let name = model::display_name(
        p.number,
        &p.last_name,
        &p.first_name,
        &p.middle_name,
        p.anonymized_at.is_some(),
    );
    if p.anonymized_at.is_some() || !p.has_consent {
        return Ok(Err(format!("{name}: нет действующего согласия")));
    }
    let role = match role {
        "mentor" => Role::Mentor,
        _ => Role::Mentee,
    };
    let user_id = match p.user_id {
        Some(uid) => uid,
        None if !p.email.is_empty() => {
            let email = crate::auth::model::normalize_email(&p.email);
            match crate::auth::repo::user_by_email(&mut *conn, &email).await? {
                Some(u)
                    if !crate::tenancy::repo::is_member(&mut *conn, org.org.id, u.id).await? =>
                {
                    crate::tenancy::repo::invite_existing(
                        &mut *conn,
                        org.org.id,
                        u.id,
                        &[role],
                        &email,
                        &name,
                        Some(p.id),
                        org.user.id,
                    )
                    .await?;
                    crate::audit::record(&mut *conn, org, "membership.invite", Some(p.id), "")
                        .await?;
                    return Ok(Ok(Issued::Invited { name }));
                }
                Some(u) => {
                    repo::link_user(&mut *conn, org.org.id, p.id, u.id).await?;
                    u.id
                }
                None => {
                    let (u, _) =
                        crate::auth::repo::find_or_create_user(&mut *conn, &email, &name, false)
                            .await?;
                    repo::link_user(&mut *conn, org.org.id, p.id, u.id).await?;
                    u.id
                }
            }
        }
        None => {
            let base = format!(
                "{}{}",
                translit(&p.last_name),
                translit(&p.first_name)
                    .chars()
                    .next()
                    .map(String::from)
                    .unwrap_or_default()
            );
            let login = format!(
                "{}-{}.{}",
                if base.is_empty() { "user" } else { &base },
                p.number,
                org.org.slug
            );
            let (user, _) =
                crate::auth::repo::find_or_create_user(&mut *conn, &login, &name, false).await?;
            sqlx::query("UPDATE users SET login_kind = 'code' WHERE id = $1")
                .bind(user.id)
                .execute(&mut *conn)
                .await?;
            repo::link_user(&mut *conn, org.org.id, p.id, user.id).await?;
            user.id
        }
    };
    crate::tenancy::repo::grant_roles(&mut *conn, org.org.id, user_id, &[role]).await?;
    let (login, kind, has_password): (String, String, bool) = sqlx::query_as(
        "SELECT email, login_kind, password_hash IS NOT NULL FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?;
    if has_password {
        return Ok(Ok(Issued::Ready { name }));
    }
    // Links and codes only for an account that belongs to this organization alone.
    if crate::tenancy::repo::other_memberships(&mut *conn, org.org.id, user_id).await? > 0 {
        return Ok(Ok(Issued::Ready { name }));
    }
    if kind == "code" {
        let code = crate::auth::repo::create_codes(
            &mut *conn,
            &[user_id],
            org.org.id,
            org.user.id,
            code_days,
        )
        .await?
        .remove(0)
        .1;
        crate::audit::record(&mut *conn, org, "account.code", Some(p.id), "").await?;
        Ok(Ok(Issued::Code {
            name,
            class_name: p.class_name.clone(),
            login,
            code,
        }))
    } else {
        let token = crate::auth::repo::create_invitation(
            &mut *conn,
            user_id,
            Some(org.org.id),
            Some(org.user.id),
        )
        .await?;
        crate::audit::record(&mut *conn, org, "account.create", Some(p.id), "").await?;
        Ok(Ok(Issued::Link {
            name,
            link: format!("/invite/{token}"),
        }))
    }
}

/// The printable page of what was just issued: slips with logins and codes, invitation links,
/// invitations sent to existing accounts, and who got nothing and why.
fn issued_page(
    state: &AppState,
    org: &OrgCtx,
    issued: Vec<Issued>,
    refused: Vec<String>,
    days: i64,
) -> SlipsPage {
    let mut slips = Vec::new();
    let mut links = Vec::new();
    let mut notes = Vec::new();
    for i in issued {
        match i {
            Issued::Code {
                name,
                class_name,
                login,
                code,
            } => slips.push(Slip {
                name,
                class_name,
                login,
                code,
            }),
            Issued::Link { name, link } => {
                links.push((name, format!("{}{link}", state.config.public_url)))
            }
            Issued::Ready { name } => notes.push(format!(
                "{name}: учётная запись уже действует (пароль задан) — добавлена роль."
            )),
            Issued::Invited { name } => notes.push(format!(
                "{name}: этот адрес уже зарегистрирован — человек подтвердит приглашение сам, \
                 войдя в свою учётную запись."
            )),
        }
    }
    SlipsPage {
        ctx: org.page("Листки входа", "people"),
        base: org.url(""),
        classes: Vec::new(),
        class_name: String::new(),
        slips,
        links,
        notes,
        refused,
        issued: true,
        days,
        day_choices: crate::auth::repo::CODE_DAYS_CHOICES.to_vec(),
        site: state.config.public_url.clone(),
    }
}

pub async fn account(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let person_id = parse_id(&id)?;
    let mut tx = state.pool.begin().await?;
    let p = repo::person(&mut tx, org.org.id, person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let enrolled_as_mentor = repo::enrolments_of(&mut tx, org.org.id, p.id)
        .await?
        .iter()
        .any(|e| e.role == "mentor");
    let role = if enrolled_as_mentor || (p.in_mentor_base && !p.in_mentee_base) {
        "mentor"
    } else {
        "mentee"
    };
    let back = org.url(&format!("/people/{person_id}"));
    // A new code for a child who forgot the password: the password is reset, the old code stops.
    if let Some(uid) = p.user_id {
        let kind: String = sqlx::query_scalar("SELECT login_kind FROM users WHERE id = $1")
            .bind(uid)
            .fetch_one(&mut *tx)
            .await?;
        if kind == "code" {
            sqlx::query("UPDATE users SET password_hash = NULL WHERE id = $1")
                .bind(uid)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(uid)
                .execute(&mut *tx)
                .await?;
        }
    }
    let result = create_account(&mut tx, &org, person_id, role, code_days(&data)).await?;
    tx.commit().await?;
    Ok(match result {
        Ok(Issued::Code { login, code, .. }) => org.flash(
            &back,
            &format!(
                "Логин: {login}. Одноразовый код входа: {code} (действует {} дн.; показан один \
                 раз — запишите или распечатайте листок). При первом входе человек задаст пароль; \
                 прежний код больше не действует.",
                code_days(&data)
            ),
        ),
        Ok(Issued::Link { link, .. }) => org.flash(
            &back,
            &format!(
                "Ссылка-приглашение (действует 7 дней, показана один раз): {}{link}",
                state.config.public_url
            ),
        ),
        Ok(Issued::Ready { .. }) => org.flash(&back, "Учётная запись уже действует: пароль задан."),
        Ok(Issued::Invited { .. }) => org.flash(
            &back,
            "Этот адрес уже зарегистрирован — человек подтвердит приглашение сам.",
        ),
        Err(why) => org.flash_error(&back, &format!("Учётная запись не создана. {why}")),
    })
}

/// Login slips of a class: GET chooses the class; POST issues new codes to everyone in it who
/// has a code login and no password yet, and shows the slips once (codes are kept as digests).
pub async fn slips_page(State(state): State<AppState>, org: OrgCtx) -> AppResult<SlipsPage> {
    org.require_any(&EDITORS)?;
    let mut conn = state.pool.acquire().await?;
    let classes = repo::classes(&mut conn, org.org.id).await?;
    Ok(SlipsPage {
        ctx: org.page("Листки входа", "people"),
        base: org.url(""),
        classes: class_opts(classes, ""),
        class_name: String::new(),
        slips: Vec::new(),
        links: Vec::new(),
        notes: Vec::new(),
        refused: Vec::new(),
        issued: false,
        days: crate::auth::repo::CODE_DAYS_DEFAULT,
        day_choices: crate::auth::repo::CODE_DAYS_CHOICES.to_vec(),
        site: state.config.public_url.clone(),
    })
}

pub async fn slips(
    State(state): State<AppState>,
    org: OrgCtx,
    data: FormData,
) -> AppResult<SlipsPage> {
    org.require_any(&EDITORS)?;
    let class_name = data.get("class");
    let days = code_days(&data);
    let mut tx = state.pool.begin().await?;
    let waiting: Vec<(Uuid, String, String, String, String, Uuid)> = sqlx::query_as(
        "SELECT p.id, p.last_name, p.first_name, p.class_name, u.email, u.id
           FROM people p JOIN users u ON u.id = p.user_id
          WHERE p.org_id = $1 AND p.class_name = $2 AND u.password_hash IS NULL
            AND u.login_kind = 'code' AND u.disabled_at IS NULL AND p.anonymized_at IS NULL
          ORDER BY p.last_name COLLATE ru_icu, p.first_name COLLATE ru_icu
          LIMIT 200",
    )
    .bind(org.org.id)
    .bind(&class_name)
    .fetch_all(&mut *tx)
    .await?;
    let users: Vec<Uuid> = waiting.iter().map(|w| w.5).collect();
    let codes =
        crate::auth::repo::create_codes(&mut tx, &users, org.org.id, org.user.id, days).await?;
    let issued: Vec<Issued> = waiting
        .into_iter()
        .zip(codes)
        .map(
            |((_, last, first, class, login, _), (_, code))| Issued::Code {
                name: format!("{last} {first}"),
                class_name: class,
                login,
                code,
            },
        )
        .collect();
    crate::audit::record(
        &mut tx,
        &org,
        "slips.print",
        None,
        &format!("класс {class_name}: {} листков", issued.len()),
    )
    .await?;
    let classes = class_opts(repo::classes(&mut tx, org.org.id).await?, &class_name);
    tx.commit().await?;
    let mut page = issued_page(&state, &org, issued, Vec::new(), days);
    page.classes = classes;
    page.class_name = class_name;
    Ok(page)
}

// ---- the program's participants ------------------------------------------------------------------

pub async fn participants(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<ParticipantsPage> {
    org.require_any(&[Role::Curator, Role::Director])?;
    let program = own_program(&state, &org, &id).await?;
    let mut conn = state.pool.acquire().await?;
    crate::audit::record(
        &mut conn,
        &org,
        "participants.view",
        None,
        &format!("программа {}", program.id),
    )
    .await?;
    let list = repo::participants(&mut conn, org.org.id, program.id).await?;
    let sessions = repo::training_sessions(&mut conn, org.org.id, program.id).await?;
    let earlier = repo::earlier_mentors(&mut conn, org.org.id, program.id).await?;
    let names: HashMap<Uuid, String> = list
        .iter()
        .map(|p| {
            (
                p.person_id,
                model::display_name(
                    p.number,
                    &p.last_name,
                    &p.first_name,
                    &p.middle_name,
                    p.anonymized,
                ),
            )
        })
        .collect();
    let line = |p: &repo::Participant| ParticipantLine {
        enrolment_id: p.enrolment_id.to_string(),
        person_id: p.person_id.to_string(),
        name: names.get(&p.person_id).cloned().unwrap_or_default(),
        class_name: p.class_name.clone(),
        status: p.status.clone(),
        status_label: model::status_label(&p.role, &p.status),
        attended: p.attended,
    };
    Ok(ParticipantsPage {
        ctx: org.page(format!("Участники — {}", program.name), "programs"),
        base: org.url(""),
        program_url: org.url(&format!("/programs/{}", program.id)),
        program_name: program.name.clone(),
        mentors: list
            .iter()
            .filter(|p| p.role == "mentor")
            .map(line)
            .collect(),
        mentees: list
            .iter()
            .filter(|p| p.role == "mentee")
            .map(line)
            .collect(),
        mentor_statuses: model::MENTOR_STATUSES.to_vec(),
        mentee_statuses: model::MENTEE_STATUSES.to_vec(),
        trainings_total: sessions.len(),
        trainings: sessions
            .into_iter()
            .map(|s| TrainingLine {
                id: s.id.to_string(),
                date: ru_date(s.held_on),
                topic: s.topic,
                count: s.attendees.len(),
                attendees: s.attendees.iter().map(|a| a.to_string()).collect(),
            })
            .collect(),
        earlier: earlier
            .into_iter()
            .map(|(id, n, p)| (id.to_string(), n, p))
            .collect(),
        can_edit: org.has(Role::Curator),
        today: Utc::now().date_naive().to_string(),
    })
}

pub async fn set_status(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let program = own_program(&state, &org, &id).await?;
    let back = org.url(&format!("/programs/{}/participants", program.id));
    let role = if data.get("role") == "mentor" {
        "mentor"
    } else {
        "mentee"
    };
    let status = data.get("status");
    if !model::is_status(role, &status) {
        return Ok(org.flash_error(&back, "Выберите статус."));
    }
    let selected = ids(&data, "ids");
    if selected.is_empty() {
        return Ok(org.flash_error(&back, "Отметьте участников."));
    }
    let mut conn = state.pool.acquire().await?;
    let n = repo::set_statuses(&mut conn, org.org.id, program.id, &selected, role, &status).await?;
    Ok(org.flash(
        &back,
        &format!(
            "Статус «{}» у {n} участников.",
            model::status_label(role, &status)
        ),
    ))
}

pub async fn enrol_earlier(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let program = own_program(&state, &org, &id).await?;
    let back = org.url(&format!("/programs/{}/participants", program.id));
    let mut tx = state.pool.begin().await?;
    let people = repo::own_ids(&mut tx, org.org.id, &ids(&data, "ids")).await?;
    let (n, refused) = enrol_people(&mut tx, &org, program.id, &people, "mentor").await?;
    tx.commit().await?;
    let (ok, msg) = enrol_message(n, &refused);
    Ok(if ok {
        org.flash(&back, &msg)
    } else {
        org.flash_error(&back, &msg)
    })
}

pub async fn add_training(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let program = own_program(&state, &org, &id).await?;
    let back = org.url(&format!("/programs/{}/participants#training", program.id));
    let topic = trimmed(&data.get("topic"));
    let Some(date) = parse_date(&data.get("held_on")) else {
        return Ok(org.flash_error(&back, "Укажите дату занятия."));
    };
    if topic.is_empty() {
        return Ok(org.flash_error(&back, "Укажите тему занятия."));
    }
    if topic.chars().count() > 300 {
        return Ok(org.flash_error(
            &back,
            &format!(
                "Тема занятия: {}",
                crate::web::forms::too_long(300, topic.chars().count())
            ),
        ));
    }
    let mut conn = state.pool.acquire().await?;
    repo::add_training(&mut conn, org.org.id, program.id, date, &topic).await?;
    Ok(org.flash(&back, "Занятие добавлено в план обучения наставников."))
}

pub async fn attendance(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id, session)): Path<(String, String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let program = own_program(&state, &org, &id).await?;
    let session = parse_id(&session)?;
    let mut conn = state.pool.acquire().await?;
    if !repo::set_attendance(
        &mut conn,
        org.org.id,
        program.id,
        session,
        &ids(&data, "present"),
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(org.flash(
        &org.url(&format!("/programs/{}/participants#training", program.id)),
        "Посещаемость сохранена.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins() {
        assert_eq!(translit("Щукина Юлия"), "shchukinaiuliia");
        assert_eq!(translit("Ёлкин-2"), "elkin2");
    }
}
