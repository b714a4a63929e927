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
    let programs = crate::programs::counts_by_org(&mut conn).await?;
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
                programs: programs.get(&o.id).copied().unwrap_or(0),
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
    let mut tx = state.pool.begin().await?;
    match crate::accounts::orgs::create_org(&mut tx, &auth.user, &state.config.public_url, &form)
        .await
    {
        Ok(created) => {
            tx.commit().await?;
            Ok(redirect_with_flash(
                &crate::paths::admin_org(created.org_id),
                "success",
                &format!(
                    "Организация создана. Ссылки-приглашения (действуют 7 дней, показаны только \
                     сейчас) — {}",
                    created.notes.join("; ")
                ),
                auth.ctx.secure_cookies,
            ))
        }
        Err(Refused::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            AdminOrgNewPage {
                ctx: auth.ctx.page("Новая организация"),
                form,
                errors,
                kinds: crate::web::forms::coded(&KINDS),
            },
        )
            .into_response()),
        Err(Refused::Failed(e)) => Err(e),
    }
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
