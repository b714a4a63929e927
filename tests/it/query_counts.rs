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
/// pool opens on the way — with its own set-up statements — is not counted).
async fn counted(c: &mut Client, counter: &QueryCounter, pages: &[String]) -> Vec<usize> {
    for p in pages {
        c.get(p).await;
    }
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
    let small = counted(&mut curator, &counter, &curator_pages).await;
    let small_mentor = counted(&mut mentor_c, &counter, &mentor_pages).await;
    grow(&app, (org, program), mentor, 30, 3).await;
    let large = counted(&mut curator, &counter, &curator_pages).await;
    let large_mentor = counted(&mut mentor_c, &counter, &mentor_pages).await;
    let people: i64 = app.one("SELECT count(*) FROM people").await;
    assert!(people > 33, "{people}");
    for ((p, s), l) in curator_pages.iter().zip(&small).zip(&large) {
        assert!(*s > 0, "{p}: the counter sees the statements");
        assert_eq!(s, l, "{p}: {s} statements with 3 pairs, {l} with 33");
    }
    assert_eq!(small_mentor, large_mentor, "the mentor's home");
    println!("statements per page: {curator_pages:?} → {small:?}; mentor's home {small_mentor:?}");
}
