//! The curator's pair health page (worst first, filters, XLSX, the rhythm), the mentor's journal
//! across pairs, cancelled meetings, the mentor's private note and a group's attendance, the
//! curator's task after «не подходим», and the morning reminder driven from the command line.

use axum::http::StatusCode;
use chrono::{Duration, Utc};

use crate::support::*;
use nastavnik::auth::model::Role;

async fn meeting(
    app: &TestApp,
    org: uuid::Uuid,
    pair: uuid::Uuid,
    kind: &str,
    days_ago: i64,
) -> uuid::Uuid {
    sqlx::query_scalar(
        "INSERT INTO meetings (org_id, pair_id, kind, held_on, topic, result)
         VALUES ($1, $2, $3, $4, 'Тема ' || $3, 'Итог') RETURNING id",
    )
    .bind(org)
    .bind(pair)
    .bind(kind)
    .bind(Utc::now().date_naive() - Duration::days(days_ago))
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn rate(
    app: &TestApp,
    org: uuid::Uuid,
    meeting: uuid::Uuid,
    pair: uuid::Uuid,
    role: &str,
    rating: i16,
    fit: Option<&str>,
) {
    sqlx::query(
        "INSERT INTO meeting_feedback (meeting_id, org_id, person_id, rating, fit)
         SELECT $1, $2, person_id, $5, $6 FROM pair_members WHERE pair_id = $3 AND role = $4",
    )
    .bind(meeting)
    .bind(org)
    .bind(pair)
    .bind(role)
    .bind(rating)
    .bind(fit)
    .execute(&app.pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn the_health_page_puts_the_pairs_that_need_help_first() {
    let (app, org, program, mut curator) = school_with_program().await;
    let at = (org, program);
    let healthy = new_pair(
        &app,
        at,
        ("ok@test.ru", "Здоровая"),
        ("k1@test.ru", "Первый"),
        30,
    )
    .await;
    let silent = new_pair(
        &app,
        at,
        ("silent@test.ru", "Молчунова"),
        ("k2@test.ru", "Второй"),
        20,
    )
    .await;
    let misfit = new_pair(
        &app,
        at,
        ("misfit@test.ru", "Несходова"),
        ("k3@test.ru", "Третий"),
        10,
    )
    .await;
    let m = meeting(&app, org, healthy, "intro", 3).await;
    rate(&app, org, m, healthy, "mentee", 5, None).await;
    let t = meeting(&app, org, healthy, "trial", 1).await;
    rate(&app, org, t, healthy, "mentor", 4, Some("yes")).await;
    let t = meeting(&app, org, misfit, "trial", 2).await;
    rate(&app, org, t, misfit, "mentee", 1, Some("no")).await;
    let url = format!("/o/school-a/programs/{program}/health");
    let page = curator.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Согласованных пар: <strong>3</strong>, в зоне риска: <strong>2</strong>");
    let pos = |s: &str| {
        page.body
            .find(s)
            .unwrap_or_else(|| panic!("{s} not on the page"))
    };
    assert!(
        pos("Несходова") < pos("Молчунова") && pos("Молчунова") < pos("Здоровая"),
        "worst first"
    );
    page.assert_contains("«не подходим»");
    page.assert_contains("оценка встречи 1–2");
    page.assert_contains("нет первой встречи 20 дн. после согласования");
    page.assert_contains("наставник: подходим");
    // Filters and the XLSX (the same rows).
    let risky = curator.get(&format!("{url}?show=risk")).await;
    assert!(!risky.body.contains("Здоровая"));
    let x = curator
        .get(&format!(
            "/o/school-a/programs/{program}/health.xlsx?show=misfit"
        ))
        .await;
    let rows = x.xlsx_rows();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[1][0].contains("Несходова"));
    assert!(rows[1][11].contains("не подходим"));
    let all = curator
        .get(&format!("/o/school-a/programs/{program}/health.xlsx"))
        .await
        .xlsx_rows();
    assert_eq!(all.len(), 4);
    // The curator sets a weekly rhythm: a healthy pair that met 8+ days ago... is still fine at 3.
    let r = curator
        .post(
            &format!("/o/school-a/programs/{program}/health/{silent}/rhythm"),
            &[("every_days", "7")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let days: i32 = app
        .one(&format!(
            "SELECT every_days FROM pair_rhythm WHERE pair_id = '{silent}'"
        ))
        .await;
    assert_eq!(days, 7);
    curator.get(&url).await.assert_contains("раз в неделю");
    let r = curator
        .post(
            &format!("/o/school-a/programs/{program}/health/{silent}/rhythm"),
            &[("every_days", "1000")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let days: i32 = app
        .one(&format!(
            "SELECT every_days FROM pair_rhythm WHERE pair_id = '{silent}'"
        ))
        .await;
    assert_eq!(days, 7, "an unknown rhythm is refused");
    // The mentor's journal across pairs: the mentor sees their own, not another's; print + XLSX.
    let mentor: uuid::Uuid = app
        .one(&format!(
            "SELECT mentor_id FROM pairs WHERE id = '{healthy}'"
        ))
        .await;
    let other: uuid::Uuid = app
        .one(&format!(
            "SELECT mentor_id FROM pairs WHERE id = '{misfit}'"
        ))
        .await;
    let journal = format!("/o/school-a/programs/{program}/journal/{mentor}");
    let mut ok = app.login("ok@test.ru").await;
    let page = ok.get(&journal).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Журнал наставника: Здоровая");
    page.assert_contains("пробная рабочая встреча");
    page.assert_contains("Подпись");
    let rows = ok.get(&format!("{journal}/xlsx")).await.xlsx_rows();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][7], "Подпись");
    assert_eq!(
        ok.get(&format!("/o/school-a/programs/{program}/journal/{other}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Mentors and mentees do not see the health page; another school sees nothing.
    assert_eq!(ok.get(&url).await.status, StatusCode::NOT_FOUND);
    let mut kid = app.login("k1@test.ru").await;
    assert_eq!(kid.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(kid.get(&journal).await.status, StatusCode::NOT_FOUND);
    let b = crate::builders::org(&app.pool, "school-b").await;
    member(
        &app.pool,
        b,
        "curator-b@test.ru",
        &[Role::Curator, Role::Director],
    )
    .await;
    let mut cb = app.login("curator-b@test.ru").await;
    for u in [
        format!("/o/school-b/programs/{program}/health"),
        format!("/o/school-b/programs/{program}/health.xlsx"),
        format!("/o/school-b/programs/{program}/journal/{mentor}"),
        format!("/o/school-b/programs/{program}/journal/{mentor}/xlsx"),
    ] {
        assert_eq!(cb.get(&u).await.status, StatusCode::NOT_FOUND, "{u}");
    }
    let r = cb
        .post(
            &format!("/o/school-b/programs/{program}/health/{silent}/rhythm"),
            &[("every_days", "30")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn cancelled_meetings_private_notes_and_a_group_s_attendance() {
    let (app, org, program, mut curator) = school_with_program().await;
    let m = participant(
        &app,
        org,
        program,
        "mentor@test.ru",
        "Наставникова",
        "mentor",
        true,
    )
    .await;
    let a = participant(&app, org, program, "a@test.ru", "Аникин", "mentee", true).await;
    let b = participant(&app, org, program, "b@test.ru", "Борин", "mentee", true).await;
    let group = agreed_pair(&app.pool, org, program, m, &[a, b], Utc::now()).await;
    let url = format!("/o/school-a/pairs/{group}/meetings");
    let mut mentor = app.login("mentor@test.ru").await;
    let page = mentor.get(&url).await;
    page.assert_contains("Присутствовали");
    let today = Utc::now().date_naive().to_string();
    let r = mentor
        .post(
            &url,
            &[
                ("held_on", today.as_str()),
                ("kind", "intro"),
                ("format", "offline"),
                ("topic", "Знакомство"),
                ("cancelled", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Напишите, почему встреча отменена");
    r.assert_contains("Знакомство");
    let r = mentor
        .post(
            &url,
            &[
                ("held_on", today.as_str()),
                ("kind", "intro"),
                ("format", "offline"),
                ("topic", "Знакомство"),
                ("cancelled", "1"),
                ("cancel_reason", "Карантин в классе"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = mentor
        .post(
            &url,
            &[
                ("held_on", today.as_str()),
                ("kind", "intro"),
                ("format", "offline"),
                ("topic", "Знакомство, второй раз"),
                ("present", a.to_string().as_str()),
                (
                    "private_note",
                    "Борин стесняется, поговорить с классным руководителем",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = mentor.get(&url).await;
    page.assert_contains("Причина отмены: Карантин в классе");
    page.assert_contains("Отсутствовали: Борин");
    page.assert_contains("Заметка наставника: Борин стесняется");
    let mut kid = app.login("a@test.ru").await;
    let page = kid.get(&url).await;
    page.assert_contains("Отсутствовали: Борин");
    assert!(
        !page.body.contains("Борин стесняется"),
        "the mentee never sees the private note"
    );
    assert!(
        !kid.get(&format!("{url}.xlsx"))
            .await
            .body
            .contains("стесняется")
    );
    // The curator logs on the mentor's behalf but writes no private note.
    let r = curator
        .post(
            &url,
            &[
                ("held_on", today.as_str()),
                ("kind", "trial"),
                ("format", "offline"),
                ("topic", "Пробная"),
                ("private_note", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let present: i64 = app
        .one("SELECT count(*) FROM meeting_attendance WHERE present")
        .await;
    let absent: i64 = app
        .one("SELECT count(*) FROM meeting_attendance WHERE NOT present")
        .await;
    assert_eq!(
        (present, absent),
        (1, 1),
        "the cancelled one too had no ticks: only the second counts"
    );
}

#[tokio::test]
async fn jobs_run_due_three_weeks_after_the_last_meeting_reminds_only_that_mentor() {
    let (app, org, program, _curator) = school_with_program().await;
    let at = (org, program);
    let quiet = new_pair(
        &app,
        at,
        ("quiet@test.ru", "Тихонова"),
        ("k1@test.ru", "Первый"),
        40,
    )
    .await;
    let busy = new_pair(
        &app,
        at,
        ("busy@test.ru", "Деятельная"),
        ("k2@test.ru", "Второй"),
        40,
    )
    .await;
    meeting(&app, org, quiet, "intro", 1).await;
    meeting(&app, org, busy, "intro", 1).await;
    // The busy pair meets again two days before the moment we run at.
    meeting(&app, org, busy, "trial", 1 - 19).await;
    let last = Utc::now().date_naive() - Duration::days(1);
    // 07:05 in Moscow (UTC+3) three weeks after the last meeting.
    let out = jobs_run_morning(&app, last + Duration::days(21));
    let told: Vec<String> = app
        .all(
            "SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id
              WHERE n.text LIKE 'Давно не было встречи%' ORDER BY 1",
        )
        .await;
    assert_eq!(told, ["quiet@test.ru"], "{}", out);
}

#[tokio::test]
async fn the_mentee_rates_a_logged_meeting_in_one_tap_from_the_home_page() {
    let (app, org, program, _curator) = school_with_program().await;
    let pair = new_pair(
        &app,
        (org, program),
        ("mentor@test.ru", "Наставникова"),
        ("kid@test.ru", "Ученикова"),
        5,
    )
    .await;
    let mut mentor = app.login("mentor@test.ru").await;
    let today = Utc::now().date_naive().to_string();
    let url = format!("/o/school-a/pairs/{pair}/meetings");
    let r = mentor
        .post(
            &url,
            &[
                ("held_on", today.as_str()),
                ("kind", "intro"),
                ("format", "offline"),
                ("topic", "Знакомство"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut kid = app.login("kid@test.ru").await;
    let home = kid.get("/o/school-a").await;
    home.assert_contains("Оцените встречу");
    home.assert_contains("Записана встреча «Знакомство»");
    let meeting: uuid::Uuid = app.one("SELECT id FROM meetings").await;
    let r = kid
        .post(
            &format!("{url}/{meeting}/feedback"),
            &[("rating", "5"), ("back", "home")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/o/school-a");
    let home = kid.get("/o/school-a").await;
    assert!(
        !home.body.contains("Оцените встречу"),
        "rated: gone from the home page"
    );
    let rating: i16 = app.one("SELECT rating FROM meeting_feedback").await;
    assert_eq!(rating, 5);
}

/// A pair's rhythm is a curator's command (no page, no HTTP): one of the listed rhythms, for an
/// agreed pair of the program only.
#[tokio::test]
async fn a_pair_s_rhythm_is_a_curator_s_command() {
    use nastavnik::error::AppError;
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
    let by = Actor::new(&org, curator, "http://localhost");
    let by_director = Actor::new(&org, director, "http://localhost");
    let mut conn = app.pool.acquire().await.unwrap();
    let at = (program.id, pair);
    let r = nastavnik::meetings::set_rhythm(&mut conn, &by_director, at, "7").await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let r = nastavnik::meetings::set_rhythm(&mut conn, &by, at, "3").await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("every_days")),
        "{r:?}"
    );
    let r =
        nastavnik::meetings::set_rhythm(&mut conn, &by, (program.id, uuid::Uuid::new_v4()), "7")
            .await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    nastavnik::meetings::set_rhythm(&mut conn, &by, at, "21")
        .await
        .unwrap();
    assert_eq!(
        app.one_for::<i32>(
            "SELECT every_days FROM pair_rhythm WHERE pair_id = $1",
            pair
        )
        .await,
        21
    );
}
