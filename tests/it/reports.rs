//! Reports: every indicator on a hand-built school with known answers — ages on the period's
//! last day (10 and 19 exactly), a pupil without a birth date listed as «нет данных», a pair that
//! ended mid-period, a teacher of 35 exactly, a mentee in two programs counted once; the
//! dashboard, the lists behind the indicators and the XLSX agreeing; nobody but the school's
//! staff reaching any of it.

use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use uuid::Uuid;

use crate::support::*;
use nastavnik::auth::model::Role;

async fn born(app: &TestApp, person: Uuid, date: Option<&str>, experience: Option<i32>) {
    sqlx::query("UPDATE people SET birth_date = $2::date, experience_years = $3 WHERE id = $1")
        .bind(person)
        .bind(date)
        .bind(experience)
        .execute(&app.pool)
        .await
        .unwrap();
}

async fn teacher(app: &TestApp, org: Uuid, last: &str) -> Uuid {
    let id = pupil(&app.pool, org, last, "", true).await;
    sqlx::query("UPDATE people SET kind = 'teacher' WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    id
}

fn at(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap()
}

#[tokio::test]
async fn every_indicator_on_a_hand_built_school() {
    let (app, org, program, mut c) = school_with_program().await;
    let other = crate::builders::program(
        &app.pool,
        org,
        app.one("SELECT id FROM users WHERE email = 'curator@test.ru'")
            .await,
        "Вторая программа",
    )
    .await;
    // Mentees: ten turns 10 on the last day, nineteen turns 19 on it, eighteen is 18 (her pair
    // ended in December), unknown has no birth date, idle is 14 and in no pair.
    let ten = pupil(&app.pool, org, "Десятова", "4А", true).await;
    let nineteen = pupil(&app.pool, org, "Девятнадцатов", "11А", true).await;
    let eighteen = pupil(&app.pool, org, "Восемнадцатова", "11Б", true).await;
    let unknown = pupil(&app.pool, org, "Безданных", "7А", true).await;
    let idle = pupil(&app.pool, org, "Свободный", "8А", true).await;
    let mentor = pupil(&app.pool, org, "Старшеклассник", "10А", true).await;
    born(&app, ten, Some("2016-05-31"), None).await;
    born(&app, nineteen, Some("2007-05-31"), None).await;
    born(&app, eighteen, Some("2007-06-01"), None).await;
    born(&app, idle, Some("2012-01-01"), None).await;
    born(&app, mentor, Some("2009-03-01"), None).await;
    // Teachers: young (31, 2 years), exactly 35 on the last day, one without experience.
    let young = teacher(&app, org, "Молодая").await;
    let thirty_five = teacher(&app, org, "Тридцатипятилетняя").await;
    let no_years = teacher(&app, org, "Безстажа").await;
    let senior = teacher(&app, org, "Опытная").await;
    born(&app, young, Some("1995-01-01"), Some(2)).await;
    born(&app, thirty_five, Some("1991-05-31"), Some(1)).await;
    born(&app, no_years, Some("1999-01-01"), None).await;
    born(&app, senior, Some("1970-01-01"), Some(30)).await;
    agreed_pair(
        &app.pool,
        org,
        program,
        mentor,
        &[ten, unknown],
        at(2025, 10, 1),
    )
    .await;
    agreed_pair(&app.pool, org, other, mentor, &[ten], at(2025, 11, 1)).await;
    agreed_pair(
        &app.pool,
        org,
        program,
        mentor,
        &[nineteen],
        at(2025, 10, 1),
    )
    .await;
    let ended = agreed_pair(
        &app.pool,
        org,
        program,
        mentor,
        &[eighteen],
        at(2025, 9, 20),
    )
    .await;
    sqlx::query("UPDATE pairs SET status = 'completed' WHERE id = $1")
        .bind(ended)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO pair_results (pair_id, org_id, ended_on, results, goals_reached, decision)
         VALUES ($1, $2, '2025-12-20', 'итог', 'yes', 'stop')",
    )
    .bind(ended)
    .bind(org)
    .execute(&app.pool)
    .await
    .unwrap();
    agreed_pair(
        &app.pool,
        org,
        program,
        senior,
        &[young, thirty_five],
        at(2025, 9, 15),
    )
    .await;
    // One satisfaction questionnaire answered in the period: 8 and 6 of 10 → 70 %; one answered
    // after it does not count.
    c.get("/o/school-a/questionnaires").await;
    for (day, a, b) in [("2026-01-15", "8", "6"), ("2026-07-01", "1", "1")] {
        sqlx::query(
            "WITH q AS (SELECT id FROM questionnaires WHERE org_id = $1 AND template_code = 'satisfaction_mentees'),
                  a AS (INSERT INTO assignments (org_id, questionnaire_id, program_id, audience)
                        SELECT $1, q.id, $2, 'people' FROM q RETURNING id, questionnaire_id)
             INSERT INTO responses (org_id, assignment_id, person_id, version_id, answers, status, submitted_at)
             SELECT $1, a.id, $3, (SELECT id FROM questionnaire_versions v WHERE v.questionnaire_id = a.questionnaire_id
                                    ORDER BY number DESC LIMIT 1),
                    jsonb_build_object('q1', jsonb_build_array($5::text), 'q2', jsonb_build_array($6::text)),
                    'submitted', $4::date FROM a",
        )
        .bind(org)
        .bind(program)
        .bind(ten)
        .bind(day)
        .bind(a)
        .bind(b)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let period = "?from=2025-09-01&to=2026-05-31";
    let page = c.get(&format!("/o/school-a/dashboard{period}")).await;
    page.assert_contains("70 % (анкет удовлетворённости: 1)");
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("За период 01.09.2025 – 31.05.2026");
    // 10–18: ten, eighteen, idle, the mentor (17); ten and eighteen are mentees.
    page.assert_contains("2 из 4 человек; цель — не менее 70 %; нет данных: 1");
    page.assert_contains("50,0 %");
    page.assert_contains("ниже цели");
    // 15–19 as mentors: eighteen, nineteen, the mentor — one of three; unknown lacks data.
    page.assert_contains("1 из 3 человек; нет данных: 1");
    // Young teachers: only «Молодая» (35 exactly is not under 35), and she has a mentor.
    page.assert_contains("1 из 1 человек; цель — не менее 70 %; нет данных: 1");
    page.assert_contains("цель достигнута");
    let list = c
        .get(&format!(
            "/o/school-a/reports/indicators/mentees_10_18{period}"
        ))
        .await;
    list.assert_contains("2 из 4 человек — 50,0 %");
    let counted = list
        .body
        .split("В знаменателе, но не входят")
        .next()
        .unwrap();
    for name in ["Десятова", "Восемнадцатова"] {
        assert!(counted.contains(name), "{name} counted");
    }
    assert!(!counted.contains("Свободный"));
    let missing = list.body.split("Нет данных (").nth(1).unwrap();
    assert!(missing.contains("Безданных"));
    assert!(
        !list.body.contains("Девятнадцатов"),
        "19 is outside the base"
    );
    let teachers = c
        .get(&format!(
            "/o/school-a/reports/indicators/young_teachers{period}"
        ))
        .await;
    assert!(!teachers.body.contains("Тридцатипятилетняя"));
    teachers.assert_contains("Безстажа");
    let audited: i64 = app
        .one("SELECT count(*) FROM audit_log WHERE action = 'reports.indicator'")
        .await;
    assert_eq!(audited, 2);
    // A period after the December end: eighteen no longer counts.
    let later = c
        .get("/o/school-a/reports/indicators/mentees_10_18?from=2026-01-01&to=2026-05-31")
        .await;
    later.assert_contains("1 из 4 человек — 25,0 %");
    // The XLSX has the same numbers, typed.
    let x = c
        .get(&format!("/o/school-a/reports/indicators.xlsx{period}"))
        .await;
    assert_eq!(x.status, StatusCode::OK);
    let rows = x.xlsx_sheet("Показатели");
    assert_eq!(rows[0][0], "Показатель");
    let row = |title: &str| {
        rows.iter()
            .find(|r| r[0].starts_with(title))
            .unwrap()
            .clone()
    };
    let r = row("Обучающиеся 10–18");
    assert_eq!(
        (
            r[2].as_str(),
            r[3].as_str(),
            r[4].as_str(),
            r[5].as_str(),
            r[6].as_str()
        ),
        ("2", "4", "0.5", "0.7", "1")
    );
    let r = row("Педагоги до 35");
    assert_eq!(
        (r[2].as_str(), r[3].as_str(), r[4].as_str()),
        ("1", "1", "1")
    );
    let forms = x.xlsx_sheet("По формам");
    assert_eq!(forms.len(), 2, "{forms:?}");
    assert_eq!(forms[1][0], "Ученик – ученик");
    // Nobody else: a mentor, another school's curator, a bad code.
    member(&app.pool, org, "mentor-x@test.ru", &[Role::Mentor]).await;
    let mut m = app.login("mentor-x@test.ru").await;
    assert_eq!(
        m.get("/o/school-a/dashboard").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        m.get("/o/school-a/reports/indicators.xlsx").await.status,
        StatusCode::NOT_FOUND
    );
    let mut b = school_b_curator(&app).await;
    assert_eq!(
        b.get("/o/school-a/dashboard").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.get("/o/school-a/reports/indicators/mentees_10_18")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get("/o/school-a/reports/indicators/nothing").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_detailed_reports_agree_with_their_excel_and_count_the_mentors_hours() {
    let (app, org, program, mut c) = school_with_program().await;
    let mentor = pupil(&app.pool, org, "Наставникова", "10А", true).await;
    let kid = pupil(&app.pool, org, "Ученикова", "5А", true).await;
    let other = pupil(&app.pool, org, "Другой", "6Б", true).await;
    for (p, role) in [(mentor, "mentor"), (kid, "mentee"), (other, "mentee")] {
        enrol(&app.pool, org, program, p, role).await;
    }
    let pair = agreed_pair(&app.pool, org, program, mentor, &[kid], at(2026, 9, 10)).await;
    // Two meetings in October: 15:00–16:30 and one without times (an academic hour); one
    // cancelled (not counted); an activity of 90 minutes the mentor led.
    for (day, from, to, cancelled) in [
        ("2026-10-05", Some("15:00"), Some("16:30"), false),
        ("2026-10-12", None, None, false),
        ("2026-10-19", Some("15:00"), Some("16:00"), true),
    ] {
        sqlx::query(
            "INSERT INTO meetings (org_id, pair_id, kind, held_on, starts_at, ends_at, topic, cancelled)
             VALUES ($1, $2, 'regular', $3::date, $4::time, $5::time, 'Дроби', $6)",
        )
        .bind(org)
        .bind(pair)
        .bind(day)
        .bind(from)
        .bind(to)
        .bind(cancelled)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    sqlx::query(
        "INSERT INTO activities (org_id, program_id, format, topic, leaders, starts_at, minutes)
         VALUES ($1, $2, 'webinar', 'Вебинар о профессиях', ARRAY[$3]::uuid[], '2026-10-20 12:00:00+00', 90)",
    )
    .bind(org)
    .bind(program)
    .bind(mentor)
    .execute(&app.pool)
    .await
    .unwrap();
    let q = "?from=2026-09-01&to=2026-12-31";
    let hours = c.get(&format!("/o/school-a/reports/hours{q}")).await;
    assert_eq!(hours.status, StatusCode::OK);
    // 1.5 + 0.75 on meetings, 1.5 on the activity.
    hours.assert_contains("<td>Наставникова Иван</td><td>октябрь 2026</td><td class=\"num\">2</td><td class=\"num\">2,25</td><td class=\"num\">1</td><td class=\"num\">1,50</td><td class=\"num\">3,75</td>");
    let x = c
        .get(&format!("/o/school-a/reports/hours/export.xlsx{q}"))
        .await;
    let rows = x.xlsx_sheet("Часы наставников");
    assert_eq!(
        rows[1],
        [
            "Наставникова Иван",
            "октябрь 2026",
            "2",
            "2.25",
            "1",
            "1.5",
            "3.75"
        ]
    );
    // The participants: the page's count and the workbook's rows agree; the class filter narrows.
    let page = c.get(&format!("/o/school-a/reports/participants{q}")).await;
    page.assert_contains("Строк: 3.");
    let x = c
        .get(&format!("/o/school-a/reports/participants/export.xlsx{q}"))
        .await;
    let rows = x.xlsx_sheet("Участники");
    assert_eq!(rows.len(), 4);
    let kid_row = rows.iter().find(|r| r[0].starts_with("Ученикова")).unwrap();
    assert_eq!(kid_row[1], "наставляемый");
    assert_eq!(kid_row[10], "Наставникова Иван");
    let narrowed = c
        .get(&format!(
            "/o/school-a/reports/participants{q}&class=6%D0%91"
        ))
        .await;
    narrowed.assert_contains("Строк: 1.");
    narrowed.assert_contains("Другой");
    // Meetings: three rows, the cancelled one marked.
    let meetings = c.get(&format!("/o/school-a/reports/meetings{q}")).await;
    meetings.assert_contains("Строк: 3.");
    meetings.assert_contains("отменена");
    // «Выгрузить всё»: the indicators, the counts by form and a sheet per report.
    let all = c.get(&format!("/o/school-a/reports/all.xlsx{q}")).await;
    assert_eq!(all.status, StatusCode::OK);
    use calamine::Reader;
    let book = calamine::Xlsx::new(std::io::Cursor::new(all.bytes.clone())).unwrap();
    assert_eq!(book.sheet_names().len(), 11, "{:?}", book.sheet_names());
    assert_eq!(all.xlsx_sheet("Часы наставников")[1][6], "3.75");
    let audited: i64 = app
        .one("SELECT count(*) FROM audit_log WHERE action IN ('reports.view', 'reports.export')")
        .await;
    assert_eq!(audited, 7);
    // Nobody else; no such report.
    assert_eq!(
        c.get("/o/school-a/reports/nothing").await.status,
        StatusCode::NOT_FOUND
    );
    let mut b = school_b_curator(&app).await;
    for url in [
        "/o/school-a/reports",
        "/o/school-a/reports/participants",
        "/o/school-a/reports/all.xlsx",
    ] {
        assert_eq!(b.get(url).await.status, StatusCode::NOT_FOUND, "{url}");
    }
    member(&app.pool, org, "mentor-y@test.ru", &[Role::Mentor]).await;
    let mut m = app.login("mentor-y@test.ru").await;
    assert_eq!(
        m.get("/o/school-a/reports/participants").await.status,
        StatusCode::NOT_FOUND
    );
}

/// A long report: the page holds its first 500 rows and says how many there are; the Excel file
/// has them all.
#[tokio::test]
async fn a_long_report_shows_its_first_rows_and_counts_them_all() {
    let (app, org, program, mut c) = crate::builders::school_with_program().await;
    let mentor = crate::builders::pupil(&app.pool, org, "Наставникова", "10А", true).await;
    let kid = crate::builders::pupil(&app.pool, org, "Ученикова", "5А", true).await;
    crate::builders::enrol(&app.pool, org, program, mentor, "mentor").await;
    crate::builders::enrol(&app.pool, org, program, kid, "mentee").await;
    let pair =
        crate::builders::agreed_pair(&app.pool, org, program, mentor, &[kid], at(2026, 9, 10))
            .await;
    sqlx::query(
        "INSERT INTO meetings (org_id, pair_id, kind, held_on, starts_at, ends_at, topic)
         SELECT $1, $2, 'regular', date '2026-09-15' + (g % 200), '15:00', '15:45', 'Тема ' || g
           FROM generate_series(1, 730) g",
    )
    .bind(org)
    .bind(pair)
    .execute(&app.pool)
    .await
    .unwrap();
    let q = "?from=2026-09-01&to=2027-08-31";
    let page = c.get(&format!("/o/school-a/reports/meetings{q}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Строк: 730 — на странице первые 500");
    assert_eq!(page.body.matches("Тема ").count(), 500);
    let xlsx = c
        .get(&format!("/o/school-a/reports/meetings/export.xlsx{q}"))
        .await;
    assert_eq!(xlsx.xlsx_rows().len(), 731, "a header and every meeting");
}
