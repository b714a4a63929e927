//! The journey login → create program → roadmap in real headless Chromium (Debian's `chromium`
//! and `chromium-driver`, driven through WebDriver by fantoccini) against the running binary,
//! once at a desktop size and once at a 360 × 740 phone viewport; then the pairs journey
//! (proposal → pair by hand → both sides agree on a phone). Screenshots go to
//! `target/screenshots/`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::support::*;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn find_program(names: &[&str], dirs: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for d in std::env::split_paths(&path).chain(dirs.iter().map(PathBuf::from)) {
        for n in names {
            let p = d.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 256];
    while !buf.windows(2).any(|w| w == b"\r\n") {
        let n = s.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    String::from_utf8_lossy(&buf)
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn wait_until(what: &str, limit: Duration, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

async fn wait_url(c: &Client, part: &str) -> String {
    let start = Instant::now();
    loop {
        let url = c.current_url().await.unwrap().to_string();
        if url.contains(part) {
            return url;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {part}; at {url}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// axe-core (MPL-2.0, from the npm registry, vendored in tests/vendor): every page the journeys
/// visit is checked, and a serious or critical violation fails the test.
const AXE: &str = include_str!("../vendor/axe-4.14.1.min.js");

async fn assert_accessible(c: &Client, name: &str) {
    c.execute(AXE, vec![]).await.unwrap();
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(
               r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' +
                      v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))));",
            vec![],
        )
        .await
        .unwrap();
    let problems: Vec<String> = serde_json::from_value(found).unwrap_or_default();
    assert!(
        problems.is_empty(),
        "accessibility of «{name}» ({}):\n{}",
        c.current_url().await.unwrap(),
        problems.join("\n")
    );
}

async fn screenshot(c: &Client, dir: &Path, name: &str) {
    let png = c.screenshot().await.unwrap();
    assert!(png.len() > 1000, "a real screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    assert_accessible(c, name).await;
}

async fn open_browser(driver_port: u16, label: &str, phone: bool) -> (Client, PathBuf) {
    let mut args = vec![
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=ru",
    ];
    if !phone {
        args.push("--window-size=1280,900");
    }
    let profile =
        std::env::temp_dir().join(format!("nastavnik-chrome-{label}-{}", std::process::id()));
    let profile_arg = format!("--user-data-dir={}", profile.display());
    args.push(&profile_arg);
    let mut opts = json!({ "args": args });
    if let Some(bin) = find_program(
        &["chromium", "chromium-browser", "google-chrome"],
        &["/usr/bin"],
    ) {
        opts["binary"] = json!(bin.to_string_lossy());
    }
    if phone {
        opts["mobileEmulation"] = json!({
            "deviceMetrics": { "width": 360, "height": 740, "pixelRatio": 2.0, "touch": true },
            "userAgent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome Mobile Safari/537.36"
        });
    }
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert("goog:chromeOptions".into(), opts);
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("chromedriver session");
    (c, profile)
}

/// The text of `<main>` once the page has loaded (retried while a navigation replaces it).
async fn main_text(c: &Client) -> String {
    let start = Instant::now();
    loop {
        let ready = c
            .execute("return document.readyState", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(|s| s == "complete"))
            .unwrap_or(false);
        if ready
            && let Ok(main) = c.find(Locator::Css("main")).await
            && let Ok(text) = main.text().await
        {
            return text;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the page did not load"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn click(c: &Client, what: Locator<'_>) {
    c.find(what).await.unwrap().click().await.unwrap();
}

async fn type_into(c: &Client, what: Locator<'_>, text: &str) {
    c.find(what).await.unwrap().send_keys(text).await.unwrap();
}

async fn fits_viewport(c: &Client) -> bool {
    c.execute(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1",
        vec![],
    )
    .await
    .unwrap()
    .as_bool()
    .unwrap()
}

async fn sign_in(c: &Client, base: &str, email: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    type_into(c, Locator::Id("email"), email).await;
    type_into(c, Locator::Id("password"), "demo12345").await;
    click(c, Locator::Css("form button[type=submit]")).await;
    wait_url(c, "/o/sosh-1").await;
}

/// The matching journey: the curator proposes pairs in the club (one mentee held back), pairs the
/// demo mentor and mentee by hand; both confirm on a phone and the pair becomes «согласована».
async fn pairs_journey(driver_port: u16, base: &str, shots: &Path) {
    let (c, profile) = open_browser(driver_port, "pairs-desktop", false).await;
    sign_in(&c, base, "curator@demo.local").await;
    click(
        &c,
        Locator::LinkText("Клуб наставничества «Точка развития»"),
    )
    .await;
    click(&c, Locator::LinkText("Подобрать пары")).await;
    wait_url(&c, "/matching").await;
    let text = main_text(&c).await;
    assert!(text.contains("Предложенные пары"), "{text}");
    assert!(text.contains("совпадение запросов"), "{text}");
    assert!(text.contains("Без пары"), "{text}");
    screenshot(&c, shots, "pairs-1-proposal").await;
    // Hold back the proposals of the demo mentor and mentee («не принимать»), accept the rest.
    c.execute(
        "for (const s of document.querySelectorAll('.proposal')) {
           if (/Петров Никита|Иванов Андрей/.test(s.querySelector('strong').parentElement.textContent)) { s.querySelector('select').value = ''; }
         }",
        vec![],
    )
    .await
    .unwrap();
    click(
        &c,
        Locator::Css("#accept .sticky-actions button[type=submit]"),
    )
    .await;
    wait_url(&c, "/pairs").await;
    let text = main_text(&c).await;
    assert!(text.contains("Предложено пар и групп"), "{text}");
    // «Предложение куратора»: the demo mentor with the demo mentee.
    c.execute(
        "const pick = (id, name) => { const s = document.getElementById(id);
           for (const o of s.options) { if (o.text.startsWith(name)) { s.value = o.value; } } };
         pick('hand-mentor', 'Иванов Андрей'); pick('hand-mentee', 'Петров Никита');",
        vec![],
    )
    .await
    .unwrap();
    click(&c, Locator::Css("#hand button[type=submit]")).await;
    wait_url(&c, "/pairs").await;
    let text = main_text(&c).await;
    assert!(text.contains("Пара предложена"), "{text}");
    assert!(text.contains("Иванов Андрей"), "{text}");
    screenshot(&c, shots, "pairs-2-pairs").await;
    c.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);

    for (k, email) in ["mentee@demo.local", "mentor@demo.local"]
        .iter()
        .enumerate()
    {
        let (c, profile) = open_browser(driver_port, &format!("pairs-phone-{k}"), true).await;
        sign_in(&c, base, email).await;
        let text = main_text(&c).await;
        assert!(text.contains("Мои пары"), "{text}");
        assert!(text.contains("ждёт вашего ответа"), "{text}");
        click(&c, Locator::Css("a[href*=\"/my/pairs/\"]")).await;
        wait_url(&c, "/my/pairs/").await;
        assert!(fits_viewport(&c).await, "the pair page fits a phone");
        screenshot(&c, shots, &format!("pairs-3-phone-{k}")).await;
        type_into(
            &c,
            Locator::Id("comment"),
            "Договоримся о первой встрече в среду",
        )
        .await;
        click(&c, Locator::Css("button[value=yes]")).await;
        let start = Instant::now();
        while c
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("/my/pairs/")
        {
            assert!(start.elapsed() < Duration::from_secs(20), "no answer page");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let text = main_text(&c).await;
        if k == 0 {
            assert!(text.contains("ждём ответа второй стороны"), "{text}");
        } else {
            assert!(text.contains("пара согласована"), "{text}");
            assert!(text.contains("согласована"), "{text}");
            screenshot(&c, shots, "pairs-4-agreed").await;
            // The mentor logs the first meeting from the phone: the short form only.
            click(&c, Locator::Css("a[href*=\"/my/pairs/\"]")).await;
            wait_url(&c, "/my/pairs/").await;
            click(&c, Locator::LinkText("Встречи пары")).await;
            wait_url(&c, "/meetings").await;
            let text = main_text(&c).await;
            assert!(text.contains("Записать встречу"), "{text}");
            type_into(&c, Locator::Id("topic"), "Знакомство: интересы и цели").await;
            type_into(
                &c,
                Locator::Id("result"),
                "Договорились встречаться по средам",
            )
            .await;
            click(&c, Locator::Css("form.card button[type=submit]")).await;
            let start = Instant::now();
            loop {
                let text = main_text(&c).await;
                if text.contains("Встреча записана") {
                    assert!(text.contains("встреча-знакомство"), "{text}");
                    break;
                }
                assert!(
                    start.elapsed() < Duration::from_secs(20),
                    "no meeting: {text}"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            assert!(fits_viewport(&c).await, "the meetings page fits a phone");
            screenshot(&c, shots, "pairs-5-meeting").await;
            // The trial meeting: the next kind is suggested; the short form, timed.
            let started = Instant::now();
            let kind = c
                .find(Locator::Id("kind"))
                .await
                .unwrap()
                .prop("value")
                .await
                .unwrap();
            assert_eq!(kind.as_deref(), Some("trial"), "the next kind is suggested");
            type_into(&c, Locator::Id("topic"), "Пробная встреча: дроби").await;
            type_into(&c, Locator::Id("result"), "Решили шесть задач").await;
            click(&c, Locator::Css("form.card button[type=submit]")).await;
            wait_text(&c, "пробная рабочая встреча").await;
            println!(
                "browser: the mentor logged a meeting on a 360 px phone in {:.1} s (form to saved page)",
                started.elapsed().as_secs_f64()
            );
            assert!(started.elapsed() < Duration::from_secs(30));
            // «Подходим» and a rating on the trial meeting (the newest, first in the list).
            click(
                &c,
                Locator::Css("ul.notes li:first-child input[name=fit][value=yes]"),
            )
            .await;
            click(
                &c,
                Locator::Css("ul.notes li:first-child button[name=rating][value=\"5\"]"),
            )
            .await;
            wait_text(&c, "Оценка 5 — наставник, подходим").await;
            screenshot(&c, shots, "pairs-6-trial-fit").await;
        }
        c.close().await.unwrap();
        let _ = std::fs::remove_dir_all(profile);
    }
    // The mentee sees both meetings and rates the first in one tap from the home page.
    let (c, profile) = open_browser(driver_port, "pairs-phone-rate", true).await;
    sign_in(&c, base, "mentee@demo.local").await;
    let text = main_text(&c).await;
    assert!(text.contains("Оцените встречу"), "{text}");
    click(
        &c,
        Locator::Css("form[action*=\"/feedback\"] button[value=\"4\"]"),
    )
    .await;
    wait_text(&c, "Спасибо, оценка сохранена").await;
    assert!(fits_viewport(&c).await, "the home page fits a phone");
    click(&c, Locator::Css("a[href*=\"/my/pairs/\"]")).await;
    wait_url(&c, "/my/pairs/").await;
    click(&c, Locator::LinkText("Встречи пары")).await;
    wait_url(&c, "/meetings").await;
    let text = main_text(&c).await;
    assert!(
        text.contains("встреча-знакомство") && text.contains("пробная рабочая встреча"),
        "{text}"
    );
    assert!(text.contains("Оценка 4 — наставляемый"), "{text}");
    assert!(!text.contains("Записать встречу"), "the mentee reads");
    screenshot(&c, shots, "pairs-7-mentee-rated").await;
    c.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);
    // The curator: the pair health page and the mentor's journal (print table, XLSX).
    let (c, profile) = open_browser(driver_port, "pairs-health", false).await;
    sign_in(&c, base, "curator@demo.local").await;
    click(
        &c,
        Locator::LinkText("Клуб наставничества «Точка развития»"),
    )
    .await;
    click(&c, Locator::LinkText("Здоровье пар")).await;
    wait_url(&c, "/health").await;
    let text = main_text(&c).await;
    assert!(text.contains("Иванов Андрей"), "{text}");
    assert!(text.contains("наставник: подходим"), "{text}");
    assert!(
        text.contains("«не подходим»"),
        "the demo's misfit pair: {text}"
    );
    assert!(
        text.contains("нет встреч"),
        "the demo's pair at risk: {text}"
    );
    assert!(
        text.find("«не подходим»").unwrap() < text.find("Иванов Андрей").unwrap(),
        "worst first"
    );
    screenshot(&c, shots, "pairs-8-health").await;
    c.execute(
        "for (const a of document.querySelectorAll('a')) { if (a.textContent === 'журнал наставника' && a.closest('tr').textContent.includes('Иванов Андрей')) { a.click(); } }",
        vec![],
    )
    .await
    .unwrap();
    wait_url(&c, "/journal/").await;
    let text = main_text(&c).await;
    assert!(text.contains("Журнал наставника: Иванов Андрей"), "{text}");
    assert!(
        text.contains("Пробная встреча: дроби") && text.contains("Подпись"),
        "{text}"
    );
    let xlsx = c
        .execute_async(
            "const done = arguments[0]; const a = [...document.querySelectorAll('a')].find(x => x.textContent === 'XLSX');
             fetch(a.href).then(r => r.arrayBuffer().then(b => done([r.status, r.headers.get('content-type'), b.byteLength])));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(xlsx[0], 200, "{xlsx:?}");
    assert!(
        xlsx[1].as_str().unwrap().contains("spreadsheetml"),
        "{xlsx:?}"
    );
    screenshot(&c, shots, "pairs-9-journal").await;
    c.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);
}

/// The college student on a phone: the week's schedule on the home page, an activity opened and
/// signed up for, then a past one they attended rated — each page checked with axe.
async fn activities_journey(driver_port: u16, base: &str, shots: &Path) {
    let (c, profile) = open_browser(driver_port, "activities-phone", true).await;
    c.goto(&format!("{base}/login")).await.unwrap();
    type_into(&c, Locator::Id("email"), "college-student@demo.local").await;
    type_into(&c, Locator::Id("password"), "demo12345").await;
    click(&c, Locator::Css("form button[type=submit]")).await;
    wait_url(&c, "/o/stroy-college").await;
    let text = main_text(&c).await;
    assert!(text.contains("Занятия на неделю"), "{text}");
    assert!(text.contains("Оцените занятие"), "{text}");
    assert!(fits_viewport(&c).await, "the home page fits a phone");
    assert_accessible(&c, "college student home").await;
    screenshot(&c, shots, "activities-1-home").await;
    c.execute(
        "const a = [...document.querySelectorAll('.slots a')].find(a => a.textContent.includes('Q&A'));
         a.click();",
        vec![],
    )
    .await
    .unwrap();
    wait_url(&c, "/activities/").await;
    let text = main_text(&c).await;
    assert!(text.contains("Q&A: вопросы по практике"), "{text}");
    assert!(text.contains("Записаться"), "{text}");
    click(&c, Locator::Css("button[value=join]")).await;
    wait_text(&c, "Вы записаны").await;
    assert!(fits_viewport(&c).await, "the activity page fits a phone");
    assert_accessible(&c, "an activity, signed up").await;
    screenshot(&c, shots, "activities-2-signed-up").await;
    // A webinar they attended last week waits for their rating on the home page.
    c.goto(&format!("{base}/o/stroy-college")).await.unwrap();
    main_text(&c).await;
    c.execute(
        "const h = [...document.querySelectorAll('h2')].find(h => h.textContent === 'Оцените занятие');
         h.parentElement.querySelector('a').click();",
        vec![],
    )
    .await
    .unwrap();
    wait_text(&c, "Как прошло занятие?").await;
    type_into(&c, Locator::Id("comment"), "Разобрали мою ошибку в смете").await;
    click(&c, Locator::Css("button[name=rating][value=\"5\"]")).await;
    wait_text(&c, "Спасибо за отзыв").await;
    assert_accessible(&c, "an activity, rated").await;
    screenshot(&c, shots, "activities-3-rated").await;
    c.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);
}

/// The curator on a phone completes the demo mentor's pair and opens the influence report.
async fn completion_journey(driver_port: u16, base: &str, shots: &Path) {
    let (c, profile) = open_browser(driver_port, "completion-phone", true).await;
    sign_in(&c, base, "curator@demo.local").await;
    click(
        &c,
        Locator::LinkText("Клуб наставничества «Точка развития»"),
    )
    .await;
    wait_url(&c, "/programs/").await;
    let club = c.current_url().await.unwrap().path().to_string();
    c.goto(&format!("{base}{club}/health")).await.unwrap();
    main_text(&c).await;
    c.execute(
        "const a = [...document.querySelectorAll('td a')].find(a => a.textContent.startsWith('Иванов Андрей'));
         a.click();",
        vec![],
    )
    .await
    .unwrap();
    wait_url(&c, "/meetings").await;
    click(&c, Locator::LinkText("Завершение пары")).await;
    wait_url(&c, "/complete").await;
    let text = main_text(&c).await;
    assert!(text.contains("Встреч проведено: 2"), "{text}");
    type_into(
        &c,
        Locator::Id("results"),
        "Подтянули дроби, «4» за четверть",
    )
    .await;
    click(&c, Locator::Css("form.card button[type=submit]")).await;
    wait_text(&c, "Пара завершена").await;
    wait_text(&c, "Итоги пары").await;
    assert!(fits_viewport(&c).await, "the completion page fits a phone");
    assert_accessible(&c, "a completed pair").await;
    screenshot(&c, shots, "completion-1-pair").await;
    c.goto(&format!("{base}{club}/monitoring/report"))
        .await
        .unwrap();
    let text = main_text(&c).await;
    assert!(
        text.contains("Влияние программы") && text.contains("Мотивация к учёбе"),
        "{text}"
    );
    assert!(text.contains("Не хватает замеров"), "{text}");
    assert!(fits_viewport(&c).await, "the report fits a phone");
    screenshot(&c, shots, "completion-2-report").await;
    c.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);
}

/// The director opens the dashboard on a phone and on a desktop: the indicators against their
/// targets, the list behind one of them.
async fn dashboard_journey(driver_port: u16, base: &str, shots: &Path) {
    for (label, phone) in [("dashboard-phone", true), ("dashboard-desktop", false)] {
        let (c, profile) = open_browser(driver_port, label, phone).await;
        sign_in(&c, base, "director@demo.local").await;
        c.goto(&format!("{base}/o/sosh-1/dashboard")).await.unwrap();
        let text = main_text(&c).await;
        assert!(
            text.contains("Показатели целевой модели")
                && text.contains("цель — не менее 70 %")
                && text.contains("Обучающиеся 10–18 лет — наставляемые"),
            "{text}"
        );
        assert!(text.contains("Встречи пар по месяцам"), "{text}");
        if phone {
            assert!(fits_viewport(&c).await, "the dashboard fits a phone");
        }
        assert_accessible(&c, "the director's dashboard").await;
        screenshot(&c, shots, &format!("{label}-1")).await;
        click(
            &c,
            Locator::LinkText("Обучающиеся 10–18 лет — наставляемые"),
        )
        .await;
        wait_url(&c, "/reports/indicators/mentees_10_18").await;
        wait_text(&c, "Входят в показатель").await;
        let text = main_text(&c).await;
        assert!(text.contains("Нет данных"), "{text}");
        screenshot(&c, shots, &format!("{label}-2-list")).await;
        c.close().await.unwrap();
        let _ = std::fs::remove_dir_all(profile);
    }
}

/// Waits until `<main>` shows `what`.
async fn wait_text(c: &Client, what: &str) {
    let start = Instant::now();
    loop {
        let text = main_text(c).await;
        if text.contains(what) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "«{what}» never appeared: {text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The pages the journeys do not pass through, each checked with axe as the curator sees them
/// (on a phone as well as on a desktop for the pages mentors and children use).
async fn accessibility_tour(driver_port: u16, base: &str) {
    for phone in [false, true] {
        let (c, profile) = open_browser(
            driver_port,
            if phone { "a11y-phone" } else { "a11y-desktop" },
            phone,
        )
        .await;
        sign_in(&c, base, "curator@demo.local").await;
        let mut pages: Vec<String> = [
            "/o/sosh-1",
            "/o/sosh-1/programs",
            "/o/sosh-1/programs/new",
            "/o/sosh-1/people?base=mentor",
            "/o/sosh-1/people?base=mentee",
            "/o/sosh-1/people/new",
            "/o/sosh-1/people/import",
            "/o/sosh-1/people/slips",
            "/o/sosh-1/questionnaires",
            "/o/sosh-1/members",
            "/o/sosh-1/audit",
            "/o/sosh-1/settings",
            "/o/sosh-1/notifications",
            "/o/sosh-1/notifications/settings",
        ]
        .iter()
        .map(|p| p.to_string())
        .collect();
        // Pages reached through links: a person's card, a questionnaire, a program's pages.
        for (from, pattern) in [
            ("/o/sosh-1/people?base=mentee", "/people/"),
            ("/o/sosh-1/questionnaires", "/questionnaires/"),
            ("/o/sosh-1/programs", "/programs/"),
        ] {
            c.goto(&format!("{base}{from}")).await.unwrap();
            main_text(&c).await;
            let href: String = serde_json::from_value(
                c.execute(
                    "const a = [...document.querySelectorAll('main a')].map(a => a.getAttribute('href'))
                       .find(h => h && h.includes(arguments[0]) && /[0-9a-f]{8}-/.test(h));
                     return a || '';",
                    vec![serde_json::json!(pattern)],
                )
                .await
                .unwrap(),
            )
            .unwrap();
            assert!(!href.is_empty(), "no {pattern} link on {from}");
            pages.push(href.clone());
            if pattern == "/programs/" {
                for rest in [
                    "/roadmap",
                    "/participants",
                    "/matching",
                    "/matching/settings",
                    "/pairs",
                    "/mentor-match",
                    "/edit",
                ] {
                    pages.push(format!("{href}{rest}"));
                }
            }
        }
        // The club's pairs at work: health, orders and one order, a pair's meetings, plan, diary
        // and the mentor's journal.
        let find = |pattern: &'static str| {
            let c = c.clone();
            async move {
                let v = c
                    .execute(
                        "const a = [...document.querySelectorAll('main a')].map(a => a.getAttribute('href'))
                           .find(h => h && h.includes(arguments[0]));
                         return a || '';",
                        vec![serde_json::json!(pattern)],
                    )
                    .await
                    .unwrap();
                let href: String = serde_json::from_value(v).unwrap();
                assert!(!href.is_empty(), "no {pattern} link");
                href
            }
        };
        c.goto(&format!("{base}/o/sosh-1/programs")).await.unwrap();
        main_text(&c).await;
        click(
            &c,
            Locator::LinkText("Клуб наставничества «Точка развития»"),
        )
        .await;
        wait_url(&c, "/programs/").await;
        let club = c.current_url().await.unwrap().path().to_string();
        for rest in [
            "/health",
            "/orders",
            "/activities",
            "/activities/new",
            "/topics",
            "/rating",
        ] {
            pages.push(format!("{club}{rest}"));
        }
        pages.push("/o/sosh-1/calendar".to_string());
        c.goto(&format!("{base}{club}/orders")).await.unwrap();
        main_text(&c).await;
        pages.push(find("/orders/").await);
        c.goto(&format!("{base}{club}/health")).await.unwrap();
        main_text(&c).await;
        pages.push(find("/journal/").await);
        let pair = find("/meetings").await;
        let pair = pair.trim_end_matches("/meetings").to_string();
        for rest in ["/meetings", "/plan", "/diary"] {
            pages.push(format!("{pair}{rest}"));
        }
        for p in &pages {
            c.goto(&format!("{base}{p}")).await.unwrap();
            main_text(&c).await;
            assert_accessible(&c, p).await;
            if phone
                && (p.contains("/notifications")
                    || p.contains("/pairs/")
                    || p.ends_with("/monitoring/report"))
            {
                assert!(fits_viewport(&c).await, "{p} fits a phone");
            }
        }
        c.close().await.unwrap();
        let _ = std::fs::remove_dir_all(profile);
    }
}

/// A pupil's first login: the curator creates accounts for three mentees with consent and gets
/// printable slips (login + code, shown once); on a 360 px phone the pupil signs in with the login
/// and the code, sets a password and lands on the home page.
async fn pupil_code_journey(driver_port: u16, base: &str, shots: &Path) {
    let (c, profile) = open_browser(driver_port, "slips-desktop", false).await;
    sign_in(&c, base, "curator@demo.local").await;
    c.goto(&format!(
        "{base}/o/sosh-1/people?base=mentee&consent=yes&kind=pupil&class=10А"
    ))
    .await
    .unwrap();
    main_text(&c).await;
    c.execute(
        "const boxes = [...document.querySelectorAll('input[name=ids]')].slice(0, 3);
         boxes.forEach(b => b.checked = true);
         document.getElementById('bulk-action').value = 'accounts';",
        vec![],
    )
    .await
    .unwrap();
    click(&c, Locator::Css(".card.actions button[type=submit]")).await;
    let start = Instant::now();
    let (login, code) = loop {
        let slip: Vec<String> = c
            .execute(
                "const s = document.querySelector('.slip'); if (!s) return [];
                 const login = [...s.querySelectorAll('div')].find(d => d.textContent.startsWith('Логин'));
                 return [login.querySelector('strong').textContent, s.querySelector('.code').textContent];",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        if slip.len() == 2 {
            break (slip[0].clone(), slip[1].clone());
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no slips page");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(code.len(), 10, "{code}");
    screenshot(&c, shots, "pupil-1-slips").await;
    c.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);

    let (c, profile) = open_browser(driver_port, "pupil-phone", true).await;
    c.goto(&format!("{base}/login")).await.unwrap();
    type_into(&c, Locator::Id("email"), &login).await;
    type_into(&c, Locator::Id("password"), &code.to_lowercase()).await;
    screenshot(&c, shots, "pupil-2-phone-login").await;
    click(&c, Locator::Css("form button[type=submit]")).await;
    let setup = wait_url(&c, "/invite/").await;
    assert!(!setup.contains(&code), "the code is not in the address");
    let text = main_text(&c).await;
    assert!(text.contains("задайте пароль"), "{text}");
    assert!(fits_viewport(&c).await, "the password page fits a phone");
    screenshot(&c, shots, "pupil-3-phone-set-password").await;
    type_into(&c, Locator::Id("password"), "мой-пароль-2026").await;
    type_into(&c, Locator::Id("password2"), "мой-пароль-2026").await;
    click(&c, Locator::Css("form button[type=submit]")).await;
    wait_url(&c, "/o/sosh-1").await;
    let text = main_text(&c).await;
    assert!(text.contains("Пароль сохранён"), "{text}");
    assert!(fits_viewport(&c).await, "the home page fits a phone");
    screenshot(&c, shots, "pupil-4-phone-home").await;
    c.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);
}

async fn journey(driver_port: u16, base: &str, label: &str, phone: bool, shots: &Path) {
    let (c, profile) = open_browser(driver_port, label, phone).await;
    // Login.
    c.goto(&format!("{base}/")).await.unwrap();
    wait_url(&c, "/login").await;
    let width: i64 = c
        .execute("return window.innerWidth", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    if phone {
        assert_eq!(width, 360, "phone viewport");
    }
    screenshot(&c, shots, &format!("{label}-1-login")).await;
    sign_in(&c, base, "curator@demo.local").await;
    let body = main_text(&c).await;
    assert!(body.contains("Программы"), "{body}");
    screenshot(&c, shots, &format!("{label}-2-home")).await;

    // Create a program of form «ученик – ученик».
    if phone {
        click(&c, Locator::Id("nav-toggle")).await;
    }
    click(&c, Locator::LinkText("Программы")).await;
    wait_url(&c, "/programs").await;
    click(&c, Locator::Css("a[href$=\"/programs/new\"]")).await;
    wait_url(&c, "/programs/new").await;
    let name = format!("Взаимопомощь 7-х классов ({label})");
    type_into(&c, Locator::Id("name"), &name).await;
    c.find(Locator::Id("form_code"))
        .await
        .unwrap()
        .select_by_value("student_student")
        .await
        .unwrap();
    click(&c, Locator::Css("input[value=ss_peer]")).await;
    let fits = fits_viewport(&c).await;
    assert!(
        fits,
        "the program form fits the viewport without horizontal scrolling"
    );
    screenshot(&c, shots, &format!("{label}-3-program-form")).await;
    click(&c, Locator::Css("form.stack button[type=submit]")).await;
    wait_url(&c, "/roadmap").await;

    // The roadmap: seven stages, 35 tasks, the flash message.
    let stages = c.find_all(Locator::Css("section.stage")).await.unwrap();
    assert_eq!(stages.len(), 7);
    let tasks = c.find_all(Locator::Css(".task")).await.unwrap();
    assert_eq!(tasks.len(), 35);
    let text = main_text(&c).await;
    assert!(text.contains("Программа создана"), "{text}");
    assert!(text.contains("1. Подготовка условий"), "{text}");
    assert!(text.contains("7. Завершение наставничества"), "{text}");
    let fits = fits_viewport(&c).await;
    assert!(
        fits,
        "the roadmap fits the viewport without horizontal scrolling"
    );
    screenshot(&c, shots, &format!("{label}-4-roadmap")).await;

    // Mark task 1.1 done: the select submits through htmx and the row is swapped in place.
    let first = c
        .find(Locator::Css(".task select[name=status]"))
        .await
        .unwrap();
    first.select_by_value("done").await.unwrap();
    let start = Instant::now();
    loop {
        let done = c
            .find_all(Locator::Css(".task.is-done"))
            .await
            .unwrap()
            .len();
        if done == 1 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "task 1.1 not marked done"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    c.refresh().await.unwrap();
    let text = main_text(&c).await;
    assert!(text.contains("Выполнено 1 из 35 задач"), "{text}");
    screenshot(&c, shots, &format!("{label}-5-roadmap-after-status")).await;
    c.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);
}

#[tokio::test]
async fn journey_in_headless_chromium_desktop_and_phone() {
    if std::env::var("NASTAVNIK_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!(
            "!!! browser journey SKIPPED because NASTAVNIK_SKIP_BROWSER=1 was set explicitly"
        );
        return;
    }
    let driver = find_program(&["chromedriver"], &["/usr/bin", "/usr/lib/chromium"]).expect(
        "chromedriver not found: install Debian's chromium and chromium-driver \
         (`apt-get install chromium chromium-driver`), or set NASTAVNIK_SKIP_BROWSER=1 to skip \
         this test explicitly",
    );
    let (_pool, db) = fresh_db().await;
    let port = free_port();
    let data_dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("browser-{}", std::process::id()));
    let _server = Killed(
        Command::new(env!("CARGO_BIN_EXE_nastavnik"))
            .args(["serve", "--demo"])
            .env("DATABASE_URL", database_url(&db))
            .env("NASTAVNIK_BIND", format!("127.0.0.1:{port}"))
            .env("NASTAVNIK_DATA_DIR", &data_dir)
            .env("NASTAVNIK_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_until("the app", Duration::from_secs(60), || {
        http_status(port, "/healthz") == Some(200)
    });
    let driver_port = free_port();
    let _driver = Killed(
        Command::new(&driver)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_until("chromedriver", Duration::from_secs(30), || {
        http_status(driver_port, "/status") == Some(200)
    });
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let base = format!("http://127.0.0.1:{port}");
    journey(driver_port, &base, "desktop", false, &shots).await;
    journey(driver_port, &base, "phone-360", true, &shots).await;
    pairs_journey(driver_port, &base, &shots).await;
    activities_journey(driver_port, &base, &shots).await;
    completion_journey(driver_port, &base, &shots).await;
    dashboard_journey(driver_port, &base, &shots).await;
    pupil_code_journey(driver_port, &base, &shots).await;
    accessibility_tour(driver_port, &base).await;
    println!("screenshots saved in {}", shots.display());
}
