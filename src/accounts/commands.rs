//! The commands of the accounts (each takes a transaction, the [`Actor`] and its input, checks
//! that the actor is a curator of the organization, and keeps the accounts' rules whoever calls
//! it): `account_for` (a person's account from the card: created, or a new code or link),
//! `issue` (accounts for the people ticked in the bases), `class_slips` (new codes for a class).
//! An account that exists is linked only when its owner accepts it, logged in; a code or a link
//! is issued only for an account that is this organization's participant's alone.

use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::AppError;
use crate::people::model;
use crate::tenancy::Actor;

use super::{Issued, translit};
use crate::people::Side;

/// Creates the account of a person (or issues a new code / link): people with an email get an
/// invitation link, others a login and a one-time code. An account that already exists outside
/// this organization is never attached: it gets an invitation to accept. Returns what was
/// issued, or why not.
async fn create_account(
    conn: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    person_id: Uuid,
    role: Side,
    code_days: i64,
) -> Result<Result<Issued, String>, AppError> {
    let Some(p) = crate::people::person(&mut *conn, by.org.id, person_id).await? else {
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
        Side::Mentor => Role::Mentor,
        Side::Mentee => Role::Mentee,
    };
    // An account made now for the card's e-mail: its link goes only by e-mail, and the curator
    // reads the same words as for an address that already had an account elsewhere.
    let mut fresh_by_email = false;
    let user_id = match p.user_id {
        Some(uid) => uid,
        None if !p.email.is_empty() => {
            let email = crate::auth::model::normalize_email(&p.email);
            match crate::auth::user_by_email(&mut *conn, &email).await? {
                // An account that exists is linked only when its owner accepts, logged in — a
                // member of this organization (the director, a colleague) as much as anyone.
                Some(u) => {
                    crate::tenancy::invite_existing(
                        &mut *conn,
                        by.org.id,
                        &crate::tenancy::Invite {
                            user_id: u.id,
                            roles: &[role],
                            email: &email,
                            typed_name: &name,
                            person_id: Some(p.id),
                            invited_by: by.user_id,
                        },
                    )
                    .await?;
                    crate::audit::record(&mut *conn, by, "membership.invite", Some(p.id), "")
                        .await?;
                    return Ok(Ok(Issued::Invited { name }));
                }
                None => {
                    let (u, created) =
                        crate::auth::find_or_create_user(&mut *conn, &email, &name, false).await?;
                    if !created {
                        return Ok(Err(format!("{name}: адрес занят, попробуйте ещё раз")));
                    }
                    fresh_by_email = true;
                    crate::people::link_user(&mut *conn, by.org.id, p.id, u.id).await?;
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
                by.org.slug
            );
            let (user, created) =
                crate::auth::find_or_create_user(&mut *conn, &login, &name, false).await?;
            if !created {
                // A login of this form that exists belongs to someone else's record.
                return Ok(Err(format!("{name}: логин {login} уже занят")));
            }
            crate::auth::mark_code_login(&mut *conn, user.id).await?;
            crate::people::link_user(&mut *conn, by.org.id, p.id, user.id).await?;
            user.id
        }
    };
    crate::tenancy::grant_roles(&mut *conn, by.org.id, user_id, &[role]).await?;
    let (login, kind, has_password) = crate::auth::login_of(&mut *conn, user_id).await?;
    if has_password {
        return Ok(Ok(Issued::Ready { name }));
    }
    // Links and codes only for an account that belongs to this organization's participant alone.
    if crate::tenancy::account_is_shared(&mut *conn, by.org.id, user_id).await? {
        return Ok(Ok(Issued::Ready { name }));
    }
    if kind == "code" {
        let code =
            crate::auth::create_codes(&mut *conn, &[user_id], by.org.id, by.user_id, code_days)
                .await?
                .remove(0)
                .1;
        crate::audit::record(&mut *conn, by, "account.code", Some(p.id), "").await?;
        // A child's representative the curator asked to tell gets the login and code by e-mail
        // (the printed slip stays the main way).
        let guardians = crate::people::guardians(&mut *conn, by.org.id, &[p.id], &[]).await?;
        let login_url = format!("{}{}", by.base_url, crate::paths::LOGIN);
        for g in &guardians {
            let paragraphs = [
                format!(
                    "Для {} создана учётная запись в системе «Наставник» организации {}.",
                    if g.child.is_empty() {
                        "ребёнка"
                    } else {
                        &g.child
                    },
                    by.org.short_name
                ),
                format!("Логин: {login}"),
                format!("Одноразовый код входа: {code} (действует {code_days} дн.)."),
                "На странице входа введите логин и код, затем задайте пароль.".to_string(),
            ];
            crate::notifications::mail::queue(
                &mut *conn,
                &crate::notifications::mail::Mail {
                    key: &format!("code:{}", crate::web::cookies::digest(&code)),
                    to_address: &g.email,
                    to_name: &g.name,
                    subject: &format!("Вход в «Наставник» для ребёнка: {}", by.org.short_name),
                    paragraphs: &paragraphs,
                    link: Some(("Страница входа", &login_url)),
                    ..crate::notifications::mail::Mail::invitation(by.org)
                },
            )
            .await?;
        }
        Ok(Ok(Issued::Code {
            name,
            class_name: p.class_name.clone(),
            login,
            code,
        }))
    } else {
        let token =
            crate::auth::create_invitation(&mut *conn, user_id, Some(by.org.id), Some(by.user_id))
                .await?;
        crate::audit::record(&mut *conn, by, "account.create", Some(p.id), "").await?;
        // The link goes by e-mail too; the curator still sees it, if the e-mail does not arrive.
        let url = format!("{}{}", by.base_url, crate::paths::invite(&token));
        let paragraphs = [
            if by.name.is_empty() {
                format!(
                    "Для вас создана учётная запись в системе «Наставник» организации {}.",
                    by.org.short_name
                )
            } else {
                format!(
                    "{} создал(а) для вас учётную запись в системе «Наставник» организации {}.",
                    by.name, by.org.short_name
                )
            },
            "По ссылке вы зададите пароль; она работает один раз.".to_string(),
        ];
        crate::notifications::mail::queue(
            &mut *conn,
            &crate::notifications::mail::Mail {
                key: &format!("invite:{}", crate::web::cookies::digest(&token)),
                to_address: &login,
                to_name: &format!("{} {}", p.first_name, p.middle_name),
                subject: &format!("Учётная запись в «Наставнике»: {}", by.org.short_name),
                paragraphs: &paragraphs,
                link: Some(("Задать пароль", &url)),
                ..crate::notifications::mail::Mail::invitation(by.org)
            },
        )
        .await?;
        if fresh_by_email {
            return Ok(Ok(Issued::Invited { name }));
        }
        Ok(Ok(Issued::Link {
            name,
            link: crate::paths::invite(&token),
        }))
    }
}

/// A person's account from their card: created (a login and a code, or an invitation link), or
/// — for a child who forgot the password — a new code (the password is reset and the sessions
/// end; never for an account that is anyone's beyond this participant). The role is the
/// person's: a mentor when enrolled as one or in the mentors' base only.
pub async fn account_for(
    tx: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    person_id: Uuid,
    code_days: i64,
) -> Result<Result<Issued, String>, AppError> {
    by.require(tx, &[Role::Curator]).await?;
    let p = crate::people::person(&mut *tx, by.org.id, person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let enrolled_as_mentor = crate::participants::enrolments_of(&mut *tx, by.org.id, p.id)
        .await?
        .iter()
        .any(|e| e.role == Side::Mentor);
    let role = if enrolled_as_mentor || (p.in_mentor_base && !p.in_mentee_base) {
        Side::Mentor
    } else {
        Side::Mentee
    };
    if let Some(uid) = p.user_id
        && !crate::tenancy::account_is_shared(&mut *tx, by.org.id, uid).await?
    {
        crate::auth::reset_code_login(&mut *tx, uid).await?;
    }
    create_account(tx, by, person_id, role, code_days).await
}

/// Accounts for the people ticked in the bases, in the role chosen: what was issued, and who
/// got nothing and why.
pub async fn issue(
    tx: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    people: &[Uuid],
    role: Side,
    code_days: i64,
) -> Result<(Vec<Issued>, Vec<String>), AppError> {
    by.require(tx, &[Role::Curator]).await?;
    let mut issued = Vec::new();
    let mut refused = Vec::new();
    for id in people {
        match create_account(tx, by, *id, role, code_days).await? {
            Ok(a) => issued.push(a),
            Err(why) => refused.push(why),
        }
    }
    Ok((issued, refused))
}

/// New codes for everyone in the class who has a code login and no password yet (never an
/// account that is anyone's beyond its participant), audited as one printout.
pub async fn class_slips(
    tx: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    class_name: &str,
    code_days: i64,
) -> Result<Vec<Issued>, AppError> {
    by.require(tx, &[Role::Curator]).await?;
    // People of the class with a code login still waiting for its first password (people,
    // auth) — never one whose account is anyone's beyond this participant (tenancy).
    let in_class = crate::people::with_accounts_in_class(&mut *tx, by.org.id, class_name).await?;
    let accounts: Vec<Uuid> = in_class.iter().filter_map(|c| c.user_id).collect();
    let logins = crate::auth::code_logins_waiting(&mut *tx, &accounts).await?;
    let shared = crate::tenancy::shared_accounts(&mut *tx, by.org.id, &accounts).await?;
    let waiting: Vec<(Uuid, String, String, String, String, Uuid)> = in_class
        .into_iter()
        .filter_map(|c| {
            let user = c.user_id.filter(|u| !shared.contains(u))?;
            let login = logins.get(&user)?.clone();
            Some((c.id, c.last_name, c.first_name, c.class_name, login, user))
        })
        .take(200)
        .collect();
    let users: Vec<Uuid> = waiting.iter().map(|w| w.5).collect();
    let codes =
        crate::auth::create_codes(&mut *tx, &users, by.org.id, by.user_id, code_days).await?;
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
        &mut *tx,
        by,
        "slips.print",
        None,
        &format!("класс {class_name}: {} листков", issued.len()),
    )
    .await?;
    Ok(issued)
}
