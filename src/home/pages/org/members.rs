//! «Люди и роли»: the organization's members with their roles, adding a person (a new account
//! gets a link shown once; an existing account is invited and accepts itself), pending
//! invitations, a new link, roles.

use super::*;
use crate::accounts::members::Added;
use crate::web::forms::Refused;
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
        roles: data.roles,
    };
    let mut tx = org.begin().await?;
    let added = crate::accounts::members::add_member(&mut tx, &org.actor(), &form).await;
    let (to, msg) = match added {
        Ok(Added::Invited(email)) => (org.paths().members(), invited_message(&email)),
        Ok(Added::Granted(user)) => {
            let roles_label = Role::parse_all(&form.roles)
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join(", ");
            (
                org.paths().member(user),
                format!("Участнику организации добавлены роли: {roles_label}."),
            )
        }
        Ok(Added::AboveYou) => {
            return Ok(org.flash_error(
                &org.paths().members(),
                "Роли этого участника может менять только директор.",
            ));
        }
        Err(Refused::Invalid(errors)) => {
            drop(tx);
            let page = members_page(&org, 0, form, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(Refused::Failed(e)) => return Err(e),
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

/// Withdraws a pending invitation of an existing account.
pub async fn revoke_pending(org: OrgCtx, Id(id): Id) -> AppResult<Response> {
    org.require_any(&STAFF)?;
    let mut conn = org.conn().await?;
    crate::accounts::members::revoke_pending(&mut conn, &org.actor(), id)
        .await
        .map_err(Refused::into_error)?;
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
    match crate::accounts::members::reissue_invite(&mut tx, &org.actor(), user_id).await {
        Ok(token) => {
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
        Err(Refused::Invalid(e)) => Ok(org.flash_error(&org.paths().members(), &e.first())),
        Err(Refused::Failed(e)) => Err(e),
    }
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
    let mut tx = org.begin().await?;
    let answer =
        crate::accounts::members::set_member_roles(&mut tx, &org.actor(), user_id, &roles).await;
    org.settled(tx, answer, &back, |_| "Роли сохранены.".into())
        .await
}

pub struct PendingView {
    pub id: String,
    pub email: String,
    pub typed_name: String,
    pub roles_label: String,
    pub created: String,
}

pub use crate::accounts::members::MemberForm;

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
