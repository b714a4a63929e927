//! Completing a pair: the mentor records the results, they are written back into both members'
//! enrolments (the mentee «завершил» or back in the base), the journal turns read-only, each side
//! writes a final report; an early end keeps its dates and reason; nobody else reaches it.

use axum::http::StatusCode;

use crate::support::*;
use nastavnik::auth::model::Role;

#[tokio::test]
async fn the_mentor_completes_a_pair_and_the_results_go_back_into_the_bases() {
    let (app, org, program, mut curator) = school_with_program().await;
    member(&app.pool, org, "director@test.ru", &[Role::Director]).await;
    let pair = new_pair(
        &app,
        (org, program),
        ("m@test.ru", "Наставникова"),
        ("k@test.ru", "Ученикова"),
        90,
    )
    .await;
    let early = new_pair(
        &app,
        (org, program),
        ("m2@test.ru", "Вторая"),
        ("k2@test.ru", "Уехавший"),
        60,
    )
    .await;
    sqlx::query("INSERT INTO meetings (org_id, pair_id, kind, held_on, topic) VALUES ($1, $2, 'final', current_date - 1, 'Итоговая встреча')")
        .bind(org)
        .bind(pair)
        .execute(&app.pool)
        .await
        .unwrap();
    let url = format!("/o/school-a/pairs/{pair}/complete");
    let mut mentor = app.login("m@test.ru").await;
    let page = mentor.get(&url).await;
    page.assert_contains("Завершить пару");
    page.assert_contains("Встреч проведено: 1");
    let r = mentor
        .post(
            &url,
            &[
                ("ended_on", "2020-01-01x"),
                ("goals_reached", "mostly"),
                ("decision", "stop"),
                ("links", "https://disk.example/p"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Опишите результаты");
    r.assert_contains("https://disk.example/p");
    let today = chrono::Utc::now().date_naive().to_string();
    let r = mentor
        .post(
            &url,
            &[
                ("ended_on", today.as_str()),
                ("goals_reached", "mostly"),
                ("decision", "stop"),
                ("results", "Проект по физике, «4» за четверть"),
                ("ready", "1"),
                ("mentor_report", "Работали ровно, без пропусков"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let status: String = app
        .one_for("SELECT status FROM pairs WHERE id = $1", pair)
        .await;
    assert_eq!(status, "completed");
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT e.role, e.status, e.results FROM enrolments e JOIN pair_members m ON m.person_id = e.person_id
          WHERE m.pair_id = $1 ORDER BY e.role",
    )
    .bind(pair)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].1, "finished", "the mentee is done");
    for (role, _, results) in &rows {
        assert!(
            results.contains("Проект по физике") && results.contains("Цели достигнуты: в основном"),
            "{role}: {results}"
        );
    }
    // The final assessment of each other: the satisfaction questionnaires to both sides.
    let asked: Vec<String> = app
        .all("SELECT q.template_code FROM assignment_targets t JOIN assignments a ON a.id = t.assignment_id JOIN questionnaires q ON q.id = a.questionnaire_id ORDER BY 1")
        .await;
    assert_eq!(asked, ["satisfaction_mentees", "satisfaction_mentors"]);
    // The mentor is ready to continue: a new program offers them first.
    let ready: Option<bool> = app
        .one_for("SELECT e.ready_to_continue FROM enrolments e JOIN pair_members m ON m.person_id = e.person_id WHERE m.pair_id = $1 AND m.role = 'mentor'", pair)
        .await;
    assert_eq!(ready, Some(true));
    let curator_id: uuid::Uuid = app
        .one("SELECT user_id FROM memberships WHERE 'curator' = ANY (roles)")
        .await;
    let next = crate::builders::program(&app.pool, org, curator_id, "Следующий год").await;
    curator
        .get(&format!("/o/school-a/programs/{next}/participants"))
        .await
        .assert_contains("готов продолжить");
    // The journal is read-only now; both sides write their reports.
    let meetings = mentor
        .get(&format!("/o/school-a/pairs/{pair}/meetings"))
        .await;
    assert_eq!(meetings.status, StatusCode::OK);
    assert!(!meetings.body.contains("Записать встречу"));
    let mut kid = app.login("k@test.ru").await;
    let r = kid
        .post(
            &format!("{url}/report"),
            &[("report", "Научилась решать задачи на движение")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = curator.get(&url).await;
    page.assert_contains("Работали ровно, без пропусков");
    page.assert_contains("Научилась решать задачи на движение");
    page.assert_contains("Цели достигнуты: в основном. Решение: завершить наставничество.");
    assert!(!page.body.contains("Завершить пару</button>"), "done once");
    // An early end by the curator: dates and reason kept, the mentee back in the base.
    let url2 = format!("/o/school-a/pairs/{early}/complete");
    let r = curator
        .post(
            &url2,
            &[
                ("ended_on", today.as_str()),
                ("early", "1"),
                ("early_reason", "moved"),
                ("goals_reached", "partly"),
                ("decision", "continue"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (ended, reason): (chrono::NaiveDate, String) =
        sqlx::query_as("SELECT ended_on, early_reason FROM pair_results WHERE pair_id = $1")
            .bind(early)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (ended.to_string(), reason.as_str()),
        (today.clone(), "moved")
    );
    let st: String = app
        .one_for("SELECT e.status FROM enrolments e JOIN pair_members m ON m.person_id = e.person_id WHERE m.pair_id = $1 AND m.role = 'mentee'", early)
        .await;
    assert_eq!(st, "in_base");
    curator
        .get(&url2)
        .await
        .assert_contains("досрочно: переезд");
    // The director reads, does not complete; another pair's member and another school: 404.
    let mut director = app.login("director@test.ru").await;
    director.get(&url).await.assert_contains("Итоги пары");
    let third = new_pair(
        &app,
        (org, program),
        ("m3@test.ru", "Третья"),
        ("k3@test.ru", "Третий"),
        10,
    )
    .await;
    let url3 = format!("/o/school-a/pairs/{third}/complete");
    assert_eq!(
        director.post(&url3, &[("results", "x")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(kid.get(&url3).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        kid.post(&url3, &[("results", "x")]).await.status,
        StatusCode::NOT_FOUND
    );
    let b = crate::builders::org(&app.pool, "school-b").await;
    member(&app.pool, b, "curator-b@test.ru", &[Role::Curator]).await;
    let mut other = app.login("curator-b@test.ru").await;
    assert_eq!(
        other
            .get(&url3.replace("school-a", "school-b"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other
            .post(&url3.replace("school-a", "school-b"), &[("results", "x")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn certificates_print_for_the_chosen_mentors_only() {
    let (app, org, program, mut curator) = school_with_program().await;
    member(&app.pool, org, "director@test.ru", &[Role::Director]).await;
    let a = participant(&app, org, program, "a@test.ru", "Алексеева", "mentor", true).await;
    let b = participant(&app, org, program, "b@test.ru", "Борисова", "mentor", true).await;
    let outsider = pupil(&app.pool, org, "Посторонний", "9А", true).await;
    let base = format!("/o/school-a/programs/{program}/certificates");
    let page = curator.get(&base).await;
    page.assert_contains("Алексеева");
    page.assert_contains("Борисова");
    let print = curator
        .get(&format!(
            "{base}/print?kind=letter&date=2026-12-20&text=Спасибо+за+помощь&mentor={a}&mentor={b}&mentor={outsider}"
        ))
        .await;
    assert_eq!(print.status, StatusCode::OK);
    assert_eq!(
        print.body.matches("class=\"certificate\"").count(),
        2,
        "only the program's mentors"
    );
    print.assert_contains("БЛАГОДАРСТВЕННОЕ ПИСЬМО");
    print.assert_contains("20.12.2026");
    print.assert_contains("Спасибо за помощь");
    print.assert_contains("Пользователь director@test.ru");
    let one = curator.get(&format!("{base}/print?mentor={a}")).await;
    one.assert_contains("ГРАМОТА");
    assert_eq!(one.body.matches("class=\"certificate\"").count(), 1);
    let mut m = app.login("a@test.ru").await;
    assert_eq!(m.get(&base).await.status, StatusCode::NOT_FOUND);
    let bo = crate::builders::org(&app.pool, "school-b").await;
    member(&app.pool, bo, "curator-b@test.ru", &[Role::Curator]).await;
    let mut other = app.login("curator-b@test.ru").await;
    assert_eq!(
        other
            .get(&format!(
                "{}/print?mentor={a}",
                base.replace("school-a", "school-b")
            ))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_curator_nominates_the_best_mentor_and_the_director_confirms() {
    let (app, org, program, mut curator) = school_with_program().await;
    member(&app.pool, org, "director@test.ru", &[Role::Director]).await;
    let good = new_pair(
        &app,
        (org, program),
        ("a@test.ru", "Отличная"),
        ("k1@test.ru", "Первый"),
        60,
    )
    .await;
    let fair = new_pair(
        &app,
        (org, program),
        ("b@test.ru", "Средняя"),
        ("k2@test.ru", "Второй"),
        60,
    )
    .await;
    for (pair, rating) in [(good, 5), (fair, 3)] {
        for d in 1..=6 {
            sqlx::query(
                "WITH m AS (INSERT INTO meetings (org_id, pair_id, kind, held_on, topic)
                            VALUES ($1, $2, 'regular', current_date - $3::int, 'Встреча') RETURNING id)
                 INSERT INTO meeting_feedback (meeting_id, org_id, person_id, rating)
                 SELECT m.id, $1, pm.person_id, $4 FROM m, pair_members pm WHERE pm.pair_id = $2 AND pm.role = 'mentee'",
            )
            .bind(org)
            .bind(pair)
            .bind(d * 3)
            .bind(rating as i16)
            .execute(&app.pool)
            .await
            .unwrap();
        }
    }
    let url = format!("/o/school-a/programs/{program}/best");
    let page = curator.get(&url).await;
    assert!(
        page.body.find("Отличная").unwrap() < page.body.find("Средняя").unwrap(),
        "ranked by rating"
    );
    page.assert_contains("оценка: 5.0 (ответов: 6)");
    let a: uuid::Uuid = app
        .one_for("SELECT mentor_id FROM pairs WHERE id = $1", good)
        .await;
    let r = curator
        .post(
            &url,
            &[
                ("mentor", a.to_string().as_str()),
                ("action", "nominate"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let none: i64 = app.one("SELECT count(*) FROM best_mentors").await;
    assert_eq!(none, 0, "a nomination needs a reason");
    curator
        .post(
            &url,
            &[
                ("mentor", a.to_string().as_str()),
                ("action", "nominate"),
                ("reason", "Все цели пары достигнуты"),
            ],
        )
        .await;
    assert_eq!(
        curator
            .post(
                &url,
                &[("mentor", a.to_string().as_str()), ("action", "confirm")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut director = app.login("director@test.ru").await;
    assert_eq!(
        director
            .post(
                &url,
                &[
                    ("mentor", a.to_string().as_str()),
                    ("action", "nominate"),
                    ("reason", "x")
                ]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = director
        .post(
            &url,
            &[("mentor", a.to_string().as_str()), ("action", "confirm")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    director.get(&url).await.assert_contains("лучший наставник");
    // Not a mentor of the program, a mentee, another school: nothing.
    let stranger = pupil(&app.pool, org, "Чужой", "9А", true).await;
    let r = curator
        .post(
            &url,
            &[
                ("mentor", stranger.to_string().as_str()),
                ("action", "nominate"),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let mut kid = app.login("k1@test.ru").await;
    assert_eq!(kid.get(&url).await.status, StatusCode::NOT_FOUND);
    let bo = crate::builders::org(&app.pool, "school-b").await;
    member(&app.pool, bo, "curator-b@test.ru", &[Role::Curator]).await;
    let mut other = app.login("curator-b@test.ru").await;
    assert_eq!(
        other.get(&url.replace("school-a", "school-b")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_case_is_published_only_with_the_consent_of_the_people_it_names() {
    let (app, org, _program, mut curator) = school_with_program().await;
    member(&app.pool, org, "director@test.ru", &[Role::Director]).await;
    let fields = |consented: &'static str| {
        vec![
            ("title", "Как Маша полюбила математику"),
            ("problem", "Двойки по алгебре"),
            ("done", "Еженедельные занятия с наставником"),
            ("result", "«4» за четверть"),
            ("quotes", "«Теперь я не боюсь контрольных»"),
            ("consented", consented),
            ("published", "1"),
        ]
    };
    let r = curator.post("/o/school-a/cases", &fields("0")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("только с согласия");
    r.assert_contains("Двойки по алгебре");
    let r = curator.post("/o/school-a/cases", &fields("1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let url = r.location().to_string();
    let mut director = app.login("director@test.ru").await;
    let page = director.get(&url).await;
    page.assert_contains("Как Маша полюбила математику");
    page.assert_contains("опубликован");
    assert_eq!(
        director.post(&url, &fields("1")).await.status,
        StatusCode::FORBIDDEN
    );
    let published: bool = app.one("SELECT published FROM cases").await;
    assert!(published);
    let kid = participant(&app, org, _program, "k@test.ru", "Ученик", "mentee", true).await;
    let _ = kid;
    let mut k = app.login("k@test.ru").await;
    assert_eq!(
        k.get("/o/school-a/cases").await.status,
        StatusCode::NOT_FOUND
    );
    let bo = crate::builders::org(&app.pool, "school-b").await;
    member(&app.pool, bo, "curator-b@test.ru", &[Role::Curator]).await;
    let mut other = app.login("curator-b@test.ru").await;
    assert_eq!(
        other.get(&url.replace("school-a", "school-b")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other
            .post(&url.replace("school-a", "school-b"), &fields("1"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_program_closes_once_its_pairs_are_done_and_asks_for_satisfaction() {
    let (app, org, program, mut curator) = school_with_program().await;
    let pair = new_pair(
        &app,
        (org, program),
        ("m@test.ru", "Наставникова"),
        ("k@test.ru", "Ученикова"),
        60,
    )
    .await;
    let card = format!("/o/school-a/programs/{program}");
    curator
        .get(&card)
        .await
        .assert_contains("Завершить программу");
    let r = curator.post(&format!("{card}/close"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    curator
        .get(&card)
        .await
        .assert_contains("Сначала завершите или отмените пары программы: осталось 1");
    let today = chrono::Utc::now().date_naive().to_string();
    curator
        .post(
            &format!("/o/school-a/pairs/{pair}/complete"),
            &[
                ("ended_on", today.as_str()),
                ("goals_reached", "yes"),
                ("decision", "stop"),
                ("results", "Проект"),
            ],
        )
        .await;
    let before: i64 = app.one("SELECT count(*) FROM assignments").await;
    let r = curator.post(&format!("{card}/close"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let status: String = app
        .one_for("SELECT status FROM programs WHERE id = $1", program)
        .await;
    assert_eq!(status, "finished");
    let given: Vec<String> = app
        .all("SELECT a.audience FROM assignments a JOIN questionnaires q ON q.id = a.questionnaire_id WHERE a.audience IN ('mentors', 'mentees') ORDER BY 1")
        .await;
    assert_eq!(given, ["mentees", "mentors"]);
    let after: i64 = app.one("SELECT count(*) FROM assignments").await;
    assert_eq!(after, before + 2);
    let mut kid = app.login("k@test.ru").await;
    assert_eq!(
        kid.post(&format!("{card}/close"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

/// The completion commands keep stage 7's rules whoever calls them (no page, no HTTP): only the
/// pair's mentor or a curator completes, a refused completion names its fields and writes
/// nothing, a completed pair is not completed twice; only a member writes a final report; a
/// program with open pairs is not closed, nor closed twice; a curator nominates a best mentor
/// with a reason and only the director confirms; a case naming the school's people is published
/// only once the curator confirms their consent.
#[tokio::test]
async fn the_completion_commands_keep_their_rules_without_a_page() {
    use nastavnik::completion::{
        BestStep, CaseRefused, Closing, CompleteForm, Completion, close_program, complete,
        decide_best, save_case, write_report,
    };
    use nastavnik::error::AppError;
    use nastavnik::pairing::Relation;
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let director = member(&app.pool, org_id, "director@test.ru", &[Role::Director]).await;
    let pair_id = new_pair(
        &app,
        (org_id, program_id),
        ("m1@test.ru", "Абрамова"),
        ("k1@test.ru", "Котов"),
        40,
    )
    .await;
    let (curator, org, program) = command_scene(&app, org_id, program_id).await;
    let by_curator = Actor::new(&org, curator, "http://localhost");
    let by_director = Actor::new(&org, director, "http://localhost");
    let mentor: uuid::Uuid = app
        .one_for(
            "SELECT person_id FROM pair_members WHERE pair_id = $1 AND role = 'mentor'",
            pair_id,
        )
        .await;
    let kid: uuid::Uuid = app
        .one_for(
            "SELECT person_id FROM pair_members WHERE pair_id = $1 AND role = 'mentee'",
            pair_id,
        )
        .await;
    let load = || async {
        let mut conn = app.pool.acquire().await.unwrap();
        nastavnik::pairing::pair(&mut conn, org_id, pair_id)
            .await
            .unwrap()
            .unwrap()
    };
    let pair = load().await;
    let today = org.today();
    let good = CompleteForm {
        ended_on: today.format("%Y-%m-%d").to_string(),
        results: "Проект защищён на школьной конференции.".into(),
        goals_reached: "yes".into(),
        decision: "stop".into(),
        ..CompleteForm::default()
    };

    // Closing waits for the pair.
    let mut tx = app.pool.begin().await.unwrap();
    let r = close_program(&mut tx, &by_director, program.id).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let r = close_program(&mut tx, &by_curator, program.id)
        .await
        .unwrap();
    assert_eq!(r, Closing::PairsOpen(1));

    // Completion: the director only reads; a bad form names its fields.
    let r = complete(&mut tx, &by_director, &pair, Relation::Director, &good).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let future = CompleteForm {
        ended_on: (today + chrono::Duration::days(3))
            .format("%Y-%m-%d")
            .to_string(),
        ..CompleteForm::default()
    };
    match complete(&mut tx, &by_curator, &pair, Relation::Curator, &future).await {
        Err(Refused::Invalid(e)) => {
            assert_eq!(e.get("ended_on"), "Дата завершения — не позже сегодняшней.");
            for f in ["goals_reached", "decision", "results"] {
                assert!(e.has(f), "{f}: {e:?}");
            }
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    tx.commit().await.unwrap();
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM pair_results").await,
        0,
        "a refused completion writes nothing"
    );

    // The mentor completes; the mentee is done in the base; completing again changes nothing.
    let mut tx = app.pool.begin().await.unwrap();
    let r = complete(&mut tx, &by_curator, &pair, Relation::Mentor(mentor), &good)
        .await
        .unwrap();
    assert_eq!(r, Completion::Completed);
    let again = complete(&mut tx, &by_curator, &pair, Relation::Curator, &good)
        .await
        .unwrap();
    assert_eq!(
        again,
        Completion::AlreadyDone,
        "the stale row: the update finds no agreed pair"
    );
    tx.commit().await.unwrap();
    assert_eq!(
        complete(
            &mut app.pool.acquire().await.unwrap(),
            &by_curator,
            &load().await,
            Relation::Curator,
            &good
        )
        .await
        .unwrap(),
        Completion::AlreadyDone
    );
    assert_eq!(
        app.one_for::<String>(
            "SELECT status FROM enrolments WHERE person_id = $1 AND role = 'mentee'",
            kid
        )
        .await,
        "finished"
    );
    assert_eq!(app.one::<i64>("SELECT count(*) FROM pair_results").await, 1);

    // The final reports: a member's own, not the curator's; an empty one is refused.
    let done = load().await;
    let mut tx = app.pool.begin().await.unwrap();
    let r = write_report(&mut tx, &by_curator, &done, Relation::Curator, "Отчёт").await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    match write_report(&mut tx, &by_curator, &done, Relation::Mentee(kid), "  ").await {
        Err(Refused::Invalid(e)) => assert!(e.has("report")),
        other => panic!("expected a refusal, got {other:?}"),
    }
    write_report(
        &mut tx,
        &by_curator,
        &done,
        Relation::Mentee(kid),
        "Мне понравилось.",
    )
    .await
    .unwrap();
    // Now the program closes, once.
    assert_eq!(
        close_program(&mut tx, &by_curator, program.id)
            .await
            .unwrap(),
        Closing::Closed
    );
    assert_eq!(
        close_program(&mut tx, &by_curator, program.id)
            .await
            .unwrap(),
        Closing::AlreadyFinished
    );
    tx.commit().await.unwrap();
    assert_eq!(
        app.one::<String>("SELECT mentee_report FROM pair_results")
            .await,
        "Мне понравилось."
    );

    // «Лучшие наставники»: the curator nominates with a reason, the director confirms.
    let mut tx = app.pool.begin().await.unwrap();
    let r = decide_best(
        &mut tx,
        &by_director,
        (program.id, mentor),
        BestStep::Nominate("За проект".into()),
    )
    .await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let r = decide_best(&mut tx, &by_curator, (program.id, kid), BestStep::Withdraw).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "a mentee: {r:?}"
    );
    match decide_best(
        &mut tx,
        &by_curator,
        (program.id, mentor),
        BestStep::Nominate(" ".into()),
    )
    .await
    {
        Err(Refused::Invalid(e)) => assert!(e.has("reason")),
        other => panic!("expected a refusal, got {other:?}"),
    }
    decide_best(
        &mut tx,
        &by_curator,
        (program.id, mentor),
        BestStep::Nominate("Провела проект с группой".into()),
    )
    .await
    .unwrap();
    let r = decide_best(
        &mut tx,
        &by_curator,
        (program.id, mentor),
        BestStep::Confirm,
    )
    .await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    decide_best(
        &mut tx,
        &by_director,
        (program.id, mentor),
        BestStep::Confirm,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM best_mentors WHERE confirmed_by IS NOT NULL")
            .await,
        1
    );

    // A case: the curator's; published only with consent, and the school's names confirmed.
    let mut case = nastavnik::completion::repo::Case {
        id: uuid::Uuid::nil(),
        program_id: Some(program.id),
        title: "Проект: Котов и его наставник".into(),
        problem: "Не хватало уверенности.".into(),
        done: String::new(),
        result: String::new(),
        quotes: String::new(),
        consented: false,
        published: true,
        names_checked: false,
    };
    let mut tx = app.pool.begin().await.unwrap();
    let r = save_case(&mut tx, &by_director, &mut case, false).await;
    assert!(
        matches!(
            r,
            Err(CaseRefused {
                refused: Refused::Failed(AppError::Forbidden),
                ..
            })
        ),
        "{r:?}"
    );
    match save_case(&mut tx, &by_curator, &mut case, false).await {
        Err(CaseRefused {
            refused: Refused::Invalid(e),
            ..
        }) => assert!(e.has("published")),
        other => panic!("expected a refusal, got {other:?}"),
    }
    case.consented = true;
    match save_case(&mut tx, &by_curator, &mut case, false).await {
        Err(CaseRefused {
            refused: Refused::Invalid(e),
            names,
        }) => {
            assert!(e.has("published"));
            assert!(names.iter().any(|n| n.starts_with("Котов")), "{names:?}");
        }
        other => panic!("expected the names to confirm, got {other:?}"),
    }
    let id = save_case(&mut tx, &by_curator, &mut case, true)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        app.one_for::<bool>("SELECT names_checked FROM cases WHERE id = $1", id)
            .await
    );
}
