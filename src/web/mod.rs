//! The web layer shared by every domain: state, request context (session, CSRF, flash), page
//! context for templates, security headers, error pages, metrics and static assets.

pub mod assets;
pub mod cookies;
pub mod csrf;
pub mod ctx;
pub mod forms;
pub mod guard;
pub mod ids;
pub mod metrics;
pub mod view;
pub mod xlsx;

use std::sync::Arc;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use sqlx::PgPool;

use crate::config::Config;

pub use ctx::{AuthUser, PageCtx, RequestCtx};

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    /// `DATABASE_READ_URL`: a streaming replica for the read-only report queries.
    pub read_pool: Option<PgPool>,
    pub config: Arc<Config>,
    pub metrics: Arc<metrics::Metrics>,
    /// Password hashes computed at once (argon2 takes 19 MiB and ~50 ms of a core each).
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// Heavy pure work at once, off the async threads: parsing uploads, matching.
    pub work: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// A connection for read-only report queries: from the replica when there is one and it
    /// answers, else (and meanwhile) from the primary. Nothing is written through it.
    pub async fn read_conn(
        &self,
    ) -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>, sqlx::Error> {
        if let Some(replica) = &self.read_pool {
            match replica.acquire().await {
                Ok(c) => return Ok(c),
                Err(e) => tracing::warn!(
                    error = %e,
                    "реплика (DATABASE_READ_URL) не отвечает: отчёт читается с основного сервера"
                ),
            }
        }
        self.pool.acquire().await
    }
}

#[derive(Clone, Debug)]
pub struct Flash {
    pub kind: String,
    pub message: String,
}

impl Flash {
    pub fn is_error(&self) -> bool {
        self.kind == "error"
    }
}

/// Runs heavy work (argon2, parsing an upload, matching) off the async threads, then gives its
/// scratch memory back to the OS (glibc otherwise keeps it in per-thread arenas: the idle server
/// would grow by the peak of every blocking thread that ever worked).
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    tokio::task::spawn_blocking(move || {
        let out = f();
        release_memory();
        out
    })
    .await
}

#[allow(unsafe_code)]
fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator to the OS.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// A permit of one of the server's work limits (password hashing, file parsing), waiting at most
/// `wait`; past that the request gets 503 «сервер занят» instead of piling up.
pub async fn permit(
    limit: &Arc<tokio::sync::Semaphore>,
    wait: std::time::Duration,
) -> Result<tokio::sync::OwnedSemaphorePermit, crate::error::AppError> {
    tokio::time::timeout(wait, limit.clone().acquire_owned())
        .await
        .map_err(|_| crate::error::AppError::Busy)?
        .map_err(crate::error::AppError::internal)
}

/// POST -> 303 -> GET with a flash message shown on the next page.
pub fn redirect_with_flash(to: &str, kind: &str, message: &str, secure: bool) -> Response {
    let mut resp = Redirect::to(to).into_response();
    let value: String =
        form_urlencoded::byte_serialize(format!("{kind}|{message}").as_bytes()).collect();
    let cookie = cookies::build(cookies::FLASH, &value, Some(60), secure);
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

pub use ids::parse_id;

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_work_limit_answers_busy_instead_of_queueing_forever() {
        let limit = Arc::new(tokio::sync::Semaphore::new(1));
        let held = permit(&limit, std::time::Duration::from_millis(10))
            .await
            .expect("a free permit");
        let second = permit(&limit, std::time::Duration::from_millis(20)).await;
        assert!(matches!(second, Err(crate::error::AppError::Busy)));
        drop(held);
        assert!(
            permit(&limit, std::time::Duration::from_millis(10))
                .await
                .is_ok()
        );
    }
}
