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

/// The participant commands keep their rules whoever calls them (no page, no HTTP): a person
/// without a consent is not enrolled and the reason is given; enrolling twice in one role does
/// nothing; a status outside the role's ladder or no one chosen is refused; a training session
/// needs a date and a topic of at most 300 characters.
#[tokio::test]
async fn the_participant_commands_keep_their_rules_without_a_page() {
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let with_consent = pupil(&app.pool, org_id, "Сидоров", "5А", true).await;
    let without = pupil(&app.pool, org_id, "Петров", "5А", false).await;
    let curator: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'curator@test.ru'")
        .await;
    let mut conn = app.pool.acquire().await.unwrap();
    let org = nastavnik::tenancy::org_by_id(&mut conn, org_id)
        .await
        .unwrap();
    let by = nastavnik::tenancy::Actor::new(&org, curator, "http://localhost");
    let enrolled = || {
        app.one_for::<i64>(
            "SELECT count(*) FROM enrolments WHERE program_id = $1",
            program_id,
        )
    };

    let (n, refused) = nastavnik::participants::enrol_people(
        &mut conn,
        &by,
        program_id,
        &[without, with_consent],
        nastavnik::people::Side::Mentee,
    )
    .await
    .unwrap();
    assert_eq!(n, 1);
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(refused[0].contains("Петров"), "{refused:?}");
    assert_eq!(enrolled().await, 1);
    let (n, refused) = nastavnik::participants::enrol_people(
        &mut conn,
        &by,
        program_id,
        &[with_consent],
        nastavnik::people::Side::Mentee,
    )
    .await
    .unwrap();
    assert_eq!((n, refused.len()), (0, 0), "enrolled already in that role");

    let invalid = |r: Result<usize, Refused>| match r {
        Err(Refused::Invalid(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let e = invalid(
        nastavnik::participants::set_status(
            &mut conn,
            &by,
            program_id,
            &[with_consent],
            nastavnik::people::Side::Mentee,
            "trained",
        )
        .await,
    );
    assert_eq!(e.get("status"), "Выберите статус.");
    let e = invalid(
        nastavnik::participants::set_status(
            &mut conn,
            &by,
            program_id,
            &[],
            nastavnik::people::Side::Mentee,
            "paired",
        )
        .await,
    );
    assert_eq!(e.get("ids"), "Отметьте участников.");
    let enrolment: uuid::Uuid = app
        .one_for(
            "SELECT id FROM enrolments WHERE person_id = $1",
            with_consent,
        )
        .await;
    let n = nastavnik::participants::set_status(
        &mut conn,
        &by,
        program_id,
        &[enrolment],
        nastavnik::people::Side::Mentee,
        "paired",
    )
    .await
    .unwrap();
    assert_eq!(n, 1);

    let plan = |held_on: &'static str, topic: String| {
        let pool = app.pool.clone();
        async move {
            let mut conn = pool.acquire().await.unwrap();
            nastavnik::participants::plan_training(&mut conn, &by, program_id, held_on, &topic)
                .await
        }
    };
    match plan("", String::new()).await {
        Err(Refused::Invalid(e)) => {
            assert_eq!(e.get("held_on"), "Укажите дату занятия.");
            assert_eq!(e.get("topic"), "Укажите тему занятия.");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    match plan("2026-12-10", "т".repeat(301)).await {
        Err(Refused::Invalid(e)) => {
            assert!(e.get("topic").starts_with("Тема занятия: Не длиннее 300"))
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    plan("2026-12-10", "  Роль наставника  ".into())
        .await
        .unwrap();
    let topic: String = app
        .one_for(
            "SELECT topic FROM training_sessions WHERE program_id = $1",
            program_id,
        )
        .await;
    assert_eq!(topic, "Роль наставника");
}

/// Training attendance is a curator's command (no page, no HTTP), for a session of the program
/// only; who attended is kept.
#[tokio::test]
async fn training_attendance_is_a_curator_s_command() {
    use nastavnik::auth::model::Role;
    use nastavnik::error::AppError;
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let director = member(&app.pool, org_id, "director@test.ru", &[Role::Director]).await;
    let mentor = participant(
        &app,
        org_id,
        program_id,
        "m@test.ru",
        "Наставникова",
        "mentor",
        true,
    )
    .await;
    let (curator, org, program) = command_scene(&app, org_id, program_id).await;
    let by = Actor::new(&org, curator, "http://localhost");
    let by_director = Actor::new(&org, director, "http://localhost");
    let mut conn = app.pool.acquire().await.unwrap();
    let day = org.today().to_string();
    nastavnik::participants::plan_training(&mut conn, &by, program.id, &day, "Роль наставника")
        .await
        .unwrap();
    let session: uuid::Uuid = app.one("SELECT id FROM training_sessions").await;
    let at = (program.id, session);
    let r = nastavnik::participants::mark_training(&mut conn, &by_director, at, &[mentor]).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let elsewhere = (program.id, uuid::Uuid::new_v4());
    let r = nastavnik::participants::mark_training(&mut conn, &by, elsewhere, &[mentor]).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    nastavnik::participants::mark_training(&mut conn, &by, at, &[mentor])
        .await
        .unwrap();
    assert_eq!(
        app.one_for::<i64>(
            "SELECT count(*) FROM training_attendance WHERE person_id = $1",
            mentor
        )
        .await,
        1
    );
}
