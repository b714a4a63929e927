//! Security round two (issue 28): a school behind one address is never locked out, a draft never
//! touches a submitted answer, and the smaller findings (ICS, NUL bytes, e-mail probing, paths).

use axum::http::StatusCode;
use nastavnik::auth::model::Role;

use crate::support::*;

/// Finding 4: pupils behind the school's one address fail 35 times with unknown e-mails (then
/// the address counts 100 failures); the director's right password still opens the school, while
/// a wrong one from that address is slowed and refused.
#[tokio::test]
async fn a_correct_login_succeeds_from_an_address_with_100_failures_of_others() {
    let app = spawn().await;
    let a = org(&app.pool, "school-a").await;
    member(&app.pool, a, "director@test.ru", &[Role::Director]).await;
    let mut pupils = app.client();
    let mut refused = 0;
    for i in 0..35 {
        let r = pupils
            .login(&format!("nobody{i}@test.ru"), "wrong-pass")
            .await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert!(refused > 0, "wrong passwords from the address are refused");
    sqlx::query("UPDATE login_throttle SET failures = 100 WHERE failures >= 30")
        .execute(&app.pool)
        .await
        .unwrap();
    let mut director = app.client();
    let r = director.login("director@test.ru", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(director.get("/o/school-a").await.status, StatusCode::OK);
    // A wrong password of a known account from there: refused, not let in.
    let r = app.client().login("director@test.ru", "wrong-pass").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

/// Finding 5: a submitted answer is final. A curator's draft, the pupil's stale tab (an empty
/// draft) and a submission from a tab opened before the answer went out leave it as it was; only
/// «Изменить ответ» changes it, keeping the answers it replaced, with an audit entry.
#[tokio::test]
async fn a_draft_after_submission_leaves_the_submitted_answers_as_they_were() {
    let (app, org, program, mut c) = school_with_program().await;
    let kid = participant(
        &app,
        org,
        program,
        "kid@test.ru",
        "Ученикова",
        "mentee",
        true,
    )
    .await;
    let given = give(&app.pool, org, program, "mentee_form", "mentees", &[kid]).await;
    let answers = profile_answers(&given.1, 0, false);
    answer(&app.pool, org, &given, kid, &answers).await;
    let aid = given.0;
    let stored = || async {
        let (a, status, at): (
            serde_json::Value,
            String,
            Option<chrono::DateTime<chrono::Utc>>,
        ) = sqlx::query_as(
            "SELECT answers, status, submitted_at FROM responses WHERE person_id = $1",
        )
        .bind(kid)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        (a, status, at)
    };
    let before = stored().await;
    assert_eq!(before.1, "submitted");
    let curator_draft = format!("/o/school-a/assignments/{aid}/fill/{kid}/draft");
    let r = c.post(&curator_draft, &[("a_interests", "чужое")]).await;
    assert!(r.status.is_success(), "{}", r.status);
    r.assert_contains("черновик их не заменяет");
    assert_eq!(stored().await, before);
    // The pupil's stale tab saves an empty draft.
    let mut k = app.login("kid@test.ru").await;
    let mine = format!("/o/school-a/my/forms/{aid}");
    k.get(&mine).await.assert_contains("Изменить ответ");
    k.post(&format!("{mine}/draft"), &[]).await;
    assert_eq!(stored().await, before);
    // A full submission without «Изменить ответ» (a tab opened before): 409, nothing replaced.
    let r = c
        .post(
            &format!("/o/school-a/assignments/{aid}/fill/{kid}"),
            &[("a_interests", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    r.assert_contains("ничего не заменено");
    assert_eq!(stored().await, before);
    let audits: i64 = app
        .one("SELECT count(*) FROM audit_log WHERE action = 'response.change'")
        .await;
    assert_eq!(audits, 0);
    // «Изменить ответ»: the command keeps the replaced answers.
    let mut conn = app.pool.acquire().await.unwrap();
    let mut changed = answers.clone();
    changed.insert("extra".into(), vec!["новое".into()]);
    let curator: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'curator@test.ru'")
        .await;
    let input = nastavnik::questionnaires::ResponseInput {
        assignment_id: aid,
        person_id: kid,
        version_id: given.1.version_id,
        answers: &changed,
        submit: true,
        on_behalf: true,
    };
    assert!(
        nastavnik::questionnaires::change_response(&mut conn, org, &input, curator)
            .await
            .unwrap()
    );
    let kept: serde_json::Value = app
        .one_for(
            "SELECT answers FROM response_versions WHERE replaced_by = $1",
            curator,
        )
        .await;
    assert_eq!(kept, before.0);
    assert_ne!(stored().await.0, before.0);
}

/// Finding 6: a NUL byte in a path, a query or a login form answers 400 (not 500); a path that
/// starts with `/\` answers 404 (never a redirect a browser reads as another host).
#[tokio::test]
async fn nul_bytes_answer_400_and_backslash_paths_404() {
    let School { app, mut c, .. } = school().await;
    for path in [
        "/o/school-a%00/people",
        "/o/school-a/people?q=%00",
        "/login%00",
    ] {
        assert_eq!(c.get(path).await.status, StatusCode::BAD_REQUEST, "{path}");
    }
    let mut anon = app.client();
    let r = anon.login("a\0b@test.ru", "x\0y").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = c
        .post("/o/school-a/people/new", &[("last_name", "Имя\0")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    for path in ["/\\evil.example/", "/%5Cevil.example/", "/%5cevil.example"] {
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.headers.get("location").is_none(), "{path}");
    }
}

/// Finding 6: a curator cannot move the school into another region by typing a name: the
/// settings keep the territory, and no region or municipality is made.
#[tokio::test]
async fn a_curator_cannot_move_the_school_into_another_territory() {
    let School {
        app, org, mut c, ..
    } = school().await;
    let before: (String, String, Option<uuid::Uuid>) = sqlx::query_as(
        "SELECT region, municipality, municipality_id FROM organizations WHERE id = $1",
    )
    .bind(org)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let regions: i64 = app.one("SELECT count(*) FROM regions").await;
    let r = c
        .post(
            "/o/school-a/settings",
            &[
                ("full_name", "Школа А"),
                ("short_name", "ША"),
                ("kind", "school"),
                ("region", "Чужая область"),
                ("municipality", "Чужой район"),
                ("time_zone", "Europe/Moscow"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after: (String, String, Option<uuid::Uuid>) = sqlx::query_as(
        "SELECT region, municipality, municipality_id FROM organizations WHERE id = $1",
    )
    .bind(org)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(after, before);
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM regions").await,
        regions
    );
    let page = c.get("/o/school-a/settings").await;
    assert!(!page.body.contains("name=\"region\""));
}

/// Finding 6: an approved order is a snapshot — renaming a mentor afterwards changes neither the
/// print page nor the DOCX (a draft still follows the bases).
#[tokio::test]
async fn a_signed_order_keeps_the_names_it_was_signed_with() {
    let (app, org, program, mut curator) = school_with_program().await;
    member(&app.pool, org, "director@test.ru", &[Role::Director]).await;
    new_pair(
        &app,
        (org, program),
        ("m1@test.ru", "Абрамова"),
        ("k1@test.ru", "Котов"),
        5,
    )
    .await;
    let base = format!("/o/school-a/programs/{program}/orders");
    let r = curator
        .post(
            &base,
            &[
                ("curator_name", "Смирнова Анна"),
                ("plans_due", "2026-12-31"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let order_url = r.location().to_string();
    let mut director = app.login("director@test.ru").await;
    let r = director
        .post(
            &format!("{order_url}/approve"),
            &[("number", "7-од"), ("signed_on", "2026-11-20")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    sqlx::query("UPDATE people SET last_name = 'Переименованная' WHERE last_name = 'Абрамова'")
        .execute(&app.pool)
        .await
        .unwrap();
    let page = director.get(&order_url).await;
    page.assert_contains("Абрамова");
    assert!(!page.body.contains("Переименованная"));
    let docx = curator.get(&format!("{order_url}/docx")).await;
    let text = nastavnik::orders::docx::paragraphs(&docx.bytes)
        .expect("a DOCX")
        .join("\n");
    assert!(
        text.contains("Абрамова") && text.contains("№ 7-од"),
        "{text}"
    );
    assert!(!text.contains("Переименованная"), "{text}");
}

/// Finding 7: a case that names a pupil of the school is not published beyond it until the
/// curator removes the name or confirms the consent; the territory's query sees only checked
/// cases.
#[tokio::test]
async fn a_case_naming_a_pupil_waits_for_the_curator_before_the_territory_sees_it() {
    let School {
        app, org, mut c, ..
    } = school().await;
    pupil(&app.pool, org, "Редкостнов", "5А", true).await;
    let case = [
        ("title", "Кейс о дробях"),
        ("problem", "Редкостнов Иван боялся контрольных"),
        ("done", "Занимались"),
        ("result", "Четвёрка"),
        ("quotes", ""),
        ("consented", "1"),
        ("published", "1"),
    ];
    let r = c.post("/o/school-a/cases", &case).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Названы в тексте");
    r.assert_contains("Редкостнов Иван");
    r.assert_contains("Редкостнов Иван боялся контрольных");
    assert_eq!(app.one::<i64>("SELECT count(*) FROM cases").await, 0);
    let region_sees = || async {
        let mut conn = app.pool.acquire().await.unwrap();
        nastavnik::territory::repo::published_cases(&mut conn, &[org])
            .await
            .unwrap()
            .len()
    };
    // Confirmed: published and seen by the territory.
    let mut confirmed = case.to_vec();
    confirmed.push(("names_confirmed", "1"));
    let r = c.post("/o/school-a/cases", &confirmed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(region_sees().await, 1);
    // A case published before the check existed is not seen until saved again.
    sqlx::query("UPDATE cases SET names_checked = false")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(region_sees().await, 0);
    // The name taken out: published without a question.
    let mut clean = case.to_vec();
    clean[1] = ("problem", "Пятиклассник боялся контрольных");
    let r = c.post("/o/school-a/cases", &clean).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(region_sees().await, 1);
}

/// Finding 6: an invitation link waits in the outbox sealed with a key outside the database —
/// nothing of it in clear in any column — and is opened only to be sent.
#[tokio::test]
async fn a_queued_invitation_link_is_never_stored_in_clear() {
    let School { app, mut c, .. } = school().await;
    c.get("/o/school-a/members").await;
    let r = c
        .post(
            "/o/school-a/members",
            &[
                ("full_name", "Орлова Мария Петровна"),
                ("email", "orlova@school.ru"),
                ("roles", "mentor"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (text, html, link, secret): (String, String, String, bool) = sqlx::query_as(
        "SELECT body_text, body_html, link, secret FROM outbox WHERE to_address = 'orlova@school.ru'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(secret);
    for stored in [&text, &html, &link] {
        assert!(stored.starts_with("sealed1:"), "{stored}");
        assert!(!stored.contains("invite"), "{stored}");
    }
    let opened = nastavnik::notifications::sealed::open(&text).unwrap();
    assert!(opened.contains("/invite/"), "{opened}");
}
