//! What runs by itself: the table of job kinds (like `routes.rs` for URLs, each kind → the domain
//! function that does it) and the runner that claims due jobs from the queue (`jobs`) and runs
//! them — inside `nastavnik serve` (a worker polling every `NASTAVNIK_JOBS_POLL_MS`) or once from
//! `nastavnik jobs run-due [--now …]`. Any number of runners may share one database.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::activities;
use crate::auth::model::Role;
use crate::config::Config;
use crate::jobs::{self, Claimed};
use crate::notifications::{self as notes, Note, Teller, mail};

mod recurrence;
#[allow(unused_imports)]
pub use recurrence::*;

/// The morning job of every organization: overdue roadmap tasks to their responsible people, the
/// curator's digest of what needs attention, the digests people chose; then the next morning's.
pub const DAILY_JOB: &str = "daily";
/// A job that does nothing: for measuring the queue (`examples/queue_bench.rs`) and checking
/// that a worker is alive.
pub const NOOP_JOB: &str = "noop";
/// The hour of the morning job, on the organization's clock.
pub const DAILY_HOUR: u32 = 7;

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
    base_url: String,
    /// The nightly backup: of what, into which directory, how many kept.
    backup: Option<Nightly>,
    /// E-mails go one at a time from a runner: a crash then leaves at most the one message whose
    /// SMTP exchange was under way uncertain (sent again after a restart, with the same
    /// Message-ID), not a whole batch of them.
    mail_gate: Arc<tokio::sync::Semaphore>,
}

#[derive(Clone)]
struct Nightly {
    target: crate::db::backup::Target,
    dir: std::path::PathBuf,
    keep: (usize, usize),
}

impl Runner {
    pub fn new(pool: PgPool, config: &Config) -> anyhow::Result<Self> {
        Ok(Runner {
            pool,
            sender: mail::Sender::from_config(config)?,
            name: format!("{}:{}", hostname(), std::process::id()),
            base_url: config.public_url.clone(),
            mail_gate: Arc::new(tokio::sync::Semaphore::new(1)),
            backup: config.backups.then(|| Nightly {
                target: crate::db::backup::Target::of(config),
                dir: config.data_dir.join("backups"),
                keep: config.backup_keep,
            }),
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
            // The batch's jobs run side by side (an SMTP exchange waits on the network).
            let mut running = tokio::task::JoinSet::new();
            for job in batch {
                let me = self.clone();
                running.spawn(async move {
                    let result = me.run_one(&job, now).await;
                    (job, result)
                });
            }
            while let Some(joined) = running.join_next().await {
                let (job, result) = joined?;
                let mut conn = self.pool.acquire().await?;
                match result {
                    Ok(()) => {
                        jobs::finish(&mut conn, job.id).await?;
                        ran.done += 1;
                    }
                    Err(e) => {
                        let again = jobs::next_attempt(now, job.attempts, job.max_attempts);
                        tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, error = %format!("{e:#}"), "job failed");
                        jobs::fail(&mut conn, job.id, &format!("{e:#}"), again).await?;
                        ran.failed += 1;
                    }
                }
            }
        }
    }

    /// The table of job kinds.
    async fn run_one(&self, job: &Claimed, now: DateTime<Utc>) -> anyhow::Result<()> {
        let last = job.attempts >= job.max_attempts;
        match job.kind.as_str() {
            mail::SEND_JOB => {
                let id = payload_id(job)?;
                let _one_at_a_time = self.mail_gate.acquire().await?;
                mail::deliver(&self.pool, &self.sender, id, last).await
            }
            NOOP_JOB => Ok(()),
            crate::db::backup::JOB => {
                let n = self.backup.as_ref().ok_or_else(|| {
                    anyhow::anyhow!("резервные копии выключены (NASTAVNIK_BACKUPS)")
                })?;
                let path = n.dir.join(crate::db::backup::file_name("daily", now));
                crate::db::backup::make(&self.pool, &n.target, &path, "daily", n.keep).await?;
                let mut conn = self.pool.acquire().await?;
                enqueue_backup(&mut conn, now.max(job.run_at), false).await?;
                Ok(())
            }
            DAILY_JOB => {
                let org = job
                    .org_id
                    .ok_or_else(|| anyhow::anyhow!("у задания нет организации"))?;
                self.daily(org, now.max(job.run_at)).await
            }
            activities::jobs::WEEKLY_JOB => {
                let org = job
                    .org_id
                    .ok_or_else(|| anyhow::anyhow!("у задания нет организации"))?;
                self.weekly(org, now.max(job.run_at)).await
            }
            activities::jobs::REMIND_JOB | activities::jobs::ENDED_JOB => {
                let org_id = job
                    .org_id
                    .ok_or_else(|| anyhow::anyhow!("у задания нет организации"))?;
                let id = payload_id(job)?;
                let date = job
                    .payload
                    .get("date")
                    .and_then(|v| v.as_str())
                    .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                    .ok_or_else(|| anyhow::anyhow!("в задании нет даты"))?;
                let mut tx = self.pool.begin().await?;
                let org = crate::tenancy::org_by_id(&mut tx, org_id).await?;
                let by = Teller::new(&org, &self.base_url);
                let at = now.max(job.run_at);
                if job.kind == activities::jobs::REMIND_JOB {
                    activities::jobs::remind(&mut tx, &org, by, (id, date), at).await?;
                } else {
                    activities::jobs::ask_feedback(&mut tx, &org, by, (id, date), at)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
                }
                tx.commit().await?;
                Ok(())
            }
            other => anyhow::bail!("неизвестный вид задания «{other}»"),
        }
    }

    /// Jobs held by a runner of this host that is gone (a crashed or killed process) are let go
    /// at once instead of after their lease; returns how many.
    pub async fn release_dead_runners(&self) -> anyhow::Result<u64> {
        let mut conn = self.pool.acquire().await?;
        let host = hostname();
        let mut released = 0;
        for holder in jobs::holders(&mut conn).await? {
            let Some((h, pid)) = holder.rsplit_once(':') else {
                continue;
            };
            let Ok(pid) = pid.parse::<u32>() else {
                continue;
            };
            if h == host
                && pid != std::process::id()
                && !std::path::Path::new(&format!("/proc/{pid}")).exists()
            {
                released += jobs::release(&mut conn, &holder).await?;
            }
        }
        if released > 0 {
            tracing::warn!(
                released,
                "задания остановленного процесса возвращены в очередь"
            );
        }
        Ok(released)
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

    /// Every organization has its next morning job (a new organization gets one here).
    pub async fn ensure_daily(&self, now: DateTime<Utc>) -> anyhow::Result<usize> {
        let mut conn = self.pool.acquire().await?;
        let mut added = 0;
        // One waiting morning job and one Monday plan per organization: one that waits already
        // (whatever its date — a late one is caught up when it runs) is not doubled.
        let waiting =
            jobs::waiting_kinds(&mut conn, &[DAILY_JOB, activities::jobs::WEEKLY_JOB]).await?;
        let has = |org: uuid::Uuid, kind: &str| waiting.iter().any(|w| w.0 == org && w.1 == kind);
        for (org, zone) in crate::tenancy::org_zones(&mut conn).await? {
            let offset = crate::tenancy::model::zone_offset(&zone);
            if !has(org, DAILY_JOB) {
                added +=
                    usize::from(enqueue_daily(&mut conn, org, next_morning(now, offset)).await?);
            }
            if !has(org, activities::jobs::WEEKLY_JOB) {
                added += usize::from(
                    enqueue_weekly(&mut conn, org, WEEKLY.next_after(now, offset)).await?,
                );
            }
        }
        if self.backup.is_some() {
            added += usize::from(enqueue_backup(&mut conn, now, true).await?);
        }
        Ok(added)
    }

    /// The morning job of one organization, as of `now`.
    async fn daily(&self, org_id: uuid::Uuid, now: DateTime<Utc>) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        let org = crate::tenancy::org_by_id(&mut tx, org_id).await?;
        let today = org.local(now).date_naive();
        // Once a local day, whatever the number of runs that overlap or fall due (the key waits
        // for a run under way to commit).
        if !jobs::once(
            &mut tx,
            Some(org_id),
            DAILY_JOB,
            &format!("{org_id}:{today}"),
        )
        .await?
        {
            enqueue_daily(
                &mut tx,
                org_id,
                MORNING.next_after_the_day(now, org.offset()),
            )
            .await?;
            tx.commit().await?;
            return Ok(());
        }
        let by = Teller::new(&org, &self.base_url);
        let paths = crate::paths::Paths::of(&org.slug);
        let overdue = crate::programs::roadmap::overdue(&mut tx, org_id, today).await?;
        for t in &overdue {
            let Some(user) = t.responsible_user_id else {
                continue;
            };
            let text = format!(
                "Просрочена задача {} «{}» (срок — {}) в программе «{}».",
                t.code,
                t.title,
                crate::web::forms::ru_date(t.due_on),
                t.program_name
            );
            let link = paths.task(t.program_id, t.id);
            let note = Note::new("reminders", &text, &link);
            notes::tell(&mut tx, by, &[user], note).await?;
        }
        let mut lines = Vec::new();
        // Pairs that have gone too long without a meeting: their mentor is reminded (once a
        // week at most); a pair two intervals behind goes into the curator's digest.
        use crate::meetings::model::{GRACE_DAYS, NUDGE_EVERY_DAYS};
        let stale = crate::meetings::stale_pairs(
            &mut tx,
            (org_id, org.offset()),
            today,
            GRACE_DAYS,
            NUDGE_EVERY_DAYS,
        )
        .await?;
        for s in &stale {
            let since = crate::web::forms::ru_date(s.since);
            if let Some(mentor) = s.mentor_user_id {
                let text = format!(
                    "Давно не было встречи с {} (программа «{}»): последняя — {since}. Запишите встречу или запланируйте следующую.",
                    s.mentees, s.program_name
                );
                let link = paths.meetings(s.pair_id);
                let note = Note::new("reminders", &text, &link);
                notes::tell(&mut tx, by, &[mentor], note).await?;
            }
            if s.since <= today - chrono::Duration::days(2 * i64::from(s.every_days)) {
                lines.push(format!(
                    "Пара с {} («{}») без встреч с {since}.",
                    s.mentees, s.program_name
                ));
            }
        }
        if !overdue.is_empty() {
            lines.push(format!(
                "Просроченных задач дорожных карт: {}.",
                overdue.len()
            ));
            for t in overdue.iter().take(10) {
                lines.push(format!(
                    "— {} «{}» ({}), срок — {}.",
                    t.code,
                    t.title,
                    t.program_name,
                    crate::web::forms::ru_date(t.due_on)
                ));
            }
        }
        let since = now - chrono::Duration::days(1);
        for (_, program, who) in crate::pairing::refusals_since(&mut tx, org_id, since).await? {
            lines.push(format!(
                "{who} отказался(ась) от пары в программе «{program}»."
            ));
        }
        for (_, title, missing) in crate::questionnaires::late(&mut tx, org_id, today).await? {
            lines.push(format!(
                "Анкета «{title}»: срок прошёл, не заполнили — {missing}."
            ));
        }
        if !lines.is_empty() {
            let curators: Vec<uuid::Uuid> =
                crate::tenancy::members_with_role(&mut tx, org_id, Role::Curator)
                    .await?
                    .into_iter()
                    .map(|c| c.0)
                    .collect();
            let text = format!(
                "Сводка на {}: требует внимания — {}",
                crate::web::forms::ru_date(today),
                lines.len()
            );
            let link = paths.home();
            let note = Note {
                kind: "digest",
                text: &text,
                link: &link,
                details: &lines,
            };
            notes::tell(&mut tx, by, &curators, note).await?;
        }
        notes::send_digests(&mut tx, by, today).await?;
        // A program's last day: the satisfaction questionnaires to all its participants.
        crate::questionnaires::schedules::satisfaction_at_end(&mut tx, &org, by, today)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        // The mid-program pulse of the programs that turned it on.
        crate::monitoring::pulse::pulse(&mut tx, &org, by, today)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        // Questionnaires given on a schedule (the «Прогресс» every Friday).
        crate::questionnaires::schedules::run_due(&mut tx, &org, by, today)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        // Today's activities: the reminders an hour before and the feedback requests.
        activities::jobs::queue_day(&mut tx, &org, None, now).await?;
        enqueue_daily(
            &mut tx,
            org_id,
            MORNING.next_after_the_day(now, org.offset()),
        )
        .await?;
        // The school's figures for its territory (the regional roll-up reads them).
        crate::territory::refresh_school_year(&mut tx, org_id, today).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The Monday plan of one organization, as of `now`; then next Monday's.
    async fn weekly(&self, org_id: uuid::Uuid, now: DateTime<Utc>) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        let org = crate::tenancy::org_by_id(&mut tx, org_id).await?;
        let by = Teller::new(&org, &self.base_url);
        let day = org.local(now).date_naive();
        if jobs::once(
            &mut tx,
            Some(org_id),
            activities::jobs::WEEKLY_JOB,
            &format!("{org_id}:{day}"),
        )
        .await?
        {
            activities::jobs::weekly_plan(&mut tx, &org, by, now).await?;
        }
        enqueue_weekly(
            &mut tx,
            org_id,
            WEEKLY.next_after_the_day(now, org.offset()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The worker of `serve`: runs what is due, then waits `poll`, until the process ends.
    pub async fn work(self, poll: Duration) {
        if let Err(e) = self.release_dead_runners().await {
            tracing::warn!(error = %format!("{e:#}"), "releasing the jobs of a stopped process");
        }
        if let Err(e) = self.requeue_waiting_mail().await {
            tracing::warn!(error = %format!("{e:#}"), "queueing waiting mail");
        }
        let mut last_ensure: Option<std::time::Instant> = None;
        loop {
            if last_ensure.is_none_or(|t| t.elapsed() > Duration::from_secs(600)) {
                if let Err(e) = self.ensure_daily(Utc::now()).await {
                    tracing::warn!(error = %format!("{e:#}"), "scheduling the morning jobs");
                }
                last_ensure = Some(std::time::Instant::now());
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn mornings_on_the_organization_clock() {
        let msk = chrono::FixedOffset::east_opt(3 * 3600).unwrap();
        let khv = chrono::FixedOffset::east_opt(10 * 3600).unwrap();
        // 03:00 UTC is 06:00 in Moscow: today's 07:00 (04:00 UTC) is next.
        let t = Utc.with_ymd_and_hms(2027, 1, 15, 3, 0, 0).unwrap();
        assert_eq!(
            next_morning(t, msk),
            Utc.with_ymd_and_hms(2027, 1, 15, 4, 0, 0).unwrap()
        );
        // Exactly 07:00: the next is tomorrow's.
        let t = Utc.with_ymd_and_hms(2027, 1, 15, 4, 0, 0).unwrap();
        assert_eq!(
            next_morning(t, msk),
            Utc.with_ymd_and_hms(2027, 1, 16, 4, 0, 0).unwrap()
        );
        // Khabarovsk (UTC+10): 07:00 local is 21:00 UTC the day before.
        let t = Utc.with_ymd_and_hms(2027, 1, 15, 12, 0, 0).unwrap();
        assert_eq!(
            next_morning(t, khv),
            Utc.with_ymd_and_hms(2027, 1, 15, 21, 0, 0).unwrap()
        );
        // Weekly on Monday at 07:00: 15 January 2027 is a Friday, the next Monday the 18th.
        let monday = Recurrence::Weekly {
            day: chrono::Weekday::Mon,
            hour: 7,
        };
        assert_eq!(
            monday.next_after(t, msk),
            Utc.with_ymd_and_hms(2027, 1, 18, 4, 0, 0).unwrap()
        );
        // On Monday after 07:00 the next is a week later.
        let t = Utc.with_ymd_and_hms(2027, 1, 18, 5, 0, 0).unwrap();
        assert_eq!(
            monday.next_after(t, msk),
            Utc.with_ymd_and_hms(2027, 1, 25, 4, 0, 0).unwrap()
        );
    }
}
