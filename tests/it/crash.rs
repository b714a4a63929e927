//! Crash safety: a real `nastavnik serve` is killed with SIGKILL in the middle of a large import,
//! of creating the proposed pairs, of approving the order and of sending e-mails (stopped there by
//! `NASTAVNIK_TEST_FAILPOINT`), then started again: nothing half-written, nothing acknowledged
//! lost, no e-mail sent twice, the user's session still valid.

use std::time::{Duration, Instant};

use axum::http::StatusCode;

use crate::builders::{
    Club, School, club, member, new_pair, participant, school, school_with_program,
};
use crate::nodes::{Node, serve, signal};
use crate::support::{Client, Resp, TestApp, database_url};

/// Waits until the node has stopped at its failpoint.
fn wait_for_point(log: &std::path::Path, point: &str) {
    let start = Instant::now();
    let marker = format!("failpoint {point} reached");
    loop {
        let log = std::fs::read_to_string(log).unwrap_or_default();
        if log.contains(&marker) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{point} not reached:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// SIGKILL, reaped.
fn kill9(mut node: Node) {
    signal("-KILL", node.child.id());
    let _ = node.child.wait();
}

/// A second client with the same session (the first one's request hangs at the failpoint).
fn same_session(app: &TestApp, c: &Client) -> Client {
    let mut d = app.client();
    d.cookies = c.cookies.clone();
    d.csrf = c.csrf.clone();
    d.port = c.port;
    d
}

/// Sends `path` + `fields` from a copy of `c` on a task that hangs at `point` on `node`; kills
/// the node there. The request gets no answer.
async fn killed_while_posting(
    app: &TestApp,
    c: &Client,
    node: Node,
    point: &str,
    path: String,
    fields: Vec<(String, String)>,
) {
    let mut d = same_session(app, c);
    let request = tokio::spawn(async move {
        let f: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        d.post(&path, &f).await
    });
    let (log, p) = (node.log.clone(), point.to_string());
    tokio::task::spawn_blocking(move || wait_for_point(&log, &p))
        .await
        .unwrap();
    kill9(node);
    let answered: Result<Resp, _> = request.await;
    assert!(answered.is_err(), "no answer from a killed process");
}

/// Nothing of the unfinished work: each count is zero.
async fn none_of(app: &TestApp, what: &[(&str, &str)]) {
    for (label, sql) in what {
        let n: i64 = app.one(sql).await;
        assert_eq!(n, 0, "{label}: nothing of the unfinished work");
    }
}

/// The app started again and the same client pointed at it: its session still opens `page`
/// (a logged-out user would be sent to /login), and the same form is sent again.
async fn again(
    c: &mut Client,
    (name, url): (&str, &str),
    (page, path): (&str, &str),
    fields: &[(String, String)],
) -> (Node, Resp) {
    let node = serve(name, url, &[]);
    c.port = Some(node.port);
    let p = c.get(page).await;
    assert_eq!(p.status, StatusCode::OK, "the session outlived the crash");
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = c.post(path, &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    (node, r)
}

fn owned(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Logged in on the node (the session lives in the database, so it outlasts the process).
async fn on_node(app: &TestApp, node: &Node, email: &str) -> Client {
    let mut c = app.client();
    c.port = Some(node.port);
    let r = c.login(email, crate::support::PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    c
}

#[tokio::test]
async fn killed_in_the_middle_of_a_large_import() {
    let (app, _org, _p, _) = school_with_program().await;
    let url = database_url(&app.db);
    let node = serve(
        "crash-import",
        &url,
        &[("NASTAVNIK_TEST_FAILPOINT", "import")],
    );
    let mut c = on_node(&app, &node, "curator@test.ru").await;
    let csv = crate::builders::class_list_csv(3000, &["7А"]);
    c.get("/o/school-a/people/import").await;
    let r = c
        .upload(
            "/o/school-a/people/import",
            &[("kind", "pupil")],
            "большой.csv",
            csv.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let preview = r.location().to_string();
    c.get(&preview).await;
    let confirm = preview.split('?').next().unwrap().to_string();
    let fields = owned(&[
        ("kind", "pupil"),
        ("map_0", "full_name"),
        ("map_1", "class"),
    ]);
    killed_while_posting(&app, &c, node, "import", confirm.clone(), fields.clone()).await;
    none_of(
        &app,
        &[
            ("people", "SELECT count(*) FROM people"),
            (
                "audit",
                "SELECT count(*) FROM audit_log WHERE action = 'import'",
            ),
        ],
    )
    .await;

    // Started again: the same session, the same upload imports whole.
    let (_node, r) = again(
        &mut c,
        ("crash-import-2", &url),
        (&preview, &confirm),
        &fields,
    )
    .await;
    c.get(r.location()).await.assert_contains("добавлено 3000");
    let rows: i64 = app.one("SELECT count(*) FROM people").await;
    assert_eq!(rows, 3000);
}

#[tokio::test]
async fn killed_in_the_middle_of_creating_the_proposed_pairs() {
    let Club { app, club, .. } = club().await;
    let url = database_url(&app.db);
    let node = serve(
        "crash-pairs",
        &url,
        &[("NASTAVNIK_TEST_FAILPOINT", "pairs")],
    );
    let mut c = on_node(&app, &node, "curator@test.ru").await;
    let base = format!("/o/school-a/programs/{club}");
    let page = c.get(&format!("{base}/matching")).await;
    let picks = crate::pairing::picks(&page.body);
    assert!(picks.len() >= 3);
    let fields: Vec<(String, String)> = picks[..3].to_vec();
    killed_while_posting(
        &app,
        &c,
        node,
        "pairs",
        format!("{base}/matching/accept"),
        fields.clone(),
    )
    .await;
    none_of(
        &app,
        &[
            ("pairs", "SELECT count(*) FROM pairs"),
            ("pair_members", "SELECT count(*) FROM pair_members"),
            (
                "notifications",
                "SELECT count(*) FROM notifications WHERE text LIKE 'Вам предложена пара%'",
            ),
            (
                "audit",
                "SELECT count(*) FROM audit_log WHERE action = 'pair.create'",
            ),
        ],
    )
    .await;
    let accept = format!("{base}/matching/accept");
    let matching = format!("{base}/matching");
    again(
        &mut c,
        ("crash-pairs-2", &url),
        (&matching, &accept),
        &fields,
    )
    .await;
    let pairs: i64 = app.one("SELECT count(*) FROM pairs").await;
    assert_eq!(pairs, 3);
}

#[tokio::test]
async fn killed_in_the_middle_of_approving_the_order() {
    let School {
        app, org, mut c, ..
    } = school().await;
    let program: uuid::Uuid = {
        let curator: uuid::Uuid = app
            .one("SELECT id FROM users WHERE email = 'curator@test.ru'")
            .await;
        crate::builders::program(&app.pool, org, curator, "Программа с приказом").await
    };
    member(
        &app.pool,
        org,
        "director@test.ru",
        &[nastavnik::auth::model::Role::Director],
    )
    .await;
    let at = (org, program);
    new_pair(
        &app,
        at,
        ("m1@test.ru", "Абрамова"),
        ("k1@test.ru", "Котов"),
        5,
    )
    .await;
    new_pair(
        &app,
        at,
        ("m2@test.ru", "Борисова"),
        ("k2@test.ru", "Лисин"),
        3,
    )
    .await;
    let _ = participant(&app, org, program, "m3@test.ru", "Веткина", "mentor", true).await;
    let base = format!("/o/school-a/programs/{program}/orders");
    c.get(&base).await;
    let r = c
        .post(
            &base,
            &[
                ("curator_name", "Смирнова Анна Андреевна"),
                ("plans_due", "2026-12-31"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let order_url = r.location().to_string();
    let url = database_url(&app.db);
    let node = serve(
        "crash-order",
        &url,
        &[("NASTAVNIK_TEST_FAILPOINT", "order.approve")],
    );
    let mut d = on_node(&app, &node, "director@test.ru").await;
    d.get(&order_url).await;
    let fields = owned(&[("number", "45-од"), ("signed_on", "2026-11-20")]);
    killed_while_posting(
        &app,
        &d,
        node,
        "order.approve",
        format!("{order_url}/approve"),
        fields.clone(),
    )
    .await;
    let status: String = app.one("SELECT status FROM pair_orders").await;
    assert_eq!(status, "draft", "the order is not half-approved");
    none_of(
        &app,
        &[
            (
                "notifications",
                "SELECT count(*) FROM notifications WHERE text LIKE 'Директор утвердил%'",
            ),
            (
                "audit",
                "SELECT count(*) FROM audit_log WHERE action = 'order.approve'",
            ),
        ],
    )
    .await;
    let approve = format!("{order_url}/approve");
    again(
        &mut d,
        ("crash-order-2", &url),
        (&order_url, &approve),
        &fields,
    )
    .await;
    let status: String = app.one("SELECT status FROM pair_orders").await;
    assert_eq!(status, "approved");
    let told: i64 = app
        .one("SELECT count(*) FROM notifications WHERE text LIKE 'Директор утвердил%'")
        .await;
    assert_eq!(told, 1);
}

#[tokio::test]
async fn killed_in_the_middle_of_sending_e_mails() {
    use nastavnik::notifications::{mail, outbox};
    let sink = crate::smtp::Sink::new(true);
    let app = crate::support::spawn().await;
    let org = crate::builders::org(&app.pool, "school-a").await;
    const N: usize = 40;
    let mut tx = app.pool.begin().await.unwrap();
    for i in 0..N {
        let key = format!("crash-{i}");
        let to = format!("parent{i}@test.ru");
        let id = outbox::insert(
            &mut tx,
            &outbox::NewMessage {
                org_id: Some(org),
                key: &key,
                kind: "reminders",
                to_address: &to,
                to_name: "",
                subject: "Напоминание",
                text: "Текст",
                html: "<p>Текст</p>",
                link: "",
                unsubscribe: "",
                secret: false,
            },
        )
        .await
        .unwrap()
        .unwrap();
        mail::delivery_job(&mut tx, id, Some(org)).await.unwrap();
    }
    tx.commit().await.unwrap();
    let url = database_url(&app.db);
    let smtp = sink.url();
    let node = serve(
        "crash-mail",
        &url,
        &[
            ("NASTAVNIK_SMTP_URL", smtp.as_str()),
            ("NASTAVNIK_TEST_FAILPOINT", "mail.send@10"),
        ],
    );
    let log = node.log.clone();
    tokio::task::spawn_blocking(move || wait_for_point(&log, "mail.send"))
        .await
        .unwrap();
    kill9(node);
    // Stopped before the tenth message's SMTP exchange: nine went, and were recorded as sent.
    assert_eq!(sink.received().len(), 9);
    let recorded: i64 = app
        .one("SELECT count(*) FROM outbox WHERE status = 'sent'")
        .await;
    assert_eq!(recorded, 9);

    // Started again: the rest go at once (the dead process's jobs are let go), none twice.
    let _node = serve(
        "crash-mail-2",
        &url,
        &[("NASTAVNIK_SMTP_URL", smtp.as_str())],
    );
    let start = Instant::now();
    loop {
        let sent: i64 = app
            .one("SELECT count(*) FROM outbox WHERE status = 'sent'")
            .await;
        if sent as usize == N {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "sent {sent} of {N}"
        );

        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let got = sink.received();
    let mut ids: Vec<&str> = got.iter().map(|m| m.message_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(got.len(), N, "every message arrived once");
    assert_eq!(ids.len(), N, "no Message-ID twice");
}
