//! Accounts of participants: a login and a one-time code for a pupil without e-mail, an
//! invitation link for someone with one, an invitation to accept for an account that already
//! exists elsewhere. Codes and links exist in clear only when issued.

pub mod pages;

pub use pages::slips::issue_accounts;

use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::people::model;
use crate::tenancy::OrgCtx;
use crate::web::forms::Choice;

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
    /// Sent to the card's e-mail: an invitation to accept in the account that exists, or the link
    /// of a new account — the curator is told the same words for both (no address is probed).
    Invited { name: String },
}

pub fn class_opts(classes: Vec<String>, selected: &str) -> Vec<Choice> {
    classes
        .into_iter()
        .map(|c| Choice {
            selected: c == selected,
            label: c.clone(),
            value: c,
        })
        .collect()
}

/// How long a login code lasts, as chosen in a form (`code_days`; the default when the choice is
/// not one of ours).
pub fn code_days(raw: &str) -> i64 {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|d| crate::auth::CODE_DAYS_CHOICES.contains(d))
        .unwrap_or(crate::auth::CODE_DAYS_DEFAULT)
}

/// Creates the account of a person (or issues a new code / link): people with an email get an
/// invitation link, others a login and a one-time code. An account that already exists outside
/// this organization is never attached: it gets an invitation to accept. Returns what was
/// issued, or why not.
pub async fn create_account(
    conn: &mut sqlx::PgConnection,
    org: &OrgCtx,
    person_id: Uuid,
    role: &str,
    code_days: i64,
) -> AppResult<Result<Issued, String>> {
    let Some(p) = crate::people::person(&mut *conn, org.org.id, person_id).await? else {
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
                        org.org.id,
                        &crate::tenancy::Invite {
                            user_id: u.id,
                            roles: &[role],
                            email: &email,
                            typed_name: &name,
                            person_id: Some(p.id),
                            invited_by: org.user.id,
                        },
                    )
                    .await?;
                    crate::audit::record(&mut *conn, org, "membership.invite", Some(p.id), "")
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
                    crate::people::link_user(&mut *conn, org.org.id, p.id, u.id).await?;
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
            let (user, created) =
                crate::auth::find_or_create_user(&mut *conn, &login, &name, false).await?;
            if !created {
                // A login of this form that exists belongs to someone else's record.
                return Ok(Err(format!("{name}: логин {login} уже занят")));
            }
            sqlx::query!(
                "UPDATE users SET login_kind = 'code' WHERE id = $1",
                user.id,
            )
            .execute(&mut *conn)
            .await?;
            crate::people::link_user(&mut *conn, org.org.id, p.id, user.id).await?;
            user.id
        }
    };
    crate::tenancy::grant_roles(&mut *conn, org.org.id, user_id, &[role]).await?;
    let (login, kind, has_password): (String, String, bool) = sqlx::query!(
        r#"SELECT email AS "c0!", login_kind AS "c1!", password_hash IS NOT NULL AS "c2!" FROM users WHERE id = $1"#,
        user_id,
    ).map(|r| (r.c0, r.c1, r.c2))
    .fetch_one(&mut *conn)
    .await?;
    if has_password {
        return Ok(Ok(Issued::Ready { name }));
    }
    // Links and codes only for an account that belongs to this organization's participant alone.
    if crate::tenancy::account_is_shared(&mut *conn, org.org.id, user_id).await? {
        return Ok(Ok(Issued::Ready { name }));
    }
    if kind == "code" {
        let code =
            crate::auth::create_codes(&mut *conn, &[user_id], org.org.id, org.user.id, code_days)
                .await?
                .remove(0)
                .1;
        crate::audit::record(&mut *conn, org, "account.code", Some(p.id), "").await?;
        // A child's representative the curator asked to tell gets the login and code by e-mail
        // (the printed slip stays the main way).
        let guardians = crate::people::guardians(&mut *conn, org.org.id, &[p.id], &[]).await?;
        let login_url = format!("{}{}", org.state.config.public_url, crate::paths::LOGIN);
        for g in &guardians {
            let paragraphs = [
                format!(
                    "Для {} создана учётная запись в системе «Наставник» организации {}.",
                    if g.child.is_empty() {
                        "ребёнка"
                    } else {
                        &g.child
                    },
                    org.org.short_name
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
                    subject: &format!("Вход в «Наставник» для ребёнка: {}", org.org.short_name),
                    paragraphs: &paragraphs,
                    link: Some(("Страница входа", &login_url)),
                    ..crate::notifications::mail::Mail::invitation(&org.org)
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
        let token = crate::auth::create_invitation(
            &mut *conn,
            user_id,
            Some(org.org.id),
            Some(org.user.id),
        )
        .await?;
        crate::audit::record(&mut *conn, org, "account.create", Some(p.id), "").await?;
        // The link goes by e-mail too; the curator still sees it, if the e-mail does not arrive.
        let url = format!(
            "{}{}",
            org.state.config.public_url,
            crate::paths::invite(&token)
        );
        let paragraphs = [
            format!(
                "{} создал(а) для вас учётную запись в системе «Наставник» организации {}.",
                org.user.full_name, org.org.short_name
            ),
            "По ссылке вы зададите пароль; она работает один раз.".to_string(),
        ];
        crate::notifications::mail::queue(
            &mut *conn,
            &crate::notifications::mail::Mail {
                key: &format!("invite:{}", crate::web::cookies::digest(&token)),
                to_address: &login,
                to_name: &format!("{} {}", p.first_name, p.middle_name),
                subject: &format!("Учётная запись в «Наставнике»: {}", org.org.short_name),
                paragraphs: &paragraphs,
                link: Some(("Задать пароль", &url)),
                ..crate::notifications::mail::Mail::invitation(&org.org)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins() {
        assert_eq!(translit("Щукина Юлия"), "shchukinaiuliia");
        assert_eq!(translit("Ёлкин-2"), "elkin2");
    }
}
