//! The crash tests' stopping points. With `NASTAVNIK_TEST_FAILPOINT=name` (or `name@N`: its N-th
//! time), the process writes «failpoint name reached» to stderr when the work gets there and
//! waits (at most two minutes), so that a test can kill it with SIGKILL exactly there — in the
//! middle of a transaction, between two e-mails. Without the variable `pause` returns at once.
//! The points: `import` (rows inserted, not committed), `pairs` (the first proposed pair
//! inserted), `order.approve` (the order approved and its pairs changed, not committed),
//! `mail.send` (a message taken for sending, before the SMTP exchange).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub const VARIABLE: &str = "NASTAVNIK_TEST_FAILPOINT";

static SPEC: OnceLock<Option<(String, u64)>> = OnceLock::new();
static HITS: AtomicU64 = AtomicU64::new(0);

fn spec() -> Option<&'static (String, u64)> {
    SPEC.get_or_init(|| {
        let v = std::env::var(VARIABLE).ok()?;
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        Some(match v.split_once('@') {
            Some((name, nth)) => (name.to_string(), nth.parse().unwrap_or(1).max(1)),
            None => (v.to_string(), 1),
        })
    })
    .as_ref()
}

/// Waits here when the crash test asked for this point.
pub async fn pause(name: &str) {
    let Some((wanted, nth)) = spec() else {
        return;
    };
    if wanted != name || HITS.fetch_add(1, Ordering::SeqCst) + 1 != *nth {
        return;
    }
    eprintln!("failpoint {name} reached");
    tokio::time::sleep(Duration::from_secs(120)).await;
}
