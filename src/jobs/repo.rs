//! Queries of the job queue (`jobs`).

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

crate::codes! {
    /// Where a job stands: waiting (or running) in the queue, done, or parked after its last
    /// failed attempt. Stored as its code in `jobs.status`.
    pub enum JobStatus: "job status" {
        Queued = "queued" => "ожидают",
        Done = "done" => "выполнены",
        Parked = "parked" => "отложены после ошибок",
    }
}

/// A job to put in the queue.
#[derive(Clone, Debug)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: serde_json::Value,
    pub org_id: Option<Uuid>,
    /// At most one waiting job per key: enqueueing a key that waits already does nothing.
    pub unique_key: Option<&'a str>,
    pub run_at: DateTime<Utc>,
}

/// Puts a job in the queue (in the caller's transaction); false when its key waits already.
pub async fn enqueue(conn: &mut PgConnection, j: &NewJob<'_>) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "INSERT INTO jobs (kind, payload, org_id, unique_key, run_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (unique_key) WHERE status = 'queued' AND unique_key IS NOT NULL DO NOTHING",
        j.kind,
        &j.payload,
        j.org_id,
        j.unique_key,
        j.run_at,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Claims the key of something that happens once (`done_once`): true the first time, false when
/// it is done already — or being done by a transaction that then commits (the insert waits for it).
/// Call it in the transaction of the work, so a failed run gives the key back.
pub async fn once(
    conn: &mut PgConnection,
    org_id: Option<Uuid>,
    kind: &str,
    key: &str,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "INSERT INTO done_once (kind, key, org_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        kind,
        key,
        org_id,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Which of `kinds` wait (queued) for which organizations: (organization, kind).
pub async fn waiting_kinds(
    conn: &mut PgConnection,
    kinds: &[&str],
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT DISTINCT org_id AS "c0!", kind AS "c1!" FROM jobs
          WHERE status = 'queued' AND kind = ANY($1) AND org_id IS NOT NULL"#,
        kinds as _,
    )
    .map(|r| (r.c0, r.c1))
    .fetch_all(conn)
    .await
}

/// A job a worker has claimed: it holds it until `locked_until` (then another may take it).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: Uuid,
    pub kind: String,
    pub payload: serde_json::Value,
    pub org_id: Option<Uuid>,
    pub run_at: DateTime<Utc>,
    pub attempts: i32,
    pub max_attempts: i32,
}

/// Claims up to `limit` jobs due at `now` that nobody holds, for `lease_secs` seconds.
pub async fn claim(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    worker: &str,
    limit: i64,
    lease_secs: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    sqlx::query_as!(
        Claimed,
        r#"UPDATE jobs SET locked_until = now() + make_interval(secs => $4), locked_by = $2,
                attempts = attempts + 1
          WHERE id IN (SELECT id FROM jobs
                        WHERE status = 'queued' AND run_at <= $1
                          AND (locked_until IS NULL OR locked_until < now())
                        ORDER BY run_at LIMIT $3
                          FOR UPDATE SKIP LOCKED)
         RETURNING id AS "id!", kind AS "kind!", payload AS "payload!", org_id AS "org_id?", run_at AS "run_at!", attempts AS "attempts!", max_attempts AS "max_attempts!""#,
        now,
        worker,
        limit,
        lease_secs as f64,
    )
    .fetch_all(conn)
    .await
}

/// The job ran: it is done.
pub async fn finish(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE jobs SET status = 'done', finished_at = now(), locked_until = NULL, last_error = ''
          WHERE id = $1",
        id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The job failed: it runs again at `again`, or is parked when that is `None`.
pub async fn fail(
    conn: &mut PgConnection,
    id: Uuid,
    error: &str,
    again: Option<DateTime<Utc>>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE jobs SET locked_until = NULL, last_error = left($2, 2000),
                run_at = coalesce($3, run_at),
                status = CASE WHEN $3::timestamptz IS NULL THEN 'parked' ELSE 'queued' END,
                finished_at = CASE WHEN $3::timestamptz IS NULL THEN now() END
          WHERE id = $1",
        id,
        error,
        again,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts a parked job back in the queue, due now, with fresh attempts.
pub async fn retry_parked(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "UPDATE jobs SET status = 'queued', attempts = 0, run_at = now(), finished_at = NULL
          WHERE id = $1 AND status = 'parked'",
        id,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The runners holding jobs now: their names (`host:pid`).
pub async fn holders(conn: &mut PgConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT DISTINCT locked_by AS "v!" FROM jobs
          WHERE status = 'queued' AND locked_until > now() AND locked_by IS NOT NULL"#,
    )
    .fetch_all(conn)
    .await
}

/// Lets other runners take at once the jobs a runner held (it has died).
pub async fn release(conn: &mut PgConnection, holder: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE jobs SET locked_until = NULL
          WHERE status = 'queued' AND locked_by = $1 AND locked_until > now()",
        holder,
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// Done jobs are kept `days` days (the admin's view), then deleted; parked ones stay.
pub async fn prune(conn: &mut PgConnection, days: i32) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        "DELETE FROM jobs WHERE status = 'done' AND finished_at < now() - make_interval(days => $1)",
        days,
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// A line of the admin's job list.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct JobLine {
    pub id: Uuid,
    pub kind: String,
    /// The organization the job is for (its name is tenancy's: the page asks it).
    pub org_id: Option<Uuid>,
    pub run_at: DateTime<Utc>,
    pub status: JobStatus,
    pub attempts: i32,
    pub max_attempts: i32,
    pub last_error: String,
    pub running: bool,
    pub finished_at: Option<DateTime<Utc>>,
}

/// Jobs in a state (`queued`, `parked`, `done`), the soonest (or latest finished) first.
pub async fn list(
    conn: &mut PgConnection,
    status: JobStatus,
    limit: i64,
) -> Result<Vec<JobLine>, sqlx::Error> {
    sqlx::query_as!(
        JobLine,
        r#"SELECT j.id AS "id!", j.kind AS "kind!", j.org_id AS "org_id?", j.run_at AS "run_at!", j.status AS "status!: JobStatus", j.attempts AS "attempts!",
                j.max_attempts AS "max_attempts!", j.last_error AS "last_error!", coalesce(j.locked_until > now(), false) AS "running!",
                j.finished_at AS "finished_at?"
           FROM jobs j
          WHERE j.status = $1
          ORDER BY CASE WHEN j.status = 'queued' THEN j.run_at END,
                   j.finished_at DESC NULLS LAST
          LIMIT $2"#,
        status.code(),
        limit,
    )
    .fetch_all(conn)
    .await
}
