//! Programs and their roadmap: creating (the template's 35 tasks), editing with the concurrent-edit guard, statuses in place, isolation between organizations.

use axum::http::StatusCode;
use chrono::NaiveDate;
use nastavnik::programs::roadmap::model::ROADMAP;

use crate::support::*;

#[tokio::test]
async fn creating_a_program_builds_the_full_roadmap() {
    let School {
        app,
        org: org_id,
        curator,
        mut c,
    } = school().await;
    let page = c.get("/o/school-a/programs/new").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Ученик – ученик");
    let cur = curator.to_string();
    let r = c
        .post(
            "/o/school-a/programs/new",
            &[
                ("name", "Клуб «Точка развития»"),
                ("form_code", "student_student"),
                ("variants", "ss_achiever"),
                ("variants", "ss_peer"),
                ("variants", "tt_young"),
                ("goal", ""),
                ("starts_on", "2026-10-01"),
                ("ends_on", "2027-06-30"),
                ("status", "active"),
                ("curator", &cur),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().ends_with("/roadmap"));
    let program_id: uuid::Uuid = app
        .one_for("SELECT id FROM programs WHERE org_id = $1", org_id)
        .await;
    // Seven stages, 35 tasks, codes and wording of the template, dates inside the program.
    let stages: Vec<(i32, String)> = sqlx::query_as(
        "SELECT number, title FROM roadmap_stages WHERE program_id = $1 ORDER BY number",
    )
    .bind(program_id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(stages.len(), 7);
    for (s, t) in stages.iter().zip(ROADMAP.iter()) {
        assert_eq!(s.0, t.number);
        assert_eq!(s.1, t.title);
    }
    let tasks: Vec<(String, String, NaiveDate, String, String)> = sqlx::query_as(
        "SELECT code, title, due_on, responsible_role, status FROM roadmap_tasks WHERE program_id = $1 ORDER BY sort",
    )
    .bind(program_id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let expected: Vec<_> = ROADMAP.iter().flat_map(|s| s.tasks.iter()).collect();
    assert_eq!(tasks.len(), 35);
    assert_eq!(tasks.len(), expected.len());
    let start = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    let end = NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
    for (got, want) in tasks.iter().zip(expected) {
        assert_eq!(got.0, want.code);
        assert_eq!(got.1, want.title);
        assert!(got.2 >= start && got.2 <= end);
        assert_eq!(got.3, want.role);
        assert_eq!(got.4, "todo");
    }
    assert_eq!(tasks.last().unwrap().0, "7.8");
    assert_eq!(tasks.last().unwrap().2, end);
    // October tasks are due by early November; 7.1 is the director's.
    assert!(tasks[0].2 <= NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    assert_eq!(tasks.iter().find(|t| t.0 == "7.1").unwrap().3, "director");
    // Only the variants of the chosen form are kept; the goal defaults to the form's.
    let variants: Vec<String> = app
        .all_for(
            "SELECT variant_code FROM program_variants WHERE program_id = $1 ORDER BY 1",
            program_id,
        )
        .await;
    assert_eq!(variants, vec!["ss_achiever", "ss_peer"]);
    // The roadmap page shows every stage and task; the program page the form's goal and tasks.
    let road = c.get(r.location()).await;
    assert_eq!(road.status, StatusCode::OK);
    for s in ROADMAP.iter() {
        road.assert_contains(&format!("{}. {}", s.number, s.title));
        for t in s.tasks {
            road.assert_contains(t.code);
        }
    }
    road.assert_contains("Программа создана");
    let show = c.get(&format!("/o/school-a/programs/{program_id}")).await;
    show.assert_contains("Разносторонняя поддержка обучающихся");
    show.assert_contains("Помощь в реализации лидерского потенциала");
    show.assert_contains("Повышение успеваемости в школе");
    show.assert_contains("«Успевающий – неуспевающий»");
}

#[tokio::test]
async fn program_form_errors_are_shown_beside_fields_with_input_kept() {
    let School {
        app,
        org: org_id,
        curator: _,
        mut c,
    } = school().await;
    c.get("/o/school-a/programs/new").await;
    let r = c
        .post(
            "/o/school-a/programs/new",
            &[
                ("name", ""),
                ("form_code", "student_student"),
                ("description", "Описание, которое нельзя терять"),
                ("starts_on", "2026-10-01"),
                ("ends_on", "2026-09-01"),
                ("status", "active"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Введите название программы");
    r.assert_contains("Дата окончания должна быть позже даты начала");
    r.assert_contains("Описание, которое нельзя терять");
    r.assert_contains("value=\"2026-09-01\"");
    // Duplicate names are a field error too.
    let cur: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'curator@test.ru'")
        .await;
    program(&app.pool, org_id, cur, "Есть такая").await;
    let r = c
        .post(
            "/o/school-a/programs/new",
            &[
                ("name", "Есть такая"),
                ("form_code", "student_student"),
                ("starts_on", "2026-10-01"),
                ("ends_on", "2027-05-01"),
                ("status", "draft"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Программа с таким названием уже есть");
}

#[tokio::test]
async fn program_edit_is_guarded_too() {
    let (app, _, p, mut c) = school_with_program().await;
    let url = format!("/o/school-a/programs/{p}/edit");
    let form = c.get(&url).await;
    let version = form.field("version");
    sqlx::query("UPDATE programs SET version = version + 1, name = 'Чужое имя' WHERE id = $1")
        .bind(p)
        .execute(&app.pool)
        .await
        .unwrap();
    let r = c
        .post(
            &url,
            &[
                ("name", "Моё имя"),
                ("form_code", "student_student"),
                ("starts_on", "2026-09-01"),
                ("ends_on", "2027-05-31"),
                ("status", "active"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    r.assert_contains("value=\"Моё имя\"");
    let name: String = app
        .one_for("SELECT name FROM programs WHERE id = $1", p)
        .await;
    assert_eq!(name, "Чужое имя");
}

#[tokio::test]
async fn demo_data_loads_once_and_is_complete() {
    let app = spawn().await;
    assert!(nastavnik::demo::load(&app.pool).await.unwrap());
    let count = |sql: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let before = (
        count("SELECT count(*) FROM organizations").await,
        count("SELECT count(*) FROM users").await,
        count("SELECT count(*) FROM programs").await,
        count("SELECT count(*) FROM roadmap_tasks").await,
        count("SELECT count(*) FROM roadmap_tasks WHERE status = 'done'").await,
    );
    assert_eq!(before.0, 2);
    assert_eq!(before.1, 10);
    assert_eq!(
        count("SELECT count(*) FROM people WHERE kind = 'pupil'").await,
        60
    );
    assert_eq!(count("SELECT count(*) FROM training_sessions").await, 2);
    // Mentor and mentee forms in the club, Mentor Match wishes in the young-teacher program,
    // last year's satisfaction questionnaires.
    assert_eq!(count("SELECT count(*) FROM assignments").await, 6);
    assert!(count("SELECT count(*) FROM responses WHERE status = 'submitted'").await >= 20);
    assert!(count("SELECT count(*) FROM responses WHERE status = 'draft'").await >= 3);
    // The demo answers are valid answers to their questionnaires.
    let rows: Vec<(sqlx::types::Json<nastavnik::questionnaires::model::Definition>, sqlx::types::Json<nastavnik::questionnaires::model::Raw>)> =
        sqlx::query_as("SELECT v.definition, r.answers FROM responses r JOIN questionnaire_versions v ON v.id = r.version_id WHERE r.status = 'submitted'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    // Ranked choices name people of the school.
    let people: Vec<String> = app.all("SELECT id::text FROM people").await;
    for (def, raw) in &rows {
        let problems = nastavnik::questionnaires::model::validate(&def.0, &raw.0, &people);
        assert!(problems.is_empty(), "{problems:?} in {:?}", raw.0);
    }
    assert!(count("SELECT count(*) FROM assignment_targets t WHERE NOT EXISTS (SELECT 1 FROM responses r WHERE r.assignment_id = t.assignment_id AND r.person_id = t.person_id)").await >= 3);
    assert_eq!(before.2, 6);
    // The club's pairs at work: an approved order, meetings of every type, plans, a diary,
    // ratings, one pair at risk and one «не подходим».
    assert_eq!(
        count("SELECT count(*) FROM pairs WHERE status = 'agreed'").await,
        4
    );
    // One of the club's (the group) completed: results, best mentors, the curator's SWOT. Last
    // year's program completed end to end: four pairs (one ended early), two best mentors, a
    // published case, the satisfaction answers, both measurements for most, closed.
    assert_eq!(
        count("SELECT count(*) FROM pairs WHERE status = 'completed'").await,
        5
    );
    assert_eq!(count("SELECT count(*) FROM pair_results").await, 5);
    assert_eq!(
        count("SELECT count(*) FROM pair_results WHERE early").await,
        1
    );
    assert_eq!(count("SELECT count(*) FROM best_mentors").await, 4);
    assert_eq!(
        count("SELECT count(*) FROM best_mentors WHERE confirmed_at IS NOT NULL").await,
        3
    );
    assert_eq!(count("SELECT count(*) FROM program_swot").await, 2);
    assert_eq!(count("SELECT count(*) FROM cases WHERE published").await, 1);
    assert_eq!(
        count("SELECT count(*) FROM programs WHERE status = 'finished'").await,
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM pairs WHERE variant_code IS NOT NULL").await,
        4
    );
    let last_year =
        "SELECT count(*) FROM measurements m JOIN monitoring_parameters x ON x.id = m.parameter_id
                       JOIN programs g ON g.id = x.program_id WHERE g.status = 'finished'";
    assert!(count(last_year).await >= 60);
    assert_eq!(
        count("SELECT count(*) FROM pair_orders WHERE status = 'approved'").await,
        1
    );
    assert_eq!(count("SELECT count(*) FROM pair_order_items").await, 5);
    assert_eq!(count("SELECT count(DISTINCT kind) FROM meetings").await, 5);
    assert!(count("SELECT count(*) FROM meetings").await >= 20);
    assert!(count("SELECT count(*) FROM plan_goals").await >= 6);
    assert!(count("SELECT count(DISTINCT progress) FROM plan_goals").await >= 4);
    assert!(count("SELECT count(*) FROM diary_entries").await >= 3);
    assert_eq!(
        count("SELECT count(*) FROM meeting_feedback WHERE fit = 'no'").await,
        1
    );
    assert!(count("SELECT count(*) FROM meeting_feedback").await >= 15);
    assert_eq!(
        count("SELECT count(*) FROM meetings WHERE cancelled").await,
        1
    );
    assert!(!nastavnik::demo::load(&app.pool).await.unwrap());
    let after = (
        count("SELECT count(*) FROM organizations").await,
        count("SELECT count(*) FROM users").await,
        count("SELECT count(*) FROM programs").await,
        count("SELECT count(*) FROM roadmap_tasks").await,
        count("SELECT count(*) FROM roadmap_tasks WHERE status = 'done'").await,
    );
    assert_eq!(before, after);
    // Every demo login works with the demo password, and the college curator sees only the college.
    for (email, _) in nastavnik::demo::LOGINS {
        let mut c = app.client();
        let r = c.login(email, nastavnik::demo::PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{email}");
    }
    // The demo mentor and mentee see their club on their home page.
    for who in ["mentor@demo.local", "mentee@demo.local"] {
        let mut c = app.client();
        c.login(who, nastavnik::demo::PASSWORD).await;
        c.get("/o/sosh-1")
            .await
            .assert_contains("Клуб наставничества «Точка развития»");
    }
    let mut college = app.client();
    college
        .login("college-curator@demo.local", nastavnik::demo::PASSWORD)
        .await;
    assert_eq!(college.get("/").await.location(), "/o/stroy-college");
    assert_eq!(college.get("/o/sosh-1").await.status, StatusCode::NOT_FOUND);
    let school = college.get("/o/stroy-college/programs").await;
    school.assert_contains("Адаптация новых преподавателей");
    assert!(!school.body.contains("Точка развития"));
}

/// The program commands keep their rules whoever calls them (no page, no HTTP): only a curator
/// creates or changes a program; a bad form names its fields and writes nothing; a name is the
/// organization's once; an empty goal takes its form's; a change over a newer version is a
/// conflict that changes nothing; a program comes with its seven-stage roadmap.
#[tokio::test]
async fn the_program_commands_keep_their_rules_without_a_page() {
    use nastavnik::auth::model::Role;
    use nastavnik::error::AppError;
    use nastavnik::programs::commands::{ProgramForm, Saved, create, update};
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let director = member(&app.pool, org_id, "director@test.ru", &[Role::Director]).await;
    let (curator, org, program) = command_scene(&app, org_id, program_id).await;
    let by_curator = Actor::new(&org, curator, "http://localhost");
    let by_director = Actor::new(&org, director, "http://localhost");
    let programs = || app.one::<i64>("SELECT count(*) FROM programs");
    let good = || ProgramForm {
        name: "Шахматный клуб".into(),
        form_code: program.form_code.clone(),
        starts_on: "2026-09-01".into(),
        ends_on: "2027-05-31".into(),
        status: "draft".into(),
        curator: curator.to_string(),
        ..ProgramForm::default()
    };
    let mut tx = app.pool.begin().await.unwrap();
    let r = create(&mut tx, &by_director, &mut good()).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let mut bad = ProgramForm {
        ends_on: "2026-08-01".into(),
        curator: director.to_string(),
        status: "everlasting".into(),
        form_code: "nonsense".into(),
        ..good()
    };
    bad.name.clear();
    match create(&mut tx, &by_curator, &mut bad).await {
        Err(Refused::Invalid(e)) => {
            assert_eq!(e.get("name"), "Введите название программы.");
            assert_eq!(
                e.get("ends_on"),
                "Дата окончания должна быть позже даты начала."
            );
            for f in ["form_code", "status", "curator"] {
                assert!(e.has(f), "{f}: {e:?}");
            }
        }
        r => panic!("expected a refusal, got {r:?}"),
    }
    tx.commit().await.unwrap();
    assert_eq!(programs().await, 1, "a refused form writes nothing");

    let mut tx = app.pool.begin().await.unwrap();
    let mut form = good();
    let id = create(&mut tx, &by_curator, &mut form).await.unwrap();
    assert!(!form.goal.is_empty(), "the goal of its form");
    tx.commit().await.unwrap();
    assert_eq!(
        app.one_for::<i64>(
            "SELECT count(DISTINCT stage_id) FROM roadmap_tasks WHERE program_id = $1",
            id
        )
        .await,
        7
    );
    let mut tx = app.pool.begin().await.unwrap();
    match create(&mut tx, &by_curator, &mut good()).await {
        Err(Refused::Invalid(e)) => {
            assert_eq!(e.get("name"), "Программа с таким названием уже есть.")
        }
        r => panic!("expected the name taken, got {r:?}"),
    }
    drop(tx);

    // A change: over the version seen, or a conflict.
    let version: i32 = app
        .one_for("SELECT version FROM programs WHERE id = $1", id)
        .await;
    let renamed = ProgramForm {
        name: "Шахматы и шашки".into(),
        version,
        ..form.clone()
    };
    let mut tx = app.pool.begin().await.unwrap();
    let r = update(&mut tx, &by_director, id, &renamed).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    assert_eq!(
        update(&mut tx, &by_curator, id, &renamed).await.unwrap(),
        Saved::Saved
    );
    let stale = ProgramForm {
        name: "Старое название".into(),
        ..renamed.clone()
    };
    assert_eq!(
        update(&mut tx, &by_curator, id, &stale).await.unwrap(),
        Saved::Conflict
    );
    tx.commit().await.unwrap();
    assert_eq!(
        app.one_for::<String>("SELECT name FROM programs WHERE id = $1", id)
            .await,
        "Шахматы и шашки"
    );
}
