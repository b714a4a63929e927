//! The platform administrator: the organizations, creating one with its director and curator.

use super::*;
use crate::web::ids::Id;

pub(super) fn require_admin(auth: &AuthUser) -> AppResult<()> {
    if auth.user.is_platform_admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn admin_orgs(State(state): State<AppState>, auth: AuthUser) -> AppResult<AdminOrgsPage> {
    require_admin(&auth)?;
    let mut conn = state.pool.acquire().await?;
    let orgs = tenancy::list_orgs(&mut conn).await?;
    let last = crate::db::backup::last(&mut conn).await?;
    let since = crate::db::backup::installed_at(&mut conn).await?;
    let nightly = state.config.backups;
    let backup = BackupLine {
        when: last
            .as_ref()
            .map(|b| {
                format!(
                    "{}, {} UTC",
                    crate::web::forms::ru_date(b.created_at.date_naive()),
                    b.created_at.format("%H:%M")
                )
            })
            .unwrap_or_default(),
        file: last.as_ref().map(|b| b.file.clone()).unwrap_or_default(),
        size: last
            .as_ref()
            .map(|b| crate::web::forms::file_size(b.bytes))
            .unwrap_or_default(),
        nightly,
        keep_days: state.config.backup_keep.0,
        keep_weeks: state.config.backup_keep.1,
        // Two nights without a copy: the last one is older, or there is none on an install older.
        stale: nightly
            && last
                .as_ref()
                .map(|b| b.created_at)
                .or(since)
                .is_some_and(|t| t < chrono::Utc::now() - chrono::Duration::days(2)),
    };
    Ok(AdminOrgsPage {
        backup,
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
        kinds: crate::web::forms::coded(&KINDS),
    })
}

pub async fn admin_create_org(
    State(state): State<AppState>,
    auth: AuthUser,
    crate::web::forms::Form(data): crate::web::forms::Form<super::TenancyForm>,
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
                kinds: crate::web::forms::coded(&KINDS),
            },
        )
            .into_response()
    };
    if !errors.is_empty() {
        return Ok(render(form, errors));
    }
    let mut tx = state.pool.begin().await?;
    // The unique key decides (two admins creating the same address at once cannot both win).
    let org_id =
        match tenancy::insert_org(&mut tx, &form.new_org(&form.slug, students, teachers)).await {
            Ok(id) => id,
            Err(e) if crate::error::violates(&e, "organizations_slug_key") => {
                errors.add("slug", "Этот адрес уже занят другой организацией.");
                return Ok(render(form, errors));
            }
            Err(e) => return Err(e.into()),
        };
    crate::questionnaires::ensure_templates(&mut tx, org_id).await?;
    let mut notes = Vec::new();
    for (email, name, role) in [
        (&director_email, &form.director_name, Role::Director),
        (&curator_email, &form.curator_name, Role::Curator),
    ] {
        match crate::auth::user_by_email(&mut tx, email).await? {
            // An existing account (say, the director of two schools) accepts in its own account.
            Some(u) => {
                tenancy::invite_existing(
                    &mut tx,
                    org_id,
                    &crate::tenancy::Invite {
                        user_id: u.id,
                        roles: &[role],
                        email,
                        typed_name: name,
                        person_id: None,
                        invited_by: auth.user.id,
                    },
                )
                .await?;
                notes.push(format!(
                    "{}: адрес уже зарегистрирован — человек подтвердит приглашение сам.",
                    role.label()
                ));
            }
            None => {
                let (user, _) =
                    crate::auth::find_or_create_user(&mut tx, email, name, false).await?;
                tenancy::grant_roles(&mut tx, org_id, user.id, &[role]).await?;
                let token = crate::auth::create_invitation(
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
        &crate::paths::admin_org(org_id),
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
    Id(id): Id,
) -> AppResult<AdminOrgPage> {
    require_admin(&auth)?;
    let mut conn = state.pool.acquire().await?;
    let org = tenancy::org_by_id(&mut conn, id).await?;
    let members = tenancy::members(&mut conn, org.id, 500, 0).await?;
    Ok(AdminOrgPage {
        ctx: auth.ctx.page(org.short_name.clone()),
        slug: org.slug,
        full_name: org.full_name,
        kind_label: model::kind_label(&org.kind),
        members: member_views(&[Role::Director], members),
    })
}

pub struct OrgLine {
    pub id: String,
    pub slug: String,
    pub short_name: String,
    pub kind_label: &'static str,
    pub members: i64,
    pub programs: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/orgs.html")]
pub struct AdminOrgsPage {
    pub ctx: PageCtx,
    pub orgs: Vec<OrgLine>,
    pub backup: BackupLine,
}

/// The last backup, for the platform admin.
pub struct BackupLine {
    /// «29 ноября 2026 г., 23:00 UTC», or empty when none has been made.
    pub when: String,
    pub file: String,
    pub size: String,
    /// The nightly backup is on (`NASTAVNIK_BACKUPS`).
    pub nightly: bool,
    /// How many are kept (`NASTAVNIK_BACKUP_KEEP`): of the last days, of the last weeks.
    pub keep_days: usize,
    pub keep_weeks: usize,
    /// The last one is more than two days old (or there is none) while the nightly one is on.
    pub stale: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/org_new.html")]
pub struct AdminOrgNewPage {
    pub ctx: PageCtx,
    pub form: OrgForm,
    pub errors: FormErrors,
    pub kinds: Vec<crate::web::forms::Coded>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/org_show.html")]
pub struct AdminOrgPage {
    pub ctx: PageCtx,
    pub slug: String,
    pub full_name: String,
    pub kind_label: &'static str,
    pub members: Vec<MemberView>,
}
