//! The commands of a person's news (ARCHITECTURE.md, «Commands»): everything read at once, how
//! each kind of news reaches them (in the app, by e-mail at once, in one e-mail a day — the
//! curator's digest only for curators), and the one-click unsubscribe of an e-mail's link; the
//! platform administrator's resending of a failed e-mail and retrying of a parked job.

use sqlx::PgConnection;

use super::{model, repo};
use crate::auth::model::Role;
use crate::tenancy::Actor;

/// Marks every notification of the actor read; returns how many were unread.
pub async fn read_all(conn: &mut PgConnection, by: &Actor<'_>) -> Result<u64, sqlx::Error> {
    repo::read_all(conn, by.org.id, by.user_id).await
}

/// The channel chosen for each kind of news, as the form sends it (empty: not sent).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Channels {
    pub reminders: String,
    pub pairs: String,
    pub surveys: String,
    pub digest: String,
}

impl Channels {
    fn of(&self, kind: &str) -> &str {
        match kind {
            "reminders" => &self.reminders,
            "pairs" => &self.pairs,
            "surveys" => &self.surveys,
            "digest" => &self.digest,
            _ => "",
        }
    }
}

/// The kinds of news `curator` or not may choose for (the digest is the curator's).
pub fn kinds(
    curator: bool,
) -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str, bool)> {
    model::KINDS
        .iter()
        .filter(move |k| k.0 != "digest" || curator)
}

/// Keeps the actor's choices: a channel a kind allows is kept, anything else is left as it was;
/// returns how many were kept.
pub async fn choose(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    channels: &Channels,
) -> Result<usize, sqlx::Error> {
    let curator = by.holds(&mut *conn, &[Role::Curator]).await?;
    let mut kept = 0;
    for (kind, ..) in kinds(curator) {
        let channel = channels.of(kind);
        if model::allowed(kind, channel) {
            repo::set_pref(&mut *conn, by.org.id, by.user_id, kind, channel).await?;
            kept += 1;
        }
    }
    Ok(kept)
}

/// Whose e-mails an unsubscribe link stops.
#[derive(Debug, Clone)]
pub struct Unsubscribe {
    pub org_name: String,
    /// A kind of news, or «all».
    pub kind: String,
}

/// What the link `token` stops, if it is a link.
pub async fn unsubscribe_target(
    conn: &mut PgConnection,
    token: &str,
) -> Result<Option<Unsubscribe>, sqlx::Error> {
    Ok(
        repo::unsubscribe_target(conn, &crate::web::cookies::digest(token))
            .await?
            .map(|(_, org_name, _, kind)| Unsubscribe { org_name, kind }),
    )
}

/// Stops the e-mails of the link's kind (or all): the person keeps that news in the app only.
/// `None` when the token is no link.
pub async fn unsubscribe(
    conn: &mut PgConnection,
    token: &str,
) -> Result<Option<Unsubscribe>, sqlx::Error> {
    let Some((org_id, org_name, user_id, kind)) =
        repo::unsubscribe_target(&mut *conn, &crate::web::cookies::digest(token)).await?
    else {
        return Ok(None);
    };
    for k in model::KINDS.iter().filter(|k| kind == "all" || k.0 == kind) {
        repo::set_pref(&mut *conn, org_id, user_id, k.0, "app").await?;
    }
    Ok(Some(Unsubscribe { org_name, kind }))
}

/// The platform administrator sends a failed e-mail again (404 for an e-mail that is not
/// failed): it is queued with a new delivery job.
pub async fn resend(
    conn: &mut PgConnection,
    by: &crate::web::ctx::User,
    id: uuid::Uuid,
) -> Result<(), crate::error::AppError> {
    if !by.is_platform_admin {
        return Err(crate::error::AppError::Forbidden);
    }
    if !super::outbox::requeue(&mut *conn, id).await? {
        return Err(crate::error::AppError::NotFound);
    }
    super::mail::delivery_job(&mut *conn, id, None).await?;
    Ok(())
}

/// The platform administrator runs a parked job again (404 for a job that is not parked).
pub async fn retry_job(
    conn: &mut PgConnection,
    by: &crate::web::ctx::User,
    id: uuid::Uuid,
) -> Result<(), crate::error::AppError> {
    if !by.is_platform_admin {
        return Err(crate::error::AppError::Forbidden);
    }
    if !crate::jobs::retry_parked(conn, id).await? {
        return Err(crate::error::AppError::NotFound);
    }
    Ok(())
}
