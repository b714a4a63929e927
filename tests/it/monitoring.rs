//! Monitoring: parameters from a template or the curator's own, the two measurements entered as a
//! table (never for someone without a valid consent), the influence report's numbers on a
//! hand-computed set (means, change, spread, share improved, with and without a pair, the missing
//! listed), erasure removing a person's values, and nobody outside reaching any of it.

use axum::http::StatusCode;

use crate::support::*;
use nastavnik::auth::model::Role;

#[tokio::test]
async fn the_influence_report_on_a_hand_computed_set() {
    let (app, org, program, mut c) = school_with_program().await;
    member(&app.pool, org, "director@test.ru", &[Role::Director]).await;
    let mentor = participant(
        &app,
        org,
        program,
        "m@test.ru",
        "Наставникова",
        "mentor",
        true,
    )
    .await;
    let mut kids = Vec::new();
    for (email, name) in [
        ("a@t.ru", "Аникин"),
        ("b@t.ru", "Борин"),
        ("c@t.ru", "Ципин"),
        ("d@t.ru", "Дёмин"),
    ] {
        kids.push(participant(&app, org, program, email, name, "mentee", true).await);
    }
    let e = pupil(&app.pool, org, "Ежов", "5А", false).await;
    sqlx::query("INSERT INTO enrolments (org_id, program_id, person_id, role, status) VALUES ($1, $2, $3, 'mentee', 'in_base')")
        .bind(org)
        .bind(program)
        .bind(e)
        .execute(&app.pool)
        .await
        .unwrap();
    // A and C have a pair.
    agreed_pair(
        &app.pool,
        org,
        program,
        mentor,
        &[kids[0], kids[2]],
        chrono::Utc::now(),
    )
    .await;
    let base = format!("/o/school-a/programs/{program}/monitoring");
    let r = c
        .post(&base, &[("role", "mentee"), ("action", "template")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    c.get(&base)
        .await
        .assert_contains("Мотивация к учёбе (1–10)");
    let r = c
        .post(
            &base,
            &[
                ("role", "mentee"),
                ("action", "own"),
                ("title", "Уверенность у доски"),
                ("min", "1"),
                ("max", "10"),
                ("higher", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let param: uuid::Uuid = app
        .one("SELECT id FROM monitoring_parameters WHERE title = 'Уверенность у доски'")
        .await;
    let key = |p: uuid::Uuid| format!("v:{param}:{p}");
    // Entry: A 4, B 5, C 3, D 6; E has no consent — refused, the table kept.
    let entry = format!("{base}/entry");
    c.get(&format!("{entry}?role=mentee"))
        .await
        .assert_contains("нет согласия");
    let keys: Vec<String> = kids.iter().map(|k| key(*k)).collect();
    let ke = key(e);
    let form = |vals: [&'static str; 4], extra: Option<(&str, &'static str)>| {
        let mut f: Vec<(String, String)> = vec![("role".into(), "mentee".into())];
        for (k, v) in keys.iter().zip(vals) {
            f.push((k.clone(), v.to_string()));
        }
        if let Some((k, v)) = extra {
            f.push((k.to_string(), v.to_string()));
        }
        f
    };
    let post = |f: Vec<(String, String)>| f;
    let f = post(form(["4", "5", "3", "6"], Some((ke.as_str(), "7"))));
    let refs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let r = c.post(&entry, &refs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("нет действующего согласия");
    r.assert_contains("value=\"6\"");
    let stored: i64 = app.one("SELECT count(*) FROM measurements").await;
    assert_eq!(stored, 0, "nothing saved from a refused table");
    // A value off the scale is refused too.
    let f = form(["4", "5", "3", "11"], None);
    let refs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    c.post(&entry, &refs)
        .await
        .assert_contains("число от 1,00 до 10,00");
    let f = form(["4", "5", "3", "6"], None);
    let refs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(c.post(&entry, &refs).await.status, StatusCode::SEE_OTHER);
    // Final: A 6, B 5, C 7, D missing.
    let f = form(["6", "5", "7", ""], None);
    let refs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(
        c.post(&format!("{base}/final"), &refs).await.status,
        StatusCode::SEE_OTHER
    );
    let report = c.get(&format!("{base}/report")).await;
    assert_eq!(report.status, StatusCode::OK);
    // Everyone: paired 3, before 4, after 6, change +2, spread 2, improved 2 of 3.
    report.assert_contains(
        "все</td><td>3</td><td>4,00</td><td>6,00</td><td>+2,00</td><td>2,00</td><td>67 %</td>",
    );
    // With a pair (A, C): 3.5 → 6.5; without (B): 5 → 5.
    report.assert_contains(
        "с парой</td><td>2</td><td>3,50</td><td>6,50</td><td>+3,00</td><td>1,41</td><td>100 %</td>",
    );
    report.assert_contains(
        "без пары</td><td>1</td><td>5,00</td><td>5,00</td><td>0,00</td><td>—</td><td>0 %</td>",
    );
    report.assert_contains("Без входного замера: 1, без итогового: 2.");
    report.assert_contains("Дёмин Иван — «Уверенность у доски»: нет итогового замера");
    report.assert_contains("<svg class=\"slope\"");
    // A person's page: both values and the change.
    let person = c.get(&format!("{base}/person/{}", kids[0])).await;
    person.assert_contains("<td>Уверенность у доски</td><td>4,00</td><td>6,00</td><td>+2,00");
    let outsider = pupil(&app.pool, org, "Посторонний", "9А", true).await;
    assert_eq!(
        c.get(&format!("{base}/person/{outsider}")).await.status,
        StatusCode::NOT_FOUND
    );
    let views: i64 = app
        .one_for(
            "SELECT count(*) FROM audit_log WHERE action = 'monitoring.view' AND person_id = $1",
            kids[0],
        )
        .await;
    assert_eq!(views, 1);
    // The director reads but does not enter.
    let mut director = app.login("director@test.ru").await;
    director
        .get(&format!("{base}/report"))
        .await
        .assert_contains("Влияние программы");
    assert_eq!(
        director.post(&entry, &refs).await.status,
        StatusCode::FORBIDDEN
    );
    // Erasure removes the person's values.
    let mut conn = app.pool.acquire().await.unwrap();
    nastavnik::home::erasure::forget_person(&mut conn, org, kids[0])
        .await
        .unwrap();
    let left: i64 = app
        .one_for(
            "SELECT count(*) FROM measurements WHERE person_id = $1",
            kids[0],
        )
        .await;
    assert_eq!(left, 0);
}

#[tokio::test]
async fn monitoring_is_the_staff_s_of_their_own_organization() {
    let (app, org, program, mut c) = school_with_program().await;
    participant(&app, org, program, "k@test.ru", "Ученик", "mentee", true).await;
    let base = format!("/o/school-a/programs/{program}/monitoring");
    c.post(&base, &[("role", "mentee"), ("action", "template")])
        .await;
    let param: uuid::Uuid = app
        .one("SELECT id FROM monitoring_parameters LIMIT 1")
        .await;
    let mut kid = app.login("k@test.ru").await;
    for u in [
        base.clone(),
        format!("{base}/entry"),
        format!("{base}/final"),
        format!("{base}/report"),
    ] {
        assert_eq!(kid.get(&u).await.status, StatusCode::NOT_FOUND, "{u}");
    }
    let b = crate::builders::org(&app.pool, "school-b").await;
    member(
        &app.pool,
        b,
        "curator-b@test.ru",
        &[Role::Curator, Role::Director],
    )
    .await;
    let mut other = app.login("curator-b@test.ru").await;
    let foreign = base.replace("school-a", "school-b");
    for u in [
        foreign.clone(),
        format!("{foreign}/entry"),
        format!("{foreign}/report"),
    ] {
        assert_eq!(other.get(&u).await.status, StatusCode::NOT_FOUND, "{u}");
    }
    let r = other
        .post(&format!("{foreign}/parameters/{param}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other
            .post(&format!("{foreign}/entry"), &[("role", "mentee")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get(&format!("{base}/midterm")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_program_s_quality_counts_the_meetings_held_and_keeps_the_curator_s_swot() {
    let (app, org, program, mut c) = school_with_program().await;
    let pair = new_pair(
        &app,
        (org, program),
        ("m@test.ru", "Наставникова"),
        ("k@test.ru", "Ученик"),
        30,
    )
    .await;
    for (days, cancelled) in [(20, false), (13, false), (6, true), (-3, false)] {
        sqlx::query("INSERT INTO meetings (org_id, pair_id, kind, held_on, topic, cancelled, cancel_reason) VALUES ($1, $2, 'regular', current_date - $3::int, 'Встреча', $4, 'болезнь')")
            .bind(org)
            .bind(pair)
            .bind(days)
            .bind(cancelled)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let url = format!("/o/school-a/programs/{program}/monitoring/quality");
    c.get(&url).await.assert_contains(
        "проведено 2 из 3 запланированных встреч пар (67 %), отменено 1, впереди 1",
    );
    let r = c
        .post(
            &url,
            &[
                ("strengths", "Сильные наставники-старшеклассники"),
                ("weaknesses", ""),
                ("opportunities", "Партнёры"),
                ("threats", "Нагрузка в мае"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&url).await;
    page.assert_contains("Сильные наставники-старшеклассники");
    page.assert_contains("Нагрузка в мае");
    let mut kid = app.login("k@test.ru").await;
    assert_eq!(kid.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        kid.post(&url, &[("strengths", "x")]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_satisfaction_questionnaires_go_out_on_the_program_s_last_day_once() {
    let (app, org, program, _c) = school_with_program().await;
    participant(
        &app,
        org,
        program,
        "m@test.ru",
        "Наставникова",
        "mentor",
        true,
    )
    .await;
    participant(&app, org, program, "k@test.ru", "Ученик", "mentee", true).await;
    let last = chrono::Utc::now().date_naive() + chrono::Duration::days(1);
    sqlx::query("UPDATE programs SET starts_on = $2 - 200, ends_on = $2 WHERE id = $1")
        .bind(program)
        .bind(last)
        .execute(&app.pool)
        .await
        .unwrap();
    // The day before: nothing yet.
    jobs_run_morning(&app, last - chrono::Duration::days(1));
    let none: i64 = app.one("SELECT count(*) FROM assignments").await;
    assert_eq!(none, 0);
    // The last day, 07:05 in Moscow: both questionnaires, to their people.
    jobs_run_due(&app, &format!("{last}T04:05"));
    let given: Vec<String> = app
        .all("SELECT q.template_code || ':' || a.audience FROM assignments a JOIN questionnaires q ON q.id = a.questionnaire_id ORDER BY 1")
        .await;
    assert_eq!(
        given,
        [
            "satisfaction_mentees:mentees",
            "satisfaction_mentors:mentors"
        ]
    );
    let told: i64 = app
        .one("SELECT count(*) FROM notifications WHERE text LIKE 'Новая анкета%'")
        .await;
    assert_eq!(told, 2);
    jobs_run_due(&app, &format!("{}T04:05", last + chrono::Duration::days(1)));
    let again: i64 = app.one("SELECT count(*) FROM assignments").await;
    assert_eq!(again, 2, "once");
}

#[tokio::test]
async fn a_class_s_marks_come_from_a_file_or_nothing_is_saved() {
    let (app, org, program, mut c) = school_with_program().await;
    participant(&app, org, program, "a@t.ru", "Аникин", "mentee", true).await;
    participant(&app, org, program, "b@t.ru", "Борин", "mentee", true).await;
    let base = format!("/o/school-a/programs/{program}/monitoring");
    c.post(&base, &[("role", "mentee"), ("action", "template")])
        .await;
    let entry = format!("{base}/entry");
    c.get(&format!("{entry}?role=mentee"))
        .await
        .assert_contains("Загрузить оценки из файла");
    // A name nobody has and a mark off the scale: nothing saved, both listed.
    let bad = "ФИО;Средний балл;Число пропусков\nАникин Иван;4,5;12\nНеизвестный Пётр;4;3\nБорин Иван;7;0\n";
    let r = c
        .upload(
            &format!("{entry}/import"),
            &[("role", "mentee")],
            "marks.csv",
            bad.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("«Неизвестный Пётр» — нет среди участников");
    r.assert_contains("«7» — нужно число от 2,00 до 5,00");
    let none: i64 = app.one("SELECT count(*) FROM measurements").await;
    assert_eq!(none, 0);
    let good = "ФИО;Средний балл;Число пропусков\nАникин Иван;4,5;12\nБорин Иван;3,8;\n";
    let r = c
        .upload(
            &format!("{entry}/import"),
            &[("role", "mentee")],
            "marks.csv",
            good.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let values: Vec<f64> = app
        .all("SELECT value FROM measurements WHERE source = 'import' ORDER BY value")
        .await;
    assert_eq!(values, [3.8, 4.5, 12.0]);
    c.get(&format!("{entry}?role=mentee"))
        .await
        .assert_contains("value=\"4,5\"");
}

#[tokio::test]
async fn the_mid_program_pulse_asks_a_pair_on_its_thirtieth_day_when_turned_on() {
    let (app, org, program, mut c) = school_with_program().await;
    new_pair(
        &app,
        (org, program),
        ("m@test.ru", "Наставникова"),
        ("k@test.ru", "Ученик"),
        29,
    )
    .await;
    // Tomorrow on the school's clock (Moscow): the pair's day 30 counts from its agreement there.
    let moscow = nastavnik::tenancy::model::zone_offset("Europe/Moscow");
    let tomorrow =
        chrono::Utc::now().with_timezone(&moscow).date_naive() + chrono::Duration::days(1);
    // Off by default: nothing on day 30.
    jobs_run_morning(&app, tomorrow);
    let none: i64 = app.one("SELECT count(*) FROM assignments").await;
    assert_eq!(none, 0);
    let url = format!("/o/school-a/programs/{program}/monitoring/quality");
    let r = c.post(&url, &[("action", "pulse"), ("pulse", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    c.get(&url)
        .await
        .assert_contains("name=\"pulse\" value=\"1\" checked");
    // The same morning once more (the morning job runs once a day: its key goes too).
    sqlx::query("DELETE FROM jobs")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM done_once")
        .execute(&app.pool)
        .await
        .unwrap();
    jobs_run_morning(&app, tomorrow);
    let given: Vec<String> = app
        .all("SELECT q.template_code FROM assignments a JOIN questionnaires q ON q.id = a.questionnaire_id ORDER BY 1")
        .await;
    assert_eq!(given, ["satisfaction_mentees", "satisfaction_mentors"]);
    jobs_run_due(
        &app,
        &format!("{}T04:05", tomorrow + chrono::Duration::days(1)),
    );
    let n: i64 = app.one("SELECT count(*) FROM assignments").await;
    assert_eq!(n, 2, "not on day 31");
}

/// The monitoring commands keep their rules whoever calls them (no page, no HTTP): only a
/// curator sets up and measures; a parameter needs a group, a title and a scale and is not added
/// twice; a typed table or a file with one bad cell — off the scale, or a person without a valid
/// consent — saves nothing and names the cell; a source is a question of the organization's
/// questionnaires; each SWOT section is bounded.
#[tokio::test]
async fn the_monitoring_commands_keep_their_rules_without_a_page() {
    use std::collections::HashMap;

    use nastavnik::error::AppError;
    use nastavnik::monitoring::commands::{self, NewParameters};
    use nastavnik::monitoring::measure::{self, Sheet, Unsaved};
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let director = member(&app.pool, org_id, "director@test.ru", &[Role::Director]).await;
    let kid = participant(
        &app,
        org_id,
        program_id,
        "k1@test.ru",
        "Котов",
        "mentee",
        true,
    )
    .await;
    let other = participant(
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
    let by_curator = Actor::new(&org, curator, "http://localhost");
    let by_director = Actor::new(&org, director, "http://localhost");
    let own = |title: &str, min: &str, max: &str| NewParameters::Own {
        role: "mentee".into(),
        title: title.into(),
        min: min.into(),
        max: max.into(),
        higher_is_better: true,
    };
    let target = (program.id, program.form_code.as_str());
    let mut tx = app.pool.begin().await.unwrap();

    // Parameters: the curator's, with a group, a title and a scale; not twice.
    let r = commands::add_parameters(&mut tx, &by_director, target, &own("Оценка", "1", "5")).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let r = commands::add_parameters(
        &mut tx,
        &by_curator,
        target,
        &NewParameters::Template {
            role: "parents".into(),
        },
    )
    .await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("role")),
        "{r:?}"
    );
    let r = commands::add_parameters(&mut tx, &by_curator, target, &own("Оценка", "5", "1")).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("title")),
        "{r:?}"
    );
    let r =
        commands::add_parameters(&mut tx, &by_curator, target, &own("Оценка", "один", "5")).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("min")),
        "{r:?}"
    );
    let added = commands::add_parameters(&mut tx, &by_curator, target, &own("Оценка", "1", "5"))
        .await
        .unwrap();
    assert_eq!(added, 1);
    let r = commands::add_parameters(&mut tx, &by_curator, target, &own("Оценка", "1", "5")).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.first() == "Такой параметр уже есть."),
        "{r:?}"
    );
    tx.commit().await.unwrap();
    let param: uuid::Uuid = app
        .one("SELECT id FROM monitoring_parameters WHERE title = 'Оценка'")
        .await;

    // The typed table: one bad cell saves nothing.
    let sheet = Sheet {
        program_id: program.id,
        stage: "entry",
        role: nastavnik::people::Side::Mentee,
        class: "",
    };
    let values = || app.one::<i64>("SELECT count(*) FROM measurements");
    let typed = |cells: &[(uuid::Uuid, &str)]| -> HashMap<(uuid::Uuid, uuid::Uuid), String> {
        cells
            .iter()
            .map(|(p, v)| ((param, *p), v.to_string()))
            .collect()
    };
    let mut tx = app.pool.begin().await.unwrap();
    let r = measure::enter(&mut tx, &by_director, sheet, &typed(&[(kid, "4")])).await;
    assert!(
        matches!(r, Err(Unsaved::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    match measure::enter(
        &mut tx,
        &by_curator,
        sheet,
        &typed(&[(kid, "4"), (other, "3")]),
    )
    .await
    {
        Err(Unsaved::Problems { messages, cells }) => {
            assert_eq!(cells, vec![(param, other)]);
            assert!(
                messages[0].contains("нет действующего согласия"),
                "{messages:?}"
            );
        }
        r => panic!("expected the problems, got {r:?}"),
    }
    match measure::enter(&mut tx, &by_curator, sheet, &typed(&[(kid, "9")])).await {
        Err(Unsaved::Problems { cells, .. }) => assert_eq!(cells, vec![(param, kid)]),
        r => panic!("expected the problems, got {r:?}"),
    }
    tx.commit().await.unwrap();
    assert_eq!(values().await, 0, "a refused table writes nothing");
    let mut tx = app.pool.begin().await.unwrap();
    let rows = measure::enter(&mut tx, &by_curator, sheet, &typed(&[(kid, "4,5")]))
        .await
        .unwrap();
    assert_eq!(rows, 2, "the group's two people");
    tx.commit().await.unwrap();
    assert_eq!(app.one::<f64>("SELECT value FROM measurements").await, 4.5);

    // A file: a name not among the group, or a value off the scale, saves nothing.
    let table = |rows: &[[&str; 2]]| nastavnik::people::import::Table {
        headers: vec!["ФИО".into(), "Оценка".into()],
        rows: rows
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect(),
        first_line: 2,
    };
    let final_sheet = Sheet {
        stage: "final",
        ..sheet
    };
    let mut tx = app.pool.begin().await.unwrap();
    match measure::import(
        &mut tx,
        &by_curator,
        final_sheet,
        &table(&[["Котов Иван", "5"], ["Незнакомов Пётр", "3"]]),
    )
    .await
    {
        Err(Unsaved::Problems { messages, .. }) => {
            assert_eq!(messages.len(), 1, "{messages:?}");
            assert!(
                messages[0].starts_with("Строка 3: «Незнакомов Пётр»"),
                "{messages:?}"
            );
        }
        r => panic!("expected the problems, got {r:?}"),
    }
    let written = measure::import(
        &mut tx,
        &by_curator,
        final_sheet,
        &table(&[["Котов Иван", "5"]]),
    )
    .await
    .unwrap();
    assert_eq!(written, 1);
    tx.commit().await.unwrap();
    assert_eq!(values().await, 2);

    // A source is a question of the organization's questionnaires, or hand entry.
    let mut tx = app.pool.begin().await.unwrap();
    let r = commands::set_source(&mut tx, &by_curator, (program.id, param), "nonsense:q1").await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("source")),
        "{r:?}"
    );
    assert!(
        !commands::set_source(&mut tx, &by_curator, (program.id, param), "")
            .await
            .unwrap()
    );
    let r =
        commands::set_source(&mut tx, &by_curator, (program.id, uuid::Uuid::new_v4()), "").await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    // The SWOT and the pulse: the curator's; each section at most 4,000 characters.
    let long = "а".repeat(4001);
    let r = commands::save_swot(&mut tx, &by_curator, program.id, ["", &long, "", ""]).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("swot")),
        "{r:?}"
    );
    let r = commands::set_pulse(&mut tx, &by_director, program.id, true).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    commands::save_swot(&mut tx, &by_curator, program.id, ["Сильные", "", "", ""])
        .await
        .unwrap();
    // Deleting a parameter takes its values; a second time it is not there.
    commands::delete_parameter(&mut tx, &by_curator, program.id, param)
        .await
        .unwrap();
    let r = commands::delete_parameter(&mut tx, &by_curator, program.id, param).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    tx.commit().await.unwrap();
    assert_eq!(values().await, 0);
    assert_eq!(
        app.one::<String>("SELECT strengths FROM program_swot")
            .await,
        "Сильные"
    );
}
