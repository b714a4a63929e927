//! Questionnaires: the builder with versions, giving, filling with drafts, results, XLSX, isolation.

use axum::http::StatusCode;

use crate::support::*;

struct Setup {
    app: TestApp,
    org: uuid::Uuid,
    program: uuid::Uuid,
    curator: Client,
}

async fn setup() -> Setup {
    let (app, org, program, curator) = school_with_program().await;
    Setup {
        app,
        org,
        program,
        curator,
    }
}

#[tokio::test]
async fn every_question_type_from_builder_to_results() {
    let Setup {
        app,
        org: org_id,
        program: p,
        mut curator,
    } = setup().await;
    let ann = participant(&app, org_id, p, "ann@test.ru", "Аннина", "mentee", true).await;
    let bob = participant(&app, org_id, p, "bob@test.ru", "Бобров", "mentee", true).await;
    let mentor = participant(
        &app,
        org_id,
        p,
        "mentor@test.ru",
        "Наставников",
        "mentor",
        true,
    )
    .await;
    // The templates exist in the organization.
    let list = curator.get("/o/school-a/questionnaires").await;
    for t in [
        "Анкета наставника",
        "Анкета наставляемого",
        "Тестирование наставника",
        "Предпочтения после групповой встречи",
        "Обратная связь после встречи",
        "Мониторинг участника",
    ] {
        list.assert_contains(t);
    }
    // Build one with every type.
    let r = curator
        .post(
            "/o/school-a/questionnaires",
            &[("title", "Проверочная анкета"), ("purpose", "other")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let q_url = r.location().to_string();
    let add = |kind: &'static str, text: &'static str, extra: Vec<(&'static str, &'static str)>| {
        let mut f = vec![
            ("kind", kind),
            ("text", text),
            ("section", "0"),
            ("required", "1"),
        ];
        f.extend(extra);
        f
    };
    let questions = vec![
        add("single", "Один вариант", vec![("options", "очно\nонлайн")]),
        add(
            "multiple",
            "Несколько вариантов",
            vec![
                ("options", "а\nб\nв"),
                ("max_choices", "2"),
                ("matching_key", "help_areas"),
            ],
        ),
        add(
            "scale",
            "Шкала",
            vec![
                ("scale_max", "10"),
                ("min_label", "плохо"),
                ("max_label", "хорошо"),
            ],
        ),
        add("yes_no", "Да или нет", vec![]),
        add("short_text", "Коротко", vec![]),
        add("long_text", "Подробно", vec![]),
        add("number", "Число", vec![("min", "1"), ("max", "10")]),
        add("date", "Дата", vec![]),
        add("availability", "Когда удобно", vec![]),
        add("rank_people", "Кого выберете", vec![("rank_max", "2")]),
    ];
    for f in &questions {
        let r = curator.post(&format!("{q_url}/questions"), f).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{f:?}: {}", r.body);
    }
    // A question without options is refused, with the input kept.
    let r = curator
        .post(
            &format!("{q_url}/questions"),
            &[
                ("kind", "single"),
                ("text", "Без вариантов"),
                ("section", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("хотя бы два варианта");
    r.assert_contains("value=\"Без вариантов\"");
    let show = curator.get(&q_url).await;
    for (_, t) in questions.iter().map(|f| (f[0].1, f[1].1)) {
        show.assert_contains(t);
    }
    // Assign to the program's mentees.
    let pid = p.to_string();
    let r = curator
        .post(
            &format!("{q_url}/assign"),
            &[
                ("program", &pid),
                ("audience", "mentees"),
                ("deadline", "2099-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let results_url = r.location().to_string();
    let aid = results_url.rsplit('/').next().unwrap().to_string();
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM assignment_targets")
            .await,
        2
    );
    // Ann sees it on her home page and fills it; the first attempt has errors.
    let mut a = app.login("ann@test.ru").await;
    let home = a.get("/o/school-a").await;
    home.assert_contains("Мои анкеты");
    home.assert_contains("Проверочная анкета");
    home.assert_contains("Новая анкета");
    // Opening the notification marks it read and leads to the form.
    let note = home
        .body
        .split("/o/school-a/notifications/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let r = a.get(&format!("/o/school-a/notifications/{note}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().contains("/my/forms/"));
    let home = a.get("/o/school-a").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(!home.body.contains(&note));
    let form_url = format!("/o/school-a/my/forms/{aid}");
    let page = a.get(&form_url).await;
    page.assert_contains("Когда удобно");
    page.assert_contains("Наставников Иван");
    let mentor_id = mentor.to_string();
    let bad = [
        ("a_q1", "очно"),
        ("a_q2", "а"),
        ("a_q2", "б"),
        ("a_q2", "в"),
        ("a_q3", "11"),
        ("a_q4", "yes"),
        ("a_q5", "Мой короткий ответ"),
        ("a_q6", "Мой длинный ответ, который нельзя потерять"),
        ("a_q7", "42"),
        ("a_q8", "31.02.2026"),
        ("a_q9", "mon-evening"),
        ("a_q9", "sat-morning"),
        ("a_q10", mentor_id.as_str()),
        ("a_q10", mentor_id.as_str()),
    ];
    let r = a.post(&form_url, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Можно выбрать не больше 2");
    r.assert_contains("Выберите значение от 1 до 10");
    r.assert_contains("Введите число от 1 до 10");
    r.assert_contains("Введите дату");
    r.assert_contains("Каждого человека можно выбрать один раз");
    // Everything typed is kept on the page and in the draft.
    r.assert_contains("Мой длинный ответ, который нельзя потерять");
    r.assert_contains("value=\"Мой короткий ответ\"");
    r.assert_contains("value=\"42\"");
    r.assert_contains("value=\"mon-evening\" checked");
    r.assert_contains("value=\"в\" checked");
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM responses WHERE status = 'draft'")
            .await,
        1
    );
    let good = [
        ("a_q1", "очно"),
        ("a_q2", "а"),
        ("a_q2", "б"),
        ("a_q3", "8"),
        ("a_q4", "yes"),
        ("a_q5", "Мой короткий ответ"),
        ("a_q6", "Мой длинный ответ, который нельзя потерять"),
        ("a_q7", "7,5"),
        ("a_q8", "2026-11-20"),
        ("a_q9", "mon-evening"),
        ("a_q9", "sat-morning"),
        ("a_q10", mentor_id.as_str()),
        ("a_q10", ""),
    ];
    let r = a.post(&form_url, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM responses WHERE status = 'submitted'")
            .await,
        1
    );
    // Bob only saves a draft through the autosave (htmx).
    let mut b = app.login("bob@test.ru").await;
    let bob_url = format!("/o/school-a/my/forms/{aid}");
    b.get(&bob_url).await;
    let token = b.csrf.clone().unwrap();
    let r = b
        .send(
            axum::http::Request::post(format!("{bob_url}/draft"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("hx-request", "true")
                .body(axum::body::Body::from(form_body(&[
                    ("_csrf", &token),
                    ("a_q5", "черновик Боба"),
                ])))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    r.assert_contains("Черновик сохранён");
    b.get(&bob_url)
        .await
        .assert_contains("value=\"черновик Боба\"");
    // The curator sees the summary and downloads the XLSX.
    let res = curator.get(&results_url).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains("1 из 2");
    res.assert_contains("<svg class=\"bars\"");
    res.assert_contains("среднее 8,0");
    res.assert_contains("Мой длинный ответ");
    res.assert_contains("Бобров Иван, 7А — черновик");
    let r = curator
        .post(&format!("/o/school-a/assignments/{aid}/remind"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM notifications WHERE text LIKE 'Напоминание%'")
            .await,
        1
    );
    let x = curator
        .get(&format!("/o/school-a/assignments/{aid}/export.xlsx"))
        .await;
    assert_eq!(x.status, StatusCode::OK);
    assert_eq!(
        x.headers.get("content-type").unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    // One row per respondent, read from the workbook itself.
    let rows = x.xlsx_rows();
    assert!(rows.len() >= 2, "{rows:?}");
    assert!(
        rows.iter()
            .skip(1)
            .flatten()
            .any(|c| c.contains("Наставников")),
        "{rows:?}"
    );
    // One person's answers, and on the person's card.
    let ans = curator
        .get(&format!("/o/school-a/assignments/{aid}/answers/{ann}"))
        .await;
    ans.assert_contains("Пн вечер, Сб утро");
    ans.assert_contains("1. Наставников Иван");
    ans.assert_contains("20.11.2026");
    curator
        .get(&format!("/o/school-a/people/{ann}"))
        .await
        .assert_contains("Проверочная анкета");
    // The curator fills Bob's paper form on his behalf.
    let r = curator
        .post(&format!("/o/school-a/assignments/{aid}/fill/{bob}"), &good)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM responses WHERE status = 'submitted' AND on_behalf")
            .await,
        1
    );
}

#[tokio::test]
async fn editing_an_answered_questionnaire_makes_a_new_version_and_old_answers_stay() {
    let Setup {
        app,
        org: org_id,
        program: p,
        mut curator,
    } = setup().await;
    let ann = participant(&app, org_id, p, "ann@test.ru", "Аннина", "mentee", true).await;
    let r = curator
        .post(
            "/o/school-a/questionnaires",
            &[("title", "Версии"), ("purpose", "other")],
        )
        .await;
    let q_url = r.location().to_string();
    curator
        .post(
            &format!("{q_url}/questions"),
            &[
                ("kind", "single"),
                ("text", "Любимый предмет"),
                ("section", "0"),
                ("options", "физика\nхимия"),
            ],
        )
        .await;
    // Editing before any answer changes the version in place.
    curator
        .post(
            &format!("{q_url}/questions"),
            &[
                ("key", "q1"),
                ("kind", "single"),
                ("text", "Любимый предмет"),
                ("options", "физика\nхимия\nбиология"),
            ],
        )
        .await;
    assert_eq!(app.one::<i64>("SELECT count(*) FROM questionnaire_versions v JOIN questionnaires q ON q.id = v.questionnaire_id WHERE q.title = 'Версии'").await, 1);
    let r = curator
        .post(
            &format!("{q_url}/assign"),
            &[("program", &p.to_string()), ("audience", "mentees")],
        )
        .await;
    let aid = r.location().rsplit('/').next().unwrap().to_string();
    let mut a = app.login("ann@test.ru").await;
    let r = a
        .post(&format!("/o/school-a/my/forms/{aid}"), &[("a_q1", "химия")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Now the curator renames the option and the question: a new version.
    let r = curator
        .post(
            &format!("{q_url}/questions"),
            &[
                ("key", "q1"),
                ("kind", "single"),
                ("text", "Какой предмет нравится больше всего?"),
                ("options", "физика\nбиология\nгеография"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    curator
        .get(r.location())
        .await
        .assert_contains("Создана версия 2");
    curator.get(&q_url).await.assert_contains("версия 2");
    // Ann's answer still shows as she gave it, with the question of her version.
    let ans = curator
        .get(&format!("/o/school-a/assignments/{aid}/answers/{ann}"))
        .await;
    ans.assert_contains("Любимый предмет");
    ans.assert_contains("химия");
    ans.assert_contains("версия анкеты 1");
    let stored: String = app.one("SELECT answers->'q1'->>0 FROM responses").await;
    assert_eq!(stored, "химия");
    curator
        .get(&format!("/o/school-a/assignments/{aid}"))
        .await
        .assert_contains("дано на прежние версии");
}

#[tokio::test]
async fn no_questionnaire_without_consent() {
    let Setup {
        app,
        org: org_id,
        program: p,
        mut curator,
    } = setup().await;
    participant(&app, org_id, p, "ann@test.ru", "Аннина", "mentee", true).await;
    participant(
        &app,
        org_id,
        p,
        "kid@test.ru",
        "Безсогласия",
        "mentee",
        false,
    )
    .await;
    let qid = curator.first_questionnaire("school-a").await;
    let r = curator
        .post(
            &format!("/o/school-a/questionnaires/{qid}/assign"),
            &[("program", &p.to_string()), ("audience", "mentees")],
        )
        .await;
    let page = curator.get(r.location()).await;
    page.assert_contains("Анкета выдана: 1 человек");
    page.assert_contains("нет действующего согласия");
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM assignment_targets")
            .await,
        1
    );
    // The one without consent cannot open it.
    let aid = r.location().rsplit('/').next().unwrap().to_string();
    let mut kid = app.login("kid@test.ru").await;
    assert_eq!(
        kid.get(&format!("/o/school-a/my/forms/{aid}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn questionnaire_routes_are_isolated_between_organizations() {
    let app = spawn().await;
    let t = two_orgs(&app).await;
    let b_person = participant(
        &app,
        t.b,
        t.b_program,
        "b-kid@test.ru",
        "Чужой",
        "mentee",
        true,
    )
    .await;
    let mut cb = app.login("curator-b@test.ru").await;
    let bq = cb.first_questionnaire("school-b").await;
    let r = cb
        .post(
            &format!("/o/school-b/questionnaires/{bq}/assign"),
            &[
                ("program", &t.b_program.to_string()),
                ("audience", "mentees"),
            ],
        )
        .await;
    let ba = r.location().rsplit('/').next().unwrap().to_string();
    let mut a = app.login("curator-a@test.ru").await;
    a.get("/o/school-a/questionnaires").await;
    for path in [
        format!("/o/school-a/questionnaires/{bq}"),
        format!("/o/school-a/questionnaires/{bq}/questions/q1"),
        format!("/o/school-a/assignments/{ba}"),
        format!("/o/school-a/assignments/{ba}/export.xlsx"),
        format!("/o/school-a/assignments/{ba}/answers/{b_person}"),
        format!("/o/school-a/assignments/{ba}/fill/{b_person}"),
        format!("/o/school-a/my/forms/{ba}"),
        "/o/school-b/questionnaires".to_string(),
    ] {
        assert_eq!(
            a.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "GET {path}"
        );
    }
    for path in [
        format!("/o/school-a/questionnaires/{bq}/rename"),
        format!("/o/school-a/questionnaires/{bq}/copy"),
        format!("/o/school-a/questionnaires/{bq}/questions"),
        format!("/o/school-a/questionnaires/{bq}/questions/q1"),
        format!("/o/school-a/questionnaires/{bq}/assign"),
        format!("/o/school-a/assignments/{ba}/remind"),
        format!("/o/school-a/assignments/{ba}/fill/{b_person}"),
        format!("/o/school-a/assignments/{ba}/fill/{b_person}/draft"),
        format!("/o/school-a/my/forms/{ba}"),
        format!("/o/school-a/my/forms/{ba}/draft"),
    ] {
        let r = a
            .post(
                &path,
                &[
                    ("title", "x"),
                    ("purpose", "other"),
                    ("kind", "short_text"),
                    ("text", "x"),
                    ("action", "delete"),
                    ("audience", "mentees"),
                    ("program", &t.b_program.to_string()),
                    ("a_q1", "x"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "POST {path}");
    }
    // A's own questionnaire cannot be given to B's program either.
    let aq = a.first_questionnaire("school-a").await;
    let r = a
        .post(
            &format!("/o/school-a/questionnaires/{aq}/assign"),
            &[
                ("program", &t.b_program.to_string()),
                ("audience", "mentees"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.one::<i64>("SELECT count(*) FROM responses").await, 0);
    // Mentors do not see the builder.
    let mut m = app.login("mentor-a@test.ru").await;
    assert_eq!(
        m.get("/o/school-a/questionnaires").await.status,
        StatusCode::FORBIDDEN
    );
}

/// The answer command keeps a questionnaire's rules whoever calls it (no page, no HTTP): nothing
/// is kept without a valid consent; answers that break the questions' rules are refused with the
/// problems and kept as a draft; a submitted answer is final — a later draft or submission leaves
/// it as it was — and only a change asked for on purpose replaces it, with an audit entry.
#[tokio::test]
async fn the_answer_command_keeps_a_submitted_answer_final_without_a_page() {
    use nastavnik::questionnaires::{Answered, NotTaken, Sending, Target};

    let (app, org_id, program, _c) = school_with_program().await;
    let kid = participant(
        &app,
        org_id,
        program,
        "kid@test.ru",
        "Ученикова",
        "mentee",
        true,
    )
    .await;
    let other = participant(
        &app,
        org_id,
        program,
        "other@test.ru",
        "Безсогласия",
        "mentee",
        false,
    )
    .await;
    let (aid, cur) = give(
        &app.pool,
        org_id,
        program,
        "mentee_form",
        "mentees",
        &[kid, other],
    )
    .await;
    let curator: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'curator@test.ru'")
        .await;
    let mut conn = app.pool.acquire().await.unwrap();
    let org = nastavnik::tenancy::org_by_id(&mut conn, org_id)
        .await
        .unwrap();
    let assignment = nastavnik::questionnaires::repo::assignment(&mut conn, org_id, aid)
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    let by = nastavnik::tenancy::Actor::new(&org, curator, "http://localhost");
    let target = |person_id| Target {
        assignment: &assignment,
        person_id,
        version_id: cur.version_id,
        def: &cur.def,
        people: &[],
        on_behalf: true,
    };
    let answers = profile_answers(&cur, 0, false);
    let stored = |person: uuid::Uuid| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_as::<_, (serde_json::Value, String)>(
                "SELECT answers, status FROM responses WHERE person_id = $1",
            )
            .bind(person)
            .fetch_optional(&pool)
            .await
            .unwrap()
        }
    };
    let send = |person, raw: nastavnik::questionnaires::model::Raw, sending| {
        let pool = app.pool.clone();
        let target = target(person);
        async move {
            let mut tx = pool.begin().await.unwrap();
            let r = nastavnik::questionnaires::answer(&mut tx, &by, &target, &raw, sending).await;
            tx.commit().await.unwrap();
            r
        }
    };

    let r = send(other, answers.clone(), Sending::Submit).await;
    assert!(matches!(r, Err(NotTaken::NoConsent)), "{r:?}");
    assert_eq!(stored(other).await, None, "nothing kept without a consent");

    let r = send(kid, Default::default(), Sending::Submit).await;
    match r {
        Err(NotTaken::Invalid(problems)) => assert!(!problems.is_empty()),
        other => panic!("expected the questions' problems, got {other:?}"),
    }
    assert_eq!(stored(kid).await.unwrap().1, "draft", "kept as a draft");

    assert_eq!(
        send(kid, answers.clone(), Sending::Submit).await.unwrap(),
        Answered::Submitted
    );
    let submitted = stored(kid).await.unwrap();
    assert_eq!(submitted.1, "submitted");

    let mut other_answers = answers.clone();
    other_answers.insert("extra".into(), vec!["новое".into()]);
    assert_eq!(
        send(kid, Default::default(), Sending::Draft).await.unwrap(),
        Answered::DraftAfterSubmission
    );
    let r = send(kid, other_answers.clone(), Sending::Submit).await;
    assert!(matches!(r, Err(NotTaken::Submitted)), "{r:?}");
    assert_eq!(
        stored(kid).await.unwrap(),
        submitted,
        "a submitted answer is final"
    );
    let audits =
        || app.one::<i64>("SELECT count(*) FROM audit_log WHERE action = 'response.change'");
    assert_eq!(audits().await, 0);

    assert_eq!(
        send(kid, other_answers, Sending::Change).await.unwrap(),
        Answered::Changed
    );
    assert_ne!(stored(kid).await.unwrap(), submitted);
    assert_eq!(audits().await, 1);
}

/// The builder's commands keep their rules whoever calls them (no page, no HTTP): a curator's
/// only; a questionnaire needs a title within 200 characters and a purpose; a copy is a new one;
/// it is given to a program's mentees with a valid consent only (the others counted, never
/// given), or on a schedule of a day and 1–14 days to answer; another organization's is not
/// found.
#[tokio::test]
async fn the_builder_commands_keep_their_rules_without_a_page() {
    use nastavnik::auth::model::Role;
    use nastavnik::error::AppError;
    use nastavnik::questionnaires::builder::{
        Giving, Schedule, add_schedule, copy, create, delete_schedule, give_to, rename,
    };
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let director = member(&app.pool, org_id, "director@test.ru", &[Role::Director]).await;
    participant(
        &app,
        org_id,
        program_id,
        "k1@test.ru",
        "Котов",
        "mentee",
        true,
    )
    .await;
    participant(
        &app,
        org_id,
        program_id,
        "k2@test.ru",
        "Лисин",
        "mentee",
        false,
    )
    .await;
    let (curator, org, program) = command_scene(&app, org_id, program_id).await;
    let by = Actor::new(&org, curator, "http://localhost");
    let by_director = Actor::new(&org, director, "http://localhost");
    let mut conn = app.pool.acquire().await.unwrap();
    let r = create(&mut conn, &by_director, ("Входная анкета", "mentee_form")).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let r = create(&mut conn, &by, ("Входная анкета", "horoscope")).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("title")),
        "{r:?}"
    );
    let long = "а".repeat(201);
    let r = create(&mut conn, &by, (long.as_str(), "mentee_form")).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.first().starts_with("Название анкеты: Не длиннее 200")),
        "{r:?}"
    );
    let id = create(&mut conn, &by, (" Входная анкета ", "mentee_form"))
        .await
        .unwrap();
    let twin = copy(&mut conn, &by, id).await.unwrap();
    assert_ne!(twin, id);
    rename(&mut conn, &by, twin, ("Итоговая анкета", "mentee_form"))
        .await
        .unwrap();
    let r = rename(
        &mut conn,
        &by,
        uuid::Uuid::new_v4(),
        ("Итог", "mentee_form"),
    )
    .await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    assert_eq!(
        app.one_for::<String>("SELECT title FROM questionnaires WHERE id = $1", twin)
            .await,
        "Итоговая анкета"
    );

    // Given to the program's mentees: only with a valid consent.
    let r = give_to(
        &mut conn,
        &by,
        id,
        &Giving {
            audience: "mentees".into(),
            ..Giving::default()
        },
    )
    .await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("audience")),
        "no program: {r:?}"
    );
    let giving = Giving {
        audience: "mentees".into(),
        program: Some(program.id),
        deadline: "завтра".into(),
        ..Giving::default()
    };
    let r = give_to(&mut conn, &by, id, &giving).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("deadline")),
        "{r:?}"
    );
    let given = give_to(
        &mut conn,
        &by,
        id,
        &Giving {
            deadline: String::new(),
            ..giving
        },
    )
    .await
    .unwrap();
    assert_eq!((given.given, given.refused), (1, 1));

    // On a schedule.
    let weekly = Schedule {
        audience: "mentees".into(),
        program: Some(program.id),
        weekday: 5,
        days_to_answer: 3,
    };
    let r = add_schedule(
        &mut conn,
        &by,
        id,
        &Schedule {
            days_to_answer: 30,
            ..weekly.clone()
        },
    )
    .await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("audience")),
        "{r:?}"
    );
    let r = add_schedule(
        &mut conn,
        &by,
        id,
        &Schedule {
            program: None,
            ..weekly.clone()
        },
    )
    .await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("program")),
        "{r:?}"
    );
    add_schedule(&mut conn, &by, id, &weekly).await.unwrap();
    let schedule: uuid::Uuid = app.one("SELECT id FROM questionnaire_schedules").await;
    delete_schedule(&mut conn, &by, id, schedule).await.unwrap();
    let r = delete_schedule(&mut conn, &by, id, schedule).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
}

/// The questions of a questionnaire without a page: a curator's; a bad question is refused with
/// its reason; added, moved across a section border, deleted (no one has answered: no new
/// version); a key the questionnaire lacks is 404.
#[tokio::test]
async fn the_question_commands_keep_their_rules_without_a_page() {
    use nastavnik::auth::model::Role;
    use nastavnik::error::AppError;
    use nastavnik::questionnaires::builder::create;
    use nastavnik::questionnaires::questions::{Move, QuestionForm, move_question, save_question};
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let mentor = member(&app.pool, org_id, "m@test.ru", &[Role::Mentor]).await;
    let (curator, org, _program) = command_scene(&app, org_id, program_id).await;
    let by = Actor::new(&org, curator, "http://localhost");
    let by_mentor = Actor::new(&org, mentor, "http://localhost");
    let mut conn = app.pool.acquire().await.unwrap();
    let q = create(&mut conn, &by, ("Анкета", "mentee_form"))
        .await
        .unwrap();
    let text = |t: &str| QuestionForm {
        kind: "short_text".into(),
        text: t.into(),
        ..Default::default()
    };
    let r = save_question(&mut conn, &by_mentor, q, &text("Ваше имя?")).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let choice = QuestionForm {
        kind: "single".into(),
        text: "Любимый предмет?".into(),
        options: "Математика".into(),
        ..Default::default()
    };
    match save_question(&mut conn, &by, q, &choice).await {
        Err(Refused::Invalid(e)) => assert!(e.first().contains("два варианта")),
        r => panic!("expected a refusal, got {r:?}"),
    }
    let r = save_question(&mut conn, &by, q, &text("Первый?"))
        .await
        .unwrap();
    assert_eq!((r.done, r.new_version), ("Вопрос добавлен.", None));
    let second = QuestionForm {
        new_section: "Второй раздел".into(),
        ..text("Второй?")
    };
    save_question(&mut conn, &by, q, &second).await.unwrap();
    let def = || async {
        let mut c = app.pool.acquire().await.unwrap();
        nastavnik::questionnaires::repo::current(&mut c, org_id, q)
            .await
            .unwrap()
            .unwrap()
            .def
    };
    let d = def().await;
    assert_eq!(d.sections.len(), 2);
    let second_key = d.sections[1].questions[0].key.clone();
    // Up from the top of its section: into the section above.
    let r = move_question(&mut conn, &by, q, &second_key, Move::Up)
        .await
        .unwrap();
    assert_eq!(r.done, "Порядок изменён.");
    let d = def().await;
    assert_eq!(d.sections[0].questions.len(), 2);
    assert!(d.sections[1].questions.is_empty());
    let r = move_question(&mut conn, &by, q, "no-such-key", Move::Delete).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    let r = move_question(&mut conn, &by, q, &second_key, Move::Delete)
        .await
        .unwrap();
    assert_eq!((r.done, r.new_version), ("Вопрос удалён.", None));
    assert_eq!(def().await.sections[0].questions.len(), 1);
}

/// A reminder without a page: a curator's; another organization's sending is 404; those who have
/// not submitted are told, a second press in the same minute sends no second e-mail.
#[tokio::test]
async fn the_reminder_command_keeps_its_rules_without_a_page() {
    use nastavnik::auth::model::Role;
    use nastavnik::error::AppError;
    use nastavnik::questionnaires::builder::{Giving, create, give_to};
    use nastavnik::questionnaires::remind::{Reminded, remind};
    use nastavnik::tenancy::Actor;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let mentor = member(&app.pool, org_id, "m@test.ru", &[Role::Mentor]).await;
    participant(
        &app,
        org_id,
        program_id,
        "k1@test.ru",
        "Котов",
        "mentee",
        true,
    )
    .await;
    let (curator, org, program) = command_scene(&app, org_id, program_id).await;
    let by = Actor::new(&org, curator, "http://localhost");
    let mut conn = app.pool.acquire().await.unwrap();
    let q = create(&mut conn, &by, ("Анкета", "mentee_form"))
        .await
        .unwrap();
    let giving = Giving {
        audience: "mentees".into(),
        program: Some(program.id),
        people: Vec::new(),
        deadline: String::new(),
    };
    let sending = give_to(&mut conn, &by, q, &giving).await.unwrap().sending;
    let r = remind(
        &mut conn,
        &Actor::new(&org, mentor, "http://localhost"),
        sending,
    )
    .await;
    assert!(matches!(r, Err(AppError::Forbidden)), "{r:?}");
    let r = remind(&mut conn, &by, uuid::Uuid::new_v4()).await;
    assert!(matches!(r, Err(AppError::NotFound)), "{r:?}");
    let r = remind(&mut conn, &by, sending).await.unwrap();
    assert_eq!(
        r,
        Reminded {
            told: 1,
            mailed: 0,
            unreachable: 0
        }
    );
    let notes: i64 = app
        .one("SELECT count(*) FROM notifications WHERE text LIKE 'Напоминание: заполните анкету «Анкета»%'")
        .await;
    assert!(notes >= 1, "the mentee is told");
}
