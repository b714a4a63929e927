//! Where monitoring values come from besides the curator's table and files: a parameter tied to a
//! scale question of a questionnaire is filled from a sending's submitted answers (hand entries
//! kept, no consent and off-scale answers counted, never written); and the pairs' form variants
//! compared in the influence report.

use axum::http::StatusCode;

use crate::support::*;

async fn response(
    app: &TestApp,
    org: uuid::Uuid,
    aid: &str,
    person: uuid::Uuid,
    key: &str,
    v: &str,
) {
    let answers = serde_json::json!({ key: [v] });
    sqlx::query(
        "INSERT INTO responses (org_id, assignment_id, person_id, version_id, answers, status, submitted_at)
         SELECT a.org_id, a.id, $3, (SELECT id FROM questionnaire_versions
                                       WHERE questionnaire_id = a.questionnaire_id ORDER BY number DESC LIMIT 1),
                $4, 'submitted', now()
           FROM assignments a WHERE a.org_id = $1 AND a.id = $2::uuid",
    )
    .bind(org)
    .bind(aid)
    .bind(person)
    .bind(answers)
    .execute(&app.pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_measurement_fills_from_a_questionnaire_s_answers() {
    let (app, org, program, mut c) = school_with_program().await;
    let ann = participant(&app, org, program, "ann@t.ru", "Анина", "mentee", true).await;
    let bob = participant(&app, org, program, "bob@t.ru", "Бобров", "mentee", true).await;
    let cid = pupil(&app.pool, org, "Ципин", "5А", false).await;
    sqlx::query("INSERT INTO enrolments (org_id, program_id, person_id, role, status) VALUES ($1, $2, $3, 'mentee', 'in_base')")
        .bind(org)
        .bind(program)
        .bind(cid)
        .execute(&app.pool)
        .await
        .unwrap();
    c.get("/o/school-a/questionnaires").await;
    let qid: uuid::Uuid = app
        .one("SELECT id FROM questionnaires WHERE template_code = 'monitoring'")
        .await;
    let key: String = app
        .one_for(
            "SELECT x->>'key' FROM questionnaire_versions v,
                    jsonb_path_query(v.definition, '$.sections[*].questions[*]') x
              WHERE v.questionnaire_id = $1 AND x->>'text' = 'Учебная мотивация'",
            qid,
        )
        .await;
    let base = format!("/o/school-a/programs/{program}/monitoring");
    c.post(&base, &[("role", "mentee"), ("action", "template")])
        .await;
    let param: uuid::Uuid = app
        .one("SELECT id FROM monitoring_parameters WHERE title = 'Мотивация к учёбе (1–10)'")
        .await;
    // The parameters page offers the scale questions; a made-up one is refused.
    let page = c.get(&base).await;
    page.assert_contains("Учебная мотивация");
    page.assert_contains("вручную или из файла");
    let source_url = format!("{base}/parameters/{param}/source");
    let r = c
        .post(&source_url, &[("source", &format!("{qid}:q999"))])
        .await;
    c.get(r.location())
        .await
        .assert_contains("Такого вопроса-шкалы или числа");
    let r = c
        .post(&source_url, &[("source", &format!("{qid}:{key}"))])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let tied: Option<String> = app
        .one_for(
            "SELECT question_key FROM monitoring_parameters WHERE id = $1",
            param,
        )
        .await;
    assert_eq!(tied.as_deref(), Some(key.as_str()));
    // The questionnaire goes to the program's mentees; Ann fills it on her phone.
    let pid = program.to_string();
    let r = c
        .post(
            &format!("/o/school-a/questionnaires/{qid}/assign"),
            &[
                ("program", pid.as_str()),
                ("audience", "mentees"),
                ("deadline", "2099-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let aid = r.location().rsplit('/').next().unwrap().to_string();
    let mut a = app.login("ann@t.ru").await;
    let form_url = format!("/o/school-a/my/forms/{aid}");
    let form = a.get(&form_url).await;
    form.assert_contains("Учебная мотивация");
    let date_key: String = app
        .one_for(
            "SELECT x->>'key' FROM questionnaire_versions v,
                    jsonb_path_query(v.definition, '$.sections[*].questions[*]') x
              WHERE v.questionnaire_id = $1 AND x->>'kind' = 'date'",
            qid,
        )
        .await;
    let scales: Vec<String> = sqlx::query_scalar(
        "SELECT x->>'key' FROM questionnaire_versions v,
                jsonb_path_query(v.definition, '$.sections[*].questions[*]') x
          WHERE v.questionnaire_id = $1 AND x->>'kind' = 'scale'",
    )
    .bind(qid)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let mut fields: Vec<(String, &str)> = scales
        .iter()
        .map(|k| (format!("a_{k}"), if *k == key { "7" } else { "5" }))
        .collect();
    fields.push((format!("a_{date_key}"), "2026-09-05"));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let r = a.post(&form_url, &refs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Bob answered too, but the curator had typed his value; Ципин has no consent.
    response(&app, org, &aid, bob, &key, "3").await;
    response(&app, org, &aid, cid, &key, "9").await;
    let entry = format!("{base}/entry");
    let bob_key = format!("v:{param}:{bob}");
    c.post(&entry, &[("role", "mentee"), (bob_key.as_str(), "5")])
        .await;
    let page = c.get(&format!("{entry}?role=mentee")).await;
    page.assert_contains("Заполнить из анкеты");
    page.assert_contains("«Мониторинг участника (начало и конец программы)», разослана");
    let r = c
        .post(
            &format!("{entry}/from-answers"),
            &[("role", "mentee"), ("sending", aid.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let done = c.get(r.location()).await;
    done.assert_contains("Из ответов на анкету записано значений: 1.");
    done.assert_contains("Оставлены введённые куратором или из файла: 1.");
    done.assert_contains("Без действующего согласия не внесено: 1.");
    let (v, source): (f64, String) = sqlx::query_as(
        "SELECT value, source FROM measurements WHERE person_id = $1 AND stage = 'entry'",
    )
    .bind(ann)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((v, source.as_str()), (7.0, "self"));
    let kept: f64 = app
        .one_for(
            "SELECT value FROM measurements WHERE person_id = $1 AND stage = 'entry'",
            bob,
        )
        .await;
    assert_eq!(kept, 5.0);
    let none: i64 = app
        .one_for(
            "SELECT count(*) FROM measurements WHERE person_id = $1",
            cid,
        )
        .await;
    assert_eq!(none, 0);
    // A sending of another questionnaire, or none, is refused with a message.
    let r = c
        .post(
            &format!("{entry}/from-answers"),
            &[("role", "mentee"), ("sending", "not-an-id")],
        )
        .await;
    c.get(r.location())
        .await
        .assert_contains("Выберите рассылку анкеты.");
    // Ann answering again later (a second sending) fills the final measurement.
    let r = c
        .post(
            &format!("/o/school-a/questionnaires/{qid}/assign"),
            &[("program", pid.as_str()), ("audience", "mentees")],
        )
        .await;
    let aid2 = r.location().rsplit('/').next().unwrap().to_string();
    response(&app, org, &aid2, ann, &key, "9").await;
    c.post(
        &format!("{base}/final/from-answers"),
        &[("role", "mentee"), ("sending", aid2.as_str())],
    )
    .await;
    let report = c.get(&format!("{base}/report")).await;
    report.assert_contains("<td>1</td><td>7,00</td><td>9,00</td><td>+2,00</td>");
}

#[tokio::test]
async fn the_influence_report_compares_the_pairs_form_variants() {
    let (app, org, program, mut c) = school_with_program().await;
    for v in ["ss_achiever", "ss_leader_passive"] {
        sqlx::query(
            "INSERT INTO program_variants (org_id, program_id, variant_code) VALUES ($1, $2, $3)",
        )
        .bind(org)
        .bind(program)
        .bind(v)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let m1 = participant(&app, org, program, "m1@t.ru", "Первов", "mentor", true).await;
    let m2 = participant(&app, org, program, "m2@t.ru", "Вторых", "mentor", true).await;
    let kids = [
        participant(&app, org, program, "a@t.ru", "Аникин", "mentee", true).await,
        participant(&app, org, program, "b@t.ru", "Борин", "mentee", true).await,
        participant(&app, org, program, "c@t.ru", "Ципин", "mentee", true).await,
    ];
    let p1 = agreed_pair(
        &app.pool,
        org,
        program,
        m1,
        &[kids[0], kids[1]],
        chrono::Utc::now(),
    )
    .await;
    let p2 = agreed_pair(&app.pool, org, program, m2, &[kids[2]], chrono::Utc::now()).await;
    let pairs = format!("/o/school-a/programs/{program}/pairs");
    let page = c.get(&pairs).await;
    page.assert_contains("Вариант формы");
    page.assert_contains("Успевающий – неуспевающий");
    // A variant the program does not run is refused; another school's pair is not found.
    let r = c
        .post(&format!("{pairs}/{p1}/variant"), &[("variant", "tt_young")])
        .await;
    c.get(r.location())
        .await
        .assert_contains("Этот вариант не выбран для программы.");
    for (p, v) in [(p1, "ss_achiever"), (p2, "ss_leader_passive")] {
        let r = c
            .post(&format!("{pairs}/{p}/variant"), &[("variant", v)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let set: i64 = app
        .one("SELECT count(*) FROM pairs WHERE variant_code IS NOT NULL")
        .await;
    assert_eq!(set, 2);
    let base = format!("/o/school-a/programs/{program}/monitoring");
    c.post(
        &base,
        &[
            ("role", "mentee"),
            ("action", "own"),
            ("title", "Интерес"),
            ("min", "0"),
            ("max", "10"),
            ("higher", "1"),
        ],
    )
    .await;
    let param: uuid::Uuid = app.one("SELECT id FROM monitoring_parameters").await;
    // Achievers: A 2 → 6, B 4 → 6 (means 3 → 6, +3); leader–passive: C 5 → 4 (−1).
    for (stage, vals) in [("entry", ["2", "4", "5"]), ("final", ["6", "6", "4"])] {
        let keys: Vec<String> = kids.iter().map(|k| format!("v:{param}:{k}")).collect();
        let mut form = vec![("role", "mentee")];
        for (k, v) in keys.iter().zip(vals) {
            form.push((k.as_str(), v));
        }
        let r = c.post(&format!("{base}/{stage}"), &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let report = c.get(&format!("{base}/report")).await;
    report.assert_contains("вариант «Успевающий – неуспевающий»</td><td>2</td><td>3,00</td><td>6,00</td><td>+3,00</td><td>1,41</td><td>100 %</td>");
    report.assert_contains("вариант «Лидер – пассивный»</td><td>1</td><td>5,00</td><td>4,00</td><td>-1,00</td><td>—</td><td>0 %</td>");
    // Another school's curator cannot touch the pair.
    let mut other = school_b_curator(&app).await;
    let r = other
        .post(
            &format!("{pairs}/{p1}/variant").replace("school-a", "school-b"),
            &[("variant", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
