//! Notifications: what a person is told (a questionnaire given, a pair proposed or agreed, a
//! refusal, a reminder) — in the app (listed until opened, the bell counts them) and by e-mail
//! through the outbox (`mail`, `outbox`), as each person chose per kind of news (`model`): at
//! once, gathered into a daily digest, or not at all. Other domains call [`tell`].

pub mod commands;
pub mod forget;
pub mod mail;
pub mod model;
pub mod outbox;
pub mod pages;
pub mod repo;
pub mod sealed;

use uuid::Uuid;

pub use outbox::{forget as forget_mail, prune as prune_mail};
pub use repo::notifications;

/// The organization that tells: its id, name (in e-mails) and the product's public address (for
/// links in e-mails).
#[derive(Clone, Copy, Debug)]
pub struct Teller<'a> {
    pub org_id: Uuid,
    pub org_name: &'a str,
    pub slug: &'a str,
    pub base_url: &'a str,
}

impl<'a> Teller<'a> {
    pub fn of(org: &'a crate::tenancy::OrgCtx) -> Self {
        Teller::new(&org.org, &org.state.config.public_url)
    }

    /// The organization the actor acts in.
    pub fn by(actor: &'a crate::tenancy::Actor<'a>) -> Self {
        Teller::new(actor.org, actor.base_url)
    }

    pub fn new(org: &'a crate::tenancy::Organization, base_url: &'a str) -> Self {
        Teller {
            org_id: org.id,
            org_name: &org.short_name,
            slug: &org.slug,
            base_url,
        }
    }
}

/// What to tell: the kind of news (`model::KINDS`), one sentence, the page it is about (a path
/// of the organization).
#[derive(Clone, Copy, Debug)]
pub struct Note<'a> {
    pub kind: &'a str,
    pub text: &'a str,
    pub link: &'a str,
    /// More sentences for the e-mail (a deadline, what to do).
    pub details: &'a [String],
}

impl<'a> Note<'a> {
    /// A note of one sentence and its page.
    pub fn new(kind: &'a str, text: &'a str, link: &'a str) -> Self {
        Note {
            kind,
            text,
            link,
            details: &[],
        }
    }
}

/// Tells `users`: a notification in the app for each, and an e-mail at once to those who chose
/// it for this kind (those who chose the digest get it the next morning). Runs in the caller's
/// transaction; returns how many were told in the app.
pub async fn tell(
    conn: &mut sqlx::PgConnection,
    by: Teller<'_>,
    users: &[Uuid],
    note: Note<'_>,
) -> Result<usize, sqlx::Error> {
    if users.is_empty() {
        return Ok(0);
    }
    let who = repo::recipients(
        &mut *conn,
        by.org_id,
        users,
        note.kind,
        model::default_channel(note.kind),
    )
    .await?;
    let digest: Vec<Uuid> = who
        .iter()
        .filter(|r| r.channel == "digest")
        .map(|r| r.user_id)
        .collect();
    let ids: Vec<Uuid> = who.iter().map(|r| r.user_id).collect();
    let written = repo::insert_notes(
        &mut *conn, by.org_id, &ids, note.kind, note.text, note.link, &digest,
    )
    .await?;
    let url = format!("{}{}", by.base_url, note.link);
    for (id, user) in &written {
        let Some(r) = who
            .iter()
            .find(|r| r.user_id == *user && r.channel == "email")
        else {
            continue;
        };
        let unsubscribe = unsubscribe_link(&mut *conn, by, r.user_id, note.kind).await?;
        let key = format!("note:{id}");
        let paragraphs: Vec<String> = std::iter::once(note.text.to_string())
            .chain(note.details.iter().cloned())
            .collect();
        mail::queue(
            &mut *conn,
            &mail::Mail {
                org_id: Some(by.org_id),
                key: &key,
                kind: note.kind,
                to_address: &r.email,
                to_name: &r.full_name,
                subject: &subject_of(note.text),
                paragraphs: &paragraphs,
                link: Some(("Открыть в «Наставнике»", &url)),
                from_org: by.org_name,
                unsubscribe: Some(&unsubscribe),
                secret: false,
            },
        )
        .await?;
    }
    // Legal representatives the curator asked to tell, for the children among `users`.
    let guardians = crate::people::guardians(&mut *conn, by.org_id, &[], &ids).await?;
    let first = written.first().map(|w| w.0).unwrap_or_default();
    tell_guardians(&mut *conn, by, &guardians, &format!("note:{first}"), note).await?;
    Ok(written.len())
}

/// A copy for each representative: what their child was told, without a link (they have no
/// account). `key` names the event; each copy's key adds the child.
pub async fn tell_guardians(
    conn: &mut sqlx::PgConnection,
    by: Teller<'_>,
    guardians: &[crate::people::Guardian],
    key: &str,
    note: Note<'_>,
) -> Result<usize, sqlx::Error> {
    let mut written = 0;
    for g in guardians {
        let paragraphs: Vec<String> = std::iter::once(format!(
            "Вы получаете это письмо как законный представитель: вот что {} сообщили в системе «Наставник».",
            if g.child.is_empty() { "ребёнку" } else { &g.child }
        ))
        .chain(std::iter::once(note.text.to_string()))
        .chain(note.details.iter().cloned())
        .collect();
        let queued = mail::queue(
            &mut *conn,
            &mail::Mail {
                org_id: Some(by.org_id),
                key: &format!("{key}:guardian:{}", g.person_id),
                kind: "guardian",
                to_address: &g.email,
                to_name: &g.name,
                subject: &format!("{} ({})", subject_of(note.text), g.child),
                paragraphs: &paragraphs,
                link: None,
                from_org: by.org_name,
                unsubscribe: None,
                secret: false,
            },
        )
        .await?;
        written += usize::from(queued);
    }
    Ok(written)
}

/// Sends each person whose notifications waited for the digest one e-mail with all of them (the
/// morning's job); returns how many e-mails were written.
pub async fn send_digests(
    conn: &mut sqlx::PgConnection,
    by: Teller<'_>,
    today: chrono::NaiveDate,
) -> Result<usize, sqlx::Error> {
    let pending = repo::digest_pending(&mut *conn, by.org_id).await?;
    let mut users: Vec<Uuid> = pending.iter().map(|p| p.0).collect();
    users.sort();
    users.dedup();
    let who = repo::recipients(&mut *conn, by.org_id, &users, "digest", "email").await?;
    let list = format!(
        "{}{}",
        by.base_url,
        crate::paths::Paths::of(by.slug).notifications()
    );
    let mut written = 0;
    for r in &who {
        let lines: Vec<String> = pending
            .iter()
            .filter(|p| p.0 == r.user_id)
            .map(|(_, text, link)| format!("— {text} ({}{link})", by.base_url))
            .collect();
        let key = format!("digest:{}:{}:{today}", by.org_id, r.user_id);
        let subject = format!(
            "Сводка за {}: уведомлений — {}",
            crate::web::forms::ru_date(today),
            lines.len()
        );
        // The digest gathers every kind its reader chose it for: the link stops them all.
        let unsubscribe = unsubscribe_link(&mut *conn, by, r.user_id, "all").await?;
        let queued = mail::queue(
            &mut *conn,
            &mail::Mail {
                org_id: Some(by.org_id),
                key: &key,
                kind: "digest",
                to_address: &r.email,
                to_name: &r.full_name,
                subject: &subject,
                paragraphs: &lines,
                link: Some(("Все уведомления", &list)),
                from_org: by.org_name,
                unsubscribe: Some(&unsubscribe),
                secret: false,
            },
        )
        .await?;
        written += usize::from(queued);
    }
    Ok(written)
}

/// A subject line from a notification's sentence (at most 100 characters, whole words).
pub fn subject_of(text: &str) -> String {
    let first = text
        .split(". ")
        .next()
        .unwrap_or(text)
        .trim_end_matches('.');
    if first.chars().count() <= 100 {
        return first.to_string();
    }
    let mut out = String::new();
    for w in first.split_whitespace() {
        if out.chars().count() + w.chars().count() + 1 > 97 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.push('…');
    out
}

/// A one-click link that stops e-mails of `kind` to `user` from this organization.
pub async fn unsubscribe_link(
    conn: &mut sqlx::PgConnection,
    by: Teller<'_>,
    user: Uuid,
    kind: &str,
) -> Result<String, sqlx::Error> {
    let token = crate::web::cookies::random_token();
    repo::add_unsubscribe(
        conn,
        &crate::web::cookies::digest(&token),
        by.org_id,
        user,
        kind,
    )
    .await?;
    Ok(format!(
        "{}{}",
        by.base_url,
        crate::paths::unsubscribe(&token)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_short_sentences() {
        assert_eq!(
            subject_of("Новая анкета: «Мой наставник»"),
            "Новая анкета: «Мой наставник»"
        );
        assert_eq!(
            subject_of("Вам предложена пара. Посмотрите и ответьте."),
            "Вам предложена пара"
        );
        let long = "слово ".repeat(40);
        let s = subject_of(&long);
        assert!(s.chars().count() <= 100 && s.ends_with('…'), "{s}");
    }
}
