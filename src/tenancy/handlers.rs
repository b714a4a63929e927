use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::model::{self, KINDS, Organization, kind_label, valid_slug};
use super::repo::{self, NewOrg};
use super::views::*;
use crate::auth::model::{Role, normalize_email, valid_email};
use crate::error::{AppError, AppResult};
use crate::programs::model::{percent, program_status_label};
use crate::web::forms::{FormData, FormErrors, ru_date, trimmed};
use crate::web::{AppState, AuthUser, OrgCtx, parse_id, redirect_with_flash};

/// A role's weight: a member may act on accounts whose roles do not rise above their own.
fn rank(roles: &[Role]) -> u8 {
    roles
        .iter()
        .map(|r| match r {
            Role::Director => 3,
            Role::Curator => 2,
            Role::Mentor | Role::Mentee => 1,
        })
        .max()
        .unwrap_or(0)
}

fn member_views(viewer: &[Role], members: Vec<repo::Member>) -> Vec<MemberView> {
    let mine = rank(viewer);
    members
        .into_iter()
        .map(|m| {
            let roles = Role::parse_all(&m.roles);
            let within = rank(&roles) <= mine;
            MemberView {
                user_id: m.user_id.to_string(),
                roles_label: roles
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join(", "),
                roles: roles.iter().map(|r| r.code()).collect(),
                active: m.has_password,
                invite_state: match m.invite_expires {
                    Some(d) => format!(
                        "Ссылка-приглашение выдана, действует до {}.",
                        ru_date(d.date_naive())
                    ),
                    None => "Действующей ссылки нет.".into(),
                },
                can_reissue: !m.has_password && m.elsewhere == 0 && within,
                can_edit: within,
                full_name: m.full_name,
                email: m.email,
            }
        })
        .collect()
}

// ---- organization home ------------------------------------------------------------------------

pub async fn home(State(state): State<AppState>, org: OrgCtx) -> AppResult<HomePage> {
    let mut conn = state.pool.acquire().await?;
    let mut programs = crate::programs::repo::programs(&mut conn, org.org.id).await?;
    if !org.is_staff() {
        let mine =
            crate::participants::programs_of_user(&mut conn, org.org.id, org.user.id).await?;
        programs.retain(|p| mine.contains(&p.id));
    }
    let members = if org.is_staff() {
        repo::member_names(&mut conn, org.org.id).await?.len()
    } else {
        0
    };
    let forms = {
        let codes = crate::programs::repo::org_form_codes(&mut conn, org.org.id).await?;
        let all = crate::programs::repo::forms(&mut conn).await?;
        all.into_iter()
            .filter(|f| codes.contains(&f.code))
            .map(|f| f.title)
            .collect()
    };
    let my_forms = crate::questionnaires::mine(&mut conn, org.org.id, org.user.id)
        .await?
        .into_iter()
        .map(|m| {
            let done = m.status.as_deref() == Some("submitted");
            (
                org.url(&format!("/my/forms/{}", m.assignment_id)),
                m.title,
                m.program_name.unwrap_or_default(),
                m.deadline.map(ru_date).unwrap_or_default(),
                match m.status.as_deref() {
                    Some("submitted") => "отправлена",
                    Some(_) => "черновик",
                    None => "не начата",
                },
                done,
            )
        })
        .collect();
    let my_pairs = crate::pairing::home_lines(&mut conn, &org).await?;
    let notifications = crate::notifications::notifications(&mut conn, org.org.id, org.user.id)
        .await?
        .into_iter()
        .map(|(id, t, _)| (t, org.url(&format!("/notifications/{id}"))))
        .collect();
    let o: &Organization = &org.org;
    Ok(HomePage {
        ctx: org.page(o.short_name.clone(), "home"),
        base: org.url(""),
        full_name: o.full_name.clone(),
        kind_label: kind_label(&o.kind),
        municipality: o.municipality.clone(),
        region: o.region.clone(),
        is_staff: org.is_staff(),
        is_curator: org.has(Role::Curator),
        programs: programs
            .into_iter()
            .map(|p| ProgramLine {
                id: p.id.to_string(),
                status_label: program_status_label(&p.status),
                status: p.status,
                percent: percent(p.tasks_done, p.tasks_total),
                overdue: p.tasks_overdue,
                name: p.name,
                form_title: p.form_title,
            })
            .collect(),
        members,
        students_count: o.students_count,
        teachers_count: o.teachers_count,
        forms,
        my_forms,
        my_pairs,
        notifications,
    })
}

// ---- members ----------------------------------------------------------------------------------

const STAFF: [Role; 2] = [Role::Curator, Role::Director];

fn roles_table() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.code(), r.label())).collect()
}

const MEMBERS_PAGE: i64 = 100;

async fn members_page(
    state: &AppState,
    org: &OrgCtx,
    page: i64,
    form: MemberForm,
    errors: FormErrors,
) -> AppResult<MembersPage> {
    let mut conn = state.pool.acquire().await?;
    let total = repo::member_count(&mut conn, org.org.id).await?;
    let pages = ((total + MEMBERS_PAGE - 1) / MEMBERS_PAGE).max(1);
    let page = page.clamp(0, pages - 1);
    let members = repo::members(&mut conn, org.org.id, MEMBERS_PAGE, page * MEMBERS_PAGE).await?;
    let pending = repo::pending_of_org(&mut conn, org.org.id).await?;
    crate::audit::record(&mut conn, org, "members.view", None, "").await?;
    Ok(MembersPage {
        ctx: org.page("Люди и роли", "members"),
        base: org.url(""),
        members: member_views(&org.roles, members),
        pending: pending
            .into_iter()
            .map(|p| PendingView {
                id: p.id.to_string(),
                email: p.email,
                typed_name: p.typed_name,
                roles_label: Role::parse_all(&p.roles)
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join(", "),
                created: ru_date(p.created_at.date_naive()),
            })
            .collect(),
        total,
        page,
        pages,
        form,
        errors,
        roles: roles_table(),
    })
}

pub async fn members(
    State(state): State<AppState>,
    org: OrgCtx,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> AppResult<MembersPage> {
    org.require_any(&STAFF)?;
    let page = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0);
    members_page(
        &state,
        &org,
        page,
        MemberForm::default(),
        FormErrors::default(),
    )
    .await
}

pub async fn add_member(
    State(state): State<AppState>,
    org: OrgCtx,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&STAFF)?;
    let form = MemberForm {
        email: trimmed(&data.get("email")),
        full_name: trimmed(&data.get("full_name")),
        roles: data.all("roles"),
    };
    let email = normalize_email(&form.email);
    let roles = Role::parse_all(&form.roles);
    let mut errors = FormErrors::default();
    if !valid_email(&email) {
        errors.add(
            "email",
            "Введите адрес электронной почты, например ivanova@school.ru (не длиннее 254 символов).",
        );
    }
    if form.full_name.is_empty() {
        errors.add("full_name", "Введите фамилию, имя и отчество.");
    }
    errors.limit("full_name", &form.full_name, 200);
    if roles.is_empty() {
        errors.add("roles", "Отметьте хотя бы одну роль.");
    }
    if roles.contains(&Role::Director) && !org.has(Role::Director) {
        errors.add("roles", "Назначить директора может только директор.");
    }
    if !errors.is_empty() {
        let page = members_page(&state, &org, 0, form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let mut tx = state.pool.begin().await?;
    let existing = crate::auth::repo::user_by_email(&mut tx, &email).await?;
    let roles_label = roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ");
    let (to, msg) = match existing {
        // Never attached silently: the person accepts in their own account. Nothing about the
        // account (its name, its organizations) is shown here.
        Some(u) if !repo::is_member(&mut tx, org.org.id, u.id).await? => {
            repo::invite_existing(
                &mut tx,
                org.org.id,
                u.id,
                &roles,
                &email,
                &form.full_name,
                None,
                org.user.id,
            )
            .await?;
            crate::audit::record(&mut tx, &org, "membership.invite", None, "").await?;
            (
                org.url("/members#pending"),
                "Этот адрес уже зарегистрирован — человек подтвердит приглашение сам, войдя в свою \
                 учётную запись."
                    .to_string(),
            )
        }
        Some(u) => {
            let current = repo::member_roles(&mut tx, org.org.id, u.id)
                .await?
                .unwrap_or_default();
            if rank(&current) > rank(&org.roles) {
                return Ok(org.flash_error(
                    &org.url("/members"),
                    "Роли этого участника может менять только директор.",
                ));
            }
            repo::grant_roles(&mut tx, org.org.id, u.id, &roles).await?;
            (
                org.url(&format!("/members#m-{}", u.id)),
                format!("Участнику организации добавлены роли: {roles_label}."),
            )
        }
        None => {
            let (user, _) =
                crate::auth::repo::find_or_create_user(&mut tx, &email, &form.full_name, false)
                    .await?;
            repo::grant_roles(&mut tx, org.org.id, user.id, &roles).await?;
            let token = crate::auth::repo::create_invitation(
                &mut tx,
                user.id,
                Some(org.org.id),
                Some(org.user.id),
            )
            .await?;
            (
                org.url(&format!("/members#m-{}", user.id)),
                format!(
                    "{} добавлен(а) с ролями: {roles_label}. Передайте ссылку-приглашение: по ней \
                     задаётся пароль; она действует 7 дней, работает один раз и показана только \
                     сейчас: {}/invite/{token}",
                    form.full_name, state.config.public_url
                ),
            )
        }
    };
    tx.commit().await?;
    Ok(org.flash(&to, &msg))
}

/// Withdraws a pending invitation of an existing account.
pub async fn revoke_pending(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<Response> {
    org.require_any(&STAFF)?;
    let id = parse_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    if !repo::revoke_pending(&mut conn, org.org.id, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(org.flash(&org.url("/members#pending"), "Приглашение отозвано."))
}

async fn member_id(state: &AppState, org: &OrgCtx, raw: &str) -> AppResult<Uuid> {
    let id = parse_id(raw)?;
    let mut conn = state.pool.acquire().await?;
    if repo::is_member(&mut conn, org.org.id, id).await? {
        Ok(id)
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn reissue_invite(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, user)): Path<(String, String)>,
) -> AppResult<Response> {
    org.require_any(&STAFF)?;
    let user_id = member_id(&state, &org, &user).await?;
    let mut tx = state.pool.begin().await?;
    if crate::auth::repo::has_password(&mut tx, user_id).await? {
        return Ok(org.flash_error(
            &org.url("/members"),
            "У этого человека уже есть пароль; приглашение не нужно.",
        ));
    }
    // Only for an account of this organization alone, with no role above the inviter's.
    let roles = repo::member_roles(&mut tx, org.org.id, user_id)
        .await?
        .unwrap_or_default();
    if rank(&roles) > rank(&org.roles)
        || repo::other_memberships(&mut tx, org.org.id, user_id).await? > 0
    {
        return Ok(org.flash_error(
            &org.url("/members"),
            "Новую ссылку для этого человека может выдать только тот, кто выше по роли, или \
             организация, где он состоит.",
        ));
    }
    let token =
        crate::auth::repo::create_invitation(&mut tx, user_id, Some(org.org.id), Some(org.user.id))
            .await?;
    tx.commit().await?;
    Ok(org.flash(
        &org.url(&format!("/members#m-{user_id}")),
        &format!(
            "Новая ссылка-приглашение (действует 7 дней, показана только сейчас; прежние ссылки \
             больше не действуют): {}/invite/{token}",
            state.config.public_url
        ),
    ))
}

pub async fn set_member_roles(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, user)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&STAFF)?;
    let user_id = member_id(&state, &org, &user).await?;
    let roles = Role::parse_all(&data.all("roles"));
    let back = org.url(&format!("/members#m-{user_id}"));
    if roles.is_empty() {
        return Ok(org.flash_error(&back, "У участника должна остаться хотя бы одна роль."));
    }
    if user_id == org.user.id && !roles.iter().any(|r| STAFF.contains(r)) {
        return Ok(org.flash_error(
            &back,
            "Нельзя снять с себя роли куратора и директора: вы потеряете доступ к этой странице.",
        ));
    }
    let mut tx = state.pool.begin().await?;
    let current = repo::member_roles(&mut tx, org.org.id, user_id)
        .await?
        .unwrap_or_default();
    let had_director = current.contains(&Role::Director);
    if (had_director != roles.contains(&Role::Director)) && !org.has(Role::Director) {
        return Ok(org.flash_error(
            &back,
            "Назначить или снять директора может только директор.",
        ));
    }
    repo::set_roles(&mut tx, org.org.id, user_id, &roles).await?;
    tx.commit().await?;
    Ok(org.flash(&back, "Роли сохранены."))
}

// ---- settings ---------------------------------------------------------------------------------

fn org_form_from(o: &Organization, forms: Vec<String>) -> OrgForm {
    OrgForm {
        slug: o.slug.clone(),
        full_name: o.full_name.clone(),
        short_name: o.short_name.clone(),
        kind: o.kind.clone(),
        municipality: o.municipality.clone(),
        region: o.region.clone(),
        students_count: o.students_count.to_string(),
        teachers_count: o.teachers_count.to_string(),
        forms,
        ..Default::default()
    }
}

fn read_org_form(data: &FormData) -> OrgForm {
    OrgForm {
        slug: trimmed(&data.get("slug")).to_lowercase(),
        full_name: trimmed(&data.get("full_name")),
        short_name: trimmed(&data.get("short_name")),
        kind: data.get("kind"),
        municipality: trimmed(&data.get("municipality")),
        region: trimmed(&data.get("region")),
        students_count: trimmed(&data.get("students_count")),
        teachers_count: trimmed(&data.get("teachers_count")),
        forms: data.all("forms"),
        director_email: trimmed(&data.get("director_email")),
        director_name: trimmed(&data.get("director_name")),
        curator_email: trimmed(&data.get("curator_email")),
        curator_name: trimmed(&data.get("curator_name")),
    }
}

impl OrgForm {
    fn new_org<'a>(&'a self, slug: &'a str, students: i32, teachers: i32) -> NewOrg<'a> {
        NewOrg {
            slug,
            full_name: &self.full_name,
            short_name: &self.short_name,
            kind: &self.kind,
            municipality: &self.municipality,
            region: &self.region,
            students_count: students,
            teachers_count: teachers,
        }
    }
}

fn parse_count(s: &str) -> Option<i32> {
    if s.is_empty() {
        return Some(0);
    }
    s.replace([' ', '\u{a0}'], "")
        .parse::<i32>()
        .ok()
        .filter(|n| (0..=1_000_000).contains(n))
}

/// Validates the fields common to creating and editing; returns the two counts.
fn validate_org(form: &OrgForm, errors: &mut FormErrors) -> (i32, i32) {
    if form.full_name.is_empty() {
        errors.add("full_name", "Введите полное наименование.");
    }
    if form.short_name.is_empty() {
        errors.add("short_name", "Введите краткое наименование.");
    }
    errors.limit("full_name", &form.full_name, 300);
    errors.limit("short_name", &form.short_name, 100);
    errors.limit("municipality", &form.municipality, 200);
    errors.limit("region", &form.region, 200);
    errors.limit("director_name", &form.director_name, 200);
    errors.limit("curator_name", &form.curator_name, 200);
    if !KINDS.iter().any(|(k, _)| *k == form.kind) {
        errors.add("kind", "Выберите тип организации.");
    }
    let students = parse_count(&form.students_count).unwrap_or_else(|| {
        errors.add("students_count", "Введите целое число от 0.");
        0
    });
    let teachers = parse_count(&form.teachers_count).unwrap_or_else(|| {
        errors.add("teachers_count", "Введите целое число от 0.");
        0
    });
    (students, teachers)
}

async fn form_choices(state: &AppState, checked: &[String]) -> AppResult<Vec<FormChoice>> {
    let mut conn = state.pool.acquire().await?;
    Ok(crate::programs::repo::forms(&mut conn)
        .await?
        .into_iter()
        .map(|f| FormChoice {
            checked: checked.contains(&f.code),
            code: f.code,
            title: f.title,
            family: if f.family == "college" {
                "модель колледжа".into()
            } else {
                "методология".into()
            },
        })
        .collect())
}

pub async fn settings(State(state): State<AppState>, org: OrgCtx) -> AppResult<SettingsPage> {
    org.require_any(&STAFF)?;
    let mut conn = state.pool.acquire().await?;
    let codes = crate::programs::repo::org_form_codes(&mut conn, org.org.id).await?;
    Ok(SettingsPage {
        ctx: org.page("Организация", "settings"),
        base: org.url(""),
        slug: org.org.slug.clone(),
        forms: form_choices(&state, &codes).await?,
        form: org_form_from(&org.org, codes),
        errors: FormErrors::default(),
        kinds: KINDS.to_vec(),
    })
}

pub async fn save_settings(
    State(state): State<AppState>,
    org: OrgCtx,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&STAFF)?;
    let form = read_org_form(&data);
    let mut errors = FormErrors::default();
    let (students, teachers) = validate_org(&form, &mut errors);
    if !errors.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            SettingsPage {
                ctx: org.page("Организация", "settings"),
                base: org.url(""),
                slug: org.org.slug.clone(),
                forms: form_choices(&state, &form.forms).await?,
                form,
                errors,
                kinds: KINDS.to_vec(),
            },
        )
            .into_response());
    }
    let mut tx = state.pool.begin().await?;
    repo::update_org(
        &mut tx,
        org.org.id,
        &form.new_org(&org.org.slug, students, teachers),
    )
    .await?;
    crate::programs::repo::set_org_forms(&mut tx, org.org.id, &form.forms).await?;
    tx.commit().await?;
    Ok(org.flash(&org.url("/settings"), "Сведения об организации сохранены."))
}

// ---- platform admin ----------------------------------------------------------------------------

fn require_admin(auth: &AuthUser) -> AppResult<()> {
    if auth.user.is_platform_admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn admin_orgs(State(state): State<AppState>, auth: AuthUser) -> AppResult<AdminOrgsPage> {
    require_admin(&auth)?;
    let mut conn = state.pool.acquire().await?;
    let orgs = repo::list_orgs(&mut conn).await?;
    Ok(AdminOrgsPage {
        ctx: auth.ctx.page("Организации платформы"),
        orgs: orgs
            .into_iter()
            .map(|o| OrgLine {
                id: o.id.to_string(),
                kind_label: kind_label(&o.kind),
                slug: o.slug,
                short_name: o.short_name,
                members: o.members,
                programs: o.programs,
            })
            .collect(),
    })
}

pub async fn admin_new_org(auth: AuthUser) -> AppResult<AdminOrgNewPage> {
    require_admin(&auth)?;
    Ok(AdminOrgNewPage {
        ctx: auth.ctx.page("Новая организация"),
        form: OrgForm {
            kind: "school".into(),
            ..Default::default()
        },
        errors: FormErrors::default(),
        kinds: KINDS.to_vec(),
    })
}

pub async fn admin_create_org(
    State(state): State<AppState>,
    auth: AuthUser,
    data: FormData,
) -> AppResult<Response> {
    require_admin(&auth)?;
    let form = read_org_form(&data);
    let mut errors = FormErrors::default();
    if !valid_slug(&form.slug) {
        errors.add(
            "slug",
            "Латинские буквы, цифры и дефис, от 2 до 63 символов (например, sosh-1).",
        );
    }
    let (students, teachers) = validate_org(&form, &mut errors);
    let director_email = normalize_email(&form.director_email);
    let curator_email = normalize_email(&form.curator_email);
    if !valid_email(&director_email) {
        errors.add(
            "director_email",
            "Введите адрес электронной почты директора.",
        );
    }
    if form.director_name.is_empty() {
        errors.add("director_name", "Введите ФИО директора.");
    }
    if !valid_email(&curator_email) {
        errors.add("curator_email", "Введите адрес электронной почты куратора.");
    }
    if form.curator_name.is_empty() {
        errors.add("curator_name", "Введите ФИО куратора.");
    }
    let render = |form: OrgForm, errors: FormErrors| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            AdminOrgNewPage {
                ctx: auth.ctx.page("Новая организация"),
                form,
                errors,
                kinds: KINDS.to_vec(),
            },
        )
            .into_response()
    };
    if !errors.is_empty() {
        return Ok(render(form, errors));
    }
    let mut tx = state.pool.begin().await?;
    if repo::org_by_slug(&mut tx, &form.slug).await?.is_some() {
        errors.add("slug", "Этот адрес уже занят другой организацией.");
        return Ok(render(form, errors));
    }
    let org_id = repo::insert_org(&mut tx, &form.new_org(&form.slug, students, teachers)).await?;
    crate::questionnaires::ensure_templates(&mut tx, org_id).await?;
    let mut notes = Vec::new();
    for (email, name, role) in [
        (&director_email, &form.director_name, Role::Director),
        (&curator_email, &form.curator_name, Role::Curator),
    ] {
        match crate::auth::repo::user_by_email(&mut tx, email).await? {
            // An existing account (say, the director of two schools) accepts in its own account.
            Some(u) => {
                repo::invite_existing(
                    &mut tx,
                    org_id,
                    u.id,
                    &[role],
                    email,
                    name,
                    None,
                    auth.user.id,
                )
                .await?;
                notes.push(format!(
                    "{}: адрес уже зарегистрирован — человек подтвердит приглашение сам.",
                    role.label()
                ));
            }
            None => {
                let (user, _) =
                    crate::auth::repo::find_or_create_user(&mut tx, email, name, false).await?;
                repo::grant_roles(&mut tx, org_id, user.id, &[role]).await?;
                let token = crate::auth::repo::create_invitation(
                    &mut tx,
                    user.id,
                    Some(org_id),
                    Some(auth.user.id),
                )
                .await?;
                notes.push(format!(
                    "{}: {}/invite/{token}",
                    role.label(),
                    state.config.public_url
                ));
            }
        }
    }
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("/admin/orgs/{org_id}"),
        "success",
        &format!(
            "Организация создана. Ссылки-приглашения (действуют 7 дней, показаны только сейчас) — \
             {}",
            notes.join("; ")
        ),
        auth.ctx.secure_cookies,
    ))
}

pub async fn admin_org(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<String>,
) -> AppResult<AdminOrgPage> {
    require_admin(&auth)?;
    let id = parse_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let org = repo::org_by_id(&mut conn, id).await?;
    let members = repo::members(&mut conn, org.id, 500, 0).await?;
    Ok(AdminOrgPage {
        ctx: auth.ctx.page(org.short_name.clone()),
        slug: org.slug,
        full_name: org.full_name,
        kind_label: model::kind_label(&org.kind),
        members: member_views(&[Role::Director], members),
    })
}
