//! The outbox (`outbox`): e-mail written in the transaction of the event that causes it, then
//! delivered by a `mail.send` job; its state for the admin page. Composing a message is
//! [`super::mail`]'s.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

crate::codes! {
    /// Where a message of the outbox stands. Stored as its code in `outbox.status`.
    pub enum OutboxStatus: "outbox status" {
        Queued = "queued" => "в очереди",
        Sending = "sending" => "отправляются",
        Sent = "sent" => "отправлены",
        Failed = "failed" => "не отправлены",
    }
}

/// A message to write to the outbox.
#[derive(Clone, Debug)]
pub struct NewMessage<'a> {
    pub org_id: Option<Uuid>,
    /// The message's identity (also its Message-ID): the same event writes it once.
    pub key: &'a str,
    pub kind: &'a str,
    pub to_address: &'a str,
    pub to_name: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    pub link: &'a str,
    pub unsubscribe: &'a str,
    pub secret: bool,
}

/// Writes a message; `None` when its key was written before (the event happened already).
pub async fn insert(
    conn: &mut PgConnection,
    m: &NewMessage<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    // A one-time link or code waits sealed, never in clear (`sealed`).
    let seal = |t: &str| -> Result<String, sqlx::Error> {
        if m.secret {
            super::sealed::seal(t).map_err(sqlx::Error::Protocol)
        } else {
            Ok(t.to_string())
        }
    };
    let (text, html, link) = (seal(m.text)?, seal(m.html)?, seal(m.link)?);
    sqlx::query_scalar!(
        r#"INSERT INTO outbox (org_id, idempotency_key, kind, to_address, to_name, subject, body_text,
                             body_html, link, unsubscribe, secret)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id AS "v!""#,
        m.org_id,
        m.key,
        m.kind,
        m.to_address,
        m.to_name,
        m.subject,
        &text,
        &html,
        &link,
        m.unsubscribe,
        m.secret,
    )
    .fetch_optional(conn)
    .await
}

/// A message as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Message {
    pub id: Uuid,
    pub org_id: Option<Uuid>,
    pub idempotency_key: String,
    pub kind: String,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub last_error: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Takes a message for delivery: it is marked `sending` (a crash after this leaves it so; the
/// next attempt sends it with the same Message-ID). `None` when it was sent already.
pub async fn take(conn: &mut PgConnection, id: Uuid) -> Result<Option<Message>, sqlx::Error> {
    let m: Option<Message> = sqlx::query_as!(
        Message,
        r#"UPDATE outbox SET status = 'sending', attempts = attempts + 1
          WHERE id = $1 AND status <> 'sent'
         RETURNING id AS "id!", org_id AS "org_id?", idempotency_key AS "idempotency_key!", kind AS "kind!", to_address AS "to_address!", to_name AS "to_name!", subject AS "subject!", body_text AS "body_text!",
                    body_html AS "body_html!", status AS "status!: OutboxStatus", attempts AS "attempts!", last_error AS "last_error!", created_at AS "created_at!", sent_at AS "sent_at?""#,
        id,
    )
    .fetch_optional(conn)
    .await?;
    // Opened only to be sent.
    m.map(|mut m| {
        m.body_text = super::sealed::open(&m.body_text).map_err(sqlx::Error::Protocol)?;
        m.body_html = super::sealed::open(&m.body_html).map_err(sqlx::Error::Protocol)?;
        Ok(m)
    })
    .transpose()
}

pub async fn mark_sent(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE outbox SET status = 'sent', sent_at = now(), last_error = '',
                body_text = CASE WHEN secret THEN '' ELSE body_text END,
                body_html = CASE WHEN secret THEN '' ELSE body_html END,
                link = CASE WHEN secret THEN '' ELSE link END
          WHERE id = $1",
        id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The delivery failed: `failed` when no attempt is left, else back in the queue.
pub async fn mark_failed(
    conn: &mut PgConnection,
    id: Uuid,
    error: &str,
    final_attempt: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE outbox SET status = CASE WHEN $3 THEN 'failed' ELSE 'queued' END,
                last_error = left($2, 2000)
          WHERE id = $1 AND status <> 'sent'",
        id,
        error,
        final_attempt,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Messages that wait (queued, or caught mid-send by a crash): their ids.
pub async fn waiting(conn: &mut PgConnection) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT id AS "v!" FROM outbox WHERE status IN ('queued', 'sending') ORDER BY created_at LIMIT 10000"#,
    )
    .fetch_all(conn)
    .await
}

/// Puts a failed (or sent) message back in the queue, for the admin's «Отправить снова».
pub async fn requeue(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "UPDATE outbox SET status = 'queued', attempts = 0, last_error = ''
          WHERE id = $1 AND (status = 'failed' OR (status = 'sent' AND NOT secret))",
        id,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Erasure: the organization's messages to these addresses or naming these names are deleted
/// (sent or not: an erased person is not written to).
pub async fn forget(
    conn: &mut PgConnection,
    org_id: Uuid,
    addresses: &[String],
    names: &[String],
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        "DELETE FROM outbox WHERE org_id = $1
            AND (lower(to_address) = ANY ($2)
                 OR EXISTS (SELECT 1 FROM unnest($3::text[]) n
                             WHERE strpos(body_text, n) > 0 OR strpos(to_name, n) > 0
                                OR strpos(subject, n) > 0))",
        org_id,
        addresses,
        names,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected()
        + forget_sealed(conn, org_id, addresses, names).await?)
}

/// Sealed messages that wait and name the person in their sealed text (a child's login code
/// sent to a representative): opened here, in the process that holds the key, and deleted.
async fn forget_sealed(
    conn: &mut PgConnection,
    org_id: Uuid,
    addresses: &[String],
    names: &[String],
) -> Result<u64, sqlx::Error> {
    let sealed: Vec<(Uuid, String)> = sqlx::query!(
        r#"SELECT id AS "c0!", body_text AS "c1!" FROM outbox
          WHERE org_id = $1 AND secret AND status <> 'sent' AND body_text LIKE 'sealed%'"#,
        org_id,
    )
    .map(|r| (r.c0, r.c1))
    .fetch_all(&mut *conn)
    .await?;
    let needles: Vec<String> = names
        .iter()
        .chain(addresses.iter())
        .map(|n| n.to_lowercase())
        .collect();
    let ids: Vec<Uuid> = sealed
        .into_iter()
        .filter(|(_, body)| {
            let text = super::sealed::open(body).unwrap_or_default().to_lowercase();
            needles.iter().any(|n| text.contains(n.as_str()))
        })
        .map(|(id, _)| id)
        .collect();
    Ok(sqlx::query!("DELETE FROM outbox WHERE id = ANY($1)", &ids,)
        .execute(conn)
        .await?
        .rows_affected())
}

/// Sent messages are kept `days` days (the admin's view of what went out), then deleted: they
/// hold addresses and names.
pub async fn prune(conn: &mut PgConnection, days: i32) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        "DELETE FROM outbox WHERE status IN ('sent', 'failed') AND created_at < now() - make_interval(days => $1)",
        days,
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// Messages in a state, newest first.
pub async fn list(
    conn: &mut PgConnection,
    status: OutboxStatus,
    limit: i64,
) -> Result<Vec<Message>, sqlx::Error> {
    sqlx::query_as!(
        Message,
        r#"SELECT id AS "id!", org_id AS "org_id?", idempotency_key AS "idempotency_key!", kind AS "kind!", to_address AS "to_address!", to_name AS "to_name!", subject AS "subject!", body_text AS "body_text!",
                    body_html AS "body_html!", status AS "status!: OutboxStatus", attempts AS "attempts!", last_error AS "last_error!", created_at AS "created_at!", sent_at AS "sent_at?" FROM outbox WHERE status = $1 ORDER BY created_at DESC LIMIT $2"#,
        status.code(),
        limit,
    )
    .fetch_all(conn)
    .await
}

/// How many messages are in each state.
pub async fn counts(conn: &mut PgConnection) -> Result<Vec<(OutboxStatus, i64)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT status AS "c0!: OutboxStatus", count(*) AS "c1!" FROM outbox GROUP BY status"#,
    )
    .map(|r| (r.c0, r.c1))
    .fetch_all(conn)
    .await
}
