//! The commands of «Люди и роли» (ARCHITECTURE.md, «Commands»): adding a member by e-mail (a new
//! account gets an invitation link by e-mail; an existing account is invited and accepts in its
//! own account — never attached silently, and the page never tells which addresses exist), a
//! member's roles, a new link for someone who has not set a password, withdrawing a pending
//! invitation. The staff (a curator or the director) act; only the director makes or unmakes a
//! director; nobody acts on a member above them.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::auth::model::{Role, normalize_email, valid_email};
use crate::error::AppError;
use crate::tenancy::{self, Actor};
use crate::web::forms::{FormErrors, Refused};

/// Who may manage members.
pub const STAFF: [Role; 2] = [Role::Curator, Role::Director];

/// How high a set of roles stands: director, curator, participant.
pub fn rank(roles: &[Role]) -> u8 {
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

/// The form that adds a member, as typed (trimmed).
#[derive(Clone, Debug, Default)]
pub struct MemberForm {
    pub email: String,
    pub full_name: String,
    pub roles: Vec<String>,
}

/// What [`add_member`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Added {
    /// An invitation went to the address (a new account's link, or an existing account's
    /// invitation to accept): the same words either way.
    Invited(String),
    /// A member of this organization got the roles.
    Granted(Uuid),
    /// The member stands above the actor: nothing changed.
    AboveYou,
}

async fn roles_of(
    conn: &mut PgConnection,
    org_id: Uuid,
    user: Uuid,
) -> Result<Vec<Role>, sqlx::Error> {
    Ok(tenancy::member_roles(conn, org_id, user)
        .await?
        .unwrap_or_default())
}

/// Adds a member by e-mail with roles (the staff; a director only by the director).
pub async fn add_member(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    form: &MemberForm,
) -> Result<Added, Refused> {
    by.require(&mut *conn, &STAFF).await?;
    let mine = roles_of(&mut *conn, by.org.id, by.user_id).await?;
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
    if roles.contains(&Role::Director) && !mine.contains(&Role::Director) {
        errors.add("roles", "Назначить директора может только директор.");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let roles_label = roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ");
    match crate::auth::user_by_email(&mut *conn, &email).await? {
        // Never attached silently: the person accepts in their own account. Nothing about the
        // account (its name, its organizations) is shown here.
        Some(u) if !tenancy::is_member(&mut *conn, by.org.id, u.id).await? => {
            tenancy::invite_existing(
                &mut *conn,
                by.org.id,
                &tenancy::Invite {
                    user_id: u.id,
                    roles: &roles,
                    email: &email,
                    typed_name: &form.full_name,
                    person_id: None,
                    invited_by: by.user_id,
                },
            )
            .await?;
            crate::audit::record(&mut *conn, by, "membership.invite", None, "").await?;
            let login = format!("{}{}", by.base_url, crate::paths::LOGIN);
            let key = format!(
                "membership:{}:{}:{}",
                by.org.id,
                u.id,
                chrono::Utc::now().timestamp()
            );
            let lines = [
                format!(
                    "{} приглашает вас в организацию {} (роли: {roles_label}).",
                    by.name, by.org.short_name
                ),
                "Войдите в свою учётную запись и примите приглашение в разделе «Приглашения»."
                    .to_string(),
            ];
            let to = (email.as_str(), form.full_name.as_str());
            invitation_mail(&mut *conn, by, &key, to, &lines, ("Войти", &login)).await?;
            Ok(Added::Invited(email))
        }
        Some(u) => {
            if rank(&roles_of(&mut *conn, by.org.id, u.id).await?) > rank(&mine) {
                return Ok(Added::AboveYou);
            }
            tenancy::grant_roles(&mut *conn, by.org.id, u.id, &roles).await?;
            Ok(Added::Granted(u.id))
        }
        None => {
            let (user, _) =
                crate::auth::find_or_create_user(&mut *conn, &email, &form.full_name, false)
                    .await?;
            tenancy::grant_roles(&mut *conn, by.org.id, user.id, &roles).await?;
            let token = crate::auth::create_invitation(
                &mut *conn,
                user.id,
                Some(by.org.id),
                Some(by.user_id),
            )
            .await?;
            let link = format!("{}{}", by.base_url, crate::paths::invite(&token));
            let key = format!("invite:{}", crate::web::cookies::digest(&token));
            let lines = [
                format!(
                    "{} приглашает вас в систему «Наставник» организации {} (роли: {roles_label}).",
                    by.name, by.org.short_name
                ),
                "По ссылке вы зададите пароль; она действует 7 дней и работает один раз."
                    .to_string(),
            ];
            let to = (email.as_str(), form.full_name.as_str());
            invitation_mail(&mut *conn, by, &key, to, &lines, ("Задать пароль", &link)).await?;
            // The same words as for an address that has an account: the page never tells
            // which addresses exist on the platform.
            Ok(Added::Invited(email))
        }
    }
}

/// An invitation e-mail (the person may have no account yet: it goes straight to the address).
async fn invitation_mail(
    conn: &mut PgConnection,
    by: &Actor<'_>,
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
            subject: &format!("Приглашение в «Наставник»: {}", by.org.short_name),
            paragraphs,
            link: Some(link),
            ..crate::notifications::mail::Mail::invitation(by.org)
        },
    )
    .await
}

/// A member of the organization, or 404.
async fn member(conn: &mut PgConnection, by: &Actor<'_>, user: Uuid) -> Result<Uuid, Refused> {
    if tenancy::is_member(&mut *conn, by.org.id, user).await? {
        Ok(user)
    } else {
        Err(AppError::NotFound.into())
    }
}

/// Sets a member's roles: at least one stays; the actor keeps a staff role of their own; only
/// the director makes or unmakes a director.
pub async fn set_member_roles(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    user: Uuid,
    roles: &[Role],
) -> Result<(), Refused> {
    by.require(&mut *conn, &STAFF).await?;
    let user = member(&mut *conn, by, user).await?;
    if roles.is_empty() {
        return Err(Refused::field(
            "roles",
            "У участника должна остаться хотя бы одна роль.",
        ));
    }
    if user == by.user_id && !roles.iter().any(|r| STAFF.contains(r)) {
        return Err(Refused::field(
            "roles",
            "Нельзя снять с себя роли куратора и директора: вы потеряете доступ к этой странице.",
        ));
    }
    let current = roles_of(&mut *conn, by.org.id, user).await?;
    let mine = roles_of(&mut *conn, by.org.id, by.user_id).await?;
    if current.contains(&Role::Director) != roles.contains(&Role::Director)
        && !mine.contains(&Role::Director)
    {
        return Err(Refused::field(
            "roles",
            "Назначить или снять директора может только директор.",
        ));
    }
    tenancy::set_roles(&mut *conn, by.org.id, user, roles).await?;
    Ok(())
}

/// A new invitation link for a member who has not set a password (the earlier links stop):
/// only for an account of this organization alone, with no role above the actor's. Returns the
/// link's token, shown once.
pub async fn reissue_invite(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    user: Uuid,
) -> Result<String, Refused> {
    by.require(&mut *conn, &STAFF).await?;
    let user = member(&mut *conn, by, user).await?;
    if crate::auth::has_password(&mut *conn, user).await? {
        return Err(Refused::field(
            "member",
            "У этого человека уже есть пароль; приглашение не нужно.",
        ));
    }
    let roles = roles_of(&mut *conn, by.org.id, user).await?;
    let mine = roles_of(&mut *conn, by.org.id, by.user_id).await?;
    if rank(&roles) > rank(&mine) || tenancy::account_is_shared(&mut *conn, by.org.id, user).await?
    {
        return Err(Refused::field(
            "member",
            "Новую ссылку для этого человека может выдать только тот, кто выше по роли, или \
             организация, где он состоит.",
        ));
    }
    Ok(crate::auth::create_invitation(&mut *conn, user, Some(by.org.id), Some(by.user_id)).await?)
}

/// Withdraws a pending invitation of an existing account (404 when there is none).
pub async fn revoke_pending(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
) -> Result<(), Refused> {
    by.require(&mut *conn, &STAFF).await?;
    if !tenancy::revoke_pending(&mut *conn, by.org.id, id).await? {
        return Err(AppError::NotFound.into());
    }
    Ok(())
}

/// The account's own decision on an organization's invitation: the account that acts (and the
/// client's address, for the audit trail).
#[derive(Debug, Clone, Copy)]
pub struct Owner<'a> {
    pub user_id: Uuid,
    pub ip: &'a str,
}

/// The account accepts an invitation addressed to it (404 for anyone else's, or one taken
/// before): it becomes a member with the invitation's roles, and — the only way an existing
/// account is ever linked to a person of the bases — the invitation's person is linked to it if
/// no other account is. Returns the organization's name.
pub async fn accept_invitation(
    conn: &mut PgConnection,
    owner: Owner<'_>,
    id: Uuid,
) -> Result<String, Refused> {
    let Some(p) = tenancy::take_pending(&mut *conn, owner.user_id, id).await? else {
        return Err(AppError::NotFound.into());
    };
    let roles = Role::parse_all(&p.roles);
    tenancy::grant_roles(&mut *conn, p.org_id, owner.user_id, &roles).await?;
    if let Some(person) = p.person_id {
        crate::people::link_account_if_free(&mut *conn, p.org_id, person, owner.user_id).await?;
    }
    crate::audit::record_for(
        &mut *conn,
        p.org_id,
        owner.user_id,
        owner.ip,
        "membership.accept",
        p.person_id,
        "",
    )
    .await?;
    Ok(p.org_name)
}

/// The account declines an invitation addressed to it (404 for anyone else's).
pub async fn decline_invitation(
    conn: &mut PgConnection,
    owner: Owner<'_>,
    id: Uuid,
) -> Result<(), Refused> {
    if tenancy::take_pending(&mut *conn, owner.user_id, id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound.into());
    }
    Ok(())
}
