//! Backups: `nastavnik backup` of the demo, `nastavnik restore` into a fresh data dir gives every
//! table back row for row; a non-empty database and a newer schema are refused; the nightly job
//! writes a copy, keeps a bounded number and the admin page shows the last one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use nastavnik::db::embedded::{EmbeddedPostgres, Options};
use sqlx::{Connection, PgConnection};

use crate::support::{database_url, spawn_with};

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("bk-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn nastavnik(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nastavnik"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("NASTAVNIK_DATA_DIR", data_dir)
        .env("NASTAVNIK_LOG", "warn")
        .output()
        .expect("the nastavnik binary runs")
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn refused(out: Output) -> String {
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every table of the database: its rows (count) and a digest of all of them in a stable order.
async fn tables(conn: &mut PgConnection) -> Vec<(String, i64, String)> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut out = Vec::new();
    for t in names {
        let (n, digest): (i64, Option<String>) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*), md5(string_agg(r::text, E'\\n' ORDER BY r::text)) FROM \"{t}\" r"
        )))
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        out.push((t, n, digest.unwrap_or_default()));
    }
    out
}

#[tokio::test]
async fn backup_then_restore_into_a_fresh_data_dir_gives_the_same_data() {
    let (a, b) = (dir("a"), dir("b"));
    ok(nastavnik(&a, &["demo"]));
    let file = a.join("copy.zip");
    let said = ok(nastavnik(&a, &["backup", "--to", file.to_str().unwrap()]));
    assert!(said.contains("Резервная копия"), "{said}");
    // Children's data: only the owner reads the file.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "backup mode {mode:o}");
    // Not over an existing file.
    let again = refused(nastavnik(&a, &["backup", "--to", file.to_str().unwrap()]));
    assert!(again.contains("уже есть"), "{again}");

    let said = ok(nastavnik(&b, &["restore", file.to_str().unwrap()]));
    assert!(said.contains("Восстановлено"), "{said}");
    // A second restore into the now full database is refused without --force.
    let full = refused(nastavnik(&b, &["restore", file.to_str().unwrap()]));
    assert!(full.contains("--force"), "{full}");

    let opts = Options { fast_unsafe: true };
    let pa = EmbeddedPostgres::start(&a, &opts).unwrap();
    let pb = EmbeddedPostgres::start(&b, &opts).unwrap();
    let mut ca = PgConnection::connect_with(&pa.connect_options("nastavnik"))
        .await
        .unwrap();
    let mut cb = PgConnection::connect_with(&pb.connect_options("nastavnik"))
        .await
        .unwrap();
    let (ta, tb) = (tables(&mut ca).await, tables(&mut cb).await);
    assert!(ta.len() > 60, "tables: {}", ta.len());
    assert_eq!(
        ta.iter().map(|t| &t.0).collect::<Vec<_>>(),
        tb.iter().map(|t| &t.0).collect::<Vec<_>>()
    );
    let people = ta.iter().find(|t| t.0 == "people").unwrap();
    assert!(people.1 > 10, "the demo has people: {}", people.1);
    for (x, y) in ta.iter().zip(&tb) {
        if x.0 == "backups" {
            // The source records the copy after taking it: the copy itself does not hold that row.
            assert_eq!((x.1, y.1), (1, 0), "backups");
            continue;
        }
        assert_eq!(x, y, "table {} differs after restore", x.0);
    }
    ca.close().await.unwrap();
    cb.close().await.unwrap();
    drop((pa, pb));

    // --force replaces the data, keeping what was there in a copy first.
    let said = ok(nastavnik(
        &b,
        &["restore", "--force", file.to_str().unwrap()],
    ));
    assert!(said.contains("Прежние данные сохранены"), "{said}");
    let kept: Vec<_> = std::fs::read_dir(b.join("backups")).unwrap().collect();
    assert_eq!(kept.len(), 1);

    // An archive from a newer schema is refused before anything starts.
    let newer = a.join("newer.zip");
    rewrite_manifest(&file, &newer, |m| m.migration = 29_991_231_000_000);
    let c = dir("c");
    let err = refused(nastavnik(&c, &["restore", newer.to_str().unwrap()]));
    assert!(err.contains("более новой версией"), "{err}");
    assert!(!c.join("postgres").exists(), "no cluster was made for it");
    // Not a backup at all.
    std::fs::write(a.join("junk.zip"), b"not a zip").unwrap();
    let err = refused(nastavnik(
        &c,
        &["restore", a.join("junk.zip").to_str().unwrap()],
    ));
    assert!(err.contains("не резервная копия"), "{err}");
    for d in [a, b, c] {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// Copies the backup `from` to `to` with its manifest changed by `change`.
fn rewrite_manifest(
    from: &Path,
    to: &Path,
    change: impl FnOnce(&mut nastavnik::db::backup::Manifest),
) {
    use std::io::{Read, Write};
    let mut manifest = nastavnik::db::backup::read_manifest(from).unwrap();
    change(&mut manifest);
    let mut zin = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut dump = Vec::new();
    zin.by_name("nastavnik.dump")
        .unwrap()
        .read_to_end(&mut dump)
        .unwrap();
    let mut z = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let o =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("manifest.json", o).unwrap();
    z.write_all(&serde_json::to_vec(&manifest).unwrap())
        .unwrap();
    z.start_file("nastavnik.dump", o).unwrap();
    z.write_all(&dump).unwrap();
    z.finish().unwrap();
}

#[tokio::test]
async fn the_nightly_backup_runs_once_keeps_a_bounded_number_and_shows_on_the_admin_page() {
    let data = dir("nightly");
    let app = spawn_with(|c| {
        c.backups = true;
        c.data_dir = data.clone();
    })
    .await;
    let org = crate::builders::org(&app.pool, "school-a").await;
    let root = crate::builders::member(
        &app.pool,
        org,
        "root@test.local",
        &[nastavnik::auth::model::Role::Director],
    )
    .await;
    sqlx::query("UPDATE users SET is_platform_admin = true WHERE id = $1")
        .bind(root)
        .execute(&app.pool)
        .await
        .unwrap();
    let mut admin = app.login("root@test.local").await;
    let page = admin.get("/admin").await;
    assert!(
        page.body.contains("Резервных копий ещё не было"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("больше двух суток"),
        "a fresh install has had no night yet"
    );

    // Old nightly copies beyond 7 days and 4 weeks go when the next one is made.
    let backups = data.join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let start = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    for d in 0..40 {
        let at = (start + chrono::Duration::days(d))
            .and_hms_opt(23, 0, 0)
            .unwrap();
        let name = nastavnik::db::backup::file_name("daily", at.and_utc());
        std::fs::write(backups.join(name), b"old").unwrap();
    }
    std::fs::write(backups.join("manual-2026-09-01T100000.zip"), b"mine").unwrap();

    let run = |at: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_nastavnik"))
            .args(["jobs", "run-due", "--now", at])
            .env("DATABASE_URL", database_url(&app.db))
            .env("NASTAVNIK_DATA_DIR", &data)
            .env("NASTAVNIK_LOG", "warn")
            .output()
            .unwrap();
        ok(out)
    };
    // A run now queues the job for tonight 23:00 UTC; a run the day after tomorrow finds it due.
    let now = chrono::Utc::now();
    run(&now.format("%Y-%m-%dT%H:%M").to_string());
    let later = (now + chrono::Duration::days(2)).format("%Y-%m-%dT%H:%M");
    run(&later.to_string());
    run(&later.to_string());
    let made: i64 = app
        .one("SELECT count(*) FROM backups WHERE kind = 'daily'")
        .await;
    assert_eq!(made, 1, "one nightly copy, however many runners");
    let file: String = app.one("SELECT file FROM backups").await;
    assert!(Path::new(&file).starts_with(&backups), "{file}");
    assert!(nastavnik::db::backup::read_manifest(Path::new(&file)).is_ok());
    let mut left: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    // Kept: the new one, the six newest old days (10–5 October), the newest of the two weeks
    // before (4 October, 27 September) — four weeks in all — and the manual copy, untouched.
    let old = |d: &str| format!("daily-2026-{d}T230000.zip");
    let mut expected: Vec<String> = ["10-10", "10-09", "10-08", "10-07", "10-06", "10-05"]
        .iter()
        .chain(&["10-04", "09-27"])
        .map(|d| old(d))
        .collect();
    expected.push("manual-2026-09-01T100000.zip".into());
    expected.push(
        Path::new(&file)
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .into(),
    );
    expected.sort();
    assert_eq!(left, expected);

    let page = admin.get("/admin").await;
    assert!(page.body.contains("Последняя:"), "{}", page.body);
    assert!(page.body.contains(&file), "{}", page.body);
    assert!(!page.body.contains("больше двух суток"));
    // Three days without a copy: the admin is warned.
    sqlx::query("UPDATE backups SET created_at = now() - interval '3 days'")
        .execute(&app.pool)
        .await
        .unwrap();
    admin
        .get("/admin")
        .await
        .assert_contains("Ночная копия не делалась больше двух суток");
    let _ = std::fs::remove_dir_all(&data);
}

/// The same round trip on an external server (`DATABASE_URL`): backup of one database, restore
/// into an empty one, refused into a non-empty one without --force.
#[tokio::test]
async fn backup_and_restore_through_database_url() {
    let app = crate::support::spawn().await;
    let org = crate::builders::org(&app.pool, "school-a").await;
    crate::builders::pupil(&app.pool, org, "Резервова", "7А", false).await;
    let file = dir("ext").join("ext.zip");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let run = |url: &str, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_nastavnik"))
            .args(args)
            .env("DATABASE_URL", url)
            .env("NASTAVNIK_DATA_DIR", file.parent().unwrap())
            .env("NASTAVNIK_LOG", "warn")
            .output()
            .unwrap()
    };
    ok(run(
        &database_url(&app.db),
        &["backup", "--to", file.to_str().unwrap()],
    ));
    let empty = format!("t_{}", uuid::Uuid::new_v4().simple());
    nastavnik::db::ensure_database(crate::support::server_options("postgres"), &empty)
        .await
        .unwrap();
    ok(run(
        &database_url(&empty),
        &["restore", file.to_str().unwrap()],
    ));
    let pool = nastavnik::db::pool(crate::support::server_options(&empty), 1)
        .await
        .unwrap();
    let name: String = sqlx::query_scalar("SELECT last_name FROM people")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(name, "Резервова");
    pool.close().await;
    let err = refused(run(
        &database_url(&app.db),
        &["restore", file.to_str().unwrap()],
    ));
    assert!(err.contains("не пуста"), "{err}");
    let mut conn = PgConnection::connect_with(&crate::support::server_options("postgres"))
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE \"{empty}\" WITH (FORCE)"
    )))
    .execute(&mut conn)
    .await
    .unwrap();
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
}
