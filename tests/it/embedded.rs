//! The embedded cluster: start, stop, restart with the data kept, a stale lock, two apps on one
//! data dir.

use std::path::PathBuf;

use nastavnik::db::embedded::{EmbeddedError, EmbeddedPostgres, Options};
use sqlx::{Connection, PgConnection};

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("emb-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

async fn query_one(pg: &EmbeddedPostgres, sql: &'static str) -> i64 {
    let mut c = PgConnection::connect_with(&pg.connect_options("postgres"))
        .await
        .unwrap();
    let v: i64 = sqlx::query_scalar(sql).fetch_one(&mut c).await.unwrap();
    c.close().await.unwrap();
    v
}

fn pid_alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/status"))
            .unwrap_or_default()
            .contains("State:\tZ")
}

#[tokio::test]
async fn start_stop_restart_keeps_data() {
    let d = dir("restart");
    let opts = Options { fast_unsafe: true };
    let mut pg = EmbeddedPostgres::start(&d, &opts).unwrap();
    assert!(d.join("postgres/PG_VERSION").exists());
    // Unix socket only, inside the data dir.
    assert!(pg.socket_dir().starts_with(d.canonicalize().unwrap()));
    let mut c = PgConnection::connect_with(&pg.connect_options("postgres"))
        .await
        .unwrap();
    sqlx::query("CREATE TABLE kept (n int)")
        .execute(&mut c)
        .await
        .unwrap();
    sqlx::query("INSERT INTO kept VALUES (42)")
        .execute(&mut c)
        .await
        .unwrap();
    let listen: String = sqlx::query_scalar("SHOW listen_addresses")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(listen, "");
    c.close().await.unwrap();
    let pid = pg.pid().unwrap();
    pg.stop();
    assert!(!pid_alive(pid), "postgres stopped");
    assert!(
        !d.join("postgres/postmaster.pid").exists(),
        "clean shutdown removes the pid file"
    );
    drop(pg);
    // A second start reuses the data (no initdb).
    let pg = EmbeddedPostgres::start(&d, &opts).unwrap();
    assert_eq!(query_one(&pg, "SELECT sum(n)::bigint FROM kept").await, 42);
    drop(pg);
    let _ = std::fs::remove_dir_all(&d);
}

#[tokio::test]
async fn stale_postmaster_pid_from_a_crash_is_handled() {
    let d = dir("stale");
    let opts = Options { fast_unsafe: true };
    let pg = EmbeddedPostgres::start(&d, &opts).unwrap();
    drop(pg);
    // A crash leaves postmaster.pid behind, naming a process that no longer exists (or is not
    // PostgreSQL: pid 1 here).
    for fake_pid in ["999999", "1"] {
        let pid_file = d.join("postgres/postmaster.pid");
        std::fs::write(
            &pid_file,
            format!(
                "{fake_pid}\n{}\n1700000000\n5432\n\n\n  5432001         0\nready   \n",
                d.join("postgres").display()
            ),
        )
        .unwrap();
        let pg = EmbeddedPostgres::start(&d, &opts).expect("starts over a stale pid file");
        assert_eq!(query_one(&pg, "SELECT 1::bigint").await, 1);
        drop(pg);
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[tokio::test]
async fn two_apps_on_one_data_dir_are_refused() {
    let d = dir("twice");
    let opts = Options { fast_unsafe: true };
    let pg = EmbeddedPostgres::start(&d, &opts).unwrap();
    match EmbeddedPostgres::start(&d, &opts) {
        Err(e @ EmbeddedError::AlreadyRunning(_)) => {
            let msg = e.to_string();
            assert!(msg.contains("уже используется"), "{msg}");
            assert!(msg.contains("NASTAVNIK_DATA_DIR"), "{msg}");
        }
        Err(other) => panic!("unexpected error: {other}"),
        Ok(_) => panic!("a second cluster on the same data dir must be refused"),
    }
    // The first one is untouched.
    assert_eq!(query_one(&pg, "SELECT 2::bigint").await, 2);
    drop(pg);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn missing_binaries_name_the_package_and_the_alternative() {
    let msg = EmbeddedError::NoBinaries.to_string();
    assert!(msg.contains("apt-get install postgresql"));
    assert!(msg.contains("DATABASE_URL"));
}

/// The real binary: `nastavnik migrate` starts and stops its own cluster on an empty data dir,
/// and a start while another holds the dir is refused with a clear message.
#[test]
fn binary_migrate_uses_the_embedded_cluster() {
    let d = dir("binary");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nastavnik"))
        .arg("migrate")
        .env_remove("DATABASE_URL")
        .env("NASTAVNIK_DATA_DIR", &d)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Миграции применены"));
    let pid_file = d.join("postgres/postmaster.pid");
    assert!(!pid_file.exists(), "the cluster was stopped on exit");
    // A bad configuration value stops the start with the variable's name.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nastavnik"))
        .arg("migrate")
        .env("NASTAVNIK_BIND", "somewhere")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("NASTAVNIK_BIND"));
    let _ = std::fs::remove_dir_all(&d);
}

#[tokio::test]
async fn the_supervisor_starts_postgres_again_after_kill_9() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    let d = dir("supervised");
    let opts = Options { fast_unsafe: true };
    let pg = EmbeddedPostgres::start(&d, &opts).unwrap();
    let connect = pg.connect_options("postgres");
    let pid = pg.pid().unwrap();
    let before = nastavnik::db::embedded::RESTARTS.load(Ordering::Relaxed);
    let pg = Arc::new(Mutex::new(pg));
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = nastavnik::db::embedded::supervise(pg.clone(), stop.clone()).unwrap();
    signal("-KILL", pid as i32);
    let started = std::time::Instant::now();
    let mut back = false;
    while started.elapsed() < std::time::Duration::from_secs(30) {
        if let Ok(mut c) = PgConnection::connect_with(&connect).await {
            let one: i64 = sqlx::query_scalar("SELECT 1::bigint")
                .fetch_one(&mut c)
                .await
                .unwrap();
            back = one == 1 && !pid_alive(pid);
            if back {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(back, "PostgreSQL is back after a kill -9");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "within 10 s: {:?}",
        started.elapsed()
    );
    // The supervisor counts the restart once its PostgreSQL reports ready, which may come a moment
    // after the socket first answers.
    let counted = std::time::Instant::now();
    while nastavnik::db::embedded::RESTARTS.load(Ordering::Relaxed) == before
        && counted.elapsed() < std::time::Duration::from_secs(10)
    {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        nastavnik::db::embedded::RESTARTS.load(Ordering::Relaxed),
        before + 1
    );
    stop.store(true, Ordering::Relaxed);
    watcher.join().unwrap();
    pg.lock().unwrap().stop();
    let _ = std::fs::remove_dir_all(&d);
}

/// Sends a signal with kill(1).
fn signal(sig: &str, pid: i32) {
    let ok = std::process::Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {sig} {pid}");
}
