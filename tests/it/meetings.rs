//! Meetings of a pair: the mentor logs them (the next kind suggested), the mentee reads, the
//! curator logs «со слов наставника», nobody else reaches them; the morning job reminds the
//! mentor of a pair that has gone three weeks without a meeting, and nobody else.

use axum::http::StatusCode;
use chrono::{Duration, Utc};

use crate::support::*;

/// A school, its program, a mentor and a mentee with accounts in an agreed pair.
async fn pair_scene() -> (TestApp, Client, uuid::Uuid, uuid::Uuid, uuid::Uuid) {
    let (app, org, program, c) = school_with_program().await;
    let at = (org, program);
    let pair = new_pair(
        &app,
        at,
        ("mentor@test.ru", "Наставников"),
        ("kid@test.ru", "Ученик"),
        2,
    )
    .await;
    (app, c, org, program, pair)
}

#[tokio::test]
async fn the_mentor_logs_meetings_and_the_mentee_reads_them() {
    let (app, mut curator, _org, _program, pair) = pair_scene().await;
    let url = format!("/o/school-a/pairs/{pair}/meetings");
    let mut mentor = app.login("mentor@test.ru").await;
    let page = mentor.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Записать встречу");
    page.assert_contains("<option value=\"intro\" selected>");
    // A missing topic: 422, what was typed kept.
    let r = mentor
        .post(
            &url,
            &[
                ("held_on", "2026-11-20"),
                ("kind", "intro"),
                ("format", "offline"),
                ("result", "Познакомились"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Напишите тему встречи");
    r.assert_contains("Познакомились");
    let r = mentor
        .post(
            &url,
            &[
                ("held_on", "2026-11-20"),
                ("kind", "intro"),
                ("format", "offline"),
                ("topic", "Знакомство, интересы"),
                ("result", "Договорились о встречах по вторникам"),
                ("starts_at", "15:00"),
                ("ends_at", "15:40"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = mentor.get(&url).await;
    page.assert_contains("Встреча записана.");
    page.assert_contains("встреча-знакомство");
    page.assert_contains("15:00–15:40 (40 мин)");
    page.assert_contains("<option value=\"trial\" selected>");
    // The mentee reads, cannot log.
    let mut kid = app.login("kid@test.ru").await;
    let page = kid.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Знакомство, интересы");
    assert!(!page.body.contains("Записать встречу"));
    let r = kid
        .post(
            &url,
            &[
                ("held_on", "2026-11-21"),
                ("kind", "trial"),
                ("format", "offline"),
                ("topic", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The curator logs «со слов наставника».
    let page = curator.get(&url).await;
    page.assert_contains("со слов наставника");
    let r = curator
        .post(
            &url,
            &[
                ("held_on", "2026-11-25"),
                ("kind", "trial"),
                ("format", "online"),
                ("topic", "Пробная встреча"),
                ("important", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    curator
        .get(&url)
        .await
        .assert_contains("записано куратором со слов наставника");
    let n: i64 = app
        .one_for("SELECT count(*) FROM meetings WHERE pair_id = $1", pair)
        .await;
    assert_eq!(n, 2);
    let viewed: i64 = app
        .one("SELECT count(*) FROM audit_log WHERE action = 'meetings.view'")
        .await;
    assert!(viewed >= 4);
    // The journal prints (a table for paper) and downloads as XLSX, oldest first.
    let page = mentor.get(&url).await;
    page.assert_contains("<caption>Журнал наставника:");
    let x = mentor
        .get(&format!("/o/school-a/pairs/{pair}/meetings.xlsx"))
        .await;
    assert_eq!(x.status, StatusCode::OK);
    let rows = x.xlsx_rows();
    assert_eq!(
        rows[0],
        [
            "Дата",
            "Вид встречи",
            "Тема и содержание",
            "Форма",
            "Результат",
            "Длительность",
            "Подпись"
        ]
    );
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][0], "20.11.2026");
    assert_eq!(rows[1][1], "встреча-знакомство");
    assert_eq!(rows[1][5], "40 мин");
    assert_eq!(rows[2][1], "пробная рабочая встреча");
    assert_eq!(
        kid.get(&format!("/o/school-a/pairs/{pair}/meetings.xlsx"))
            .await
            .status,
        StatusCode::OK
    );
    // A meeting dated ahead is planned, and both sides see it on their home page.
    let ahead = (Utc::now().date_naive() + Duration::days(3)).to_string();
    mentor.get(&url).await;
    let r = mentor
        .post(
            &url,
            &[
                ("held_on", ahead.as_str()),
                ("kind", "planning"),
                ("format", "offline"),
                ("topic", "Составим план"),
                ("starts_at", "16:00"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    mentor
        .get(&url)
        .await
        .assert_contains("Встреча запланирована.");
    for c in [&mut mentor, &mut kid] {
        let home = c.get("/o/school-a").await;
        home.assert_contains("Ближайшие встречи");
        home.assert_contains("встреча-планирование</a>: Составим план");
        home.assert_contains(", 16:00");
    }
    // Not for the curator, who is in no pair.
    assert!(
        !curator
            .get("/o/school-a")
            .await
            .body
            .contains("Ближайшие встречи")
    );
}

#[tokio::test]
async fn nobody_else_reaches_a_pairs_meetings() {
    let (app, _curator, org, program, pair) = pair_scene().await;
    let url = format!("/o/school-a/pairs/{pair}/meetings");
    // A mentor of another pair in the same school.
    new_pair(
        &app,
        (org, program),
        ("other@test.ru", "Другой"),
        ("kid2@test.ru", "Второй"),
        0,
    )
    .await;
    let mut o = app.login("other@test.ru").await;
    assert_eq!(o.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        o.get(&format!("/o/school-a/pairs/{pair}/meetings.xlsx"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        o.post(
            &url,
            &[
                ("held_on", "2026-11-20"),
                ("kind", "intro"),
                ("format", "offline"),
                ("topic", "x")
            ]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // Another school's curator, through their own organization's address.
    let b = crate::support::org(&app.pool, "school-b").await;
    member(
        &app.pool,
        b,
        "curator-b@test.ru",
        &[nastavnik::auth::model::Role::Curator],
    )
    .await;
    let mut cb = app.login("curator-b@test.ru").await;
    assert_eq!(
        cb.get(&format!("/o/school-b/pairs/{pair}/meetings"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(cb.get(&url).await.status, StatusCode::NOT_FOUND);
    // A malformed id.
    assert_eq!(
        o.get("/o/school-a/pairs/not-a-uuid/meetings").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_pair_without_a_meeting_for_three_weeks_reminds_its_mentor_only() {
    let (app, _curator, org, program, quiet) = pair_scene().await;
    let active = new_pair(
        &app,
        (org, program),
        ("active@test.ru", "Активный"),
        ("kid2@test.ru", "Второй"),
        60,
    )
    .await;
    // Both were agreed two months ago; the quiet pair last met 21 days ago, the active one
    // yesterday.
    sqlx::query("UPDATE pairs SET settled_at = now() - interval '60 days' WHERE id = $1")
        .bind(quiet)
        .execute(&app.pool)
        .await
        .unwrap();
    let today = Utc::now().date_naive();
    for (pair, day) in [
        (quiet, today - Duration::days(21)),
        (active, today - Duration::days(1)),
    ] {
        sqlx::query("INSERT INTO meetings (org_id, pair_id, kind, held_on, topic) VALUES ($1, $2, 'regular', $3, 'Встреча')")
            .bind(org)
            .bind(pair)
            .bind(day)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let config = nastavnik::config::Config::for_tests("postgres://test".into());
    let runner = nastavnik::schedule::Runner::new(app.pool.clone(), &config).unwrap();
    runner.ensure_daily(Utc::now()).await.unwrap();
    let morning = nastavnik::schedule::next_morning(
        Utc::now(),
        nastavnik::tenancy::model::zone_offset("Europe/Moscow"),
    ) + Duration::minutes(5);
    runner.run_due(morning).await.unwrap();
    let told: Vec<String> = app
        .all(
            "SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id
              WHERE n.text LIKE 'Давно не было встречи%' ORDER BY 1",
        )
        .await;
    assert_eq!(told, ["mentor@test.ru"]);
    let mut m = app.login("mentor@test.ru").await;
    let list = m.get("/o/school-a/notifications").await;
    list.assert_contains("Давно не было встречи с Ученик Иван");
    // Not again the next morning (once a week at most).
    runner.run_due(morning + Duration::days(1)).await.unwrap();
    let again: i64 = app
        .one("SELECT count(*) FROM notifications WHERE text LIKE 'Давно не было встречи%'")
        .await;
    assert_eq!(again, 1);
}

#[tokio::test]
async fn both_sides_rate_meetings_and_a_no_fit_reaches_the_curator() {
    let (app, mut curator, org, _program, pair) = pair_scene().await;
    let url = format!("/o/school-a/pairs/{pair}/meetings");
    let day = |d: i64| (Utc::now().date_naive() - Duration::days(d)).to_string();
    let mut ids = Vec::new();
    for (kind, d) in [("intro", 5), ("trial", 2), ("regular", 1)] {
        let id: uuid::Uuid = sqlx::query_scalar(
            "INSERT INTO meetings (org_id, pair_id, kind, held_on, topic) VALUES ($1, $2, $3, $4::date, 'Встреча') RETURNING id",
        )
        .bind(org)
        .bind(pair)
        .bind(kind)
        .bind(day(d))
        .fetch_one(&app.pool)
        .await
        .unwrap();
        ids.push(id);
    }
    let mut kid = app.login("kid@test.ru").await;
    let page = kid.get(&url).await;
    page.assert_contains("Как прошла встреча?");
    page.assert_contains("не подходим");
    let r = kid
        .post(
            &format!("{url}/{}/feedback", ids[0]),
            &[("rating", "5"), ("comment", "Было интересно")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = kid
        .post(&format!("{url}/{}/feedback", ids[0]), &[("rating", "9")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    kid.get(&url)
        .await
        .assert_contains("Оценка 5 — наставляемый: «Было интересно»");
    let mut mentor = app.login("mentor@test.ru").await;
    mentor.get(&url).await;
    let r = mentor
        .post(
            &format!("{url}/{}/feedback", ids[1]),
            &[("rating", "2"), ("fit", "no")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    mentor
        .get(&url)
        .await
        .assert_contains("Оценка 2 — наставник, не подходим");
    let told: i64 = app
        .one("SELECT count(*) FROM notifications WHERE text LIKE '%считает, что пара%не подходит%'")
        .await;
    assert_eq!(told, 1);
    // …and a task in the program's roadmap (stage 6) to review the pair.
    let task: String = app
        .one("SELECT s.number::text || ': ' || t.title FROM roadmap_tasks t JOIN roadmap_stages s ON s.id = t.stage_id WHERE t.title LIKE 'Рассмотреть пару%'")
        .await;
    assert!(task.starts_with("6: Рассмотреть пару"), "{task}");
    assert!(task.contains("«не подходим»"), "{task}");
    // The curator reads the ratings but does not rate; another pair's meeting is not found.
    let page = curator.get(&url).await;
    assert!(!page.body.contains("Как прошла встреча?"));
    let r = curator
        .post(&format!("{url}/{}/feedback", ids[0]), &[("rating", "4")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // «Пока не ясно» after the trial: the next meeting asks again.
    let page = kid.get(&url).await;
    assert!(
        page.body.matches("value=\"unsure\"").count() == 1,
        "only the trial asks yet"
    );
    kid.post(
        &format!("{url}/{}/feedback", ids[1]),
        &[("rating", "3"), ("fit", "unsure")],
    )
    .await;
    let page = kid.get(&url).await;
    page.assert_contains("Оценка 3 — наставляемый, пока не ясно");
    assert_eq!(
        page.body.matches("value=\"unsure\"").count(),
        1,
        "the regular meeting now asks"
    );
    kid.post(
        &format!("{url}/{}/feedback", ids[2]),
        &[("rating", "4"), ("fit", "yes")],
    )
    .await;
    kid.get(&url)
        .await
        .assert_contains("Оценка 4 — наставляемый, подходим");
    let stranger = uuid::Uuid::new_v4();
    let r = kid
        .post(&format!("{url}/{stranger}/feedback"), &[("rating", "4")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// The command that logs a meeting keeps its rules without a page: a curator writes no private
/// note, a date more than a year away and a cancelled meeting without a reason are refused
/// field by field and nothing is written; a good one is written «со слов наставника» and the
/// members are asked to rate it.
#[tokio::test]
async fn the_log_command_keeps_its_rules_without_a_page() {
    use nastavnik::meetings::{Capacity, MeetingForm};
    use nastavnik::web::forms::Refused;

    let (app, _curator, org_id, _program, pair) = pair_scene().await;
    let mut conn = app.pool.acquire().await.unwrap();
    let org = nastavnik::tenancy::org_by_slug(&mut conn, "school-a")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(org.id, org_id);
    let row = nastavnik::pairing::pair(&mut conn, org.id, pair)
        .await
        .unwrap()
        .unwrap();
    let curator: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'curator@test.ru'")
        .await;
    let actor = nastavnik::tenancy::Actor::new(&org, curator, "http://localhost");
    let today = org.today();
    let good = MeetingForm {
        held_on: today.format("%Y-%m-%d").to_string(),
        kind: "intro".into(),
        format: "offline".into(),
        topic: "  Знакомство  ".into(),
        ..MeetingForm::default()
    };
    let refused = |r: Result<nastavnik::meetings::Logged, Refused>| match r {
        Err(Refused::Invalid(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    };

    let mut tx = app.pool.begin().await.unwrap();
    let mut form = MeetingForm {
        private_note: "только для наставника".into(),
        ..good.clone()
    };
    let e = refused(
        nastavnik::meetings::log(&mut tx, &actor, &row, Capacity::OnBehalf, &mut form).await,
    );
    assert_eq!(
        e.get("private_note"),
        "Личную заметку пишет только наставник."
    );
    let mut form = MeetingForm {
        held_on: (today + Duration::days(400)).format("%Y-%m-%d").to_string(),
        cancelled: true,
        ..good.clone()
    };
    let e = refused(
        nastavnik::meetings::log(&mut tx, &actor, &row, Capacity::OnBehalf, &mut form).await,
    );
    assert_eq!(e.get("held_on"), "Дата — в пределах года от сегодняшней.");
    assert_eq!(e.get("cancel_reason"), "Напишите, почему встреча отменена.");
    assert!(!e.has("topic"));
    tx.commit().await.unwrap();
    let n: i64 = app
        .one_for("SELECT count(*) FROM meetings WHERE pair_id = $1", pair)
        .await;
    assert_eq!(n, 0, "a refused meeting writes nothing");

    let mut tx = app.pool.begin().await.unwrap();
    let mut form = good.clone();
    let logged = nastavnik::meetings::log(&mut tx, &actor, &row, Capacity::OnBehalf, &mut form)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        form.topic, "Знакомство",
        "the form is trimmed as the page shows it again"
    );
    assert_eq!(logged.message(today), "Встреча записана.");
    let (topic, on_behalf): (String, bool) =
        sqlx::query_as("SELECT topic, on_behalf FROM meetings WHERE id = $1")
            .bind(logged.id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(topic, "Знакомство");
    assert!(on_behalf);
    let asked: i64 = app
        .one(
            "SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id
              WHERE u.email = 'kid@test.ru' AND n.text LIKE 'Записана встреча «Знакомство»%'",
        )
        .await;
    assert_eq!(asked, 1, "the mentee is asked to rate the meeting");
}

/// The feedback command keeps its rules without a page: a meeting still ahead and a rating
/// outside 1–5 are refused and nothing is written; a good rating is recorded once per member.
#[tokio::test]
async fn the_feedback_command_keeps_its_rules_without_a_page() {
    use nastavnik::meetings::{Capacity, FeedbackForm, MeetingForm};
    use nastavnik::web::forms::Refused;

    let (app, _curator, _org_id, _program, pair) = pair_scene().await;
    let mut conn = app.pool.acquire().await.unwrap();
    let org = nastavnik::tenancy::org_by_slug(&mut conn, "school-a")
        .await
        .unwrap()
        .unwrap();
    let row = nastavnik::pairing::pair(&mut conn, org.id, pair)
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    let mentor: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'mentor@test.ru'")
        .await;
    let kid: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'kid@test.ru'")
        .await;
    let today = org.today();
    let log = |day: chrono::NaiveDate| MeetingForm {
        held_on: day.format("%Y-%m-%d").to_string(),
        kind: "regular".into(),
        format: "offline".into(),
        topic: "Разбор задач".into(),
        ..MeetingForm::default()
    };
    let by_mentor = nastavnik::tenancy::Actor::new(&org, mentor, "http://localhost");
    let mut tx = app.pool.begin().await.unwrap();
    let held =
        nastavnik::meetings::log(&mut tx, &by_mentor, &row, Capacity::Mentor, &mut log(today))
            .await
            .unwrap();
    let ahead = nastavnik::meetings::log(
        &mut tx,
        &by_mentor,
        &row,
        Capacity::Mentor,
        &mut log(today + Duration::days(7)),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let me = row.members.iter().find(|m| m.user_id == Some(kid)).unwrap();
    let by_kid = nastavnik::tenancy::Actor::new(&org, kid, "http://localhost");
    let form = |rating: &str| FeedbackForm {
        rating: rating.into(),
        comment: "  Было полезно  ".into(),
        ..FeedbackForm::default()
    };
    let mut tx = app.pool.begin().await.unwrap();
    match nastavnik::meetings::rate(&mut tx, &by_kid, &row, me, ahead.id, &form("5")).await {
        Err(Refused::Invalid(e)) => {
            assert_eq!(
                e.get("rating"),
                "Оценить можно встречу, которая уже прошла."
            )
        }
        other => panic!("a meeting ahead is not rated: {other:?}"),
    }
    match nastavnik::meetings::rate(&mut tx, &by_kid, &row, me, held.id, &form("7")).await {
        Err(Refused::Invalid(e)) => assert_eq!(e.get("rating"), "Выберите оценку от 1 до 5."),
        other => panic!("a rating of 7 is refused: {other:?}"),
    }
    nastavnik::meetings::rate(&mut tx, &by_kid, &row, me, held.id, &form("4"))
        .await
        .unwrap();
    nastavnik::meetings::rate(&mut tx, &by_kid, &row, me, held.id, &form("5"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (n, rating, comment): (i64, i16, String) = sqlx::query_as(
        "SELECT count(*) OVER (), rating, comment FROM meeting_feedback WHERE person_id = $1",
    )
    .bind(me.person_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((n, rating, comment.as_str()), (1, 5, "Было полезно"));
}
