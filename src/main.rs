//! The `nastavnik` binary: serve (default), migrate, demo, admin create.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use nastavnik::config::Config;
use nastavnik::db::{self, embedded};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "nastavnik",
    version,
    about = "«Наставник» — программы наставничества в школах и колледжах"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Запустить веб-сервер (по умолчанию).
    Serve {
        /// Загрузить демо-данные и напечатать демо-входы.
        #[arg(long)]
        demo: bool,
    },
    /// Применить миграции и выйти.
    Migrate,
    /// Загрузить демо-данные (повторный запуск ничего не меняет).
    Demo {
        /// Добавить в демо-школу программу школьного масштаба для замеров подбора пар:
        /// столько наставляемых и наставников, с анкетами и согласиями.
        #[arg(long, num_args = 2, value_names = ["НАСТАВЛЯЕМЫХ", "НАСТАВНИКОВ"])]
        scale: Option<Vec<usize>>,
        /// Добавить программу с парами в работе для замеров: столько согласованных пар (по
        /// приказу) и встреч, с оценками и планами; у демо-наставника три из этих пар.
        #[arg(long, num_args = 2, value_names = ["ПАР", "ВСТРЕЧ"])]
        work: Option<Vec<usize>>,
        /// Добавить в программу колледжа столько разовых занятий (на год вперёд) — для замера
        /// календарной ленты студента (`bash .ci/bench-feed`).
        #[arg(long, value_name = "ЗАНЯТИЙ")]
        activities: Option<usize>,
        /// Добавить программу с таким числом участников и параметров мониторинга, измеренных
        /// дважды, — для замера отчёта о влиянии (`bash .ci/bench-monitoring`).
        #[arg(long, num_args = 2, value_names = ["УЧАСТНИКОВ", "ПАРАМЕТРОВ"])]
        monitoring: Option<Vec<usize>>,
        /// Сгенерировать регион для замеров отчётов: столько школ (по умолчанию 300) в 20
        /// муниципалитетах, по 500 человек, 67 пар и 25 встреч на пару в каждой
        /// (`bash .ci/bench-region`).
        #[arg(long, num_args = 0..=1, default_missing_value = "300", value_name = "ОРГАНИЗАЦИЙ")]
        region: Option<usize>,
    },
    /// Сделать резервную копию базы (pg_dump и сведения о версии в одном файле).
    Backup {
        /// Куда записать копию; по умолчанию $NASTAVNIK_DATA_DIR/backups/manual-<время>.zip.
        #[arg(long, value_name = "ФАЙЛ")]
        to: Option<std::path::PathBuf>,
    },
    /// Восстановить базу из резервной копии (только в пустую базу, если нет --force).
    Restore {
        #[arg(value_name = "ФАЙЛ")]
        file: std::path::PathBuf,
        /// Заменить данные непустой базы.
        #[arg(long)]
        force: bool,
    },
    /// Задания по расписанию (рассылка писем, напоминания).
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Администрирование платформы.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum JobsCommand {
    /// Выполнить задания, срок которых наступил, и выйти.
    RunDue {
        /// Момент, на который считать сроки: 2027-01-15T09:00 (UTC) или 2027-01-15T12:00+03:00;
        /// по умолчанию — сейчас.
        #[arg(long)]
        now: Option<String>,
    },
    /// Показать ожидающие, отложенные после ошибок и недавно выполненные задания.
    List,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Создать администратора платформы и напечатать одноразовую ссылку для задания пароля.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("Ошибка конфигурации: {e}");
            return ExitCode::from(2);
        }
    };
    nastavnik::telemetry::init(&config);
    // The embedded cluster (if any) lives here, on the main thread, until main returns: it is
    // stopped on drop, also when we exit on an error.
    let mut cluster: Option<embedded::EmbeddedPostgres> = None;
    let result = run(cli, config, &mut cluster).await;
    if let Some(mut c) = cluster.take() {
        c.stop();
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Ошибка: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn connect(
    config: &Config,
    cluster: &mut Option<embedded::EmbeddedPostgres>,
    attach: bool,
    migrate: bool,
) -> anyhow::Result<sqlx::PgPool> {
    let pool = match &config.database_url {
        Some(url) => {
            let opts: sqlx::postgres::PgConnectOptions = url
                .parse()
                .map_err(|e| anyhow::anyhow!("DATABASE_URL: {e}"))?;
            db::pool(opts, 10)
                .await
                .map_err(|e| anyhow::anyhow!("не удалось подключиться к DATABASE_URL: {e}"))?
        }
        None => {
            let started = std::time::Instant::now();
            let pg = match embedded::EmbeddedPostgres::start(
                &config.data_dir,
                &embedded::Options::default(),
            ) {
                Ok(pg) => pg,
                // `nastavnik serve` runs on this data dir: a command joins its cluster.
                Err(embedded::EmbeddedError::AlreadyRunning(_)) if attach => {
                    let opts = embedded::running_cluster(&config.data_dir, db::DATABASE_NAME)?;
                    let pool = db::pool(opts, 4).await.map_err(|e| {
                        anyhow::anyhow!("не удалось подключиться к запущенному кластеру: {e}")
                    })?;
                    if migrate {
                        db::migrate(&pool).await?;
                    }
                    return Ok(pool);
                }
                Err(embedded::EmbeddedError::AlreadyRunning(dir)) => anyhow::bail!(
                    "на каталоге данных {} работает «Наставник»: остановите его и повторите",
                    dir.display()
                ),
                Err(e) => return Err(e.into()),
            };
            tracing::info!(
                data_dir = %pg.data_dir().display(),
                ms = started.elapsed().as_millis() as u64,
                "встроенный PostgreSQL запущен"
            );
            db::ensure_database(pg.connect_options("postgres"), db::DATABASE_NAME).await?;
            let pool = db::pool(pg.connect_options(db::DATABASE_NAME), 10).await?;
            *cluster = Some(pg);
            pool
        }
    };
    if migrate {
        db::migrate(&pool).await?;
    }
    Ok(pool)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("останавливаюсь…");
}

async fn run(
    cli: Cli,
    config: Config,
    cluster: &mut Option<embedded::EmbeddedPostgres>,
) -> anyhow::Result<()> {
    let command = cli.command.unwrap_or(Command::Serve { demo: false });
    // Bind before starting the database, so that a busy port fails fast.
    let listener = match &command {
        Command::Serve { .. } => Some(tokio::net::TcpListener::bind(config.bind).await.map_err(
            |e| {
                anyhow::anyhow!(
                    "не удалось занять адрес {} (NASTAVNIK_BIND): {e}",
                    config.bind
                )
            },
        )?),
        _ => None,
    };
    // A restore goes into a database nobody uses, before any migration runs on it.
    let restoring = matches!(command, Command::Restore { .. });
    let attach = !matches!(command, Command::Serve { .. }) && !restoring;
    if let Command::Restore { file, .. } = &command {
        db::backup::check_version(&db::backup::read_manifest(file)?)?;
    }
    let pool = connect(&config, cluster, attach, !restoring).await?;
    match command {
        Command::Backup { to } => {
            let target = db::backup::Target::of(&config);
            let path = match to {
                Some(path) if path.exists() => {
                    anyhow::bail!("файл {} уже есть: выберите другое имя", path.display())
                }
                Some(path) => path,
                None => config
                    .data_dir
                    .join("backups")
                    .join(db::backup::file_name("manual", chrono::Utc::now())),
            };
            let made =
                db::backup::make(&pool, &target, &path, "manual", config.backup_keep).await?;
            println!(
                "Резервная копия: {} ({})",
                made.file,
                nastavnik::web::forms::file_size(made.bytes)
            );
        }
        Command::Restore { file, force } => {
            let manifest = db::backup::read_manifest(&file)?;
            let mut conn = pool.acquire().await?;
            let tables = db::backup::tables(&mut conn).await?;
            db::backup::check_restorable(&manifest, tables, force)?;
            drop(conn);
            let target = db::backup::Target::of(&config);
            let (t, f) = (target.clone(), file.clone());
            tokio::task::spawn_blocking(move || db::backup::verify(&t, &f)).await??;
            if tables > 0 {
                // What is replaced is kept: a copy of it first.
                let keep = config
                    .data_dir
                    .join("backups")
                    .join(db::backup::file_name("before-restore", chrono::Utc::now()));
                let (t, k) = (target.clone(), keep.clone());
                let mut conn = pool.acquire().await?;
                let now = db::backup::manifest_of(&mut conn).await?;
                tokio::task::spawn_blocking(move || db::backup::write(&t, &now, &k)).await??;
                println!("Прежние данные сохранены: {}", keep.display());
                db::backup::wipe(&mut conn).await?;
            }
            let f = file.clone();
            tokio::task::spawn_blocking(move || db::backup::load(&target, &f)).await??;
            db::migrate(&pool).await?;
            println!(
                "Восстановлено из {} (копия от {}, версия {}, миграция {}).",
                file.display(),
                manifest.created_at.format("%Y-%m-%d %H:%M UTC"),
                manifest.app_version,
                manifest.migration
            );
        }
        Command::Migrate => {
            println!("Миграции применены.");
        }
        Command::Demo {
            scale,
            work,
            activities,
            monitoring,
            region,
        } => {
            let created = nastavnik::demo::load(&pool).await?;
            if let Some(&[mentees, mentors]) = scale.as_deref() {
                let (id, name) = nastavnik::demo::school_scale(&pool, mentees, mentors).await?;
                println!(
                    "Программа «{name}»: {mentees} наставляемых, {mentors} наставников; /o/sosh-1/programs/{id}/matching"
                );
            }
            if let Some(n) = region {
                let t0 = std::time::Instant::now();
                let made = nastavnik::demo::region_scale(&pool, n).await?;
                println!(
                    "Регион: {} школ, {} человек, {} пар, {} встреч — за {:.1} с; /t/{} (region@demo.local), /o/{}/dashboard (load-director@demo.local)",
                    made.schools,
                    made.people,
                    made.pairs,
                    made.meetings,
                    t0.elapsed().as_secs_f64(),
                    made.region,
                    made.first_slug
                );
            }
            if let Some(&[n, k]) = monitoring.as_deref() {
                let id = nastavnik::demo::monitoring_scale(&pool, n, k).await?;
                println!(
                    "Мониторинг: {n} участников, {k} параметров; /o/sosh-1/programs/{id}/monitoring/report"
                );
            }
            if let Some(n) = activities {
                let total = nastavnik::demo::activities_scale(&pool, n).await?;
                println!(
                    "Программа колледжа: занятий теперь {total}; лента college-student@demo.local"
                );
            }
            if let Some(&[pairs, meetings]) = work.as_deref() {
                let (id, name) = nastavnik::demo::pairs_scale(&pool, pairs, meetings).await?;
                println!(
                    "Программа «{name}»: {pairs} пар, {meetings} встреч; /o/sosh-1/programs/{id}/health"
                );
            }
            println!(
                "{}",
                if created {
                    "Демо-данные загружены."
                } else {
                    "Демо-данные уже были загружены; ничего не изменено."
                }
            );
        }
        Command::Jobs { command } => jobs(command, &pool, &config).await?,
        Command::Admin {
            command: AdminCommand::Create { email, name },
        } => {
            let email = nastavnik::auth::model::normalize_email(&email);
            if !nastavnik::auth::model::valid_email(&email) {
                anyhow::bail!("неверный адрес электронной почты: {email}");
            }
            let mut tx = pool.begin().await?;
            let (user, _) =
                nastavnik::auth::repo::find_or_create_user(&mut tx, &email, name.trim(), true)
                    .await?;
            let token =
                nastavnik::auth::repo::create_invitation(&mut tx, user.id, None, None).await?;
            tx.commit().await?;
            println!(
                "Администратор платформы: {} <{}>",
                user.full_name, user.email
            );
            println!(
                "Одноразовая ссылка для задания пароля (действует {} дней):",
                nastavnik::auth::repo::INVITATION_DAYS
            );
            println!("{}/invite/{token}", config.public_url);
        }
        Command::Serve { demo } => {
            if demo {
                nastavnik::demo::load(&pool).await?;
            }
            let listener = listener.ok_or_else(|| anyhow::anyhow!("no listener"))?;
            let addr = listener.local_addr()?;
            let url = if config.public_url.is_empty() {
                format!("http://{addr}")
            } else {
                config.public_url.clone()
            };
            if demo {
                nastavnik::demo::print_logins(&url);
            } else {
                println!("«Наставник» запущен: {url}");
            }
            tracing::info!(%addr, "listening");
            let metrics_bind = config.metrics_bind;
            let state = nastavnik::state(pool.clone(), config);
            if let Some(bind) = metrics_bind {
                let l = tokio::net::TcpListener::bind(bind).await.map_err(|e| {
                    anyhow::anyhow!("NASTAVNIK_METRICS_BIND: не удалось занять {bind}: {e}")
                })?;
                let m = nastavnik::metrics_app(state.clone());
                tokio::spawn(async move {
                    if let Err(e) = axum::serve(l, m).await {
                        tracing::error!(error = %e, "metrics listener");
                    }
                });
                println!("Метрики: http://{bind}/metrics");
            }
            // Uploaded class lists are deleted within a day even if nobody comes back to them.
            let cleanup = pool.clone();
            tokio::spawn(async move {
                let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
                loop {
                    every.tick().await;
                    if let Ok(mut conn) = cleanup.acquire().await {
                        if let Err(e) = nastavnik::people::repo::drop_stale_uploads(&mut conn).await
                        {
                            tracing::warn!(error = %e, "deleting old uploads");
                        }
                        // Sent mail holds addresses and names: kept 30 days for the admin's view.
                        if let Err(e) = nastavnik::notifications::prune_mail(&mut conn, 30).await {
                            tracing::warn!(error = %e, "deleting old mail");
                        }
                        if let Err(e) = nastavnik::jobs::prune(&mut conn, 7).await {
                            tracing::warn!(error = %e, "deleting finished jobs");
                        }
                    }
                }
            });
            nastavnik::schedule::spawn_worker(pool.clone(), state.config.clone())?;
            // The embedded cluster is watched and started again if it dies.
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let supervised = cluster
                .take()
                .map(|c| std::sync::Arc::new(std::sync::Mutex::new(c)));
            let watcher = match &supervised {
                Some(pg) => Some(embedded::supervise(pg.clone(), stop.clone())?),
                None => None,
            };
            let app = nastavnik::app(state);
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(shutdown_signal())
            .await?;
            pool.close().await;
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            if let Some(w) = watcher {
                let _ = w.join();
            }
            if let Some(pg) = supervised
                && let Ok(mut pg) = pg.lock()
            {
                pg.stop();
            }
        }
    }
    Ok(())
}

/// `nastavnik jobs …`.
async fn jobs(command: JobsCommand, pool: &sqlx::PgPool, config: &Config) -> anyhow::Result<()> {
    match command {
        JobsCommand::RunDue { now } => {
            let now = match now {
                Some(raw) => parse_instant(&raw)?,
                None => chrono::Utc::now(),
            };
            let runner = nastavnik::schedule::Runner::new(pool.clone(), config)?;
            runner.release_dead_runners().await?;
            let queued = runner.requeue_waiting_mail().await?;
            // One clock for the whole run: the next mornings are counted from `now` too.
            runner.ensure_daily(now).await?;
            let ran = runner.run_due(now).await?;
            println!(
                "На {}: выполнено заданий {}, с ошибкой {} (писем в очереди было {queued}).",
                now.format("%Y-%m-%d %H:%M UTC"),
                ran.done,
                ran.failed
            );
        }
        JobsCommand::List => {
            let mut conn = pool.acquire().await?;
            for (status, title) in [
                (nastavnik::jobs::JobStatus::Queued, "Ожидают"),
                (nastavnik::jobs::JobStatus::Parked, "Отложены после ошибок"),
                (nastavnik::jobs::JobStatus::Done, "Недавно выполнены"),
            ] {
                let list = nastavnik::jobs::list(&mut conn, status, 50).await?;
                println!("{title}: {}", list.len());
                for j in list {
                    println!(
                        "  {}  {:<14} {}  попыток {}/{}{}{}",
                        j.id,
                        j.kind,
                        j.finished_at.unwrap_or(j.run_at).format("%Y-%m-%d %H:%M"),
                        j.attempts,
                        j.max_attempts,
                        if j.running {
                            "  выполняется"
                        } else {
                            ""
                        },
                        if j.last_error.is_empty() {
                            String::new()
                        } else {
                            format!("  ошибка: {}", j.last_error)
                        }
                    );
                }
            }
        }
    }
    Ok(())
}

/// `2027-01-15T09:00` (UTC), `2027-01-15T09:00:00Z` or with an offset.
fn parse_instant(raw: &str) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    let raw = raw.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    for f in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(raw, f) {
            return Ok(t.and_utc());
        }
    }
    anyhow::bail!(
        "--now: ожидалось время вида 2027-01-15T09:00 (UTC) или 2027-01-15T12:00+03:00, получено «{raw}»"
    )
}
