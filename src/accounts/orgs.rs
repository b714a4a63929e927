//! The commands of an organization's card (ARCHITECTURE.md, «Commands»): the platform
//! administrator creates an organization with its director and curator; the organization's staff
//! change its card. They sit here, above tenancy, because a card also touches auth (the two
//! first accounts), programs (the forms of mentorship it runs) and questionnaires (the templates
//! a new organization starts with); what makes a card valid is `tenancy::card`.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::auth::model::{Role, User, normalize_email, valid_email};
use crate::error::AppError;
use crate::tenancy::model::valid_slug;
use crate::tenancy::{self, Actor, OrgForm};
use crate::web::forms::{FormErrors, Refused};

use super::members::STAFF;

/// What [`create_org`] made: the organization and, per first member, a line for the
/// administrator (an invitation link shown once, or that the account accepts by itself).
#[derive(Debug)]
pub struct Created {
    pub org_id: Uuid,
    pub notes: Vec<String>,
}

/// Creates an organization (the platform administrator only): a free address, a valid card, a
/// director and a curator by e-mail. A new account gets a link (shown once); an existing one is
/// invited and accepts in its own account.
pub async fn create_org(
    conn: &mut PgConnection,
    admin: &User,
    base_url: &str,
    form: &OrgForm,
) -> Result<Created, Refused> {
    if !admin.is_platform_admin {
        return Err(AppError::Forbidden.into());
    }
    let mut errors = FormErrors::default();
    if !valid_slug(&form.slug) {
        errors.add(
            "slug",
            "Латинские буквы, цифры и дефис, от 2 до 63 символов (например, sosh-1).",
        );
    }
    let (students, teachers) = form.validate(&mut errors);
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
    if !errors.is_empty() {
        return Err(errors.into());
    }
    // The unique key decides (two admins creating the same address at once cannot both win);
    // the savepoint keeps the caller's transaction usable after the refusal.
    let mut sp = sqlx::Connection::begin(&mut *conn).await?;
    let org_id =
        match tenancy::insert_org(&mut sp, &form.new_org(&form.slug, students, teachers)).await {
            Ok(id) => id,
            Err(e) if crate::error::violates(&e, "organizations_slug_key") => {
                return Err(Refused::field(
                    "slug",
                    "Этот адрес уже занят другой организацией.",
                ));
            }
            Err(e) => return Err(e.into()),
        };
    sp.commit().await?;
    crate::questionnaires::ensure_templates(&mut *conn, org_id).await?;
    let mut notes = Vec::new();
    for (email, name, role) in [
        (&director_email, &form.director_name, Role::Director),
        (&curator_email, &form.curator_name, Role::Curator),
    ] {
        match crate::auth::user_by_email(&mut *conn, email).await? {
            // An existing account (say, the director of two schools) accepts in its own account.
            Some(u) => {
                tenancy::invite_existing(
                    &mut *conn,
                    org_id,
                    &tenancy::Invite {
                        user_id: u.id,
                        roles: &[role],
                        email,
                        typed_name: name,
                        person_id: None,
                        invited_by: admin.id,
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
                    crate::auth::find_or_create_user(&mut *conn, email, name, false).await?;
                tenancy::grant_roles(&mut *conn, org_id, user.id, &[role]).await?;
                let token = crate::auth::create_invitation(
                    &mut *conn,
                    user.id,
                    Some(org_id),
                    Some(admin.id),
                )
                .await?;
                notes.push(format!(
                    "{}: {base_url}{}",
                    role.label(),
                    crate::paths::invite(&token)
                ));
            }
        }
    }
    Ok(Created { org_id, notes })
}

/// Saves the organization's card (a curator or the director): everything but its address and
/// its territory, which stay as they are whatever the form says.
pub async fn save_settings(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    form: &OrgForm,
) -> Result<(), Refused> {
    by.require(&mut *conn, &STAFF).await?;
    let form = OrgForm {
        region: by.org.region.clone(),
        municipality: by.org.municipality.clone(),
        place_fixed: true,
        ..form.clone()
    };
    let mut errors = FormErrors::default();
    let (students, teachers) = form.validate(&mut errors);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    tenancy::update_org(
        &mut *conn,
        by.org.id,
        &form.new_org(&by.org.slug, students, teachers),
    )
    .await?;
    crate::programs::set_org_forms(&mut *conn, by.org.id, &form.forms).await?;
    tenancy::set_documents(&mut *conn, by.org.id, form.documents()).await?;
    Ok(())
}
