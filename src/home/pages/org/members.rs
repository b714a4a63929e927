//! «Люди и роли»: the organization's members with their roles, adding a person (a new account
//! gets a link shown once; an existing account is invited and accepts itself), pending
//! invitations, a new link, roles.

use super::*;
use crate::web::ids::{Id, UserId};

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MembersForm {
    pub email: String,
    pub full_name: String,
    pub roles: Vec<String>,
}

pub(super) fn roles_table() -> Vec<crate::web::forms::Coded> {
    Role::ALL
        .iter()
        .map(|r| crate::web::forms::Coded {
            code: r.code(),
            label: r.label(),
        })
        .collect()
}

pub(super) const MEMBERS_PAGE: i64 = 100;

pub(super) async fn members_page(
    org: &OrgCtx,
    page: i64,
    form: MemberForm,
    errors: FormErrors,
) -> AppResult<MembersPage> {
    let mut conn = org.conn().await?;
    let total = tenancy::member_count(&mut conn, org.org.id).await?;
    let pages = ((total + MEMBERS_PAGE - 1) / MEMBERS_PAGE).max(1);
    let page = page.clamp(0, pages - 1);
    let members =
        tenancy::members(&mut conn, org.org.id, MEMBERS_PAGE, page * MEMBERS_PAGE).await?;
    let pending = tenancy::pending_of_org(&mut conn, org.org.id).await?;
    crate::audit::record(&mut conn, org, "members.view", None, "").await?;
    Ok(MembersPage {
        ctx: org.page("Люди и роли", "members"),
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
                created: ru_date(org.org.local(p.created_at).date_naive()),
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
    org: OrgCtx,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> AppResult<MembersPage> {
    org.require_any(&STAFF)?;
    // Pages count from 1 in the address; from 0 inside.
    let page = q
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        - 1;
    members_page(&org, page, MemberForm::default(), FormErrors::default()).await
}

pub async fn add_member(
    org: OrgCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<MembersForm>,
) -> AppResult<Response> {
    org.require_any(&STAFF)?;
    let form = MemberForm {
        email: trimmed(&data.email),
        full_name: trimmed(&data.full_name),
        roles: data.roles.clone(),
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
        let page = members_page(&org, 0, form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let mut tx = org.begin().await?;
    let existing = crate::auth::user_by_email(&mut tx, &email).await?;
    let roles_label = roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ");
    let (to, msg) = match existing {
        // Never attached silently: the person accepts in their own account. Nothing about the
        // account (its name, its organizations) is shown here.
        Some(u) if !tenancy::is_member(&mut tx, org.org.id, u.id).await? => {
            tenancy::invite_existing(
                &mut tx,
                org.org.id,
                &crate::tenancy::Invite {
                    user_id: u.id,
                    roles: &roles,
                    email: &email,
                    typed_name: &form.full_name,
                    person_id: None,
                    invited_by: org.user.id,
                },
            )
            .await?;
            crate::audit::record(&mut tx, &org, "membership.invite", None, "").await?;
            let login = format!("{}{}", org.state.config.public_url, crate::paths::LOGIN);
            invitation_mail(
                &mut tx,
                &org,
                &format!(
                    "membership:{}:{}:{}",
                    org.org.id,
                    u.id,
                    chrono::Utc::now().timestamp()
                ),
                (&email, &form.full_name),
                &[
                    format!(
                        "{} приглашает вас в организацию {} (роли: {roles_label}).",
                        org.user.full_name, org.org.short_name
                    ),
                    "Войдите в свою учётную запись и примите приглашение в разделе «Приглашения»."
                        .to_string(),
                ],
                ("Войти", &login),
            )
            .await?;
            (org.paths().members(), invited_message(&email))
        }
        Some(u) => {
            let current = tenancy::member_roles(&mut tx, org.org.id, u.id)
                .await?
                .unwrap_or_default();
            if rank(&current) > rank(&org.roles) {
                return Ok(org.flash_error(
                    &org.paths().members(),
                    "Роли этого участника может менять только директор.",
                ));
            }
            tenancy::grant_roles(&mut tx, org.org.id, u.id, &roles).await?;
            (
                org.paths().member(u.id),
                format!("Участнику организации добавлены роли: {roles_label}."),
            )
        }
        None => {
            let (user, _) =
                crate::auth::find_or_create_user(&mut tx, &email, &form.full_name, false).await?;
            tenancy::grant_roles(&mut tx, org.org.id, user.id, &roles).await?;
            let token = crate::auth::create_invitation(
                &mut tx,
                user.id,
                Some(org.org.id),
                Some(org.user.id),
            )
            .await?;
            let link = format!(
                "{}{}",
                org.state.config.public_url,
                crate::paths::invite(&token)
            );
            invitation_mail(
                &mut tx,
                &org,
                &format!("invite:{}", crate::web::cookies::digest(&token)),
                (&email, &form.full_name),
                &[
                    format!(
                        "{} приглашает вас в систему «Наставник» организации {} (роли: {roles_label}).",
                        org.user.full_name, org.org.short_name
                    ),
                    "По ссылке вы зададите пароль; она действует 7 дней и работает один раз."
                        .to_string(),
                ],
                ("Задать пароль", &link),
            )
            .await?;
            // The same words as for an address that has an account: the page never tells
            // which addresses exist on the platform. The link goes by e-mail; a new one is
            // issued from the member's card («Новая ссылка»).
            (org.paths().members(), invited_message(&email))
        }
    };
    tx.commit().await?;
    Ok(org.flash(&to, &msg))
}

/// What the inviter reads, whether the address had an account or not.
fn invited_message(email: &str) -> String {
    format!(
        "Приглашение отправлено на {email}. Человек задаст пароль по ссылке из письма или, если \
         у него уже есть учётная запись, примет приглашение, войдя в неё. Если письмо не дойдёт, \
         новую ссылку можно получить в карточке участника."
    )
}

/// An invitation e-mail (the person may have no account yet: it goes straight to the address).
async fn invitation_mail(
    conn: &mut sqlx::PgConnection,
    org: &OrgCtx,
    key: &str,
    (address, name): (&str, &str),
    paragraphs: &[String],
    link: (&str, &str),
) -> Result<bool, sqlx::Error> {
    crate::notifications::mail::queue(
        conn,
        &crate::notifications::mail::Mail {
            key,
            to_address: address,
            to_name: name,
            subject: &format!("Приглашение в «Наставник»: {}", org.org.short_name),
            paragraphs,
            link: Some(link),
            ..crate::notifications::mail::Mail::invitation(&org.org)
        },
    )
    .await
}

/// Withdraws a pending invitation of an existing account.
pub async fn revoke_pending(org: OrgCtx, Id(id): Id) -> AppResult<Response> {
    org.require_any(&STAFF)?;
    let mut conn = org.conn().await?;
    if !tenancy::revoke_pending(&mut conn, org.org.id, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(org.flash(&org.paths().pending(), "Приглашение отозвано."))
}

pub(super) async fn member_id(org: &OrgCtx, raw: Uuid) -> AppResult<Uuid> {
    let id = raw;
    let mut conn = org.conn().await?;
    if tenancy::is_member(&mut conn, org.org.id, id).await? {
        Ok(id)
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn reissue_invite(org: OrgCtx, UserId(user): UserId) -> AppResult<Response> {
    org.require_any(&STAFF)?;
    let user_id = member_id(&org, user).await?;
    let mut tx = org.begin().await?;
    if crate::auth::has_password(&mut tx, user_id).await? {
        return Ok(org.flash_error(
            &org.paths().members(),
            "У этого человека уже есть пароль; приглашение не нужно.",
        ));
    }
    // Only for an account of this organization alone, with no role above the inviter's.
    let roles = tenancy::member_roles(&mut tx, org.org.id, user_id)
        .await?
        .unwrap_or_default();
    if rank(&roles) > rank(&org.roles)
        || tenancy::account_is_shared(&mut tx, org.org.id, user_id).await?
    {
        return Ok(org.flash_error(
            &org.paths().members(),
            "Новую ссылку для этого человека может выдать только тот, кто выше по роли, или \
             организация, где он состоит.",
        ));
    }
    let token =
        crate::auth::create_invitation(&mut tx, user_id, Some(org.org.id), Some(org.user.id))
            .await?;
    tx.commit().await?;
    Ok(org.flash(
        &org.paths().member(user_id),
        &format!(
            "Новая ссылка-приглашение (действует 7 дней, показана только сейчас; прежние ссылки \
             больше не действуют): {}/invite/{token}",
            org.state.config.public_url
        ),
    ))
}

pub async fn set_member_roles(
    org: OrgCtx,
    UserId(user): UserId,
    crate::web::forms::Form(data): crate::web::forms::Form<MembersForm>,
) -> AppResult<Response> {
    org.require_any(&STAFF)?;
    let user_id = member_id(&org, user).await?;
    let roles = Role::parse_all(&data.roles);
    let back = org.paths().member(user_id);
    if roles.is_empty() {
        return Ok(org.flash_error(&back, "У участника должна остаться хотя бы одна роль."));
    }
    if user_id == org.user.id && !roles.iter().any(|r| STAFF.contains(r)) {
        return Ok(org.flash_error(
            &back,
            "Нельзя снять с себя роли куратора и директора: вы потеряете доступ к этой странице.",
        ));
    }
    let mut tx = org.begin().await?;
    let current = tenancy::member_roles(&mut tx, org.org.id, user_id)
        .await?
        .unwrap_or_default();
    let had_director = current.contains(&Role::Director);
    if (had_director != roles.contains(&Role::Director)) && !org.has(Role::Director) {
        return Ok(org.flash_error(
            &back,
            "Назначить или снять директора может только директор.",
        ));
    }
    tenancy::set_roles(&mut tx, org.org.id, user_id, &roles).await?;
    tx.commit().await?;
    Ok(org.flash(&back, "Роли сохранены."))
}

pub struct PendingView {
    pub id: String,
    pub email: String,
    pub typed_name: String,
    pub roles_label: String,
    pub created: String,
}

#[derive(Clone, Debug, Default)]
pub struct MemberForm {
    pub email: String,
    pub full_name: String,
    pub roles: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "tenancy/members.html")]
pub struct MembersPage {
    pub ctx: PageCtx,
    pub members: Vec<MemberView>,
    pub pending: Vec<PendingView>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub form: MemberForm,
    pub errors: FormErrors,
    pub roles: Vec<crate::web::forms::Coded>,
}
