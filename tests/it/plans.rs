//! The individual plan and the progress diary: mentor and mentee edit the plan, each change kept
//! as history, the curator and the director read it; the diary is the pair's and the curator's;
//! a mentee of a group sees only their own; every view of a child's plan or diary is audited;
//! another pair or organization finds nothing.

use axum::http::StatusCode;

use crate::support::*;
use nastavnik::auth::model::Role;

#[tokio::test]
async fn mentor_and_mentee_keep_the_plan_and_every_change_is_history() {
    let (app, org, program, mut curator) = school_with_program().await;
    member(&app.pool, org, "director@test.ru", &[Role::Director]).await;
    let pair = new_pair(
        &app,
        (org, program),
        ("mentor@test.ru", "Наставникова"),
        ("kid@test.ru", "Ученикова"),
        3,
    )
    .await;
    let kid: uuid::Uuid = app
        .one(&format!(
            "SELECT person_id FROM pair_members WHERE pair_id = '{pair}' AND role = 'mentee'"
        ))
        .await;
    let mut mentor = app.login("mentor@test.ru").await;
    let r = mentor.get(&format!("/o/school-a/pairs/{pair}/plan")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let plan = r.location().to_string();
    assert!(plan.ends_with(&kid.to_string()));
    let page = mentor.get(&plan).await;
    page.assert_contains("Индивидуальный план развития");
    page.assert_contains("Добавить цель");
    let r = mentor
        .post(
            &plan,
            &[
                ("self_analysis", "Люблю рисовать"),
                ("joint_analysis", "Нужна уверенность"),
                ("strengths", "креативность"),
                ("growth_zones", "коммуникация"),
                ("sphere", "creative"),
                ("stages", "club"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A goal without a title: 422, the typed values kept.
    let goals = format!("{plan}/goals");
    let r = mentor
        .post(
            &goals,
            &[
                ("title", ""),
                ("horizon", "months"),
                ("sphere", "creative"),
                ("status", "new"),
                ("progress", "0"),
                ("expected", "Выставка рисунков"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Выставка рисунков");
    r.assert_contains("Сформулируйте цель");
    let r = mentor
        .post(
            &goals,
            &[
                ("title", "Подготовить три рисунка к выставке"),
                ("horizon", "months"),
                ("sphere", "creative"),
                ("stage", "3"),
                ("status", "active"),
                ("progress", "40"),
                ("due_on", "2027-02-01"),
                ("expected", "Выставка рисунков"),
                ("measure", "3 работы"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let goal: uuid::Uuid = app.one("SELECT id FROM plan_goals").await;
    // The mentee moves it on; progress over 100 is refused with the form kept.
    let mut kid_c = app.login("kid@test.ru").await;
    let url = format!("{goals}/{goal}");
    let fields = |status: &'static str, progress: &'static str| {
        vec![
            ("title", "Подготовить три рисунка к выставке"),
            ("horizon", "months"),
            ("sphere", "creative"),
            ("stage", "3"),
            ("status", status),
            ("progress", progress),
            ("due_on", "2027-02-01"),
        ]
    };
    let r = kid_c.post(&url, &fields("active", "140")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Прогресс — число от 0 до 100");
    let r = kid_c.post(&url, &fields("done", "90")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = curator.get(&plan).await;
    page.assert_contains("достигнута, 100 %");
    page.assert_contains("статус: в работе → достигнута; прогресс: 40 → 100 %");
    page.assert_contains("Добавлена цель «Подготовить три рисунка к выставке»");
    page.assert_contains("Изменено: самоанализ, совместный анализ, сильные стороны, зоны роста, приоритетная сфера: творчество, этапы плана");
    page.assert_contains("«Сделаем вместе!»");
    assert!(!page.body.contains("Добавить цель"), "the curator reads");
    // The curator and the director read, never write.
    let r = curator
        .post(
            &goals,
            &[
                ("title", "x"),
                ("horizon", "months"),
                ("sphere", "study"),
                ("status", "new"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut director = app.login("director@test.ru").await;
    director
        .get(&plan)
        .await
        .assert_contains("Подготовить три рисунка");
    let history: i64 = app.one("SELECT count(*) FROM plan_history").await;
    assert_eq!(history, 3);
    let views: i64 = app
        .one(&format!(
            "SELECT count(*) FROM audit_log WHERE action = 'plan.view' AND person_id = '{kid}'"
        ))
        .await;
    assert!(
        views >= 4,
        "every view of the child's plan is audited: {views}"
    );
}

#[tokio::test]
async fn the_diary_is_the_pair_s_and_the_curator_s_and_a_group_mentee_sees_only_their_own() {
    let (app, org, program, mut curator) = school_with_program().await;
    member(&app.pool, org, "director@test.ru", &[Role::Director]).await;
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
    let group = agreed_pair(&app.pool, org, program, m, &[a, b], chrono::Utc::now()).await;
    let other = new_pair(
        &app,
        (org, program),
        ("m2@test.ru", "Другова"),
        ("c@test.ru", "Чужой"),
        1,
    )
    .await;
    let diary = format!("/o/school-a/pairs/{group}/diary");
    let mut ka = app.login("a@test.ru").await;
    // Nothing written: 422 and the date kept.
    let r = ka
        .post(&diary, &[("written_on", "2026-11-20"), ("mood", "4")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Напишите хотя бы одно");
    // A mentee cannot write about another mentee: the person is forced to themselves.
    let r = ka
        .post(
            &diary,
            &[
                ("person", b.to_string().as_str()),
                ("written_on", "2026-11-20"),
                ("done", "Решали задачи Аникина"),
                ("mood", "4"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut mentor = app.login("mentor@test.ru").await;
    let r = mentor
        .post(
            &diary,
            &[
                ("person", b.to_string().as_str()),
                ("written_on", "2026-11-21"),
                ("done", "Читали с Бориным"),
                ("hard", "Долго сосредоточиться"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let about_a: i64 = app
        .one(&format!(
            "SELECT count(*) FROM diary_entries WHERE person_id = '{a}'"
        ))
        .await;
    assert_eq!(about_a, 1);
    let page = ka.get(&diary).await;
    page.assert_contains("Решали задачи Аникина");
    assert!(
        !page.body.contains("Читали с Бориным"),
        "a sees only their own entries"
    );
    let page = curator.get(&diary).await;
    page.assert_contains("Читали с Бориным");
    page.assert_contains("Решали задачи Аникина");
    // The director: the plan yes, the diary no.
    let mut director = app.login("director@test.ru").await;
    assert_eq!(director.get(&diary).await.status, StatusCode::NOT_FOUND);
    // a cannot open b's plan; the other pair's members and another school see nothing.
    assert_eq!(
        ka.get(&format!("/o/school-a/pairs/{group}/plan/{b}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mut stranger = app.login("c@test.ru").await;
    for url in [
        diary.clone(),
        format!("/o/school-a/pairs/{group}/plan"),
        format!("/o/school-a/pairs/{group}/plan/{a}"),
    ] {
        assert_eq!(
            stranger.get(&url).await.status,
            StatusCode::NOT_FOUND,
            "{url}"
        );
    }
    let r = stranger
        .post(&diary, &[("done", "x"), ("written_on", "2026-11-20")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = stranger
        .post(
            &format!("/o/school-a/pairs/{group}/plan/{a}/goals"),
            &[("title", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A plan of the other pair's mentee through this pair's URL: 404.
    let c: uuid::Uuid = app
        .one(&format!(
            "SELECT person_id FROM pair_members WHERE pair_id = '{other}' AND role = 'mentee'"
        ))
        .await;
    assert_eq!(
        mentor
            .get(&format!("/o/school-a/pairs/{group}/plan/{c}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let b_org = org_b(&app).await;
    let mut curator_b = app.login(b_org).await;
    for url in [
        format!("/o/school-b/pairs/{group}/diary"),
        format!("/o/school-b/pairs/{group}/plan/{a}"),
    ] {
        assert_eq!(
            curator_b.get(&url).await.status,
            StatusCode::NOT_FOUND,
            "{url}"
        );
    }
    let audited: i64 = app
        .one(&format!(
            "SELECT count(*) FROM audit_log WHERE action = 'diary.view' AND person_id = '{b}'"
        ))
        .await;
    assert!(audited >= 1);
}

/// A second school with its own curator; returns the curator's e-mail.
async fn org_b(app: &TestApp) -> &'static str {
    let b = crate::builders::org(&app.pool, "school-b").await;
    member(
        &app.pool,
        b,
        "curator-b@test.ru",
        &[Role::Curator, Role::Director],
    )
    .await;
    "curator-b@test.ru"
}

/// The diary command keeps its rules without a page: a mentee writes only about themselves
/// whatever the form says, a person outside the pair, a date ahead, an empty entry and a mood of
/// 9 are refused and nothing is written; a good entry is written trimmed.
#[tokio::test]
async fn the_diary_command_keeps_its_rules_without_a_page() {
    use nastavnik::plans::DiaryForm;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program, _curator) = school_with_program().await;
    let m = participant(
        &app,
        org_id,
        program,
        "mentor@test.ru",
        "Наставникова",
        "mentor",
        true,
    )
    .await;
    let a = participant(&app, org_id, program, "a@test.ru", "Аникин", "mentee", true).await;
    let b = participant(&app, org_id, program, "b@test.ru", "Борин", "mentee", true).await;
    let group = agreed_pair(&app.pool, org_id, program, m, &[a, b], chrono::Utc::now()).await;
    let mut conn = app.pool.acquire().await.unwrap();
    let org = nastavnik::tenancy::org_by_slug(&mut conn, "school-a")
        .await
        .unwrap()
        .unwrap();
    let kid: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'a@test.ru'")
        .await;
    let actor = nastavnik::tenancy::Actor::new(&org, kid, "http://localhost");
    let today = org.today();
    let refused = |r: Result<(), Refused>| match r {
        Err(Refused::Invalid(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    };
    // The mentee sees only themselves: an entry «about» the other mentee is theirs.
    let mut form = DiaryForm {
        person: b.to_string(),
        written_on: (today + chrono::Duration::days(1)).to_string(),
        mood: "9".into(),
        ..DiaryForm::default()
    };
    let e = refused(
        nastavnik::plans::write_entry(&mut conn, &actor, group, (&[a], Some(a)), &mut form).await,
    );
    assert_eq!(form.person, a.to_string());
    assert_eq!(e.get("written_on"), "Запись — о том, что уже было.");
    assert_eq!(e.get("mood"), "Настроение — от 1 до 5.");
    assert!(e.get("done").starts_with("Напишите хотя бы одно"));
    // Someone outside the pair, as the mentor writes.
    let mut form = DiaryForm {
        person: uuid::Uuid::new_v4().to_string(),
        written_on: today.to_string(),
        done: "Решали задачи".into(),
        ..DiaryForm::default()
    };
    let e = refused(
        nastavnik::plans::write_entry(&mut conn, &actor, group, (&[a, b], None), &mut form).await,
    );
    assert_eq!(e.get("person"), "Выберите наставляемого.");
    let n: i64 = app.one("SELECT count(*) FROM diary_entries").await;
    assert_eq!(n, 0, "a refused entry writes nothing");
    let mut form = DiaryForm {
        written_on: today.to_string(),
        done: "  Решали задачи  ".into(),
        mood: "4".into(),
        ..DiaryForm::default()
    };
    nastavnik::plans::write_entry(&mut conn, &actor, group, (&[a], Some(a)), &mut form)
        .await
        .unwrap();
    let (person, done, mood): (uuid::Uuid, String, Option<i16>) =
        sqlx::query_as("SELECT person_id, done, mood FROM diary_entries")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((person, done.as_str(), mood), (a, "Решали задачи", Some(4)));
}

/// The plan's analysis command keeps its rules without a page: a sphere not in the list, stages
/// not chosen and a text over 4,000 characters are refused; a good save writes what changed into
/// the plan's history, and saving it again unchanged writes nothing more.
#[tokio::test]
async fn the_analysis_command_keeps_its_rules_without_a_page() {
    use nastavnik::plans::AnalysisForm;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program, _curator) = school_with_program().await;
    let m = participant(
        &app,
        org_id,
        program,
        "mentor@test.ru",
        "Наставникова",
        "mentor",
        true,
    )
    .await;
    let a = participant(&app, org_id, program, "a@test.ru", "Аникин", "mentee", true).await;
    let pair = agreed_pair(&app.pool, org_id, program, m, &[a], chrono::Utc::now()).await;
    let mut conn = app.pool.acquire().await.unwrap();
    let org = nastavnik::tenancy::org_by_slug(&mut conn, "school-a")
        .await
        .unwrap()
        .unwrap();
    let mentor: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'mentor@test.ru'")
        .await;
    let actor = nastavnik::tenancy::Actor::new(&org, mentor, "http://localhost");
    let bad = AnalysisForm {
        self_analysis: "я".repeat(4001),
        sphere: "astrology".into(),
        ..AnalysisForm::default()
    };
    match nastavnik::plans::save_analysis(&mut conn, &actor, (pair, a), &bad).await {
        Err(Refused::Invalid(e)) => {
            assert_eq!(e.get("sphere"), "Выберите сферу из списка.");
            assert_eq!(e.get("stages"), "Выберите этапы.");
            assert!(
                e.get("self_analysis")
                    .starts_with("Не длиннее 4000 символов")
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let good = AnalysisForm {
        self_analysis: "  Хочу лучше решать задачи  ".into(),
        sphere: "study".into(),
        stages: "three".into(),
        ..AnalysisForm::default()
    };
    nastavnik::plans::save_analysis(&mut conn, &actor, (pair, a), &good)
        .await
        .unwrap();
    nastavnik::plans::save_analysis(&mut conn, &actor, (pair, a), &good)
        .await
        .unwrap();
    let saved: String = app.one("SELECT self_analysis FROM plans").await;
    assert_eq!(saved, "Хочу лучше решать задачи");
    let history: Vec<String> = app.all("SELECT what FROM plan_history").await;
    assert_eq!(
        history.len(),
        1,
        "an unchanged save writes no history: {history:?}"
    );
    assert!(
        history[0].starts_with("Изменено: самоанализ"),
        "{history:?}"
    );
}

/// The goal commands keep their rules without a page (no HTTP): a goal needs a wording, a horizon,
/// a sphere and a status, a date and progress that read; a refused goal writes nothing; an
/// achieved goal is at 100 %; each change is in the plan's history in words; a goal of another
/// plan is not found.
#[tokio::test]
async fn the_goal_commands_keep_their_rules_without_a_page() {
    use nastavnik::error::AppError;
    use nastavnik::plans::{GoalFields, add_goal, update_goal};
    use nastavnik::web::forms::Refused;

    let (app, org_id, program, _curator) = school_with_program().await;
    let m = participant(
        &app,
        org_id,
        program,
        "mentor@test.ru",
        "Наставникова",
        "mentor",
        true,
    )
    .await;
    let a = participant(&app, org_id, program, "a@test.ru", "Аникин", "mentee", true).await;
    let pair = agreed_pair(&app.pool, org_id, program, m, &[a], chrono::Utc::now()).await;
    let mut conn = app.pool.acquire().await.unwrap();
    let org = nastavnik::tenancy::org_by_slug(&mut conn, "school-a")
        .await
        .unwrap()
        .unwrap();
    let mentor: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'mentor@test.ru'")
        .await;
    let actor = nastavnik::tenancy::Actor::new(&org, mentor, "http://localhost");
    let goals = || app.one::<i64>("SELECT count(*) FROM plan_goals");
    let bad = GoalFields {
        progress: "сто".into(),
        due_on: "вчера".into(),
        ..GoalFields::default()
    };
    match add_goal(&mut conn, &actor, (pair, a), &bad).await {
        Err(Refused::Invalid(e)) => {
            for f in ["title", "horizon", "sphere", "status", "due_on", "progress"] {
                assert!(e.has(f), "{f}: {e:?}");
            }
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(goals().await, 0, "a refused goal writes nothing");
    let good = GoalFields {
        title: "Решать задачи ОГЭ".into(),
        horizon: "half".into(),
        sphere: "study".into(),
        status: "active".into(),
        progress: "40 %".into(),
        ..GoalFields::default()
    };
    add_goal(&mut conn, &actor, (pair, a), &good).await.unwrap();
    let id: uuid::Uuid = app.one("SELECT id FROM plan_goals").await;
    assert_eq!(app.one::<i16>("SELECT progress FROM plan_goals").await, 40);
    let done = GoalFields {
        status: "done".into(),
        progress: "70".into(),
        ..good.clone()
    };
    update_goal(&mut conn, &actor, (pair, a), id, &done)
        .await
        .unwrap();
    assert_eq!(
        app.one::<i16>("SELECT progress FROM plan_goals").await,
        100,
        "an achieved goal is at 100 %"
    );
    let history: Vec<String> = sqlx::query_scalar("SELECT what FROM plan_history ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(
        history[0].starts_with("Добавлена цель «Решать задачи ОГЭ»"),
        "{history:?}"
    );
    assert!(
        history.iter().any(|h| h.contains("достигнута")),
        "{history:?}"
    );
    let r = update_goal(&mut conn, &actor, (pair, a), uuid::Uuid::new_v4(), &done).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
}
