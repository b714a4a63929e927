//! Real `nastavnik serve` processes: two nodes on one database (a session and a form across
//! them, shared login throttling, every job run once), and an external database restarted under
//! a running node (fast 503 while it is down, recovery without restarting the app).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::http::StatusCode;

use crate::builders::{School, school};
use crate::support::database_url;

/// A `nastavnik serve` killed (SIGKILL) when dropped.
pub struct Node {
    pub child: Child,
    pub port: u16,
    pub log: PathBuf,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("node-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Starts `nastavnik serve` on `url` with `env` and waits until it answers /healthz.
pub fn serve(name: &str, url: &str, env: &[(&str, &str)]) -> Node {
    let port = free_port();
    let dir = tmp(name);
    let log = dir.join("stderr.log");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nastavnik"));
    cmd.arg("serve")
        .env("DATABASE_URL", url)
        .env("NASTAVNIK_BIND", format!("127.0.0.1:{port}"))
        .env("NASTAVNIK_DATA_DIR", &dir)
        .env("NASTAVNIK_LOG", "warn")
        .env("NASTAVNIK_BACKUPS", "off")
        .env("NASTAVNIK_JOBS_POLL_MS", "100")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let node = Node {
        child: cmd.spawn().unwrap(),
        port,
        log,
    };
    let start = Instant::now();
    while health(port) != Some(200) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{name} did not start: {}",
            std::fs::read_to_string(&node.log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    node
}

/// The status of GET /healthz (None: nobody answers).
pub fn health(port: u16) -> Option<u16> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).ok()?;
    String::from_utf8_lossy(&buf[..n])
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[tokio::test]
async fn two_nodes_share_sessions_forms_throttling_and_jobs() {
    let School {
        app, mut c, org, ..
    } = school().await;
    let url = database_url(&app.db);
    let a = serve("a", &url, &[]);
    let b = serve("b", &url, &[]);

    // Logged in on A, the same cookie works on B, and a form fetched on A is posted to B.
    c.cookies.clear();
    c.csrf = None;
    c.port = Some(a.port);
    let r = c.login("curator@test.ru", crate::support::PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    c.get("/o/school-a/programs/new").await;
    c.port = Some(b.port);
    let page = c.get("/o/school-a/programs/new").await;
    assert_eq!(page.status, StatusCode::OK, "B knows the session");
    let curator: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'curator@test.ru'")
        .await;
    let cur = curator.to_string();
    c.port = Some(a.port);
    c.get("/o/school-a/programs/new").await; // the token of A's page …
    c.port = Some(b.port);
    let r = c
        .post(
            "/o/school-a/programs/new",
            &[
                ("name", "Программа двух узлов"),
                ("form_code", "student_student"),
                ("starts_on", "2026-10-01"),
                ("ends_on", "2027-06-30"),
                ("status", "active"),
                ("curator", &cur),
            ],
        )
        .await; // … is accepted by B
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let made: i64 = app
        .one_for(
            "SELECT count(*) FROM programs WHERE org_id = $1 AND name = 'Программа двух узлов'",
            org,
        )
        .await;
    assert_eq!(made, 1);
    // Logged out on B: the session is gone on A too.
    c.post("/logout", &[]).await;
    c.port = Some(a.port);
    let r = c.get("/o/school-a/programs/new").await;
    assert_ne!(r.status, StatusCode::OK, "logged out everywhere");

    // Wrong passwords on A lock the account on B as well.
    let mut x = app.client();
    x.port = Some(a.port);
    for _ in 0..nastavnik::auth::model::throttle::ACCOUNT_LIMIT {
        x.login("curator@test.ru", "wrong-password").await;
    }
    x.port = Some(b.port);
    let r = x.login("curator@test.ru", crate::support::PASSWORD).await;
    assert_ne!(r.status, StatusCode::SEE_OTHER, "locked on B too");

    // Jobs queued once run once, whichever node takes them.
    let mut conn = app.pool.acquire().await.unwrap();
    for i in 0..200 {
        nastavnik::jobs::enqueue(
            &mut conn,
            &nastavnik::jobs::NewJob {
                kind: nastavnik::schedule::NOOP_JOB,
                payload: serde_json::json!({ "i": i }),
                org_id: None,
                unique_key: None,
                run_at: chrono::Utc::now(),
            },
        )
        .await
        .unwrap();
    }
    drop(conn);
    let start = Instant::now();
    loop {
        let left: i64 = app
            .one("SELECT count(*) FROM jobs WHERE kind = 'noop' AND status <> 'done'")
            .await;
        if left == 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{left} jobs left"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let twice: i64 = app
        .one("SELECT count(*) FROM jobs WHERE kind = 'noop' AND attempts <> 1")
        .await;
    assert_eq!(twice, 0, "no job ran twice");
    let runners: Vec<String> = app
        .all("SELECT DISTINCT split_part(locked_by, ':', 2) FROM jobs WHERE kind = 'noop'")
        .await;
    let pids = [a.child.id().to_string(), b.child.id().to_string()];
    assert!(
        runners.iter().all(|r| pids.contains(r)),
        "run by the nodes: {runners:?}"
    );
}

/// `kill -<sig> <pid>`.
pub fn signal(sig: &str, pid: u32) {
    let ok = Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {sig} {pid}");
}

#[tokio::test]
async fn a_node_rides_over_a_restart_of_its_external_database() {
    use nastavnik::db::embedded::{EmbeddedPostgres, Options};
    // A PostgreSQL server of its own, given to the app as an external DATABASE_URL.
    let dir = tmp("external-pg");
    let mut pg = EmbeddedPostgres::start(&dir, &Options { fast_unsafe: true }).unwrap();
    nastavnik::db::ensure_database(pg.connect_options("postgres"), "nastavnik")
        .await
        .unwrap();
    let pool = nastavnik::db::pool(pg.connect_options("nastavnik"), 2)
        .await
        .unwrap();
    nastavnik::db::migrate(&pool).await.unwrap();
    let org = crate::builders::org(&pool, "school-a").await;
    crate::builders::member(
        &pool,
        org,
        "curator@test.ru",
        &[nastavnik::auth::model::Role::Curator],
    )
    .await;
    pool.close().await;
    let node = serve("external", &pg.url("nastavnik"), &[]);
    let mut c = crate::support::spawn().await.client();
    c.port = Some(node.port);
    let r = c.login("curator@test.ru", crate::support::PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(c.get("/o/school-a/people").await.status, StatusCode::OK);

    // The server dies: pages answer fast with «сервис временно недоступен».
    signal("-KILL", pg.pid().unwrap());
    let t = Instant::now();
    while pg.exited().is_none() {
        assert!(t.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(20));
    }
    for path in ["/o/school-a/people", "/login"] {
        let t = Instant::now();
        let r = c.get(path).await;
        assert!(
            t.elapsed() < Duration::from_secs(3),
            "{path}: {:?}",
            t.elapsed()
        );
        if path == "/o/school-a/people" {
            assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
            assert!(r.headers.contains_key("retry-after"));
            r.assert_contains("Сервис временно недоступен");
        }
    }
    assert_eq!(health(node.port), Some(503));
    // A form sent meanwhile is refused whole.
    let r = c
        .post(
            "/o/school-a/people/new",
            &[("last_name", "Пропущенный"), ("first_name", "Иван")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);

    // It comes back: the same session works again without restarting the app.
    pg.restart().unwrap();
    let t = Instant::now();
    loop {
        let r = c.get("/o/school-a/people").await;
        if r.status == StatusCode::OK {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(10), "{}", r.status);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(health(node.port), Some(200));
    let pool = nastavnik::db::pool(pg.connect_options("nastavnik"), 1)
        .await
        .unwrap();
    let lost: i64 =
        sqlx::query_scalar("SELECT count(*) FROM people WHERE last_name = 'Пропущенный'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(lost, 0);
    pool.close().await;
    drop(node);
    pg.stop();
    let _ = std::fs::remove_dir_all(&dir);
}
