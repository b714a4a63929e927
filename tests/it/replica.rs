//! `DATABASE_READ_URL`: a streaming replica made with the PostgreSQL binaries (`pg_basebackup`
//! and a standby) serves the report queries while every write — the form, the audit entry of a
//! report view — goes to the primary; with the replica down, reports come from the primary.

use std::process::Command;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use nastavnik::db::embedded::{EmbeddedPostgres, Options};
use sqlx::PgPool;

use crate::nodes::{serve, tmp};

async fn scalar(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn reports_are_read_from_the_replica_and_writes_go_to_the_primary() {
    let opts = Options { fast_unsafe: true };
    let pdir = tmp("primary");
    let primary = EmbeddedPostgres::start(&pdir, &opts).unwrap();
    nastavnik::db::ensure_database(primary.connect_options("postgres"), "nastavnik")
        .await
        .unwrap();
    let pool = nastavnik::db::pool(primary.connect_options("nastavnik"), 2)
        .await
        .unwrap();
    nastavnik::db::migrate(&pool).await.unwrap();
    let org = crate::builders::org(&pool, "school-a").await;
    let curator = crate::builders::member(
        &pool,
        org,
        "curator@test.ru",
        &[nastavnik::auth::model::Role::Curator],
    )
    .await;
    crate::builders::program(&pool, org, curator, "Программа до реплики").await;

    // The standby: a base backup of the primary, then started with standby.signal (-R).
    let rdir = tmp("replica");
    let basebackup = nastavnik::db::embedded::find_bin_dir()
        .map(|b| b.join("pg_basebackup"))
        .filter(|p| p.is_file())
        .or_else(|| nastavnik::db::backup::find_tool("pg_basebackup"))
        .expect("pg_basebackup");
    let out = Command::new(basebackup)
        .arg("-h")
        .arg(primary.socket_dir())
        .args([
            "-p", "5432", "-U", "postgres", "-X", "stream", "-R", "-c", "fast", "-D",
        ])
        .arg(rdir.join("postgres"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pg_basebackup: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let root = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"));
    if root {
        // The cluster belongs to the user the embedded PostgreSQL runs as.
        let ok = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(rdir.join("postgres"))
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }
    let mut replica = EmbeddedPostgres::start(&rdir, &opts).unwrap();
    let rpool = nastavnik::db::pool(replica.connect_options("nastavnik"), 1)
        .await
        .unwrap();
    assert_eq!(
        scalar(&rpool, "SELECT pg_is_in_recovery()::int::bigint").await,
        1
    );

    let node = serve(
        "replica-app",
        &primary.url("nastavnik"),
        &[("DATABASE_READ_URL", replica.url("nastavnik").as_str())],
    );
    let mut c = crate::support::spawn().await.client();
    c.port = Some(node.port);
    let r = c.login("curator@test.ru", crate::support::PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let start = Instant::now();
    while c.get("/o/school-a/reports").await.status != StatusCode::OK {
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    // Replay paused on the replica: what is written now reaches the primary only.
    sqlx::query("SELECT pg_wal_replay_pause()")
        .execute(&rpool)
        .await
        .unwrap();
    let page = c.get("/o/school-a/programs/new").await;
    assert_eq!(page.status, StatusCode::OK);
    let cur = curator.to_string();
    let r = c
        .post(
            "/o/school-a/programs/new",
            &[
                ("name", "Программа после паузы"),
                ("form_code", "student_student"),
                ("starts_on", "2026-10-01"),
                ("ends_on", "2027-06-30"),
                ("status", "active"),
                ("curator", &cur),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "the form is written to the primary"
    );
    let page = c.get("/o/school-a/reports").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Программа до реплики");
    assert!(
        !page.body.contains("Программа после паузы"),
        "the report's lists come from the paused replica"
    );
    let audit_before = scalar(
        &pool,
        "SELECT count(*) FROM audit_log WHERE action = 'reports.view'",
    )
    .await;
    let r = c.get("/o/school-a/reports/activities").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        scalar(
            &pool,
            "SELECT count(*) FROM audit_log WHERE action = 'reports.view'"
        )
        .await,
        audit_before + 1,
        "the view's audit entry is written to the primary"
    );
    assert_eq!(
        scalar(&rpool, "SELECT count(*) FROM programs").await,
        1,
        "the replica has not seen the new program"
    );

    // Replay resumed: the report catches up.
    sqlx::query("SELECT pg_wal_replay_resume()")
        .execute(&rpool)
        .await
        .unwrap();
    let start = Instant::now();
    while !c
        .get("/o/school-a/reports")
        .await
        .body
        .contains("Программа после паузы")
    {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "replica caught up"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The replica gone: reports are read from the primary.
    rpool.close().await;
    replica.stop();
    let t = Instant::now();
    let page = c.get("/o/school-a/reports").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Программа после паузы");
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    drop(node);
    pool.close().await;
    drop(primary);
    let _ = std::fs::remove_dir_all(&pdir);
    let _ = std::fs::remove_dir_all(&rdir);
}
