//! One typed configuration read from environment variables. Every variable is documented in
//! README.md and `.env.sample`; a bad value stops the start with a message naming the variable.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: an external PostgreSQL server; when absent the app runs its own cluster.
    pub database_url: Option<String>,
    /// `NASTAVNIK_BIND`, default `127.0.0.1:8080`.
    pub bind: SocketAddr,
    /// `NASTAVNIK_DATA_DIR`, default `./data`.
    pub data_dir: PathBuf,
    /// `NASTAVNIK_SECURE_COOKIES`, default `false`: adds `Secure` to cookies (behind HTTPS).
    pub secure_cookies: bool,
    /// `NASTAVNIK_PUBLIC_URL`, default `http://{bind}`: used in invitation links.
    pub public_url: String,
    /// `NASTAVNIK_LOG`, default `info` (PostgreSQL's notices from `warn`): a filter such as
    /// `info,nastavnik=debug`.
    pub log: String,
    /// `NASTAVNIK_LOG_FORMAT`, `pretty` (default) or `json`.
    pub log_format: LogFormat,
    /// HSTS is sent when the public address is https.
    pub hsts: bool,
    /// `NASTAVNIK_SESSION_IDLE_MINUTES`, default 120: a session unused this long ends (unless
    /// «запомнить меня» was ticked at login).
    pub session_idle_minutes: i64,
    /// `NASTAVNIK_TRUSTED_PROXY`: addresses of reverse proxies (comma-separated); only when the
    /// connection comes from one of them is the client address read from `X-Forwarded-For`.
    pub trusted_proxies: Vec<IpAddr>,
    /// `NASTAVNIK_METRICS_TOKEN`: `/metrics` on the main address answers only with
    /// `Authorization: Bearer <token>`; without a token it answers 404 there.
    pub metrics_token: Option<String>,
    /// `NASTAVNIK_METRICS_BIND`: a separate address that serves only `/metrics`, without a token.
    pub metrics_bind: Option<SocketAddr>,
    /// `NASTAVNIK_HASH_CONCURRENCY`, default 2: password hashes computed at once; the rest wait
    /// in a queue (up to 10 s, then 503).
    pub hash_concurrency: usize,
    /// `NASTAVNIK_SMTP_URL`: the SMTP server e-mail goes through, e.g.
    /// `smtp://user:password@mail.example:587?tls=required` (STARTTLS), `smtps://…:465` (TLS) or
    /// `smtp://127.0.0.1:25` (plain, a local relay). Without it messages wait in the outbox.
    pub smtp_url: Option<String>,
    /// `NASTAVNIK_MAIL_FROM`, default `Наставник <noreply@localhost>`: the sender of e-mail.
    pub mail_from: String,
    /// `NASTAVNIK_JOBS`, default `on`: whether `serve` runs the job worker (`off` leaves the jobs
    /// to another process or to `nastavnik jobs run-due`).
    pub jobs_worker: bool,
    /// `NASTAVNIK_JOBS_POLL_MS`, default 1000: how often the worker looks for due jobs.
    pub jobs_poll_ms: u64,
    /// `NASTAVNIK_BACKUPS`, default `on`: the nightly backup into `$NASTAVNIK_DATA_DIR/backups`.
    pub backups: bool,
    /// `NASTAVNIK_BACKUP_KEEP`, default `7,4`: nightly backups kept — the last days, the last
    /// weeks.
    pub backup_keep: (usize, usize),
    /// `DATABASE_READ_URL`: a streaming replica for the read-only report queries.
    pub database_read_url: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "переменная окружения {}: {}",
            self.variable, self.message
        )
    }
}

impl std::error::Error for ConfigError {}

fn err(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        message: message.into(),
    }
}

pub fn parse_bool(variable: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        other => Err(err(
            variable,
            format!("ожидалось true или false, получено «{other}»"),
        )),
    }
}

/// An integer variable within `min..=max`, or `default` when unset.
fn number_in(
    get: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    min: i64,
    max: i64,
    default: i64,
) -> Result<i64, ConfigError> {
    match get(variable) {
        Some(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| {
                err(
                    variable,
                    format!("ожидалось число от {min} до {max}, получено «{v}»"),
                )
            }),
        _ => Ok(default),
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let database_url = get("DATABASE_URL").filter(|s| !s.trim().is_empty());
        if let Some(url) = &database_url
            && !(url.starts_with("postgres://") || url.starts_with("postgresql://"))
        {
            return Err(err(
                "DATABASE_URL",
                "ожидался адрес вида postgres://пользователь@сервер/база",
            ));
        }
        let bind_raw = get("NASTAVNIK_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind_raw.trim().parse().map_err(|_| {
            err(
                "NASTAVNIK_BIND",
                format!("ожидался адрес вида 127.0.0.1:8080, получено «{bind_raw}»"),
            )
        })?;
        let data_dir = PathBuf::from(get("NASTAVNIK_DATA_DIR").unwrap_or_else(|| "./data".into()));
        if data_dir.as_os_str().is_empty() {
            return Err(err("NASTAVNIK_DATA_DIR", "путь не может быть пустым"));
        }
        let public_url = match get("NASTAVNIK_PUBLIC_URL") {
            Some(v) if !v.trim().is_empty() => {
                let v = v.trim().trim_end_matches('/').to_string();
                if !(v.starts_with("http://") || v.starts_with("https://")) {
                    return Err(err(
                        "NASTAVNIK_PUBLIC_URL",
                        "ожидался адрес, начинающийся с http:// или https://",
                    ));
                }
                v
            }
            _ => format!("http://{bind}"),
        };
        let https = public_url.starts_with("https://");
        let secure_cookies = match get("NASTAVNIK_SECURE_COOKIES") {
            Some(v) if !v.trim().is_empty() => parse_bool("NASTAVNIK_SECURE_COOKIES", &v)? || https,
            _ => https,
        };
        let session_idle_minutes =
            number_in(&get, "NASTAVNIK_SESSION_IDLE_MINUTES", 5, 7 * 24 * 60, 120)?;
        let mut trusted_proxies = Vec::new();
        for part in get("NASTAVNIK_TRUSTED_PROXY")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            trusted_proxies.push(part.parse::<IpAddr>().map_err(|_| {
                err(
                    "NASTAVNIK_TRUSTED_PROXY",
                    format!("ожидались IP-адреса через запятую, получено «{part}»"),
                )
            })?);
        }
        let metrics_token = get("NASTAVNIK_METRICS_TOKEN")
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        if let Some(t) = &metrics_token
            && t.len() < 16
        {
            return Err(err(
                "NASTAVNIK_METRICS_TOKEN",
                "токен должен быть не короче 16 символов",
            ));
        }
        let metrics_bind = match get("NASTAVNIK_METRICS_BIND") {
            Some(v) if !v.trim().is_empty() => {
                Some(v.trim().parse::<SocketAddr>().map_err(|_| {
                    err(
                        "NASTAVNIK_METRICS_BIND",
                        format!("ожидался адрес вида 127.0.0.1:9090, получено «{v}»"),
                    )
                })?)
            }
            _ => None,
        };
        let hash_concurrency = number_in(&get, "NASTAVNIK_HASH_CONCURRENCY", 1, 64, 2)? as usize;
        let smtp_url = get("NASTAVNIK_SMTP_URL")
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        if let Some(u) = &smtp_url
            && !(u.starts_with("smtp://") || u.starts_with("smtps://"))
        {
            return Err(err(
                "NASTAVNIK_SMTP_URL",
                "ожидался адрес вида smtp://пользователь:пароль@сервер:587?tls=required или smtps://сервер:465",
            ));
        }
        let mail_from = get("NASTAVNIK_MAIL_FROM")
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "Наставник <noreply@localhost>".into());
        if mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(err(
                "NASTAVNIK_MAIL_FROM",
                format!(
                    "ожидался адрес вида «Наставник <noreply@school.ru>», получено «{mail_from}»"
                ),
            ));
        }
        let jobs_worker = match get("NASTAVNIK_JOBS") {
            Some(v) if !v.trim().is_empty() => parse_bool("NASTAVNIK_JOBS", &v)?,
            _ => true,
        };
        let jobs_poll_ms = number_in(&get, "NASTAVNIK_JOBS_POLL_MS", 50, 60_000, 1000)? as u64;
        let backups = match get("NASTAVNIK_BACKUPS") {
            Some(v) if !v.trim().is_empty() => parse_bool("NASTAVNIK_BACKUPS", &v)?,
            _ => true,
        };
        let backup_keep = match get("NASTAVNIK_BACKUP_KEEP") {
            Some(v) if !v.trim().is_empty() => {
                let parts: Vec<Option<usize>> =
                    v.split(',').map(|p| p.trim().parse().ok()).collect();
                match parts.as_slice() {
                    [Some(d), Some(w)] if *d >= 1 && *d <= 365 && *w <= 520 => (*d, *w),
                    _ => {
                        return Err(err(
                            "NASTAVNIK_BACKUP_KEEP",
                            format!("ожидалось «дней,недель», например 7,4; получено «{v}»"),
                        ));
                    }
                }
            }
            _ => (7, 4),
        };
        let database_read_url = get("DATABASE_READ_URL").filter(|s| !s.trim().is_empty());
        if let Some(url) = &database_read_url
            && !(url.starts_with("postgres://") || url.starts_with("postgresql://"))
        {
            return Err(err(
                "DATABASE_READ_URL",
                "ожидался адрес вида postgres://пользователь@реплика/база",
            ));
        }
        // PostgreSQL's notices (e.g. «trigger … does not exist, skipping» while migrations run)
        // are not the operator's business unless they are warnings.
        let log = get("NASTAVNIK_LOG").unwrap_or_else(|| "info,sqlx::postgres::notice=warn".into());
        if log.parse::<tracing_subscriber::filter::Targets>().is_err() {
            return Err(err(
                "NASTAVNIK_LOG",
                format!("ожидался фильтр вида info или info,nastavnik=debug, получено «{log}»"),
            ));
        }
        let log_format = match get("NASTAVNIK_LOG_FORMAT")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "" | "pretty" => LogFormat::Pretty,
            "json" => LogFormat::Json,
            other => {
                return Err(err(
                    "NASTAVNIK_LOG_FORMAT",
                    format!("ожидалось pretty или json, получено «{other}»"),
                ));
            }
        };
        Ok(Config {
            database_url,
            bind,
            data_dir,
            secure_cookies,
            public_url,
            log,
            log_format,
            hsts: https,
            session_idle_minutes,
            trusted_proxies,
            metrics_token,
            metrics_bind,
            hash_concurrency,
            smtp_url,
            mail_from,
            jobs_worker,
            jobs_poll_ms,
            backups,
            backup_keep,
            database_read_url,
        })
    }

    /// A configuration for tests: defaults, with the given database.
    pub fn for_tests(database_url: String) -> Self {
        let mut c = Self::from_lookup(|_| None).expect("defaults are valid");
        c.database_url = Some(database_url);
        c.backups = false;
        c
    }
}

/// The variables of the sealed outbox's key (`notifications::sealed` reads them wherever a message
/// is queued or sent, with or without a `Config` at hand): the key itself (64 hex digits), or the
/// file that holds it (a volume the nodes of a cluster share); without either, the key is
/// `<NASTAVNIK_DATA_DIR>/outbox.key`, made on first use.
pub const OUTBOX_KEY_VARS: [&str; 2] = ["NASTAVNIK_OUTBOX_KEY", "NASTAVNIK_OUTBOX_KEY_FILE"];

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
    }

    #[test]
    fn mail_settings_are_checked() {
        let c = cfg(&[(
            "NASTAVNIK_SMTP_URL",
            " smtp://u:p@mail.example:587?tls=required ",
        )])
        .unwrap();
        assert_eq!(
            c.smtp_url.as_deref(),
            Some("smtp://u:p@mail.example:587?tls=required")
        );
        assert!(cfg(&[]).unwrap().smtp_url.is_none());
        let e = cfg(&[("NASTAVNIK_SMTP_URL", "mail.example:25")]).unwrap_err();
        assert_eq!(e.variable, "NASTAVNIK_SMTP_URL");
        let e = cfg(&[("NASTAVNIK_MAIL_FROM", "не адрес")]).unwrap_err();
        assert_eq!(e.variable, "NASTAVNIK_MAIL_FROM");
        let e = cfg(&[("NASTAVNIK_JOBS", "может быть")]).unwrap_err();
        assert_eq!(e.variable, "NASTAVNIK_JOBS");
    }

    #[test]
    fn defaults_work() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.public_url, "http://127.0.0.1:8080");
        assert!(!c.secure_cookies);
        assert!(c.database_url.is_none());
        assert_eq!(c.log_format, LogFormat::Pretty);
    }

    #[test]
    fn bad_values_name_the_variable() {
        assert_eq!(
            cfg(&[("NASTAVNIK_BIND", "nowhere")]).unwrap_err().variable,
            "NASTAVNIK_BIND"
        );
        assert_eq!(
            cfg(&[("NASTAVNIK_SECURE_COOKIES", "maybe")])
                .unwrap_err()
                .variable,
            "NASTAVNIK_SECURE_COOKIES"
        );
        assert_eq!(
            cfg(&[("NASTAVNIK_PUBLIC_URL", "ftp://x")])
                .unwrap_err()
                .variable,
            "NASTAVNIK_PUBLIC_URL"
        );
        assert_eq!(
            cfg(&[("DATABASE_URL", "mysql://x")]).unwrap_err().variable,
            "DATABASE_URL"
        );
        assert_eq!(
            cfg(&[("NASTAVNIK_LOG_FORMAT", "xml")])
                .unwrap_err()
                .variable,
            "NASTAVNIK_LOG_FORMAT"
        );
        let e = cfg(&[("NASTAVNIK_BIND", "nowhere")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("NASTAVNIK_BIND"), "{e}");
    }

    #[test]
    fn https_means_secure_cookies_and_hsts() {
        let c = cfg(&[("NASTAVNIK_PUBLIC_URL", "https://school.example")]).unwrap();
        assert!(c.secure_cookies && c.hsts);
        let c = cfg(&[("NASTAVNIK_TRUSTED_PROXY", "127.0.0.1, ::1")]).unwrap();
        assert_eq!(c.trusted_proxies.len(), 2);
        assert_eq!(
            cfg(&[("NASTAVNIK_TRUSTED_PROXY", "proxy")])
                .unwrap_err()
                .variable,
            "NASTAVNIK_TRUSTED_PROXY"
        );
        assert_eq!(
            cfg(&[("NASTAVNIK_METRICS_TOKEN", "short")])
                .unwrap_err()
                .variable,
            "NASTAVNIK_METRICS_TOKEN"
        );
        assert_eq!(c.session_idle_minutes, 120);
    }

    #[test]
    fn public_url_is_trimmed() {
        let c = cfg(&[("NASTAVNIK_PUBLIC_URL", "https://school.example/")]).unwrap();
        assert_eq!(c.public_url, "https://school.example");
        assert!(
            cfg(&[("NASTAVNIK_SECURE_COOKIES", "1")])
                .unwrap()
                .secure_cookies
        );
    }
}
