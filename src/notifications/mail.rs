//! E-mail: a message composed in Russian (plain text and a simple HTML part with a link back to
//! the page), written to the outbox with its delivery job in the caller's transaction, and
//! delivered through SMTP (`lettre`) by that job. Without `NASTAVNIK_SMTP_URL` messages wait in
//! the outbox (the admin page says so) and go out once it is set.

use chrono::Utc;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sqlx::PgConnection;
use uuid::Uuid;

use super::outbox::{self, NewMessage};
use crate::config::Config;

/// The job kind that delivers one message.
pub const SEND_JOB: &str = "mail.send";

/// A message to send: paragraphs of text and a button linking back to a page of the product.
#[derive(Clone, Debug)]
pub struct Mail<'a> {
    pub org_id: Option<Uuid>,
    /// The event's identity: the same key is written once.
    pub key: &'a str,
    /// What it is about (`reminder`, `invitation`, …): for the admin page and preferences.
    pub kind: &'a str,
    pub to_address: &'a str,
    pub to_name: &'a str,
    pub subject: &'a str,
    pub paragraphs: &'a [String],
    /// (button text, absolute URL)
    pub link: Option<(&'a str, &'a str)>,
    /// The organization on whose behalf it is sent (named in the footer).
    pub from_org: &'a str,
    /// The one-click link that stops this kind of e-mail, if the recipient has an account.
    pub unsubscribe: Option<&'a str>,
    /// It carries a secret (a one-time link, a login code): the body is cleared once sent.
    pub secret: bool,
}

impl<'a> Mail<'a> {
    /// The fields every invitation shares (a one-time link or a login code: a secret, no
    /// unsubscribe — it is not news): fill in the key, the recipient, the subject and the text.
    pub fn invitation(org: &'a crate::tenancy::Organization) -> Self {
        Mail {
            org_id: Some(org.id),
            key: "",
            kind: "invitation",
            to_address: "",
            to_name: "",
            subject: "",
            paragraphs: &[],
            link: None,
            from_org: &org.short_name,
            unsubscribe: None,
            secret: true,
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The plain-text and HTML bodies of a message.
pub fn compose(m: &Mail<'_>) -> (String, String) {
    let greeting = if m.to_name.is_empty() {
        "Здравствуйте!".to_string()
    } else {
        format!("Здравствуйте, {}!", m.to_name)
    };
    let mut text = format!("{greeting}\n\n");
    let mut html = format!(
        "<!doctype html><html lang=\"ru\"><body style=\"font-family: sans-serif; line-height: 1.5\">\
         <p>{}</p>",
        escape(&greeting)
    );
    for p in m.paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(p)));
    }
    if let Some((label, url)) = m.link {
        text.push_str(&format!("{label}: {url}\n\n"));
        html.push_str(&format!(
            "<p><a href=\"{}\" style=\"display: inline-block; padding: 8px 16px; background: #1d4ed8; \
             color: #fff; text-decoration: none; border-radius: 4px\">{}</a></p>",
            escape(url),
            escape(label)
        ));
    }
    let footer = if m.from_org.is_empty() {
        "Это письмо отправлено системой «Наставник». Отвечать на него не нужно.".to_string()
    } else {
        format!(
            "Это письмо отправлено системой «Наставник» от имени организации {}. Отвечать на него не нужно.",
            m.from_org
        )
    };
    text.push_str("--\n");
    text.push_str(&footer);
    text.push('\n');
    html.push_str(&format!(
        "<hr><p style=\"color: #555; font-size: 13px\">{}</p>",
        escape(&footer)
    ));
    if let Some(u) = m.unsubscribe {
        text.push_str(&format!("Отписаться от таких писем: {u}\n"));
        html.push_str(&format!(
            "<p style=\"color: #555; font-size: 13px\"><a href=\"{}\">Отписаться от таких писем</a></p>",
            escape(u)
        ));
    }
    html.push_str("</body></html>");
    (text, html)
}

/// Writes the message to the outbox with its delivery job, in the caller's transaction; false
/// when the same event wrote it before.
pub async fn queue(conn: &mut PgConnection, m: &Mail<'_>) -> Result<bool, sqlx::Error> {
    let (text, html) = compose(m);
    let id = outbox::insert(
        &mut *conn,
        &NewMessage {
            org_id: m.org_id,
            key: m.key,
            kind: m.kind,
            to_address: m.to_address,
            to_name: m.to_name,
            subject: m.subject,
            text: &text,
            html: &html,
            link: m.link.map(|l| l.1).unwrap_or(""),
            unsubscribe: m.unsubscribe.unwrap_or(""),
            secret: m.secret,
        },
    )
    .await?;
    let Some(id) = id else {
        return Ok(false);
    };
    delivery_job(conn, id, m.org_id).await?;
    Ok(true)
}

/// Enqueues the delivery of message `id` (once: a delivery already waiting is not doubled).
pub async fn delivery_job(
    conn: &mut PgConnection,
    id: Uuid,
    org_id: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    crate::jobs::enqueue(
        conn,
        &crate::jobs::NewJob {
            kind: SEND_JOB,
            payload: serde_json::json!({ "id": id }),
            org_id,
            unique_key: Some(&format!("mail:{id}")),
            run_at: Utc::now(),
        },
    )
    .await?;
    Ok(())
}

/// The SMTP connection settings, built once per worker.
#[derive(Clone)]
pub struct Sender {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl Sender {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let transport = match &config.smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("NASTAVNIK_SMTP_URL: {e}"))?
                    .timeout(Some(std::time::Duration::from_secs(30)))
                    .build(),
            ),
            None => None,
        };
        let from = config
            .mail_from
            .parse()
            .map_err(|e| anyhow::anyhow!("NASTAVNIK_MAIL_FROM: {e}"))?;
        Ok(Sender { transport, from })
    }

    pub fn configured(&self) -> bool {
        self.transport.is_some()
    }

    async fn send(&self, m: &outbox::Message) -> Result<(), String> {
        let Some(transport) = &self.transport else {
            return Err("SMTP не настроен (NASTAVNIK_SMTP_URL)".into());
        };
        let address = m
            .to_address
            .parse()
            .map_err(|e| format!("адрес {}: {e}", m.to_address))?;
        let to = Mailbox::new((!m.to_name.is_empty()).then(|| m.to_name.clone()), address);
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            // The same message keeps its Message-ID when it is sent again after a crash.
            .message_id(Some(format!("<{}@nastavnik>", m.id)))
            .multipart(MultiPart::alternative_plain_html(
                m.body_text.clone(),
                m.body_html.clone(),
            ))
            .map_err(|e| format!("письмо: {e}"))?;
        transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}

/// Delivers message `id`. Without SMTP configured the message stays queued (and the job ends:
/// the worker queues waiting messages again when it starts). A failure is recorded on the
/// message and returned, so the job retries; on the last attempt the message is `failed`.
pub async fn deliver(
    pool: &sqlx::PgPool,
    sender: &Sender,
    id: Uuid,
    last_attempt: bool,
) -> anyhow::Result<()> {
    if !sender.configured() {
        return Ok(());
    }
    let mut conn = pool.acquire().await?;
    let Some(message) = outbox::take(&mut conn, id).await? else {
        return Ok(());
    };
    drop(conn);
    crate::failpoint::pause("mail.send").await;
    let sent = sender.send(&message).await;
    let mut conn = pool.acquire().await?;
    match sent {
        Ok(()) => {
            outbox::mark_sent(&mut conn, id).await?;
            Ok(())
        }
        Err(e) => {
            outbox::mark_failed(&mut conn, id, &e, last_attempt).await?;
            Err(anyhow::anyhow!(e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_carry_the_text_and_the_link_escaped() {
        let paragraphs = vec!["Анкета «Мой наставник» <ждёт>".to_string()];
        let (text, html) = compose(&Mail {
            org_id: None,
            key: "k",
            kind: "reminder",
            to_address: "a@b.ru",
            to_name: "Анна",
            subject: "Напоминание",
            paragraphs: &paragraphs,
            link: Some(("Открыть анкету", "https://s.ru/o/x/my/forms/1?a=1&b=2")),
            from_org: "СОШ № 1",
            unsubscribe: Some("https://s.ru/unsubscribe/t"),
            secret: false,
        });
        assert!(text.contains("от имени организации СОШ № 1"));
        assert!(text.contains("Отписаться от таких писем: https://s.ru/unsubscribe/t"));
        assert!(text.starts_with("Здравствуйте, Анна!"));
        assert!(text.contains("Открыть анкету: https://s.ru/o/x/my/forms/1?a=1&b=2"));
        assert!(html.contains("&lt;ждёт&gt;"));
        assert!(html.contains("href=\"https://s.ru/o/x/my/forms/1?a=1&amp;b=2\""));
    }
}
