//! Throughput of the outbox and of the job queue, on a throwaway embedded PostgreSQL cluster and
//! a local SMTP server (`tests/fixtures/smtp_sink.py`, aiosmtpd): MESSAGES e-mails written to the
//! outbox and delivered by one runner, then JOBS no-op jobs run by two runners at once.
//! `cargo run --release --example queue_bench [-- MESSAGES JOBS]` (defaults 2000 and 20000).
//! Prints figures; needs the PostgreSQL server binaries and python3-aiosmtpd.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use nastavnik::config::Config;
use nastavnik::db::{self, embedded};
use nastavnik::notifications::mail;
use nastavnik::schedule::Runner;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let messages = args.first().copied().unwrap_or(2000);
    let jobs = args.get(1).copied().unwrap_or(20_000);
    let dir = std::env::temp_dir().join(format!("nastavnik-bench-{}", std::process::id()));
    let mut pg = embedded::EmbeddedPostgres::start(&dir, &embedded::Options { fast_unsafe: true })?;
    db::ensure_database(pg.connect_options("postgres"), db::DATABASE_NAME).await?;
    let pool = db::pool(pg.connect_options(db::DATABASE_NAME), 10).await?;
    db::migrate(&pool).await?;

    let port = free_port();
    let sink_dir = dir.join("mail");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/smtp_sink.py");
    let mut sink = Command::new("/usr/bin/python3")
        .arg(script)
        .arg(port.to_string())
        .arg(&sink_dir)
        .stdout(Stdio::null())
        .spawn()?;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut config = Config::for_tests("postgres://bench".into());
    config.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));

    // The outbox: written in one transaction, delivered by one runner.
    let started = Instant::now();
    let mut tx = pool.begin().await?;
    let paragraphs = vec!["Напоминание: заполните анкету «Мой наставник».".to_string()];
    for i in 0..messages {
        let key = format!("bench:{i}");
        let to = format!("kid{i}@bench.local");
        mail::queue(
            &mut tx,
            &mail::Mail {
                org_id: None,
                key: &key,
                kind: "reminders",
                to_address: &to,
                to_name: "Ученик",
                subject: "Напоминание: анкета «Мой наставник»",
                paragraphs: &paragraphs,
                link: Some(("Открыть анкету", "http://127.0.0.1:8080/o/x/my/forms/1")),
                from_org: "СОШ № 1",
                unsubscribe: None,
                secret: false,
            },
        )
        .await?;
    }
    tx.commit().await?;
    let written = started.elapsed();
    let runner = Runner::new(pool.clone(), &config)?;
    let started = Instant::now();
    let ran = runner.run_due(Utc::now()).await?;
    let sent = started.elapsed();
    let received = std::fs::read_dir(&sink_dir)?
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .count();
    println!(
        "outbox: {messages} messages written in {:.2} s ({:.0}/s); delivered {} (failed {}) in {:.2} s = {:.0} messages/s; the SMTP server received {received}",
        written.as_secs_f64(),
        messages as f64 / written.as_secs_f64(),
        ran.done,
        ran.failed,
        sent.as_secs_f64(),
        ran.done as f64 / sent.as_secs_f64()
    );

    // The job queue: no-op jobs, two runners at once.
    sqlx::query(
        "INSERT INTO jobs (kind, run_at) SELECT 'noop', now() - interval '1 minute' FROM generate_series(1, $1)",
    )
    .bind(jobs as i64)
    .execute(&pool)
    .await?;
    let one = Runner::new(pool.clone(), &config)?.named("one");
    let two = Runner::new(pool.clone(), &config)?.named("two");
    let started = Instant::now();
    let now = Utc::now();
    let (a, b) = tokio::join!(one.run_due(now), two.run_due(now));
    let (a, b) = (a?, b?);
    let took = started.elapsed();
    let done: i64 =
        sqlx::query_scalar("SELECT count(*) FROM jobs WHERE kind = 'noop' AND status = 'done'")
            .fetch_one(&pool)
            .await?;
    println!(
        "jobs: {jobs} no-op jobs, two runners: {} + {} = {} done (in the table: {done}) in {:.2} s = {:.0} jobs/s",
        a.done,
        b.done,
        a.done + b.done,
        took.as_secs_f64(),
        (a.done + b.done) as f64 / took.as_secs_f64()
    );
    let _ = sink.kill();
    let _ = sink.wait();
    pool.close().await;
    pg.stop();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
