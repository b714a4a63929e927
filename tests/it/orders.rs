//! The director's order: the curator prepares it from the agreed pairs, the director approves it
//! with a number and a date, the DOCX lists exactly those pairs, an approved order never changes,
//! an amending order cancels a pair; nobody outside the organization or the staff reaches it.

use axum::http::StatusCode;

use crate::support::*;
use nastavnik::auth::model::Role;

#[tokio::test]
async fn the_curator_prepares_the_director_approves_and_the_docx_lists_exactly_the_agreed_pairs() {
    let (app, org, program, mut curator) = school_with_program().await;
    member(&app.pool, org, "director@test.ru", &[Role::Director]).await;
    let at = (org, program);
    let p1 = new_pair(
        &app,
        at,
        ("m1@test.ru", "Абрамова"),
        ("k1@test.ru", "Котов"),
        5,
    )
    .await;
    let _p2 = new_pair(
        &app,
        at,
        ("m2@test.ru", "Борисова"),
        ("k2@test.ru", "Лисин"),
        3,
    )
    .await;
    // A proposed pair is not in the order.
    let m3 = participant(&app, org, program, "m3@test.ru", "Веткина", "mentor", true).await;
    let k3 = participant(&app, org, program, "k3@test.ru", "Нетов", "mentee", true).await;
    let p3 = agreed_pair(&app.pool, org, program, m3, &[k3], chrono::Utc::now()).await;
    sqlx::query("UPDATE pairs SET status = 'proposed' WHERE id = $1")
        .bind(p3)
        .execute(&app.pool)
        .await
        .unwrap();
    let base = format!("/o/school-a/programs/{program}/orders");
    let page = curator.get(&base).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains(
        "В приказ войдут согласованные пары, которых ещё нет ни в одном приказе (2)",
    );
    // Nothing typed is lost on an error.
    let r = curator
        .post(
            &base,
            &[
                ("curator_name", "Смирнова Анна Андреевна"),
                ("plans_due", "когда-нибудь"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Смирнова Анна Андреевна");
    let r = curator
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
    // The curator cannot approve; the director is told and can.
    let r = curator
        .post(
            &format!("{order_url}/approve"),
            &[("number", "1"), ("signed_on", "2026-11-20")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut director = app.login("director@test.ru").await;
    let bell = director.get("/o/school-a/notifications").await;
    bell.assert_contains("ждёт утверждения");
    director
        .get("/o/school-a")
        .await
        .assert_contains("Приказы на утверждение");
    let page = director.get(&order_url).await;
    page.assert_contains("Утвердить приказ");
    page.assert_contains("№ ______");
    let r = director
        .post(
            &format!("{order_url}/approve"),
            &[("number", ""), ("signed_on", "2026-11-20")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Укажите номер приказа");
    let r = director
        .post(
            &format!("{order_url}/approve"),
            &[("number", "45-од"), ("signed_on", "2026-11-20")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = director.get(&order_url).await;
    page.assert_contains("Приказ № 45-од от 20.11.2026");
    page.assert_contains("ПРИКАЗЫВАЮ:");
    page.assert_contains("С приказом ознакомлены:");
    page.assert_contains("Приложение № 1");
    assert!(!page.body.contains("Утвердить приказ"));
    // The pairs carry the order.
    let pairs = curator
        .get(&format!("/o/school-a/programs/{program}/pairs"))
        .await;
    pairs.assert_contains("закреплена: приказ № 45-од от 20.11.2026");
    // The DOCX: a Word package whose document.xml names exactly the two agreed pairs.
    let docx = curator.get(&format!("{order_url}/docx")).await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(
        docx.headers["content-type"]
            .to_str()
            .unwrap()
            .contains("wordprocessingml")
    );
    let paragraphs = nastavnik::orders::docx::paragraphs(&docx.bytes).expect("a DOCX");
    let text = paragraphs.join("\n");
    for needle in [
        "ПРИКАЗ",
        "№ 45-од",
        "20.11.2026",
        "ПРИКАЗЫВАЮ:",
        "Смирнова Анна Андреевна",
        "31.12.2026",
    ] {
        assert!(text.contains(needle), "{needle} not in the DOCX:\n{text}");
    }
    let mentors: Vec<&String> = paragraphs
        .iter()
        .filter(|p| {
            p.starts_with("Абрамова") || p.starts_with("Борисова") || p.starts_with("Веткина")
        })
        .collect();
    assert_eq!(
        mentors.len(),
        2,
        "exactly the agreed pairs' mentors in the table: {mentors:?}"
    );
    assert!(text.contains("Котов") && text.contains("Лисин"));
    assert!(!text.contains("Веткина") && !text.contains("Нетов"));
    // An approved order never changes — not through the app, not in the database.
    let r = curator.post(&format!("{order_url}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let left: i64 = app.one("SELECT count(*) FROM pair_orders").await;
    assert_eq!(left, 1);
    let tamper = sqlx::query("UPDATE pair_orders SET number = '46'")
        .execute(&app.pool)
        .await;
    assert!(
        tamper.is_err(),
        "the database refuses to change an approved order"
    );
    let tamper = sqlx::query("DELETE FROM pair_order_items")
        .execute(&app.pool)
        .await;
    assert!(tamper.is_err());
    // Nothing left to fix; an amending order cancels p1 once approved.
    curator
        .get(&base)
        .await
        .assert_contains("Все согласованные пары уже есть в приказах");
    let r = curator
        .post(
            &format!("{base}/amend"),
            &[("pair", p1.to_string().as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let amend_url = r.location().to_string();
    director
        .get(&amend_url)
        .await
        .assert_contains("О внесении изменений в состав наставнических пар");
    let r = director
        .post(
            &format!("{amend_url}/approve"),
            &[("number", "52-од"), ("signed_on", "2026-11-25")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let status: String = app
        .one(&format!("SELECT status FROM pairs WHERE id = '{p1}'"))
        .await;
    assert_eq!(status, "cancelled");
    let actions: i64 = app
        .one("SELECT count(*) FROM audit_log WHERE action IN ('order.prepare', 'order.approve')")
        .await;
    assert_eq!(actions, 4);
}

#[tokio::test]
async fn orders_are_the_staff_s_of_their_own_organization_only() {
    let (app, org, program, mut curator) = school_with_program().await;
    let pair = new_pair(
        &app,
        (org, program),
        ("m1@test.ru", "Абрамова"),
        ("k1@test.ru", "Котов"),
        5,
    )
    .await;
    let base = format!("/o/school-a/programs/{program}/orders");
    let r = curator
        .post(
            &base,
            &[("curator_name", "Смирнова"), ("plans_due", "2026-12-31")],
        )
        .await;
    let order_url = r.location().to_string();
    // The mentor and the mentee: 404 on every route.
    for who in ["m1@test.ru", "k1@test.ru"] {
        let mut c = app.login(who).await;
        for url in [base.clone(), order_url.clone(), format!("{order_url}/docx")] {
            assert_eq!(
                c.get(&url).await.status,
                StatusCode::NOT_FOUND,
                "{who} {url}"
            );
        }
        let r = c
            .post(
                &format!("{order_url}/approve"),
                &[("number", "1"), ("signed_on", "2026-11-20")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    // Another school's curator and director: 404 (the program is not theirs).
    let b = crate::builders::org(&app.pool, "school-b").await;
    let cb = member(
        &app.pool,
        b,
        "curator-b@test.ru",
        &[Role::Curator, Role::Director],
    )
    .await;
    let mut other = app.login("curator-b@test.ru").await;
    for url in [
        format!("/o/school-b/programs/{program}/orders"),
        order_url.replace("school-a", "school-b"),
        format!("{}/docx", order_url.replace("school-a", "school-b")),
    ] {
        assert_eq!(other.get(&url).await.status, StatusCode::NOT_FOUND, "{url}");
    }
    let r = other
        .post(
            &format!("{}/approve", order_url.replace("school-a", "school-b")),
            &[("number", "1"), ("signed_on", "2026-11-20")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = other
        .post(
            &format!("/o/school-b/programs/{program}/orders/amend"),
            &[("pair", pair.to_string().as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A program of school-b with school-a's order id: 404 too.
    let pb = crate::builders::program(&app.pool, b, cb, "Программа Б").await;
    let r = other
        .get(&format!(
            "/o/school-b/programs/{pb}/orders/{}",
            order_url.rsplit('/').next().unwrap()
        ))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// The order commands keep the orders' rules whoever calls them (no page, no HTTP): only a
/// curator prepares and deletes, only a director approves, a refused draft or approval writes
/// nothing and names its fields, an approved order is frozen — approving or deleting it again
/// changes nothing — and an approved amending order ends the pair it cancels.
#[tokio::test]
async fn the_order_commands_keep_their_rules_without_a_page() {
    use nastavnik::error::AppError;
    use nastavnik::orders::{ApprovalForm, DraftForm, Outcome};
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let director = member(&app.pool, org_id, "director@test.ru", &[Role::Director]).await;
    let pair = new_pair(
        &app,
        (org_id, program_id),
        ("m1@test.ru", "Абрамова"),
        ("k1@test.ru", "Котов"),
        5,
    )
    .await;
    let (curator, org, program) = command_scene(&app, org_id, program_id).await;
    let by_curator = Actor::new(&org, curator, "http://localhost");
    let by_director = Actor::new(&org, director, "http://localhost");
    let draft = DraftForm {
        plans_due: "2026-12-31".into(),
        curator_name: "Смирнова Анна Андреевна".into(),
    };
    let orders = || app.one::<i64>("SELECT count(*) FROM pair_orders");

    let mut tx = app.pool.begin().await.unwrap();
    let r = nastavnik::orders::prepare(&mut tx, &by_director, &program, &draft).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    match nastavnik::orders::prepare(&mut tx, &by_curator, &program, &DraftForm::default()).await {
        Err(Refused::Invalid(e)) => {
            assert!(e.has("plans_due"));
            assert_eq!(e.get("curator_name"), "Укажите ФИО куратора.");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    tx.commit().await.unwrap();
    assert_eq!(orders().await, 0, "a refused draft writes nothing");

    let mut tx = app.pool.begin().await.unwrap();
    let id = nastavnik::orders::prepare(&mut tx, &by_curator, &program, &draft)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let today = org.today();
    let good = ApprovalForm {
        number: "45-од".into(),
        signed_on: today.format("%Y-%m-%d").to_string(),
    };
    let far = ApprovalForm {
        number: String::new(),
        signed_on: (today + chrono::Duration::days(60))
            .format("%Y-%m-%d")
            .to_string(),
    };
    let mut tx = app.pool.begin().await.unwrap();
    let r = nastavnik::orders::approve(&mut tx, &by_curator, &program, id, &good).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    match nastavnik::orders::approve(&mut tx, &by_director, &program, id, &far).await {
        Err(Refused::Invalid(e)) => {
            assert_eq!(e.get("number"), "Укажите номер приказа.");
            assert_eq!(
                e.get("signed_on"),
                "Дата приказа — не позже чем через месяц."
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let other_program = uuid::Uuid::new_v4();
    let elsewhere = nastavnik::orders::approve(
        &mut tx,
        &by_director,
        &nastavnik::programs::ProgramRow {
            id: other_program,
            ..program.clone()
        },
        id,
        &good,
    )
    .await;
    assert!(
        matches!(elsewhere, Err(Refused::Failed(AppError::NotFound))),
        "another program's order is not found: {elsewhere:?}"
    );
    let done = nastavnik::orders::approve(&mut tx, &by_director, &program, id, &good)
        .await
        .unwrap();
    assert_eq!(done, Outcome::Done);
    tx.commit().await.unwrap();
    let status: String = app
        .one_for("SELECT status FROM pair_orders WHERE id = $1", id)
        .await;
    assert_eq!(status, "approved");
    let kept: i64 = app
        .one_for(
            "SELECT count(*) FROM pair_order_documents WHERE order_id = $1",
            id,
        )
        .await;
    assert_eq!(kept, 1, "the document as signed is kept");

    let mut tx = app.pool.begin().await.unwrap();
    let again = nastavnik::orders::approve(&mut tx, &by_director, &program, id, &good)
        .await
        .unwrap();
    assert_eq!(again, Outcome::Frozen);
    let gone = nastavnik::orders::delete_draft(&mut tx, &by_curator, &program, id)
        .await
        .unwrap();
    assert_eq!(gone, Outcome::Frozen);
    // Nothing cancellable chosen: no amending order.
    let none =
        nastavnik::orders::amend(&mut tx, &by_curator, &program, &[uuid::Uuid::new_v4()], "")
            .await
            .unwrap();
    assert_eq!(none, None);
    let amend = nastavnik::orders::amend(&mut tx, &by_curator, &program, &[pair], "")
        .await
        .unwrap()
        .expect("the fixed pair can be cancelled");
    let done = nastavnik::orders::approve(
        &mut tx,
        &by_director,
        &program,
        amend,
        &ApprovalForm {
            number: "52-од".into(),
            ..good.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(done, Outcome::Done);
    tx.commit().await.unwrap();
    assert_eq!(orders().await, 2);
    let status: String = app
        .one_for("SELECT status FROM pairs WHERE id = $1", pair)
        .await;
    assert_eq!(status, "cancelled");
    let audited: i64 = app
        .one("SELECT count(*) FROM audit_log WHERE action IN ('order.prepare', 'order.approve')")
        .await;
    assert_eq!(audited, 4);
}
