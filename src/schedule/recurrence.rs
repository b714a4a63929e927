//! When what runs by itself runs next: the morning job at 07:00 on each organization's clock, the Monday plan, the nightly backup — and the enqueueing of the next one.

#[allow(unused_imports)]
use super::*;

/// When a recurring job runs, on an organization's clock: a recurring job enqueues its next run
/// from this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recurrence {
    /// Every day at this hour.
    Daily { hour: u32 },
    /// Every week on this day at this hour.
    Weekly { day: chrono::Weekday, hour: u32 },
}

impl Recurrence {
    /// The next run strictly after `now`, on a clock `offset` from UTC.
    pub fn next_after(self, now: DateTime<Utc>, offset: chrono::FixedOffset) -> DateTime<Utc> {
        use chrono::Datelike;
        let hour = match self {
            Recurrence::Daily { hour } | Recurrence::Weekly { hour, .. } => hour.min(23),
        };
        let mut day = now.with_timezone(&offset).date_naive();
        // At most eight days ahead: a weekly run is found within a week.
        for _ in 0..9 {
            let on_day = match self {
                Recurrence::Daily { .. } => true,
                Recurrence::Weekly { day: wd, .. } => day.weekday() == wd,
            };
            let at = day
                .and_hms_opt(hour, 0, 0)
                .and_then(|t| t.and_local_timezone(offset).single())
                .map(|t| t.with_timezone(&Utc));
            if let Some(at) = at.filter(|at| on_day && *at > now) {
                return at;
            }
            day = day.succ_opt().unwrap_or(day);
        }
        now + chrono::Duration::days(1)
    }

    /// The next run after the one of `now`'s day: a run that came early (a late job caught up
    /// before the day's hour) stands for that day, so the next is not the same day's.
    pub fn next_after_the_day(
        self,
        now: DateTime<Utc>,
        offset: chrono::FixedOffset,
    ) -> DateTime<Utc> {
        let hour = match self {
            Recurrence::Daily { hour } | Recurrence::Weekly { hour, .. } => hour.min(23),
        };
        let slot = now
            .with_timezone(&offset)
            .date_naive()
            .and_hms_opt(hour, 0, 0)
            .and_then(|t| t.and_local_timezone(offset).single())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now);
        self.next_after(now.max(slot), offset)
    }
}

/// The weekly plan: Mondays at 09:00 on the organization's clock.
pub const WEEKLY: Recurrence = Recurrence::Weekly {
    day: chrono::Weekday::Mon,
    hour: 9,
};

/// The weekly plan job of `org` at `at` (once: the key holds the date).
pub(super) async fn enqueue_weekly(
    conn: &mut sqlx::PgConnection,
    org: uuid::Uuid,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    jobs::enqueue(
        conn,
        &jobs::NewJob {
            kind: activities::jobs::WEEKLY_JOB,
            payload: serde_json::json!({}),
            org_id: Some(org),
            unique_key: Some(&format!("weekly:{org}:{}", at.format("%Y-%m-%d"))),
            run_at: at,
        },
    )
    .await
}

/// The morning job's schedule.
pub const MORNING: Recurrence = Recurrence::Daily { hour: DAILY_HOUR };

/// The next `DAILY_HOUR`:00 on a clock `offset` from UTC, strictly after `now`.
pub fn next_morning(now: DateTime<Utc>, offset: chrono::FixedOffset) -> DateTime<Utc> {
    MORNING.next_after(now, offset)
}

/// The morning job of `org` at `at` (once: the key holds the date).
pub(super) async fn enqueue_daily(
    conn: &mut sqlx::PgConnection,
    org: uuid::Uuid,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    jobs::enqueue(
        conn,
        &jobs::NewJob {
            kind: DAILY_JOB,
            payload: serde_json::json!({}),
            org_id: Some(org),
            unique_key: Some(&format!("daily:{org}:{}", at.format("%Y-%m-%d"))),
            run_at: at,
        },
    )
    .await
}

/// The nightly backup after `after` (23:00 UTC); with `if_none`, only when none is queued (a
/// backup job queues its own next one).
pub(super) async fn enqueue_backup(
    conn: &mut sqlx::PgConnection,
    after: DateTime<Utc>,
    if_none: bool,
) -> Result<bool, sqlx::Error> {
    if if_none {
        let queued: bool = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM jobs WHERE kind = $1 AND status = 'queued') AS "v!""#,
            crate::db::backup::JOB,
        )
        .fetch_one(&mut *conn)
        .await?;
        if queued {
            return Ok(false);
        }
    }
    let at = Recurrence::Daily {
        hour: crate::db::backup::HOUR_UTC,
    }
    .next_after(after, chrono::FixedOffset::east_opt(0).expect("UTC"));
    let job = jobs::NewJob {
        kind: crate::db::backup::JOB,
        payload: serde_json::json!({}),
        org_id: None,
        unique_key: Some(&format!("backup:{}", at.format("%Y-%m-%d"))),
        run_at: at,
    };
    jobs::enqueue(conn, &job).await
}
