//! Test harness: one PostgreSQL server per test process (DATABASE_URL if set, else a throwaway
//! cluster started with the embedded-database code), a fresh database per test built by the real
//! migrations, the real router driven in-process, a cookie-keeping client, and data builders.

use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use nastavnik::config::Config;
use nastavnik::db::embedded::{EmbeddedPostgres, Options};
use sqlx::postgres::PgConnectOptions;
use sqlx::{PgPool, Postgres};
use tower::ServiceExt;

pub use crate::builders::*;
use uuid::Uuid;

pub const PASSWORD: &str = "password123";

struct Server {
    /// Options of the server; the database name is set per test.
    base: PgConnectOptions,
    /// A database URL is `url_prefix + name + url_suffix`.
    url_prefix: String,
    url_suffix: String,
}

fn tmp_root() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

/// Removes clusters of earlier test runs whose process is gone (their lock is free).
fn clean_old_clusters() {
    let Ok(entries) = std::fs::read_dir(tmp_root()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if !name.starts_with("pg-") {
            continue;
        }
        let lock = e.path().join("nastavnik.lock");
        if let Ok(f) = std::fs::File::open(&lock)
            && f.try_lock().is_ok()
        {
            drop(f);
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        if let Ok(url) = std::env::var("DATABASE_URL")
            && !url.is_empty()
        {
            let (head, query) = match url.split_once('?') {
                Some((h, q)) => (h.to_string(), format!("?{q}")),
                None => (url.clone(), String::new()),
            };
            let cut = head.rfind('/').expect("DATABASE_URL has a database");
            return Server {
                base: PgConnectOptions::from_str(&url).expect("DATABASE_URL parses"),
                url_prefix: head[..=cut].to_string(),
                url_suffix: query,
            };
        }
        clean_old_clusters();
        let dir = tmp_root().join(format!("pg-{}", std::process::id()));
        let (tx, rx) = std::sync::mpsc::channel();
        // The cluster belongs to a thread that lives as long as the test process: when the
        // process exits, PostgreSQL gets its parent-death signal and shuts down.
        std::thread::spawn(move || {
            match EmbeddedPostgres::start(&dir, &Options { fast_unsafe: true }) {
                Ok(pg) => {
                    let url = pg.url("DBNAME");
                    tx.send(Ok((pg.connect_options("postgres"), url))).ok();
                    loop {
                        std::thread::park();
                    }
                }
                Err(e) => {
                    tx.send(Err(e.to_string())).ok();
                }
            }
        });
        match rx.recv().expect("cluster thread answers") {
            Ok((base, url)) => {
                let (prefix, suffix) = url.split_once("DBNAME").expect("marker");
                Server {
                    base,
                    url_prefix: prefix.to_string(),
                    url_suffix: suffix.to_string(),
                }
            }
            Err(e) => panic!("could not start the test PostgreSQL cluster: {e}"),
        }
    })
}

pub fn server_options(database: &str) -> PgConnectOptions {
    server().base.clone().database(database)
}

pub fn database_url(name: &str) -> String {
    let s = server();
    format!("{}{name}{}", s.url_prefix, s.url_suffix)
}

/// A fresh database built by the real migrations; returns its pool and name.
pub async fn fresh_db() -> (PgPool, String) {
    let name = format!("t_{}", Uuid::new_v4().simple());
    nastavnik::db::ensure_database(server_options("postgres"), &name)
        .await
        .expect("create test database");
    let opts = server_options(&name);
    let pool = nastavnik::db::pool(opts.clone(), 5).await.expect("pool");
    nastavnik::MIGRATOR.run(&pool).await.expect("migrations");
    (pool, name)
}

pub struct TestApp {
    pub pool: PgPool,
    pub router: Router,
    /// The test's own database: dropped when the test passes, kept for a look when it fails.
    pub db: String,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("test database kept for inspection: {}", self.db);
            return;
        }
        let name = self.db.clone();
        // Drop runs inside the test's runtime: a thread with its own runtime does the cleanup.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                use sqlx::ConnectOptions;
                if let Ok(mut conn) = server_options("postgres").connect().await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                    )))
                    .execute(&mut conn)
                    .await;
                }
            });
        })
        .join();
    }
}

pub async fn spawn() -> TestApp {
    spawn_with(|_| {}).await
}

/// [`spawn`] with a changed configuration.
pub async fn spawn_with(change: impl FnOnce(&mut Config)) -> TestApp {
    let (pool, db) = fresh_db().await;
    let mut config = Config::for_tests("postgres://test".into());
    change(&mut config);
    let router = nastavnik::app(nastavnik::state(pool.clone(), config));
    TestApp { pool, router, db }
}

/// A value the test reads back from the database (a count, a status, an id).
pub trait Value: Send + Unpin + for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres> {}
impl<T: Send + Unpin + for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>> Value for T {}

/// A parameter bound to `$1`.
pub trait Param<'a>: 'a + Send + sqlx::Encode<'a, Postgres> + sqlx::Type<Postgres> {}
impl<'a, T: 'a + Send + sqlx::Encode<'a, Postgres> + sqlx::Type<Postgres>> Param<'a> for T {}

impl TestApp {
    /// The one value `sql` selects.
    pub async fn one<T: Value>(&self, sql: &str) -> T {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.unwrap()
    }

    /// The one value `sql` selects with `$1` = `a`.
    pub async fn one_for<'a, T: Value>(&self, sql: &str, a: impl Param<'a>) -> T {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        sqlx::query_scalar(sql)
            .bind(a)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    /// Every value `sql` selects.
    pub async fn all<T: Value>(&self, sql: &str) -> Vec<T> {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        sqlx::query_scalar(sql).fetch_all(&self.pool).await.unwrap()
    }

    /// Every value `sql` selects with `$1` = `a`.
    pub async fn all_for<'a, T: Value>(&self, sql: &str, a: impl Param<'a>) -> Vec<T> {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        sqlx::query_scalar(sql)
            .bind(a)
            .fetch_all(&self.pool)
            .await
            .unwrap()
    }

    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: HashMap::new(),
            csrf: None,
            port: None,
        }
    }

    /// A client already logged in as `email`.
    pub async fn login(&self, email: &str) -> Client {
        let mut c = self.client();
        let r = c.login(email, PASSWORD).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login of {email}: {}",
            r.body
        );
        c
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as it came (files: XLSX, images).
    pub bytes: Vec<u8>,
}

impl Resp {
    /// Every cell of the first sheet of an XLSX answer, row by row (read with calamine, not by
    /// searching the zip as text).
    pub fn xlsx_rows(&self) -> Vec<Vec<String>> {
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(self.bytes.clone()))
            .expect("an XLSX workbook");
        let range = book
            .worksheet_range_at(0)
            .expect("a first sheet")
            .expect("a readable sheet");
        range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    /// The rows of the workbook's sheet `name`, each cell as text (numbers as 2 or 0.5).
    pub fn xlsx_sheet(&self, name: &str) -> Vec<Vec<String>> {
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(self.bytes.clone()))
            .expect("an XLSX workbook");
        let range = book.worksheet_range(name).expect("the sheet");
        range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    /// The value of the form field `name` on the page.
    pub fn field(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let i = self.body.find(&marker).expect("the field") + marker.len();
        self.body[i..].chars().take_while(|c| *c != '"').collect()
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn assert_contains(&self, needle: &str) {
        assert!(
            self.body.contains(needle),
            "expected «{needle}» in the page (status {}):\n{}",
            self.status,
            self.body.chars().take(4000).collect::<String>()
        );
    }
}

pub struct Client {
    router: Router,
    pub cookies: HashMap<String, String>,
    pub csrf: Option<String>,
    /// A running `nastavnik serve` on this loopback port instead of the in-process router (the
    /// several-nodes and crash tests switch it between processes, keeping the cookies).
    pub port: Option<u16>,
}

pub fn extract_csrf(body: &str) -> Option<String> {
    let marker = "name=\"_csrf\" value=\"";
    let i = body.find(marker)? + marker.len();
    let j = body[i..].find('"')?;
    Some(body[i..i + j].to_string())
}

pub fn form_body(fields: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

impl Client {
    pub async fn send(&mut self, req: Request<Body>) -> Resp {
        let mut req = req;
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req.headers_mut()
                .insert(header::COOKIE, cookie.parse().unwrap());
        }
        let (parts, bytes) = match self.port {
            None => {
                let (parts, body) = self.router.clone().oneshot(req).await.unwrap().into_parts();
                (parts, body.collect().await.unwrap().to_bytes())
            }
            Some(port) => {
                use hyper_util::client::legacy::Client as Hyper;
                let uri = format!("http://127.0.0.1:{port}{}", req.uri());
                *req.uri_mut() = uri.parse().unwrap();
                let hyper = Hyper::builder(hyper_util::rt::TokioExecutor::new()).build_http();
                let (parts, body) = hyper
                    .request(req)
                    .await
                    .unwrap_or_else(|e| panic!("{uri}: {e}"))
                    .into_parts();
                (parts, body.collect().await.unwrap().to_bytes())
            }
        };
        let resp = axum::http::Response::from_parts(parts, ());
        for v in resp.headers().get_all(header::SET_COOKIE) {
            let s = v.to_str().unwrap();
            let pair = s.split(';').next().unwrap();
            let (k, val) = pair.split_once('=').unwrap();
            if val.is_empty() || s.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), val.to_string());
            }
        }
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = String::from_utf8_lossy(&bytes).to_string();
        if let Some(t) = extract_csrf(&body) {
            self.csrf = Some(t);
        }
        Resp {
            status,
            headers,
            body,
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// POSTs a form with the current CSRF token (fetching one from /login if none yet).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        if self.csrf.is_none() {
            self.get("/login").await;
        }
        let token = self.csrf.clone().unwrap_or_default();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, form_body(&all)).await
    }

    /// POSTs exactly this body (no token added).
    pub async fn post_raw(&mut self, path: &str, body: String) -> Resp {
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Logs in; on success fetches a page so that the session's CSRF token is known.
    /// The id of the first questionnaire on the organization's list.
    pub async fn first_questionnaire(&mut self, slug: &str) -> String {
        let list = self.get(&format!("/o/{slug}/questionnaires")).await;
        let marker = format!("/o/{slug}/questionnaires/");
        let rest = list.body.split(&marker).nth(1).expect("a questionnaire");
        rest.split('"').next().unwrap().to_string()
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Resp {
        self.get("/login").await;
        let r = self
            .post("/login", &[("email", email), ("password", password)])
            .await;
        if r.status == StatusCode::SEE_OTHER {
            self.get("/orgs").await;
        }
        r
    }
}

// ---- builders ---------------------------------------------------------------------------------

impl Client {
    /// Uploads a file as multipart/form-data, with the CSRF token in the query string.
    pub async fn upload(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        bytes: &[u8],
    ) -> Resp {
        if self.csrf.is_none() {
            self.get("/login").await;
        }
        let boundary = "----nastavnik-test-boundary";
        let mut body: Vec<u8> = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let token = self.csrf.clone().unwrap_or_default();
        self.send(
            Request::post(format!("{path}?_csrf={token}"))
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }
}

/// `nastavnik jobs run-due --now <at>` (the real binary) on the test's database; its output.
pub fn jobs_run_due(app: &TestApp, at: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nastavnik"))
        .args(["jobs", "run-due", "--now", at])
        .env("DATABASE_URL", database_url(&app.db))
        .env("NASTAVNIK_LOG", "warn")
        // The nightly backup is tried in its own test (tests/it/backup.rs).
        .env("NASTAVNIK_BACKUPS", "off")
        .output()
        .expect("the nastavnik binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The morning of `day` as a server that was up the day before sees it: a run at noon UTC the day
/// before (the jobs are scheduled from the run's own clock, so this queues the next mornings and
/// Mondays) and the run at 04:05 UTC on `day` (07:05 in Moscow). Both instants are set by the
/// test, never the hour it happens to run at. Returns the second run's output.
pub fn jobs_run_morning(app: &TestApp, day: chrono::NaiveDate) -> String {
    jobs_run_due(app, &format!("{}T12:00", day - chrono::Duration::days(1)));
    jobs_run_due(app, &format!("{day}T04:05"))
}

/// Counts the SQL statements run on this thread (sqlx reports each on the `sqlx::query` target):
/// a `#[tokio::test]` runs on one thread, so the count is this test's. One global subscriber
/// counts into per-thread counters (scoped subscribers missed events when tests ran in parallel).
pub struct QueryCounter;

thread_local! {
    static STATEMENTS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

struct CountLayer;

/// Whether an event's fields name the session's touch of its last use: it runs at most once a
/// minute whatever the page, so a slow run that crosses a minute would count it on one page and
/// not another — it is not the page's work.
#[derive(Default)]
struct SessionTouch(bool);

impl tracing::field::Visit for SessionTouch {
    fn record_debug(&mut self, _: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0 |= format!("{value:?}").contains("UPDATE sessions SET last_seen_at");
    }

    fn record_str(&mut self, _: &tracing::field::Field, value: &str) {
        self.0 |= value.contains("UPDATE sessions SET last_seen_at");
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountLayer {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            let mut touch = SessionTouch::default();
            event.record(&mut touch);
            if !touch.0 {
                STATEMENTS.with(|c| c.set(c.get() + 1));
            }
        }
    }
}

impl QueryCounter {
    pub fn start() -> Self {
        static INSTALLED: OnceLock<()> = OnceLock::new();
        INSTALLED.get_or_init(|| {
            use tracing_subscriber::layer::SubscriberExt;
            tracing::subscriber::set_global_default(
                tracing_subscriber::registry().with(CountLayer),
            )
            .expect("no other global subscriber in the tests");
        });
        STATEMENTS.with(|c| c.set(0));
        QueryCounter
    }

    /// The statements on this thread since the last call.
    pub fn take(&self) -> usize {
        STATEMENTS.with(|c| c.replace(0))
    }
}
