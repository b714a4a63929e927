//! The number of SQL statements a page runs does not grow with the length of its lists: each
//! busy page is counted on a small school and again after ten times the people, pairs and
//! meetings (the counter sees every statement sqlx runs for this test).

use axum::http::StatusCode;

use crate::builders::{agreed_pair, enrol, participant, pupil, school_with_program};
use crate::support::{Client, QueryCounter, TestApp};

/// `n` more mentees in the program, each paired with the mentor and met once.
async fn grow(
    app: &TestApp,
    (org, program): (uuid::Uuid, uuid::Uuid),
    mentor: uuid::Uuid,
    n: usize,
    from: usize,
) {
    for i in from..from + n {
        let letters = ["Аб", "Вг", "Де", "Жз", "Ик", "Лм", "Но", "Пр", "Ст", "Уф"];
        let last = format!("Ученик{}{}", letters[i % 10], letters[(i / 10) % 10]);
        let kid = pupil(&app.pool, org, &last, "7А", true).await;
        enrol(&app.pool, org, program, kid, "mentee").await;
        let pair = agreed_pair(
            &app.pool,
            org,
            program,
            mentor,
            &[kid],
            chrono::Utc::now() - chrono::Duration::days(20),
        )
        .await;
        sqlx::query(
            "INSERT INTO meetings (org_id, pair_id, kind, held_on, starts_at, ends_at, topic)
             VALUES ($1, $2, 'regular', current_date - 3, '15:00', '15:45', 'Встреча')",
        )
        .bind(org)
        .bind(pair)
        .execute(&app.pool)
        .await
        .unwrap();
    }
}

/// The statements of each page, in order (each page seen once before, so that a connection the
/// pool opens on the way — with its own set-up statements — is not counted). The organization's
/// data version is raised before the count, so what the pages keep in process
/// (`db::cache`) is read again: the count is of the statements that read the lists.
async fn counted(
    app: &TestApp,
    c: &mut Client,
    counter: &QueryCounter,
    pages: &[String],
) -> Vec<usize> {
    for p in pages {
        c.get(p).await;
    }
    sqlx::query("UPDATE programs SET name = name")
        .execute(&app.pool)
        .await
        .unwrap();
    let mut out = Vec::new();
    for p in pages {
        counter.take();
        let r = c.get(p).await;
        assert_eq!(r.status, StatusCode::OK, "{p}");
        out.push(counter.take());
    }
    out
}

#[tokio::test]
async fn a_page_runs_as_many_statements_for_a_long_list_as_for_a_short_one() {
    let (app, org, program, mut curator) = school_with_program().await;
    let mentor = participant(
        &app,
        org,
        program,
        "mentor@test.ru",
        "Наставникова",
        "mentor",
        true,
    )
    .await;
    let mut mentor_c = app.login("mentor@test.ru").await;
    let base = format!("/o/school-a/programs/{program}");
    let curator_pages: Vec<String> = [
        "/o/school-a".to_string(),
        "/o/school-a/people".into(),
        "/o/school-a/people?q=ученик".into(),
        "/o/school-a/people?base=mentor".into(),
        base.clone(),
        format!("{base}/roadmap"),
        format!("{base}/health"),
        format!("{base}/pairs"),
    ]
    .into();
    let mentor_pages = vec!["/o/school-a".to_string()];
    let counter = QueryCounter::start();

    grow(&app, (org, program), mentor, 3, 0).await;
    let small = counted(&app, &mut curator, &counter, &curator_pages).await;
    let small_mentor = counted(&app, &mut mentor_c, &counter, &mentor_pages).await;
    grow(&app, (org, program), mentor, 30, 3).await;
    let large = counted(&app, &mut curator, &counter, &curator_pages).await;
    let large_mentor = counted(&app, &mut mentor_c, &counter, &mentor_pages).await;
    let people: i64 = app.one("SELECT count(*) FROM people").await;
    assert!(people > 33, "{people}");
    for ((p, s), l) in curator_pages.iter().zip(&small).zip(&large) {
        assert!(*s > 0, "{p}: the counter sees the statements");
        assert_eq!(s, l, "{p}: {s} statements with 3 pairs, {l} with 33");
    }
    assert_eq!(small_mentor, large_mentor, "the mentor's home");
    println!("statements per page: {curator_pages:?} → {small:?}; mentor's home {small_mentor:?}");
}

/// What the list pages keep in process is never served after the data under it changed: a
/// person added, a consent withdrawn, a program renamed — by the pages or straight in the
/// database (as another node would) — shows on the next load.
#[tokio::test]
async fn a_kept_list_follows_every_change_at_once() {
    let (app, org, program, mut curator) = school_with_program().await;
    let found = |body: &str| -> String {
        let at = body.find("Найдено: ").expect("the count");
        body[at..].chars().take_while(|c| *c != '<').collect()
    };
    let first = curator.get("/o/school-a/people?base=mentee").await.body;
    assert_eq!(found(&first), "Найдено: 0");
    let kid = pupil(&app.pool, org, "Кэшева", "5Б", true).await;
    let page = curator.get("/o/school-a/people?base=mentee").await.body;
    assert_eq!(
        found(&page),
        "Найдено: 1",
        "a person added straight in the database"
    );
    assert!(page.contains("Кэшева"));
    for _ in 0..3 {
        assert_eq!(
            found(&curator.get("/o/school-a/people?base=mentee").await.body),
            "Найдено: 1"
        );
    }
    enrol(&app.pool, org, program, kid, "mentee").await;
    let page = curator.get("/o/school-a/people?base=mentee").await.body;
    assert!(
        page.contains("(наставляемый)"),
        "the program column follows an enrolment"
    );
    sqlx::query("UPDATE programs SET name = 'Переименованная' WHERE id = $1")
        .bind(program)
        .execute(&app.pool)
        .await
        .unwrap();
    let page = curator.get("/o/school-a/people?base=mentee").await.body;
    assert!(page.contains("Переименованная"), "a renamed program");
    let with_consent = curator
        .get("/o/school-a/people?base=mentee&consent=yes")
        .await
        .body;
    assert_eq!(found(&with_consent), "Найдено: 1");
    sqlx::query("UPDATE consents SET withdrawn_on = current_date WHERE person_id = $1")
        .bind(kid)
        .execute(&app.pool)
        .await
        .unwrap();
    let with_consent = curator
        .get("/o/school-a/people?base=mentee&consent=yes")
        .await
        .body;
    assert_eq!(found(&with_consent), "Найдено: 0", "a consent withdrawn");
}
