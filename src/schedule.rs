//! What runs by itself: the table of job kinds (like `routes.rs` for URLs, each kind → the domain
//! function that does it) and the runner that claims due jobs from the queue (`jobs`) and runs
//! them — inside `nastavnik serve` (a worker polling every `NASTAVNIK_JOBS_POLL_MS`) or once from
//! `nastavnik jobs run-due [--now …]`. Any number of runners may share one database.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::config::Config;
use crate::jobs::{self, Claimed};
use crate::notifications::mail;

/// How long a claimed job is held before another runner may take it (a crashed runner's job
/// runs again after this).
const LEASE_SECS: i64 = 300;
/// Jobs claimed at a time.
const BATCH: i64 = 20;

/// What one pass ran.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ran {
    pub done: usize,
    pub failed: usize,
}

/// Claims and runs due jobs.
#[derive(Clone)]
pub struct Runner {
    pool: PgPool,
    sender: mail::Sender,
    name: String,
}

impl Runner {
    pub fn new(pool: PgPool, config: &Config) -> anyhow::Result<Self> {
        Ok(Runner {
            pool,
            sender: mail::Sender::from_config(config)?,
            name: format!("{}:{}", hostname(), std::process::id()),
        })
    }

    /// This runner under another name (two workers in one process, for tests and benchmarks).
    pub fn named(mut self, name: &str) -> Self {
        self.name = name.to_string();
        self
    }

    /// Runs every job due at `now` until none is left; a job a run enqueues that is due too runs
    /// in the same pass.
    pub async fn run_due(&self, now: DateTime<Utc>) -> anyhow::Result<Ran> {
        let mut ran = Ran::default();
        loop {
            let mut conn = self.pool.acquire().await?;
            let batch = jobs::claim(&mut conn, now, &self.name, BATCH, LEASE_SECS).await?;
            drop(conn);
            if batch.is_empty() {
                return Ok(ran);
            }
            for job in &batch {
                match self.run_one(job).await {
                    Ok(()) => {
                        let mut conn = self.pool.acquire().await?;
                        jobs::finish(&mut conn, job.id).await?;
                        ran.done += 1;
                    }
                    Err(e) => {
                        let again = jobs::next_attempt(now, job.attempts, job.max_attempts);
                        tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, error = %format!("{e:#}"), "job failed");
                        let mut conn = self.pool.acquire().await?;
                        jobs::fail(&mut conn, job.id, &format!("{e:#}"), again).await?;
                        ran.failed += 1;
                    }
                }
            }
        }
    }

    /// The table of job kinds.
    async fn run_one(&self, job: &Claimed) -> anyhow::Result<()> {
        let last = job.attempts >= job.max_attempts;
        match job.kind.as_str() {
            mail::SEND_JOB => {
                let id = payload_id(job)?;
                mail::deliver(&self.pool, &self.sender, id, last).await
            }
            other => anyhow::bail!("неизвестный вид задания «{other}»"),
        }
    }

    /// Messages that wait without a delivery job (queued while SMTP was not set, or caught by a
    /// crash) get one.
    pub async fn requeue_waiting_mail(&self) -> anyhow::Result<usize> {
        let mut conn = self.pool.acquire().await?;
        let ids = crate::notifications::outbox::waiting(&mut conn).await?;
        for id in &ids {
            mail::delivery_job(&mut conn, *id, None).await?;
        }
        Ok(ids.len())
    }

    /// The worker of `serve`: runs what is due, then waits `poll`, until the process ends.
    pub async fn work(self, poll: Duration) {
        if let Err(e) = self.requeue_waiting_mail().await {
            tracing::warn!(error = %format!("{e:#}"), "queueing waiting mail");
        }
        loop {
            if let Err(e) = self.run_due(Utc::now()).await {
                tracing::warn!(error = %format!("{e:#}"), "job runner");
            }
            tokio::time::sleep(poll).await;
        }
    }
}

fn payload_id(job: &Claimed) -> anyhow::Result<uuid::Uuid> {
    job.payload
        .get("id")
        .and_then(|v| v.as_str())
        .and_then(|s| uuid::Uuid::parse_str(s).ok())
        .ok_or_else(|| anyhow::anyhow!("в задании нет id"))
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "host".into())
}

/// Starts the worker of `serve` unless `NASTAVNIK_JOBS=off`.
pub fn spawn_worker(pool: PgPool, config: Arc<Config>) -> anyhow::Result<()> {
    if !config.jobs_worker {
        tracing::info!("обработчик заданий выключен (NASTAVNIK_JOBS=off)");
        return Ok(());
    }
    let runner = Runner::new(pool, &config)?;
    tokio::spawn(runner.work(Duration::from_millis(config.jobs_poll_ms)));
    Ok(())
}
