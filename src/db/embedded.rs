//! The embedded default database: a private PostgreSQL cluster in `$NASTAVNIK_DATA_DIR/postgres`,
//! run from the server binaries found on the machine, listening on a Unix socket inside the data
//! directory only. Used by `serve` when `DATABASE_URL` is not set, and by the test harness.
//!
//! Safety of the few `unsafe` lines: `kill(2)` on the child's pid and `prctl(PR_SET_PDEATHSIG)` in
//! the forked child before `exec`, both plain syscalls with no memory involved.
#![allow(unsafe_code)]

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::postgres::PgConnectOptions;

/// The superuser name of the cluster (set by `initdb -U`).
pub const SUPERUSER: &str = "postgres";
pub const PORT: u16 = 5432;

#[derive(Debug)]
pub enum EmbeddedError {
    NoBinaries,
    AlreadyRunning(PathBuf),
    SocketPathTooLong(PathBuf),
    Io(String, std::io::Error),
    Failed(String),
}

impl std::fmt::Display for EmbeddedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EmbeddedError::NoBinaries => write!(
                f,
                "не найдены программы сервера PostgreSQL (initdb, postgres): искали в PATH, \
                 в `pg_config --bindir` и в /usr/lib/postgresql/*/bin.\n\
                 Установите их: `apt-get install postgresql` — или укажите внешний сервер в \
                 DATABASE_URL=postgres://пользователь:пароль@сервер/база"
            ),
            EmbeddedError::AlreadyRunning(dir) => write!(
                f,
                "каталог данных {} уже используется другим запущенным экземпляром «Наставника». \
                 Остановите его или укажите другой NASTAVNIK_DATA_DIR",
                dir.display()
            ),
            EmbeddedError::SocketPathTooLong(dir) => write!(
                f,
                "путь к каталогу данных слишком длинный для Unix-сокета PostgreSQL ({}); \
                 укажите более короткий NASTAVNIK_DATA_DIR",
                dir.display()
            ),
            EmbeddedError::Io(what, e) => write!(f, "{what}: {e}"),
            EmbeddedError::Failed(msg) => write!(f, "{msg}"),
        }
    }
}

impl std::error::Error for EmbeddedError {}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> EmbeddedError {
    let what = what.into();
    move |e| EmbeddedError::Io(what, e)
}

/// Options of the cluster; tests trade durability for speed.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub fast_unsafe: bool,
}

/// A running private cluster. Stopped (fast shutdown) by [`EmbeddedPostgres::stop`] or on drop.
pub struct EmbeddedPostgres {
    child: Option<Child>,
    data_dir: PathBuf,
    cluster_dir: PathBuf,
    socket_dir: PathBuf,
    bin: PathBuf,
    owner: Option<(u32, u32)>,
    log_path: PathBuf,
    options: Options,
    _lock: File,
}

/// How many times the supervisor has started PostgreSQL again after it died (the metric
/// `nastavnik_postgres_restarts_total`).
pub static RESTARTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Connection options to the cluster of `data_dir` that another process (a running
/// `nastavnik serve`) has started: the CLI's commands use it instead of refusing.
pub fn running_cluster(data_dir: &Path, database: &str) -> Result<PgConnectOptions, EmbeddedError> {
    let data_dir = data_dir
        .canonicalize()
        .map_err(io(format!("каталог данных {}", data_dir.display())))?;
    Ok(PgConnectOptions::new()
        .socket(data_dir.join("run"))
        .port(PORT)
        .username(SUPERUSER)
        .database(database))
}

/// Where the server binaries are: PATH, `pg_config --bindir`, `/usr/lib/postgresql/*/bin`
/// (newest first).
pub fn find_bin_dir() -> Option<PathBuf> {
    let has_both = |d: &Path| d.join("initdb").is_file() && d.join("postgres").is_file();
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if has_both(&dir) {
                // A symlinked initdb (as in /usr/local/bin) still finds its own postgres.
                return Some(dir);
            }
        }
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_both(&dir) {
            return Some(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            has_both(&bin).then_some((v, bin))
        })
        .collect();
    versions.sort_by_key(|v| std::cmp::Reverse(v.0));
    versions.into_iter().next().map(|(_, d)| d)
}

/// uid and gid of the `postgres` system user, when this process runs as root.
fn unprivileged_user() -> Result<Option<(u32, u32)>, EmbeddedError> {
    let euid = fs::metadata("/proc/self")
        .map(|m| m.uid())
        .map_err(io("не удалось узнать пользователя процесса"))?;
    if euid != 0 {
        return Ok(None);
    }
    let passwd = fs::read_to_string("/etc/passwd").map_err(io("чтение /etc/passwd"))?;
    for line in passwd.lines() {
        let f: Vec<&str> = line.split(':').collect();
        if f.len() > 3 && f[0] == "postgres" {
            let uid = f[2]
                .parse()
                .map_err(|_| EmbeddedError::Failed("uid".into()))?;
            let gid = f[3]
                .parse()
                .map_err(|_| EmbeddedError::Failed("gid".into()))?;
            return Ok(Some((uid, gid)));
        }
    }
    Err(EmbeddedError::Failed(
        "приложение запущено от root, а PostgreSQL не запускается от root; системный \
         пользователь postgres не найден (он появляется при `apt-get install postgresql`)"
            .into(),
    ))
}

fn make_private_dir(dir: &Path, owner: Option<(u32, u32)>) -> Result<(), EmbeddedError> {
    fs::create_dir_all(dir).map_err(io(format!("создание каталога {}", dir.display())))?;
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::chown(dir, Some(uid), Some(gid))
            .map_err(io(format!("смена владельца {}", dir.display())))?;
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
        .map_err(io(format!("права на {}", dir.display())))?;
    Ok(())
}

/// When PostgreSQL runs as another user, it must be able to reach the data dir: the data dir
/// itself is made traversable (not readable) for others; an ancestor that is not is an error
/// naming it.
fn ensure_reachable(data_dir: &Path, owner: Option<(u32, u32)>) -> Result<(), EmbeddedError> {
    let Some((uid, gid)) = owner else {
        return Ok(());
    };
    let can_traverse = |m: &fs::Metadata| {
        let mode = m.mode();
        if m.uid() == uid {
            mode & 0o100 != 0
        } else if m.gid() == gid {
            mode & 0o010 != 0
        } else {
            mode & 0o001 != 0
        }
    };
    let meta = fs::metadata(data_dir).map_err(io("каталог данных"))?;
    if !can_traverse(&meta) {
        fs::set_permissions(
            data_dir,
            fs::Permissions::from_mode((meta.mode() & 0o7777) | 0o001),
        )
        .map_err(io(format!("права на {}", data_dir.display())))?;
    }
    for ancestor in data_dir.ancestors().skip(1) {
        if let Ok(m) = fs::metadata(ancestor)
            && !can_traverse(&m)
        {
            return Err(EmbeddedError::Failed(format!(
                "PostgreSQL работает от системного пользователя postgres, а он не может открыть \
                 каталог {} (права {:o}). Укажите NASTAVNIK_DATA_DIR в доступном месте, например \
                 /var/lib/nastavnik, или запустите приложение не от root",
                ancestor.display(),
                m.mode() & 0o777
            )));
        }
    }
    Ok(())
}

fn command(bin: &Path, owner: Option<(u32, u32)>) -> Command {
    let mut cmd = Command::new(bin);
    if let Some((uid, gid)) = owner {
        cmd.uid(uid).gid(gid);
        // HOME of root is not readable by postgres; avoid warnings.
        cmd.env("HOME", "/tmp");
    }
    cmd.env_remove("PGDATA").env("LC_ALL", "C.UTF-8");
    cmd
}

fn pid_alive(pid: i32) -> bool {
    pid > 0 && Path::new(&format!("/proc/{pid}")).exists()
}

fn is_postgres(pid: i32) -> bool {
    fs::read(format!("/proc/{pid}/cmdline"))
        .map(|c| String::from_utf8_lossy(&c).contains("postgres"))
        .unwrap_or(false)
}

fn send_signal(pid: i32, sig: i32) {
    // SAFETY: kill(2) with a pid we own; no memory is touched.
    unsafe {
        libc::kill(pid, sig);
    }
}

fn tail_of(path: &Path) -> String {
    let Ok(mut f) = File::open(path) else {
        return String::new();
    };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = f.seek(SeekFrom::Start(len.saturating_sub(2000)));
    let mut s = String::new();
    let _ = f.read_to_string(&mut s);
    s
}

impl EmbeddedPostgres {
    /// Starts (after `initdb` on first use) the cluster of `data_dir`.
    pub fn start(data_dir: &Path, options: &Options) -> Result<Self, EmbeddedError> {
        fs::create_dir_all(data_dir).map_err(io(format!(
            "создание каталога данных {}",
            data_dir.display()
        )))?;
        let data_dir = data_dir
            .canonicalize()
            .map_err(io(format!("каталог данных {}", data_dir.display())))?;
        // One app per data dir: an advisory lock held for the life of the process (released by
        // the kernel if the process dies, so a crash never leaves it behind).
        let mut lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(data_dir.join("nastavnik.lock"))
            .map_err(io("файл блокировки каталога данных"))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(EmbeddedError::AlreadyRunning(data_dir));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(EmbeddedError::Io("блокировка каталога данных".into(), e));
            }
        }
        let _ = lock.set_len(0);
        let _ = writeln!(lock, "{}", std::process::id());

        let bin = find_bin_dir().ok_or(EmbeddedError::NoBinaries)?;
        let owner = unprivileged_user()?;
        ensure_reachable(&data_dir, owner)?;
        let cluster_dir = data_dir.join("postgres");
        let socket_dir = data_dir.join("run");
        if socket_dir.join(".s.PGSQL.5432").as_os_str().len() > 100 {
            return Err(EmbeddedError::SocketPathTooLong(data_dir));
        }
        make_private_dir(&socket_dir, owner)?;
        let log_path = data_dir.join("postgres.log");

        if !cluster_dir.join("PG_VERSION").exists() {
            if cluster_dir.exists() {
                return Err(EmbeddedError::Failed(format!(
                    "каталог {} существует, но не содержит кластера PostgreSQL; удалите или \
                     переместите его",
                    cluster_dir.display()
                )));
            }
            // initdb into a scratch dir, then rename: an interrupted initdb leaves no half cluster.
            let scratch = data_dir.join("postgres.initdb");
            if scratch.exists() {
                fs::remove_dir_all(&scratch).map_err(io("удаление незавершённого initdb"))?;
            }
            make_private_dir(&scratch, owner)?;
            let out = command(&bin.join("initdb"), owner)
                .arg("-D")
                .arg(&scratch)
                .args([
                    "-U",
                    SUPERUSER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--no-instructions",
                ])
                .args(if options.fast_unsafe {
                    &["--no-sync"][..]
                } else {
                    &[][..]
                })
                .stdin(Stdio::null())
                .output()
                .map_err(io("запуск initdb"))?;
            if !out.status.success() {
                return Err(EmbeddedError::Failed(format!(
                    "initdb завершился с ошибкой:\n{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                )));
            }
            fs::rename(&scratch, &cluster_dir).map_err(io("перенос кластера на место"))?;
        }

        let mut pg = EmbeddedPostgres {
            child: None,
            data_dir: data_dir.clone(),
            cluster_dir,
            socket_dir,
            bin,
            owner,
            log_path,
            options: options.clone(),
            _lock: lock,
        };
        pg.clear_stale();
        pg.spawn()?;
        Ok(pg)
    }

    /// A postmaster.pid left behind (a crash): we hold the app lock, so no live app owns this
    /// cluster — a live PostgreSQL of it is stopped, a dead one's pid file and socket removed.
    fn clear_stale(&self) {
        let (cluster_dir, socket_dir) = (&self.cluster_dir, &self.socket_dir);
        let pid_file = cluster_dir.join("postmaster.pid");
        if let Ok(text) = fs::read_to_string(&pid_file) {
            let pid: i32 = text
                .lines()
                .next()
                .and_then(|l| l.trim().parse().ok())
                .unwrap_or(0);
            if pid_alive(pid) && is_postgres(pid) {
                tracing::warn!(
                    pid,
                    "останавливаю PostgreSQL, оставшийся от прежнего запуска"
                );
                send_signal(pid, libc::SIGINT);
                let deadline = Instant::now() + Duration::from_secs(30);
                while pid_alive(pid) && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
            if !pid_alive(pid) || !is_postgres(pid) {
                tracing::warn!("удаляю устаревший postmaster.pid");
                let _ = fs::remove_file(&pid_file);
                let _ = fs::remove_file(socket_dir.join(format!(".s.PGSQL.{PORT}.lock")));
                let _ = fs::remove_file(socket_dir.join(format!(".s.PGSQL.{PORT}")));
            }
        }
    }

    /// Starts the server process and waits until it accepts connections.
    fn spawn(&mut self) -> Result<(), EmbeddedError> {
        let (bin, owner, options) = (&self.bin, self.owner, &self.options);
        let (cluster_dir, socket_dir, log_path) =
            (&self.cluster_dir, &self.socket_dir, &self.log_path);
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(log_path)
            .map_err(io("журнал PostgreSQL"))?;
        let log2 = log.try_clone().map_err(io("журнал PostgreSQL"))?;
        let mut cmd = command(&bin.join("postgres"), owner);
        cmd.arg("-D")
            .arg(cluster_dir)
            .arg("-k")
            .arg(socket_dir)
            .args(["-p", &PORT.to_string(), "-c", "listen_addresses="])
            .args([
                "-c",
                "unix_socket_permissions=0700",
                "-c",
                "max_connections=100",
            ])
            .args([
                "-c",
                "shared_buffers=32MB",
                "-c",
                "dynamic_shared_memory_type=posix",
            ]);
        if options.fast_unsafe {
            cmd.args(["-c", "fsync=off", "-c", "synchronous_commit=off"])
                .args(["-c", "full_page_writes=off"]);
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(log2))
            // Own process group: a terminal's Ctrl-C reaches the app, which stops PG in order.
            .process_group(0);
        // SAFETY: prctl in the child between fork and exec; async-signal-safe, no allocation.
        unsafe {
            cmd.pre_exec(|| {
                // If the app dies without stopping us, fast shutdown.
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGINT as libc::c_ulong);
                Ok(())
            });
        }
        let child = cmd.spawn().map_err(io("запуск postgres"))?;
        self.child = Some(child);
        let log_path = self.log_path.clone();
        self.wait_ready(&log_path)
    }

    /// Whether the server process has exited since it was started (reaped here): its status.
    pub fn exited(&mut self) -> Option<String> {
        let status = self.child.as_mut()?.try_wait().ok()??;
        self.child = None;
        Some(status.to_string())
    }

    /// Starts PostgreSQL again after it died: the stale pid file and socket cleared, crash
    /// recovery done by PostgreSQL itself.
    pub fn restart(&mut self) -> Result<(), EmbeddedError> {
        self.clear_stale();
        self.spawn()
    }
    fn wait_ready(&mut self, log_path: &Path) -> Result<(), EmbeddedError> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let pid_file = self.cluster_dir.join("postmaster.pid");
        loop {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                self.child = None;
                return Err(EmbeddedError::Failed(format!(
                    "PostgreSQL не запустился ({status}). Конец журнала {}:\n{}",
                    log_path.display(),
                    tail_of(log_path)
                )));
            }
            if let Ok(text) = fs::read_to_string(&pid_file)
                && text
                    .lines()
                    .nth(7)
                    // A streaming replica's cluster is «standby» when it takes read queries.
                    .map(|l| matches!(l.trim(), "ready" | "standby"))
                    .unwrap_or(false)
                && self.socket_dir.join(format!(".s.PGSQL.{PORT}")).exists()
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                self.stop();
                return Err(EmbeddedError::Failed(format!(
                    "PostgreSQL не ответил за 60 с. Конец журнала:\n{}",
                    tail_of(log_path)
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(|c| c.id())
    }

    /// Connection options for a database of this cluster.
    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .port(PORT)
            .username(SUPERUSER)
            .database(database)
    }

    /// A `postgres://` URL for a database of this cluster (Unix socket in `host=`).
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{SUPERUSER}@localhost:{PORT}/{database}?host={}",
            self.socket_dir.display()
        )
    }

    /// Fast shutdown (SIGINT) and wait; idempotent.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let pid = child.id() as i32;
        send_signal(pid, libc::SIGINT);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match child.try_wait() {
                Ok(Some(_)) | Err(_) => break,
                Ok(None) if Instant::now() > deadline => {
                    send_signal(pid, libc::SIGQUIT);
                    let _ = child.wait();
                    break;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        tracing::info!("PostgreSQL остановлен");
    }
}

/// Watches the cluster from its own thread: when PostgreSQL exits unexpectedly, starts it again
/// (crash recovery is PostgreSQL's own) with a backoff of 1, 2, 4 … 30 s between failed tries,
/// until it runs or `stop` is set. The pool reconnects by itself, so requests succeed again as
/// soon as the server is back.
pub fn supervise(
    pg: std::sync::Arc<std::sync::Mutex<EmbeddedPostgres>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    use std::sync::atomic::Ordering::Relaxed;
    let nap = |d: Duration, stop: &std::sync::atomic::AtomicBool| {
        let until = Instant::now() + d;
        while Instant::now() < until && !stop.load(Relaxed) {
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    std::thread::Builder::new()
        .name("postgres-supervisor".into())
        .spawn(move || {
            while !stop.load(Relaxed) {
                nap(Duration::from_millis(250), &stop);
                let exited = match pg.lock() {
                    Ok(mut p) => p.exited(),
                    Err(_) => return,
                };
                let Some(status) = exited else { continue };
                if stop.load(Relaxed) {
                    return;
                }
                tracing::error!(%status, "PostgreSQL завершился неожиданно; перезапускаю");
                let mut wait = Duration::from_secs(1);
                while !stop.load(Relaxed) {
                    let started = Instant::now();
                    let result = match pg.lock() {
                        Ok(mut p) => p.restart(),
                        Err(_) => return,
                    };
                    match result {
                        Ok(()) => {
                            RESTARTS.fetch_add(1, Relaxed);
                            tracing::warn!(
                                ms = started.elapsed().as_millis() as u64,
                                "PostgreSQL снова работает"
                            );
                            break;
                        }
                        Err(e) => {
                            tracing::error!(error = %e, retry_in_s = wait.as_secs(), "не удалось перезапустить PostgreSQL");
                            nap(wait, &stop);
                            wait = (wait * 2).min(Duration::from_secs(30));
                        }
                    }
                }
            }
        })
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        self.stop();
    }
}
