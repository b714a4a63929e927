//! The load scenario (`bash .ci/load`): N logged-in users of every role for S seconds against a
//! running `nastavnik serve` on loopback — reading the pages their role reaches (found by
//! following links from their home page), curators searching the bases, mentors logging meetings,
//! mentees saving questionnaire drafts, directors and territory specialists reading reports, and
//! one curator running the matching of a school-scale program again and again. Prints requests,
//! errors and latency percentiles by kind, and a timeline of 5-second windows (so that an outage —
//! PostgreSQL killed mid-run — shows where its errors are and that they stop).
//!
//! `cargo run --release --example load -- --base http://127.0.0.1:8080 --users 200 --seconds 60
//! [--think 1000-3000] [--matching /o/sosh-1/programs/<id>/matching] [--kill-pg-at 30
//! --pg-pid-file DIR/postgres/postmaster.pid]`

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client as Hyper;
use hyper_util::client::legacy::connect::HttpConnector;

type Http = Hyper<HttpConnector, Body>;

/// Accounts of the demo and how many of the users log in as each (of every 40).
const ROLES: [(&str, &str, usize); 10] = [
    ("curator", "curator@demo.local", 5),
    ("director", "director@demo.local", 3),
    ("mentor", "mentor@demo.local", 7),
    ("mentee", "mentee@demo.local", 7),
    ("curator", "college-curator@demo.local", 3),
    ("mentor", "college-mentor@demo.local", 4),
    ("reader", "college-student@demo.local", 5),
    ("territory", "region@demo.local", 2),
    ("territory", "municipality@demo.local", 2),
    ("director", "load-director@demo.local", 2),
];

struct User {
    base: String,
    http: Http,
    cookies: HashMap<String, String>,
    csrf: String,
}

struct Answer {
    status: StatusCode,
    body: String,
    location: String,
}

impl User {
    async fn send(&mut self, req: Request<Body>) -> Result<Answer, String> {
        let mut req = req;
        if !self.cookies.is_empty() {
            let c: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req.headers_mut()
                .insert(header::COOKIE, c.join("; ").parse().map_err(|_| "cookie")?);
        }
        let resp = tokio::time::timeout(Duration::from_secs(30), self.http.request(req))
            .await
            .map_err(|_| "timeout 30 s".to_string())?
            .map_err(|e| e.to_string())?;
        for v in resp.headers().get_all(header::SET_COOKIE) {
            let s = v.to_str().unwrap_or_default();
            if let Some((k, val)) = s.split(';').next().and_then(|p| p.split_once('=')) {
                if val.is_empty() || s.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), val.to_string());
                }
            }
        }
        let status = resp.status();
        let location = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(t) = between(&body, "name=\"_csrf\" value=\"", "\"") {
            self.csrf = t.to_string();
        }
        Ok(Answer {
            status,
            body,
            location,
        })
    }

    async fn get(&mut self, path: &str) -> Result<Answer, String> {
        let req = Request::get(format!("{}{path}", self.base))
            .body(Body::empty())
            .map_err(|e| e.to_string())?;
        self.send(req).await
    }

    async fn post(&mut self, path: &str, fields: &[(String, String)]) -> Result<Answer, String> {
        let body = {
            let mut s = form_urlencoded::Serializer::new(String::new());
            s.append_pair("_csrf", &self.csrf);
            for (k, v) in fields {
                s.append_pair(k, v);
            }
            s.finish()
        };
        let req = Request::post(format!("{}{path}", self.base))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .map_err(|e| e.to_string())?;
        self.send(req).await
    }
}

fn between<'a>(s: &'a str, from: &str, to: &str) -> Option<&'a str> {
    let i = s.find(from)? + from.len();
    let j = s[i..].find(to)?;
    Some(&s[i..i + j])
}

/// Same-site links of a page worth visiting (no downloads, no logout, no htmx fragments).
fn links(body: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| h.starts_with('/') && !h.starts_with("/static") && !h.contains("logout"))
        .filter(|h| {
            ![".xlsx", ".docx", ".ics", ".csv", ".svg", ".pdf", ".zip"]
                .iter()
                .any(|x| h.contains(x))
        })
        .map(|h| h.replace("&amp;", "&"))
        .collect()
}

/// The pages a role reaches from its home, up to `limit`, breadth first.
async fn discover(u: &mut User, limit: usize) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut queue = vec!["/".to_string()];
    let mut pages = Vec::new();
    let mut months = 0;
    while let Some(p) = (!queue.is_empty()).then(|| queue.remove(0)) {
        if pages.len() >= limit {
            break;
        }
        if !seen.insert(p.clone()) {
            continue;
        }
        // Calendars link every month: a few are enough.
        if p.contains("month=") {
            months += 1;
            if months > 3 {
                continue;
            }
        }
        let Ok(a) = u.get(&p).await else { continue };
        if a.status == StatusCode::SEE_OTHER && !a.location.is_empty() {
            queue.push(a.location.clone());
            continue;
        }
        if a.status != StatusCode::OK {
            continue;
        }
        pages.push(p);
        queue.extend(links(&a.body).into_iter().filter(|l| !seen.contains(l)));
    }
    pages
}

/// The fields of a questionnaire draft: every `a_*` input answered with something it accepts.
fn draft_answers(body: &str) -> Vec<(String, String)> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for tag in body.split('<').skip(1) {
        let Some(name) = between(tag, "name=\"", "\"") else {
            continue;
        };
        if !name.starts_with("a_") || out.contains_key(name) {
            continue;
        }
        let value = if tag.starts_with("input") && tag.contains("type=\"radio\"")
            || tag.contains("type=\"checkbox\"")
        {
            between(tag, "value=\"", "\"").unwrap_or("1").to_string()
        } else if tag.starts_with("select") {
            let rest = &body[body.find(tag).unwrap_or(0)..];
            between(rest, "<option value=\"", "\"")
                .filter(|v| !v.is_empty())
                .or_else(|| {
                    rest.split("<option value=\"")
                        .nth(2)
                        .and_then(|s| s.split('"').next())
                })
                .unwrap_or("")
                .to_string()
        } else if tag.contains("type=\"number\"") || tag.contains("type=\"range\"") {
            "3".into()
        } else {
            "Занимались проектом, всё получается".into()
        };
        out.insert(name.to_string(), value);
    }
    out.into_iter().collect()
}

#[derive(Default)]
struct Stats {
    /// (kind, micros, ok, second of the run)
    samples: Vec<(&'static str, u32, bool, u32)>,
    /// When the first and the last failed request ended (ms from the start).
    failed_between: Option<(u64, u64)>,
    /// Time by page (ids replaced by {id}): the slowest are printed.
    by_path: HashMap<String, Vec<u32>>,
    errors: BTreeMap<String, usize>,
}

impl Stats {
    fn failed(&mut self, start: Instant) {
        let ms = start.elapsed().as_millis() as u64;
        self.failed_between = Some(match self.failed_between {
            Some((a, _)) => (a, ms),
            None => (ms, ms),
        });
    }
}

/// `/o/sosh-1/pairs/0f52…/meetings?month=2026-10` → `/o/sosh-1/pairs/{id}/meetings`.
fn shape(path: &str) -> String {
    path.split('?')
        .next()
        .unwrap_or_default()
        .split('/')
        .map(|seg| {
            if seg.len() == 36 && seg.chars().filter(|c| *c == '-').count() == 4 {
                "{id}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn timed(
    stats: &Mutex<Stats>,
    start: Instant,
    (kind, path): (&'static str, &str),
    expect: &[StatusCode],
    f: impl std::future::Future<Output = Result<Answer, String>>,
) -> Option<Answer> {
    let t = Instant::now();
    let r = f.await;
    let micros = t.elapsed().as_micros().min(u32::MAX as u128) as u32;
    let sec = start.elapsed().as_secs() as u32;
    let mut s = stats.lock().expect("stats");
    s.by_path.entry(shape(path)).or_default().push(micros);
    match r {
        Ok(a) if expect.contains(&a.status) => {
            s.samples.push((kind, micros, true, sec));
            Some(a)
        }
        Ok(a) => {
            s.samples.push((kind, micros, false, sec));
            s.failed(start);
            *s.errors
                .entry(format!("{kind}: HTTP {}", a.status.as_u16()))
                .or_default() += 1;
            None
        }
        Err(e) => {
            s.samples.push((kind, micros, false, sec));
            s.failed(start);
            let short: String = e.chars().take(60).collect();
            *s.errors.entry(format!("{kind}: {short}")).or_default() += 1;
            None
        }
    }
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn pct(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

#[tokio::main]
async fn main() {
    let base = arg("--base").unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let users: usize = arg("--users").and_then(|v| v.parse().ok()).unwrap_or(200);
    let seconds: u64 = arg("--seconds").and_then(|v| v.parse().ok()).unwrap_or(60);
    let matching = arg("--matching");
    // Between two requests a user waits MIN–MAX ms (default 1000–3000: clicking every two
    // seconds, faster than anyone reads a page); `--think 0-1000` is the stress variant.
    let think = arg("--think").unwrap_or_else(|| "1000-3000".into());
    let (think_min, think_max) = think
        .split_once('-')
        .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)))
        .filter(|(a, b)| a <= b)
        .expect("--think MIN-MAX in ms");
    let http: Http = Hyper::builder(hyper_util::rt::TokioExecutor::new())
        .pool_max_idle_per_host(users)
        .build_http();

    // Log everybody in (passwords are hashed two at a time by the server: this takes a while).
    let t0 = Instant::now();
    let mut accounts = Vec::new();
    for i in 0..users {
        let mut k = i % 40;
        let role = ROLES
            .iter()
            .find(|(_, _, n)| {
                if k < *n {
                    true
                } else {
                    k -= n;
                    false
                }
            })
            .expect("roles cover 40");
        accounts.push(*role);
    }
    let mut logged = Vec::new();
    let mut logins = tokio::task::JoinSet::new();
    for (i, (role, email, _)) in accounts.iter().copied().enumerate() {
        let (http, base) = (http.clone(), base.clone());
        logins.spawn(async move {
            let mut u = User {
                base,
                http,
                cookies: HashMap::new(),
                csrf: String::new(),
            };
            u.get("/login").await.ok()?;
            let fields = [
                ("email".to_string(), email.to_string()),
                ("password".to_string(), "demo12345".to_string()),
            ];
            let a = u.post("/login", &fields).await.ok()?;
            (a.status == StatusCode::SEE_OTHER).then_some((i, role, email, u))
        });
    }
    while let Some(r) = logins.join_next().await {
        match r.ok().flatten() {
            Some(x) => logged.push(x),
            None => eprintln!("a login failed"),
        }
    }
    logged.sort_by_key(|x| x.0);
    println!("Пауза между запросами пользователя: {think_min}–{think_max} мс");
    println!(
        "Вошли {} из {users} пользователей за {:.1} с",
        logged.len(),
        t0.elapsed().as_secs_f64()
    );

    // What each account reaches.
    let mut pages: HashMap<&str, Arc<Vec<String>>> = HashMap::new();
    for (_, _, email, u) in logged.iter_mut() {
        if !pages.contains_key(email) {
            let found = discover(u, 40).await;
            println!("  {email}: страниц {}", found.len());
            pages.insert(email, Arc::new(found));
        }
    }

    let stats = Arc::new(Mutex::new(Stats::default()));
    let start = Instant::now();
    let until = start + Duration::from_secs(seconds);
    let mut running = tokio::task::JoinSet::new();
    // PostgreSQL killed mid-run: the app's supervisor is to start it again by itself.
    if let (Some(at), Some(pid_file)) = (
        arg("--kill-pg-at").and_then(|v| v.parse::<u64>().ok()),
        arg("--pg-pid-file"),
    ) {
        let (http, base) = (http.clone(), base.clone());
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(at)).await;
            let pid = std::fs::read_to_string(&pid_file)
                .ok()
                .and_then(|s| s.lines().next().map(str::to_string))
                .unwrap_or_default();
            let killed = std::process::Command::new("kill")
                .args(["-9", &pid])
                .status()
                .is_ok_and(|s| s.success());
            println!(">> {at} с: kill -9 встроенного PostgreSQL (pid {pid}): {killed}");
            let t = Instant::now();
            let mut u = User {
                base,
                http,
                cookies: HashMap::new(),
                csrf: String::new(),
            };
            // /healthz every 20 ms for 15 s: when it stopped answering 200 and when it came back.
            let (mut down, mut back) = (None, None);
            while t.elapsed() < Duration::from_secs(15) && back.is_none() {
                let healthy = u.get("/healthz").await.map(|a| a.status) == Ok(StatusCode::OK);
                match (healthy, down) {
                    (false, None) => down = Some(t.elapsed()),
                    (true, Some(_)) => back = Some(t.elapsed()),
                    _ => {}
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            match (down, back) {
                (Some(d), Some(b)) => println!(
                    ">> /healthz: не 200 с {:.2} с после kill, снова 200 через {:.2} с после kill",
                    d.as_secs_f64(),
                    b.as_secs_f64()
                ),
                (None, _) => println!(">> /healthz ни разу не ответил ошибкой за 15 с"),
                (Some(_), None) => println!(">> /healthz не вернулся к 200 за 15 с"),
            }
        });
    }
    for (n, (i, role, email, mut u)) in logged.into_iter().enumerate() {
        let stats = stats.clone();
        let pages = pages.get(email).cloned().unwrap_or_default();
        let matching = (n == 0).then(|| matching.clone()).flatten();
        running.spawn(async move {
            let mut rng = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let mut next = move |m: usize| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                (rng % m.max(1) as u64) as usize
            };
            let ok = [StatusCode::OK];
            let saved = [StatusCode::SEE_OTHER, StatusCode::OK];
            let meetings: Vec<String> = pages
                .iter()
                .filter(|p| p.ends_with("/meetings") && p.contains("/pairs/"))
                .cloned()
                .collect();
            let forms: Vec<String> = pages
                .iter()
                .filter(|p| p.contains("/my/forms/"))
                .cloned()
                .collect();
            let people = pages.iter().find(|p| p.ends_with("/people")).cloned();
            // Users do not all click in the same millisecond: each starts within one pause.
            tokio::time::sleep(Duration::from_millis(next(think_max + 1) as u64)).await;
            while Instant::now() < until {
                // One curator matches all the time; the others think between requests.
                if let Some(m) = &matching {
                    timed(&stats, start, ("matching", m), &ok, u.get(m)).await;
                    continue;
                }
                let dice = next(100);
                match role {
                    "curator" if dice < 25 && people.is_some() => {
                        let q = ["Ив", "Пет", "Сми", "Ан", "Ко", "Мар"][next(6)];
                        let p = format!("{}?q={}", people.as_deref().unwrap_or(""), q);
                        timed(&stats, start, ("search", &p), &ok, u.get(&p)).await;
                    }
                    "mentor" if dice < 15 && !meetings.is_empty() => {
                        let m = meetings[next(meetings.len())].clone();
                        if timed(&stats, start, ("page", &m), &ok, u.get(&m))
                            .await
                            .is_some()
                        {
                            let day = chrono::Utc::now().date_naive().format("%Y-%m-%d");
                            let fields: Vec<(String, String)> = [
                                ("held_on", day.to_string()),
                                ("kind", "regular".into()),
                                ("topic", "Нагрузочная встреча".into()),
                                ("result", "Разобрали задачу".into()),
                                ("format", "offline".into()),
                                ("starts_at", "15:00".into()),
                                ("ends_at", "15:45".into()),
                            ]
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), v))
                            .collect();
                            timed(&stats, start, ("form", &m), &saved, u.post(&m, &fields)).await;
                        }
                    }
                    "mentee" if dice < 15 && !forms.is_empty() => {
                        let f = forms[next(forms.len())].clone();
                        if let Some(a) = timed(&stats, start, ("page", &f), &ok, u.get(&f)).await {
                            let fields = draft_answers(&a.body);
                            let draft = format!("{f}/draft");
                            timed(
                                &stats,
                                start,
                                ("form", &draft),
                                &saved,
                                u.post(&draft, &fields),
                            )
                            .await;
                        }
                    }
                    _ if !pages.is_empty() => {
                        let p = pages[next(pages.len())].clone();
                        timed(&stats, start, ("page", &p), &ok, u.get(&p)).await;
                    }
                    _ => {}
                }
                let wait = think_min + next(think_max - think_min + 1);
                tokio::time::sleep(Duration::from_millis(wait as u64)).await;
            }
        });
    }
    while running.join_next().await.is_some() {}
    let elapsed = start.elapsed().as_secs_f64();

    let s = stats.lock().expect("stats");
    let total = s.samples.len();
    let failed = s.samples.iter().filter(|x| !x.2).count();
    println!(
        "\nЗа {elapsed:.0} с: запросов {total} ({:.0} в секунду), ошибок {failed}",
        total as f64 / elapsed
    );
    println!(
        "{:<10} {:>8} {:>7} {:>8} {:>8} {:>8} {:>8}",
        "вид", "запросов", "ошибок", "p50 мс", "p95 мс", "p99 мс", "max мс"
    );
    let mut kinds: Vec<&str> = s.samples.iter().map(|x| x.0).collect();
    kinds.sort();
    kinds.dedup();
    let mut all_pages = Vec::new();
    for k in kinds {
        let mut t: Vec<u32> = s
            .samples
            .iter()
            .filter(|x| x.0 == k && x.2)
            .map(|x| x.1)
            .collect();
        t.sort_unstable();
        if k != "matching" {
            all_pages.extend_from_slice(&t);
        }
        let errs = s.samples.iter().filter(|x| x.0 == k && !x.2).count();
        println!(
            "{k:<10} {:>8} {errs:>7} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
            t.len() + errs,
            pct(&t, 0.5),
            pct(&t, 0.95),
            pct(&t, 0.99),
            t.last().copied().unwrap_or(0) as f64 / 1000.0
        );
    }
    all_pages.sort_unstable();
    println!(
        "страницы и формы (без подбора): p50 {:.1} мс, p95 {:.1} мс, p99 {:.1} мс",
        pct(&all_pages, 0.5),
        pct(&all_pages, 0.95),
        pct(&all_pages, 0.99)
    );
    println!("\nпо 5 с: начало, запросов, ошибок, p99 мс");
    let windows = (elapsed / 5.0).ceil() as u32;
    for w in 0..windows {
        let in_w: Vec<&(&str, u32, bool, u32)> =
            s.samples.iter().filter(|x| x.3 / 5 == w).collect();
        let mut t: Vec<u32> = in_w
            .iter()
            .filter(|x| x.2 && x.0 != "matching")
            .map(|x| x.1)
            .collect();
        t.sort_unstable();
        let errs = in_w.iter().filter(|x| !x.2).count();
        println!(
            "  {:>3} с {:>6} {:>5} {:>8.1}",
            w * 5,
            in_w.len(),
            errs,
            pct(&t, 0.99)
        );
    }
    let mut slow: Vec<(f64, f64, usize, &String)> = s
        .by_path
        .iter()
        .map(|(p, t)| {
            let mut t = t.clone();
            t.sort_unstable();
            (pct(&t, 0.99), pct(&t, 0.5), t.len(), p)
        })
        .collect();
    slow.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("\nсамые медленные страницы (p99, p50 мс, запросов):");
    for (p99, p50, n, p) in slow.iter().take(12) {
        println!("  {p99:>7.1} {p50:>7.1} {n:>6}  {p}");
    }
    if let Some((a, b)) = s.failed_between {
        println!(
            "\nошибки — с {:.2} с по {:.2} с от начала (за {:.2} с)",
            a as f64 / 1000.0,
            b as f64 / 1000.0,
            (b - a) as f64 / 1000.0
        );
    }
    if !s.errors.is_empty() {
        println!("\nошибки:");
        for (e, n) in &s.errors {
            println!("  {n:>5}  {e}");
        }
    }
}
