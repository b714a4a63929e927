//! The platform admin's «Почта и задания»: the outbox (waiting, failed with the error, sent) with
//! «Отправить снова», and the job queue (due, running, parked after errors) with «Повторить».

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};

use crate::error::{AppError, AppResult};
use crate::notifications::outbox::{self, OutboxStatus};
use crate::web::ids::Id;
use crate::web::{AppState, AuthUser, PageCtx};
use axum::extract::State;

fn require_admin(auth: &AuthUser) -> AppResult<()> {
    if auth.user.is_platform_admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Moscow time, for the platform's own pages.
fn msk(t: DateTime<Utc>) -> String {
    let zone = chrono::FixedOffset::east_opt(3 * 3600)
        .unwrap_or(chrono::FixedOffset::east_opt(0).expect("zero offset"));
    t.with_timezone(&zone).format("%d.%m.%Y %H:%M").to_string()
}

pub struct MessageLine {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub kind: String,
    pub at: String,
    pub attempts: i32,
    pub error: String,
}

pub struct JobView {
    pub id: String,
    pub kind: String,
    pub org: String,
    pub at: String,
    pub attempts: String,
    pub running: bool,
    pub error: String,
}

/// A table of messages (or jobs) with a title; `action`: whether each line has its button.
pub struct Section<T> {
    pub title: &'static str,
    pub list: Vec<T>,
    pub action: bool,
}

pub struct Count {
    pub label: &'static str,
    pub n: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "notifications/outbox.html")]
pub struct OutboxPage {
    pub ctx: PageCtx,
    pub smtp: bool,
    pub counts: Vec<Count>,
    pub mail: Vec<Section<MessageLine>>,
    pub jobs: Vec<Section<JobView>>,
}

fn lines(list: Vec<outbox::Message>) -> Vec<MessageLine> {
    list.into_iter()
        .map(|m| MessageLine {
            id: m.id.to_string(),
            to: m.to_address,
            subject: m.subject,
            kind: m.kind,
            at: msk(m.sent_at.unwrap_or(m.created_at)),
            attempts: m.attempts,
            error: m.last_error,
        })
        .collect()
}

/// The jobs in a state, each with its organization's name (tenancy).
async fn jobs(
    conn: &mut sqlx::PgConnection,
    status: crate::jobs::JobStatus,
) -> AppResult<Vec<JobView>> {
    let list = crate::jobs::list(&mut *conn, status, 100).await?;
    let ids: Vec<uuid::Uuid> = list.iter().filter_map(|j| j.org_id).collect();
    let names = crate::tenancy::org_names(conn, &ids).await?;
    Ok(list
        .into_iter()
        .map(|j| JobView {
            id: j.id.to_string(),
            kind: j.kind,
            org: j
                .org_id
                .and_then(|o| names.get(&o).cloned())
                .unwrap_or_default(),
            at: msk(j.finished_at.unwrap_or(j.run_at)),
            attempts: format!("{}/{}", j.attempts, j.max_attempts),
            running: j.running,
            error: j.last_error,
        })
        .collect())
}

pub async fn outbox_page(State(state): State<AppState>, auth: AuthUser) -> AppResult<OutboxPage> {
    require_admin(&auth)?;
    let mut conn = state.pool.acquire().await?;
    let counts = outbox::counts(&mut conn).await?;
    let waiting = outbox::list(&mut conn, OutboxStatus::Queued, 100).await?;
    let mut waiting = lines(waiting);
    waiting.extend(lines(
        outbox::list(&mut conn, OutboxStatus::Sending, 100).await?,
    ));
    let section = |title, list, action| Section {
        title,
        list,
        action,
    };
    Ok(OutboxPage {
        ctx: auth.ctx.page("Почта и задания"),
        smtp: state.config.smtp_url.is_some(),
        counts: counts
            .into_iter()
            .map(|(s, n)| Count {
                label: s.label(),
                n,
            })
            .collect(),
        mail: vec![
            section("В очереди", waiting, false),
            section(
                "Не отправлены",
                lines(outbox::list(&mut conn, OutboxStatus::Failed, 100).await?),
                true,
            ),
            section(
                "Отправлены недавно",
                lines(outbox::list(&mut conn, OutboxStatus::Sent, 50).await?),
                true,
            ),
        ],
        jobs: vec![
            Section {
                title: "Ожидают",
                list: jobs(&mut conn, crate::jobs::JobStatus::Queued).await?,
                action: false,
            },
            Section {
                title: "Отложены после ошибок",
                list: jobs(&mut conn, crate::jobs::JobStatus::Parked).await?,
                action: true,
            },
        ],
    })
}

/// «Отправить снова»: a failed (or sent) message goes back to the queue with a delivery job.
pub async fn resend(
    State(state): State<AppState>,
    auth: AuthUser,
    Id(id): Id,
) -> AppResult<Response> {
    require_admin(&auth)?;
    let mut tx = state.pool.begin().await?;
    crate::notifications::commands::resend(&mut tx, &auth.user, id).await?;
    tx.commit().await?;
    Ok(Redirect::to(&crate::paths::admin_mail()).into_response())
}

/// «Повторить»: a parked job runs again.
pub async fn retry_job(
    State(state): State<AppState>,
    auth: AuthUser,
    Id(id): Id,
) -> AppResult<Response> {
    require_admin(&auth)?;
    let mut conn = state.pool.acquire().await?;
    crate::notifications::commands::retry_job(&mut conn, &auth.user, id).await?;
    Ok(Redirect::to(&crate::paths::admin_mail()).into_response())
}
