//! Jobs: work that runs by itself at a given time — a message to deliver, a daily reminder —
//! kept in PostgreSQL (`jobs`) so it survives restarts and crashes. Any number of workers (app
//! processes, `nastavnik jobs run-due`) claim due jobs with `FOR UPDATE SKIP LOCKED`, so each job
//! runs once; a failure is retried with a growing delay and, after its last attempt, parked for
//! the platform admin. What each kind of job does is not here: `schedule.rs` maps kinds to the
//! domains' functions.

pub mod forget;
pub mod repo;

use chrono::{DateTime, Duration, Utc};

pub use repo::{
    Claimed, JobLine, JobStatus, NewJob, claim, enqueue, fail, finish, holders, list, once, prune,
    release, retry_parked, waiting_kinds,
};

/// The delay before attempt `attempt + 1` after `attempt` failed: 30 s, 1 min, 2 min … at most
/// an hour.
pub fn backoff(attempt: i32) -> Duration {
    let exp = attempt.clamp(1, 8) - 1;
    Duration::seconds((30i64 << exp).min(3600))
}

/// When a failed job runs again, or `None` when it has had its last attempt.
pub fn next_attempt(now: DateTime<Utc>, attempts: i32, max_attempts: i32) -> Option<DateTime<Utc>> {
    (attempts < max_attempts).then(|| now + backoff(attempts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_then_stop() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(4), Duration::seconds(240));
        assert_eq!(backoff(20), Duration::seconds(3600));
        let now = Utc::now();
        assert_eq!(next_attempt(now, 1, 3), Some(now + Duration::seconds(30)));
        assert_eq!(next_attempt(now, 3, 3), None);
    }
}
