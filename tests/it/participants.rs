//! Participants of a program: enrolment by consent, status ladders, training with attendance, mentors of earlier programs.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn enrolment_statuses_training_and_earlier_mentors() {
    let (app, org_id, p1, mut c) = school_with_program().await;
    let cur: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'curator@test.ru'")
        .await;
    let p2 = program(&app.pool, org_id, cur, "Программа Б").await;
    let kids: Vec<uuid::Uuid> = pupils_of(&app, org_id, 3).await;
    // Bulk enrol as mentors in program 1.
    let mut fields: Vec<(&str, String)> = kids.iter().map(|k| ("ids", k.to_string())).collect();
    fields.extend([
        ("action", "enrol".to_string()),
        ("program", p1.to_string()),
        ("role", "mentor".to_string()),
    ]);
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = c.post("/o/school-a/people/bulk", &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.one::<i64>(
            "SELECT count(*) FROM enrolments WHERE role = 'mentor' AND status = 'application'"
        )
        .await,
        3
    );
    // Move statuses in bulk.
    let page = c
        .get(&format!("/o/school-a/programs/{p1}/participants"))
        .await;
    page.assert_contains("Наставники (3)");
    let enr: Vec<uuid::Uuid> = app.all("SELECT id FROM enrolments ORDER BY id").await;
    let r = c
        .post(
            &format!("/o/school-a/programs/{p1}/participants/status"),
            &[
                ("role", "mentor"),
                ("status", "training"),
                ("ids", &enr[0].to_string()),
                ("ids", &enr[1].to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM enrolments WHERE status = 'training'")
            .await,
        2
    );
    // A mentee status is not accepted for mentors.
    c.post(
        &format!("/o/school-a/programs/{p1}/participants/status"),
        &[
            ("role", "mentor"),
            ("status", "in_base"),
            ("ids", &enr[2].to_string()),
        ],
    )
    .await;
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM enrolments WHERE status = 'in_base'")
            .await,
        0
    );
    // Training sessions and attendance; the mentor's card shows it.
    c.post(
        &format!("/o/school-a/programs/{p1}/training"),
        &[("held_on", "2026-10-05"), ("topic", "Роль наставника")],
    )
    .await;
    c.post(
        &format!("/o/school-a/programs/{p1}/training"),
        &[("held_on", "2026-10-12"), ("topic", "Ролевая игра")],
    )
    .await;
    let sessions: Vec<uuid::Uuid> = app
        .all("SELECT id FROM training_sessions ORDER BY held_on")
        .await;
    let r = c
        .post(
            &format!("/o/school-a/programs/{p1}/training/{}", sessions[0]),
            &[
                ("present", &kids[0].to_string()),
                ("present", &kids[1].to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    c.post(
        &format!("/o/school-a/programs/{p1}/training/{}", sessions[1]),
        &[("present", &kids[0].to_string())],
    )
    .await;
    c.get(&format!("/o/school-a/people/{}", kids[0]))
        .await
        .assert_contains("обучение: 2 из 2 занятий");
    c.get(&format!("/o/school-a/people/{}", kids[1]))
        .await
        .assert_contains("обучение: 1 из 2 занятий");
    // One click brings the mentors of program 1 into program 2.
    let page = c
        .get(&format!("/o/school-a/programs/{p2}/participants"))
        .await;
    page.assert_contains("Наставники прошлых программ");
    let r = c
        .post(
            &format!("/o/school-a/programs/{p2}/participants/earlier"),
            &[("ids", &kids[2].to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let n: i64 = app
        .one_for("SELECT count(*) FROM enrolments WHERE program_id = $1", p2)
        .await;
    assert_eq!(n, 1);
}
