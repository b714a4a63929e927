//! E-mail and jobs: the questionnaire reminder reaches mentees at a real SMTP server (aiosmtpd)
//! once, a server that is down delays mail without losing or doubling it, two workers run each
//! job once, and `nastavnik jobs run-due --now` drives the queue from the command line.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use nastavnik::config::Config;
use nastavnik::schedule::Runner;

use crate::smtp::Sink;
use crate::support::*;

/// A school with a program, `n` mentees with accounts (`kid{i}@test.ru`) given the mentee form,
/// the curator on the assignment's page; returns the assignment.
async fn reminder_scene(n: usize) -> (TestApp, Client, uuid::Uuid) {
    let (app, org, program, mut c) = school_with_program().await;
    let mut people = Vec::new();
    for i in 0..n {
        let email = format!("kid{i}@test.ru");
        let last = format!("Ученик{i}");
        people.push(participant(&app, org, program, &email, &last, "mentee", true).await);
    }
    let (aid, _) = give(&app.pool, org, program, "mentee_form", "mentees", &people).await;
    c.get(&format!("/o/school-a/assignments/{aid}")).await;
    (app, c, aid)
}

fn runner(app: &TestApp, sink: &Sink) -> Runner {
    let mut config = Config::for_tests("postgres://test".into());
    config.smtp_url = Some(sink.url());
    Runner::new(app.pool.clone(), &config).unwrap()
}

#[tokio::test]
async fn a_reminder_reaches_each_mentee_by_email_once() {
    let sink = Sink::new(true);
    let (app, mut c, aid) = reminder_scene(2).await;
    let r = c
        .post(&format!("/o/school-a/assignments/{aid}/remind"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&format!("/o/school-a/assignments/{aid}")).await;
    page.assert_contains("в системе 2");
    let queued: i64 = app
        .one("SELECT count(*) FROM outbox WHERE status = 'queued'")
        .await;
    assert_eq!(queued, 2, "written in the transaction of the press");
    let ran = runner(&app, &sink).run_due(Utc::now()).await;
    assert_eq!(ran.unwrap().done, 2);
    let got = sink.received();
    assert_eq!(got.len(), 2);
    let mut to: Vec<String> = got.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["kid0@test.ru", "kid1@test.ru"]);
    for m in &got {
        assert!(
            m.subject.starts_with("Напоминание: заполните анкету «"),
            "{}",
            m.subject
        );
        assert!(m.text.contains("просит заполнить анкету"), "{}", m.text);
        assert!(
            m.text
                .contains("Отписаться от таких писем: http://127.0.0.1:8080/unsubscribe/"),
            "{}",
            m.text
        );
        assert!(m.text.contains("Здравствуйте"), "{}", m.text);
        assert!(
            m.text
                .contains(&format!("http://127.0.0.1:8080/o/school-a/my/forms/{aid}")),
            "{}",
            m.text
        );
        assert!(m.html.contains("Открыть в «Наставнике»"));
        assert!(m.message_id.ends_with("@nastavnik>"));
    }
    // Nothing is sent twice: running again, later, sends nothing.
    let again = runner(&app, &sink)
        .run_due(Utc::now() + Duration::hours(2))
        .await
        .unwrap();
    assert_eq!(again.done, 0);
    assert_eq!(sink.received().len(), 2);
    let sent: i64 = app
        .one("SELECT count(*) FROM outbox WHERE status = 'sent'")
        .await;
    assert_eq!(sent, 2);
    // The platform admin sees them sent.
    let admin = member(
        &app.pool,
        uuid_of_org(&app).await,
        "root@test.ru",
        &[nastavnik::auth::model::Role::Director],
    )
    .await;
    sqlx::query("UPDATE users SET is_platform_admin = true WHERE id = $1")
        .bind(admin)
        .execute(&app.pool)
        .await
        .unwrap();
    let mut a = app.login("root@test.ru").await;
    let page = a.get("/admin/mail").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("отправлены: 2");
    page.assert_contains("kid0@test.ru");
    // Not for anyone else.
    assert_eq!(c.get("/admin/mail").await.status, StatusCode::FORBIDDEN);
}

async fn uuid_of_org(app: &TestApp) -> uuid::Uuid {
    app.one("SELECT id FROM organizations WHERE slug = 'school-a'")
        .await
}

#[tokio::test]
async fn a_mail_server_that_is_down_delays_mail_and_loses_or_doubles_nothing() {
    let mut sink = Sink::new(false);
    let (app, mut c, aid) = reminder_scene(3).await;
    c.post(&format!("/o/school-a/assignments/{aid}/remind"), &[])
        .await;
    let now = Utc::now();
    let ran = runner(&app, &sink).run_due(now).await.unwrap();
    assert_eq!((ran.done, ran.failed), (0, 3));
    let (queued, error): (i64, String) =
        sqlx::query_as("SELECT count(*), max(last_error) FROM outbox WHERE status = 'queued'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(queued, 3, "still waiting");
    assert!(error.contains("SMTP"), "{error}");
    // Not yet due again right away (the retry waits).
    let ran = runner(&app, &sink).run_due(now).await.unwrap();
    assert_eq!(ran.done + ran.failed, 0);
    sink.start();
    let ran = runner(&app, &sink)
        .run_due(now + Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(ran.done, 3);
    assert_eq!(sink.received().len(), 3);
    runner(&app, &sink)
        .run_due(now + Duration::hours(3))
        .await
        .unwrap();
    let got = sink.received();
    assert_eq!(got.len(), 3, "each message exactly once");
    let mut ids: Vec<&str> = got.iter().map(|m| m.message_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3);
}

#[tokio::test]
async fn two_workers_run_every_job_once() {
    let sink = Sink::new(true);
    let (app, mut c, aid) = reminder_scene(40).await;
    c.post(&format!("/o/school-a/assignments/{aid}/remind"), &[])
        .await;
    let one = runner(&app, &sink).named("one");
    let two = runner(&app, &sink).named("two");
    let now = Utc::now();
    let (a, b) = tokio::join!(one.run_due(now), two.run_due(now));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.done + b.done, 40, "{a:?} {b:?}");
    assert_eq!(a.failed + b.failed, 0);
    let got = sink.received();
    assert_eq!(got.len(), 40);
    let mut to: Vec<String> = got.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 40, "nobody got two");
    let done: i64 = app
        .one("SELECT count(*) FROM jobs WHERE status = 'done'")
        .await;
    assert_eq!(done, 40);
}

#[tokio::test]
async fn jobs_run_due_from_the_command_line() {
    let sink = Sink::new(true);
    let (app, mut c, aid) = reminder_scene(1).await;
    c.post(&format!("/o/school-a/assignments/{aid}/remind"), &[])
        .await;
    let bin = env!("CARGO_BIN_EXE_nastavnik");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(bin)
            .args(args)
            .env("DATABASE_URL", database_url(&app.db))
            .env("NASTAVNIK_SMTP_URL", sink.url())
            .env("NASTAVNIK_LOG", "warn")
            .env("NASTAVNIK_BACKUPS", "off")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let list = run(&["jobs", "list"]);
    assert!(list.contains("Ожидают: 1"), "{list}");
    assert!(list.contains("mail.send"), "{list}");
    // An instant before the job was queued: nothing is due yet.
    let early = run(&["jobs", "run-due", "--now", "2020-01-15T09:00"]);
    assert!(early.contains("выполнено заданий 0"), "{early}");
    assert!(sink.received().is_empty());
    // One clock for a whole run (issue 28): the run at 2020-01-15 09:00 scheduled the next
    // morning job and Monday plan from its own instant; the run now finds them due with the
    // reminder, and runs each once (a missed morning is caught up once, not once a missed day).
    let out = run(&["jobs", "run-due"]);
    assert!(
        out.contains("выполнено заданий 3, с ошибкой 0"),
        "{out}{}",
        run(&["jobs", "list"])
    );
    assert!(
        sink.received()
            .iter()
            .any(|m| m.subject.starts_with("Напоминание")),
        "{:?}",
        sink.received()
            .iter()
            .map(|m| m.subject.clone())
            .collect::<Vec<_>>()
    );
    // The organization's morning job waits for 07:00 on its clock — tomorrow's, today's was
    // caught up —, the weekly plan for Monday 09:00; --now drives them.
    let list = run(&["jobs", "list"]);
    assert!(list.contains("daily"), "{list}");
    assert!(list.contains("weekly_plan"), "{list}");
    let moscow = nastavnik::tenancy::model::zone_offset("Europe/Moscow");
    let morning: chrono::DateTime<Utc> = app
        .one("SELECT run_at FROM jobs WHERE kind = 'daily' AND status = 'queued'")
        .await;
    let local = morning.with_timezone(&moscow);
    assert_eq!(local.format("%H:%M").to_string(), "07:00");
    assert_eq!(
        local.date_naive(),
        Utc::now().with_timezone(&moscow).date_naive() + Duration::days(1)
    );
    let at = (morning + Duration::minutes(5))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let out = run(&["jobs", "run-due", "--now", &at]);
    // The morning job and the curator's digest it wrote (the template roadmap has overdue tasks).
    assert!(out.contains("с ошибкой 0"), "{out}");
    assert!(
        sink.received()
            .iter()
            .any(|m| m.subject.starts_with("Сводка на"))
    );
    let list = run(&["jobs", "list"]);
    assert!(list.contains("Отложены после ошибок: 0"), "{list}");
}

#[tokio::test]
async fn each_person_chooses_how_to_be_told_and_can_unsubscribe_in_one_click() {
    let sink = Sink::new(true);
    let (app, mut c, aid) = reminder_scene(2).await;
    // kid0 wants reminders in the app only.
    let mut kid = app.login("kid0@test.ru").await;
    let page = kid.get("/o/school-a/notifications/settings").await;
    page.assert_contains("Напоминания (анкеты, сроки задач)");
    assert!(!page.body.contains("Сводка куратора"), "curators only");
    let r = kid
        .post(
            "/o/school-a/notifications/settings",
            &[
                ("reminders", "app"),
                ("pairs", "digest"),
                ("surveys", "email"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    kid.get("/o/school-a/notifications/settings")
        .await
        .assert_contains("<option value=\"app\" selected>");
    c.post(&format!("/o/school-a/assignments/{aid}/remind"), &[])
        .await;
    runner(&app, &sink).run_due(Utc::now()).await.unwrap();
    let got = sink.received();
    assert_eq!(got.len(), 1, "only kid1 by e-mail");
    assert_eq!(got[0].to, ["kid1@test.ru"]);
    // kid1 unsubscribes from the link in the e-mail, without logging in.
    let link = got[0]
        .text
        .split("Отписаться от таких писем: http://127.0.0.1:8080")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let mut anon = app.client();
    let page = anon.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Больше не присылать письма «Напоминания (анкеты, сроки задач)»");
    let done = anon.post(&link, &[]).await;
    assert_eq!(done.status, StatusCode::OK);
    done.assert_contains("больше не придут");
    assert_eq!(
        anon.get("/unsubscribe/not-a-token").await.status,
        StatusCode::NOT_FOUND
    );
    // The next press reaches both in the app, nobody by e-mail.
    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    c.get(&format!("/o/school-a/assignments/{aid}")).await;
    c.post(&format!("/o/school-a/assignments/{aid}/remind"), &[])
        .await;
    runner(&app, &sink).run_due(Utc::now()).await.unwrap();
    assert_eq!(sink.received().len(), 1);
    let unread: i64 = app
        .one("SELECT count(*) FROM notifications WHERE read_at IS NULL")
        .await;
    assert_eq!(unread, 4);
}

#[tokio::test]
async fn the_morning_job_tells_about_overdue_tasks_and_sends_digests() {
    let sink = Sink::new(true);
    let (app, org, program, mut c) = school_with_program().await;
    let curator: uuid::Uuid = app
        .one("SELECT user_id FROM memberships WHERE 'curator' = ANY (roles)")
        .await;
    // One overdue task is the curator's; a kid chose surveys as a daily digest.
    let (task, _) = task(&app.pool, program, "1.1").await;
    sqlx::query("UPDATE roadmap_tasks SET responsible_user_id = $2, due_on = '2026-10-01', status = 'todo' WHERE id = $1")
        .bind(task)
        .bind(curator)
        .execute(&app.pool)
        .await
        .unwrap();
    let kid = participant(&app, org, program, "kid@test.ru", "Ученик", "mentee", true).await;
    let mut k = app.login("kid@test.ru").await;
    k.get("/o/school-a/notifications/settings").await;
    k.post(
        "/o/school-a/notifications/settings",
        &[
            ("reminders", "email"),
            ("pairs", "email"),
            ("surveys", "digest"),
        ],
    )
    .await;
    // A questionnaire given through the page (the kid is told, for the digest).
    let qid = c.first_questionnaire("school-a").await;
    c.get(&format!("/o/school-a/questionnaires/{qid}")).await;
    let r = c
        .post(
            &format!("/o/school-a/questionnaires/{qid}/assign"),
            &[
                ("program", &program.to_string()),
                ("audience", "mentees"),
                ("deadline", "01.11.2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let _ = kid;
    let r = runner(&app, &sink);
    // The morning job and the Monday plan.
    assert_eq!(r.ensure_daily(Utc::now()).await.unwrap(), 2);
    assert_eq!(r.ensure_daily(Utc::now()).await.unwrap(), 0, "once");
    let morning = nastavnik::schedule::next_morning(
        Utc::now(),
        nastavnik::tenancy::model::zone_offset("Europe/Moscow"),
    );
    let before = r.run_due(morning - Duration::minutes(1)).await.unwrap();
    assert!(sink.received().is_empty(), "{before:?}");
    r.run_due(morning + Duration::minutes(5)).await.unwrap();
    let got = sink.received();
    let to_curator: Vec<_> = got.iter().filter(|m| m.to == ["curator@test.ru"]).collect();
    assert!(
        to_curator
            .iter()
            .any(|m| m.subject.starts_with("Просрочена задача 1.1")),
        "{got:#?}"
    );
    let digest = to_curator
        .iter()
        .find(|m| m.subject.starts_with("Сводка на"))
        .expect("the curator's digest");
    assert!(
        digest.text.contains("Просроченных задач дорожных карт"),
        "{}",
        digest.text
    );
    assert!(
        digest.text.contains("срок прошёл, не заполнили — 1"),
        "{}",
        digest.text
    );
    let kid_mail: Vec<_> = got.iter().filter(|m| m.to == ["kid@test.ru"]).collect();
    assert_eq!(kid_mail.len(), 1, "{kid_mail:#?}");
    assert!(
        kid_mail[0].subject.starts_with("Сводка за"),
        "{}",
        kid_mail[0].subject
    );
    assert!(
        kid_mail[0].text.contains("Новая анкета"),
        "{}",
        kid_mail[0].text
    );
    // The next morning's job waits; running the same morning again sends nothing more.
    let waiting: i64 = app
        .one("SELECT count(*) FROM jobs WHERE kind = 'daily' AND status = 'queued'")
        .await;
    assert_eq!(waiting, 1);
    let n = got.len();
    r.run_due(morning + Duration::minutes(10)).await.unwrap();
    assert_eq!(sink.received().len(), n);
}

#[tokio::test]
async fn an_invitation_link_goes_by_email_and_the_inviter_reads_the_same_words_for_any_address() {
    let sink = Sink::new(true);
    let School { app, mut c, .. } = school().await;
    c.get("/o/school-a/members").await;
    let r = c
        .post(
            "/o/school-a/members",
            &[
                ("full_name", "Орлова Мария Петровна"),
                ("email", "orlova@school.ru"),
                ("roles", "mentor"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(r.location()).await;
    page.assert_contains("Приглашение отправлено на orlova@school.ru");
    // The page does not show the link: it would tell the inviter the address had no account.
    assert!(!page.body.contains("/invite/"));
    runner(&app, &sink).run_due(Utc::now()).await.unwrap();
    let got = sink.received();
    assert_eq!(got.len(), 1);
    let shown = got[0]
        .text
        .split("http://127.0.0.1:8080/invite/")
        .nth(1)
        .unwrap()
        .split(|ch: char| !ch.is_ascii_alphanumeric() && ch != '-' && ch != '_')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(got[0].to, ["orlova@school.ru"]);
    assert_eq!(got[0].subject, "Приглашение в «Наставник»: Орг school-a");
    assert!(
        got[0].text.contains("Здравствуйте, Орлова Мария Петровна!"),
        "{}",
        got[0].text
    );
    assert!(
        got[0].text.contains(&format!(
            "Задать пароль: http://127.0.0.1:8080/invite/{shown}"
        )),
        "{}",
        got[0].text
    );
    // Once sent, the one-time link is no longer in the database (only its digest, as before).
    let traces: i64 = app
        .one_for(
            "SELECT count(*) FROM outbox WHERE strpos(body_text || body_html || link, $1) > 0",
            shown.clone(),
        )
        .await;
    assert_eq!(traces, 0);
    // The link in the e-mail opens the page where the password is set.
    let mut new = app.client();
    new.get(&format!("/invite/{shown}"))
        .await
        .assert_contains("Добро пожаловать!");
}

#[tokio::test]
async fn people_without_an_account_are_reminded_at_the_address_in_their_card() {
    let sink = Sink::new(true);
    let (app, org, program, mut c) = school_with_program().await;
    let kid = person(
        &app.pool,
        org,
        nastavnik::people::repo::PersonInput {
            last_name: "Петров".into(),
            first_name: "Пётр".into(),
            kind: "pupil".into(),
            class_name: "6А".into(),
            email: "petrov@family.ru".into(),
            in_mentee_base: true,
            ..Default::default()
        },
    )
    .await;
    give_consent(&app.pool, org, kid, Some(("Петрова Анна", "мать"))).await;
    enrol(&app.pool, org, program, kid, "mentee").await;
    let (aid, _) = give(&app.pool, org, program, "mentee_form", "mentees", &[kid]).await;
    c.get(&format!("/o/school-a/assignments/{aid}")).await;
    c.post(&format!("/o/school-a/assignments/{aid}/remind"), &[])
        .await;
    let page = c.get(&format!("/o/school-a/assignments/{aid}")).await;
    page.assert_contains("у кого нет учётной записи, — 1");
    runner(&app, &sink).run_due(Utc::now()).await.unwrap();
    let got = sink.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, ["petrov@family.ru"]);
    assert!(
        got[0].text.contains("Здравствуйте, Пётр!"),
        "{}",
        got[0].text
    );
    assert!(
        got[0].text.contains("попросите у куратора"),
        "{}",
        got[0].text
    );
    assert!(
        !got[0].text.contains("/my/forms/"),
        "no link to a page they cannot open"
    );
}

#[tokio::test]
async fn a_representative_the_curator_turned_on_gets_a_copy_of_what_concerns_the_child() {
    let sink = Sink::new(true);
    let (app, org, program, mut c) = school_with_program().await;
    let kid = participant(
        &app,
        org,
        program,
        "kid@test.ru",
        "Сидоров",
        "mentee",
        false,
    )
    .await;
    // The curator records the mother's consent with her e-mail and «сообщать представителю».
    c.get(&format!("/o/school-a/people/{kid}")).await;
    let consent = |email: &'static str| {
        vec![
            ("given_by", "representative"),
            ("representative_name", "Сидорова Ольга"),
            ("representative_relation", "мать"),
            ("representative_email", email),
            ("inform_representative", "1"),
            ("given_on", "2026-09-01"),
            ("scope", "участие"),
        ]
    };
    let r = c
        .post(
            &format!("/o/school-a/people/{kid}/consents"),
            &consent("не адрес"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Проверьте адрес электронной почты");
    r.assert_contains("value=\"Сидорова Ольга\"");
    let r = c
        .post(
            &format!("/o/school-a/people/{kid}/consents"),
            &consent("Olga@Family.ru"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (aid, _) = give(&app.pool, org, program, "mentee_form", "mentees", &[kid]).await;
    c.get(&format!("/o/school-a/assignments/{aid}")).await;
    c.post(&format!("/o/school-a/assignments/{aid}/remind"), &[])
        .await;
    runner(&app, &sink).run_due(Utc::now()).await.unwrap();
    let got = sink.received();
    let mut to: Vec<String> = got.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["kid@test.ru", "olga@family.ru"]);
    let copy = got.iter().find(|m| m.to == ["olga@family.ru"]).unwrap();
    assert!(
        copy.text.contains("Здравствуйте, Сидорова Ольга!"),
        "{}",
        copy.text
    );
    assert!(
        copy.text.contains("как законный представитель"),
        "{}",
        copy.text
    );
    assert!(
        copy.text.contains("Напоминание: заполните анкету"),
        "{}",
        copy.text
    );
    assert!(!copy.text.contains("/my/forms/"), "{}", copy.text);
}

#[tokio::test]
async fn a_login_code_goes_to_the_representative_by_email_and_leaves_no_trace_once_sent() {
    let sink = Sink::new(true);
    let School {
        app, org, mut c, ..
    } = school().await;
    let kid = pupil(&app.pool, org, "Кузнецов", "5А", true).await;
    sqlx::query(
        "UPDATE consents SET representative_email = 'mama@family.ru', inform_representative = true WHERE person_id = $1",
    )
    .bind(kid)
    .execute(&app.pool)
    .await
    .unwrap();
    c.get(&format!("/o/school-a/people/{kid}")).await;
    let r = c
        .post(
            &format!("/o/school-a/people/{kid}/account"),
            &[("days", "14")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    runner(&app, &sink).run_due(Utc::now()).await.unwrap();
    let got = sink.received();
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].to, ["mama@family.ru"]);
    assert!(
        got[0].text.contains("Логин: kuznetsovi-"),
        "{}",
        got[0].text
    );
    let code = got[0]
        .text
        .split("Одноразовый код входа: ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 10, "{code}");
    let traces: i64 = app
        .one_for(
            "SELECT count(*) FROM outbox WHERE strpos(body_text || body_html, $1) > 0",
            code,
        )
        .await;
    assert_eq!(traces, 0, "the code is not kept once sent");
}
