//! Backups: one file (a zip holding `manifest.json` — the app version and the migration level —
//! and `nastavnik.dump`, a consistent `pg_dump` custom-format archive) made by `nastavnik backup`
//! or by the nightly job into `$NASTAVNIK_DATA_DIR/backups` (kept: 7 daily, 4 weekly), and read
//! back by `nastavnik restore`: only into an empty database unless forced, never from a newer
//! schema, in one transaction (a failed restore leaves nothing behind).

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

/// The format of the file (the manifest's `format`).
pub const FORMAT: &str = "nastavnik-backup-1";
const MANIFEST: &str = "manifest.json";
const DUMP: &str = "nastavnik.dump";
/// The nightly job's kind and its hour (UTC: 02:00 in Moscow).
pub const JOB: &str = "backup";
pub const HOUR_UTC: u32 = 23;

/// What a backup says about itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub app_version: String,
    /// The newest migration applied to the database when it was dumped.
    pub migration: i64,
    pub created_at: DateTime<Utc>,
    pub server_version: String,
}

/// The newest migration this build knows.
pub fn latest_migration() -> i64 {
    super::MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// The manifest of the database `conn` is connected to, as of now.
pub async fn manifest_of(conn: &mut PgConnection) -> Result<Manifest, sqlx::Error> {
    let migration: Option<i64> =
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *conn)
            .await?;
    let server_version: String = sqlx::query_scalar("SHOW server_version")
        .fetch_one(&mut *conn)
        .await?;
    Ok(Manifest {
        format: FORMAT.into(),
        app_version: env!("CARGO_PKG_VERSION").into(),
        migration: migration.unwrap_or(0),
        created_at: Utc::now(),
        server_version,
    })
}

/// Where the database is, for `pg_dump` and `pg_restore`.
#[derive(Clone, Debug)]
pub struct Target {
    /// A libpq connection string or URI without the password.
    conninfo: String,
    password: Option<String>,
    /// The server binaries of the embedded cluster (its own pg_dump matches its version).
    bin: Option<PathBuf>,
}

impl Target {
    /// An external database by its URL (`DATABASE_URL`); the password goes through the
    /// environment, not the command line.
    pub fn url(url: &str) -> Self {
        let (conninfo, password) = split_password(url);
        Target {
            conninfo,
            password,
            bin: None,
        }
    }

    /// The embedded cluster by its socket directory.
    pub fn socket(dir: &Path, database: &str, bin: Option<PathBuf>) -> Self {
        let quote = |s: &str| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"));
        Target {
            conninfo: format!(
                "host={} port={} user={} dbname={}",
                quote(&dir.to_string_lossy()),
                super::embedded::PORT,
                super::embedded::SUPERUSER,
                quote(database)
            ),
            password: None,
            bin,
        }
    }

    /// The database of a configuration: `DATABASE_URL`, else the embedded cluster's socket.
    pub fn of(config: &crate::config::Config) -> Self {
        match &config.database_url {
            Some(url) => Self::url(url),
            None => {
                let dir = config
                    .data_dir
                    .canonicalize()
                    .unwrap_or_else(|_| config.data_dir.clone());
                Self::socket(
                    &dir.join("run"),
                    super::DATABASE_NAME,
                    super::embedded::find_bin_dir(),
                )
            }
        }
    }

    fn command(&self, tool: &str) -> anyhow::Result<Command> {
        let path = self
            .bin
            .as_ref()
            .map(|b| b.join(tool))
            .filter(|p| p.is_file())
            .or_else(|| find_tool(tool))
            .with_context(|| {
                format!("не найдена программа {tool} (пакет postgresql-client: apt-get install postgresql-client)")
            })?;
        let mut c = Command::new(path);
        c.env("PGCONNECT_TIMEOUT", "10");
        match &self.password {
            Some(p) => c.env("PGPASSWORD", p),
            None => c.env_remove("PGPASSWORD"),
        };
        Ok(c)
    }
}

/// `tool` on PATH, else the newest `/usr/lib/postgresql/*/bin/tool`.
pub fn find_tool(tool: &str) -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let p = e.path().join("bin").join(tool);
            p.is_file().then_some((v, p))
        })
        .collect();
    found.sort();
    if let Some((_, p)) = found.pop() {
        return Some(p);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(tool))
        .find(|p| p.is_file())
}

/// `postgres://user:secret@host/db` → (`postgres://user@host/db`, `secret` percent-decoded).
fn split_password(url: &str) -> (String, Option<String>) {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return (url.to_string(), None);
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return (url.to_string(), None);
    };
    let userinfo = &rest[..at];
    let Some(colon) = userinfo.find(':') else {
        return (url.to_string(), None);
    };
    let password = percent_decode(&userinfo[colon + 1..]);
    let stripped = format!(
        "{}{}{}",
        &url[..scheme_end],
        &userinfo[..colon],
        &rest[at..]
    );
    (stripped, Some(password))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Collects a child's stderr on a thread (so that a chatty tool never blocks on a full pipe).
fn drain(mut from: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        let _ = from.read_to_string(&mut s);
        s
    })
}

/// Writes the backup of `target` to `to` (through `to.partial`, renamed when complete, so a
/// file under the final name is always whole); returns its size in bytes. Blocking.
pub fn write(target: &Target, manifest: &Manifest, to: &Path) -> anyhow::Result<u64> {
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        // Children's data: the directory and the files are the owner's only.
        use std::os::unix::fs::DirBuilderExt;
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("каталог {}", dir.display()))?;
    }
    let name = to
        .file_name()
        .with_context(|| format!("{}: нужно имя файла", to.display()))?;
    let partial = to.with_file_name(format!("{}.partial", name.to_string_lossy()));
    let result = write_zip(target, manifest, &partial);
    if let Err(e) = result {
        let _ = fs::remove_file(&partial);
        return Err(e);
    }
    fs::rename(&partial, to).with_context(|| format!("переименование в {}", to.display()))?;
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(fs::metadata(to)?.len())
}

fn write_zip(target: &Target, manifest: &Manifest, path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    use zip::write::SimpleFileOptions;
    let file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("создание {}", path.display()))?;
    let mut zip = zip::ZipWriter::new(BufWriter::new(file));
    // The dump is compressed by pg_dump already.
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    zip.start_file(MANIFEST, opts)?;
    zip.write_all(&serde_json::to_vec_pretty(manifest)?)?;
    zip.start_file(DUMP, opts)?;
    let mut child = target
        .command("pg_dump")?
        .args(["--format=custom", "--no-password", "--dbname"])
        .arg(&target.conninfo)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("запуск pg_dump")?;
    let errors = drain(child.stderr.take().context("stderr")?);
    let mut out = child.stdout.take().context("stdout")?;
    let copied = std::io::copy(&mut out, &mut zip);
    let status = child.wait()?;
    let errors = errors.join().unwrap_or_default();
    if !status.success() {
        bail!("pg_dump завершился с ошибкой: {}", errors.trim());
    }
    copied.context("запись архива")?;
    let file = zip
        .finish()?
        .into_inner()
        .map_err(|e| e.into_error())
        .context("запись архива")?;
    file.sync_all()?;
    Ok(())
}

/// The manifest of a backup file (and whether it holds a dump at all).
pub fn read_manifest(file: &Path) -> anyhow::Result<Manifest> {
    let f = File::open(file).with_context(|| format!("не удалось открыть {}", file.display()))?;
    let mut zip = zip::ZipArchive::new(f)
        .with_context(|| format!("{} — не резервная копия «Наставника»", file.display()))?;
    let manifest: Manifest = {
        let mut m = zip
            .by_name(MANIFEST)
            .with_context(|| format!("{}: нет manifest.json", file.display()))?;
        let mut s = String::new();
        m.by_ref().take(1 << 20).read_to_string(&mut s)?;
        serde_json::from_str(&s)
            .with_context(|| format!("{}: неверный manifest.json", file.display()))?
    };
    if manifest.format != FORMAT {
        bail!(
            "{}: неизвестный формат «{}» (ожидался {FORMAT})",
            file.display(),
            manifest.format
        );
    }
    zip.by_name(DUMP)
        .with_context(|| format!("{}: в архиве нет данных ({DUMP})", file.display()))?;
    Ok(manifest)
}

/// A copy from a newer schema is refused (this build would not know its tables).
pub fn check_version(manifest: &Manifest) -> anyhow::Result<()> {
    let ours = latest_migration();
    if manifest.migration > ours {
        bail!(
            "копия сделана более новой версией «Наставника» ({}, миграция {}), а эта версия знает миграции до {ours}: обновите приложение и повторите",
            manifest.app_version,
            manifest.migration
        );
    }
    Ok(())
}

/// Why a restore is refused before it starts.
pub fn check_restorable(manifest: &Manifest, tables: i64, force: bool) -> anyhow::Result<()> {
    check_version(manifest)?;
    if tables > 0 && !force {
        bail!(
            "база данных не пуста (таблиц: {tables}); восстановление заменит все её данные — повторите с --force, если это и нужно"
        );
    }
    Ok(())
}

/// How many tables the database has (0: a fresh one).
pub async fn tables(conn: &mut PgConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "tables!" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"#,
    )
    .fetch_one(conn)
    .await
}

/// Empties the database for a forced restore.
pub async fn wipe(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::raw_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        .execute(conn)
        .await?;
    Ok(())
}

/// Reads the whole dump of `file` through `pg_restore` into nowhere (a damaged archive fails
/// here, before anything is replaced). Blocking.
pub fn verify(target: &Target, file: &Path) -> anyhow::Result<()> {
    pg_restore(target, file, &["--file", "/dev/null"])
}

/// Loads the dump of `file` into `target` in one transaction. Blocking.
pub fn load(target: &Target, file: &Path) -> anyhow::Result<()> {
    let conninfo = target.conninfo.clone();
    pg_restore(
        target,
        file,
        &[
            "--no-owner",
            "--no-privileges",
            "--no-comments",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            "--dbname",
            &conninfo,
        ],
    )
}

fn pg_restore(target: &Target, file: &Path, args: &[&str]) -> anyhow::Result<()> {
    let f = File::open(file).with_context(|| format!("не удалось открыть {}", file.display()))?;
    let mut zip = zip::ZipArchive::new(f)?;
    let mut dump = zip.by_name(DUMP)?;
    let mut child = target
        .command("pg_restore")?
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("запуск pg_restore")?;
    let errors = drain(child.stderr.take().context("stderr")?);
    let mut stdin = child.stdin.take().context("stdin")?;
    let copied = std::io::copy(&mut dump, &mut stdin);
    drop(stdin);
    let status = child.wait()?;
    let errors = errors.join().unwrap_or_default();
    if !status.success() {
        bail!("pg_restore завершился с ошибкой: {}", errors.trim());
    }
    copied.context("чтение архива")?;
    Ok(())
}

/// The file name of a backup made at `at`: `daily-2026-11-29T2300.zip`.
pub fn file_name(kind: &str, at: DateTime<Utc>) -> String {
    format!("{kind}-{}.zip", at.format("%Y-%m-%dT%H%M%S"))
}

fn made_at(name: &str, kind: &str) -> Option<NaiveDateTime> {
    let stamp = name
        .strip_prefix(kind)?
        .strip_prefix('-')?
        .strip_suffix(".zip")?;
    NaiveDateTime::parse_from_str(stamp, "%Y-%m-%dT%H%M%S").ok()
}

/// Of the backups `names` made at the given times, those to delete: kept are the newest of each of
/// the `daily` most recent days and the newest of each of the `weekly` most recent ISO weeks.
pub fn to_delete(
    mut made: Vec<(String, NaiveDateTime)>,
    daily: usize,
    weekly: usize,
) -> Vec<String> {
    made.sort_by_key(|m| std::cmp::Reverse(m.1));
    let mut keep = BTreeSet::new();
    let mut days = BTreeSet::new();
    let mut weeks = BTreeSet::new();
    for (name, at) in &made {
        let day = at.date();
        if !days.contains(&day) && days.len() < daily {
            days.insert(day);
            keep.insert(name.clone());
        }
        let week = (day.iso_week().year(), day.iso_week().week());
        if !weeks.contains(&week) && weeks.len() < weekly {
            weeks.insert(week);
            keep.insert(name.clone());
        }
    }
    made.into_iter()
        .map(|(n, _)| n)
        .filter(|n| !keep.contains(n))
        .collect()
}

/// Deletes the nightly backups in `dir` beyond what is kept; returns the names deleted.
pub fn prune(dir: &Path, daily: usize, weekly: usize) -> anyhow::Result<Vec<String>> {
    let made: Vec<(String, NaiveDateTime)> = fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let at = made_at(&name, "daily")?;
            Some((name, at))
        })
        .collect();
    let gone = to_delete(made, daily, weekly);
    for name in &gone {
        fs::remove_file(dir.join(name))?;
    }
    Ok(gone)
}

/// A backup recorded for the admin page.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Made {
    pub file: String,
    pub bytes: i64,
    pub kind: String,
    pub created_at: DateTime<Utc>,
}

pub async fn record(conn: &mut PgConnection, made: &Made) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO backups (file, bytes, kind, created_at) VALUES ($1, $2, $3, $4)",
        &made.file,
        made.bytes,
        &made.kind,
        made.created_at,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// When the database was set up (its first migration): a fresh install has had no night yet.
pub async fn installed_at(conn: &mut PgConnection) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar("SELECT min(installed_on) FROM _sqlx_migrations")
        .fetch_one(conn)
        .await
}

pub async fn last(conn: &mut PgConnection) -> Result<Option<Made>, sqlx::Error> {
    sqlx::query_as!(
        Made,
        "SELECT file, bytes, kind, created_at FROM backups ORDER BY created_at DESC LIMIT 1",
    )
    .fetch_optional(conn)
    .await
}

/// Makes a backup into `path`, records it, and for nightly backups deletes the old ones in its
/// directory beyond `keep` (daily, weekly).
pub async fn make(
    pool: &sqlx::PgPool,
    target: &Target,
    path: &Path,
    kind: &str,
    keep: (usize, usize),
) -> anyhow::Result<Made> {
    let mut conn = pool.acquire().await?;
    let manifest = manifest_of(&mut conn).await?;
    drop(conn);
    let path = path.to_path_buf();
    let (t, p, m) = (target.clone(), path.clone(), manifest.clone());
    let bytes = tokio::task::spawn_blocking(move || write(&t, &m, &p)).await??;
    let made = Made {
        file: path.to_string_lossy().into_owned(),
        bytes: bytes as i64,
        kind: kind.into(),
        created_at: manifest.created_at,
    };
    let mut conn = pool.acquire().await?;
    record(&mut conn, &made).await?;
    if kind == "daily"
        && let Some(dir) = path.parent().map(Path::to_path_buf)
    {
        let gone = tokio::task::spawn_blocking(move || prune(&dir, keep.0, keep.1)).await??;
        if !gone.is_empty() {
            tracing::info!(deleted = gone.len(), "старые резервные копии удалены");
        }
    }
    tracing::info!(file = %made.file, bytes, "резервная копия сделана");
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url() {
        let (u, p) =
            split_password("postgres://app:s%40cret:x@db.local:5432/nastavnik?sslmode=require");
        assert_eq!(u, "postgres://app@db.local:5432/nastavnik?sslmode=require");
        assert_eq!(p.as_deref(), Some("s@cret:x"));
        let (u, p) = split_password("postgres://app@db/n");
        assert_eq!((u.as_str(), p), ("postgres://app@db/n", None));
        let (u, p) = split_password("postgresql:///n?host=/tmp/run");
        assert_eq!((u.as_str(), p), ("postgresql:///n?host=/tmp/run", None));
    }

    #[test]
    fn seven_daily_and_four_weekly_are_kept() {
        // Two backups a day for 60 days ending Sunday 2026-11-29.
        let end = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let mut made = Vec::new();
        for d in 0..60 {
            for h in [3, 23] {
                let at = (end - chrono::Duration::days(d))
                    .and_hms_opt(h, 0, 0)
                    .unwrap();
                made.push((file_name("daily", at.and_utc()), at));
            }
        }
        let gone = to_delete(made.clone(), 7, 4);
        let kept: Vec<&NaiveDateTime> = made
            .iter()
            .filter(|(n, _)| !gone.contains(n))
            .map(|(_, at)| at)
            .collect();
        // The 23:00 of the last seven days, and the Sundays of the three weeks before.
        assert_eq!(kept.len(), 10, "{kept:?}");
        assert!(
            kept.iter()
                .all(|at| at.time().format("%H").to_string() == "23")
        );
        let sundays = kept
            .iter()
            .filter(|at| at.date() < end - chrono::Duration::days(6))
            .count();
        assert_eq!(sundays, 3);
        assert!(made_at(&file_name("daily", Utc::now()), "daily").is_some());
        assert!(made_at("manual-2026-11-29T230000.zip", "daily").is_none());
    }
}
