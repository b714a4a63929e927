//! Recruitment: a program's application links; a newcomer without an account applies with a name,
//! a class and a contact (throttled, no account created) and the curator accepts them into the
//! base and the program; someone in the base applies in one step; a decline carries a reason;
//! the poster has a QR code; nobody outside reaches the applications.

use axum::http::StatusCode;

use crate::support::*;
use nastavnik::auth::model::Role;

#[tokio::test]
async fn a_newcomer_applies_without_an_account_and_the_curator_accepts_them() {
    let (app, org, program, mut curator) = school_with_program().await;
    let page = curator
        .get(&format!("/o/school-a/programs/{program}/applications"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let token: String = app
        .one_for(
            "SELECT token FROM application_links WHERE program_id = $1 AND role = 'mentee'",
            program,
        )
        .await;
    page.assert_contains(&format!("/apply/{token}"));
    let poster = curator
        .get(&format!(
            "/o/school-a/programs/{program}/applications/poster/mentee"
        ))
        .await;
    poster.assert_contains("Найдите наставника!");
    poster.assert_contains("<svg");
    let users_before: i64 = app.one("SELECT count(*) FROM users").await;
    let mut anon = app.client();
    let url = format!("/apply/{token}");
    anon.get(&url)
        .await
        .assert_contains("Учётная запись не создаётся");
    let r = anon
        .post(
            &url,
            &[
                ("full_name", "Смирнов"),
                ("class_or_position", "6Б"),
                ("contact", "123"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Напишите фамилию и имя");
    r.assert_contains("Электронная почта или телефон");
    r.assert_contains("value=\"6Б\"");
    let good = [
        ("full_name", "Смирнов Олег Ильич"),
        ("class_or_position", "6Б"),
        ("contact", "oleg.parent@mail.ru"),
        ("motivation", "Хочу подтянуть математику"),
    ];
    let r = anon.post(&url, &good).await;
    assert_eq!(r.status, StatusCode::OK);
    r.assert_contains("Заявка отправлена куратору");
    // Three a day from one contact.
    anon.post(&url, &good).await;
    anon.post(&url, &good).await;
    let r = anon.post(&url, &good).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Слишком много заявок");
    let users_after: i64 = app.one("SELECT count(*) FROM users").await;
    assert_eq!(
        users_before, users_after,
        "an application never makes an account"
    );
    let told: i64 = app
        .one("SELECT count(*) FROM notifications WHERE text LIKE 'Новая заявка%'")
        .await;
    assert_eq!(told, 3);
    // The curator accepts the first into the base and the program; declines the others.
    let ids: Vec<uuid::Uuid> = app
        .all("SELECT id FROM applications ORDER BY created_at")
        .await;
    let base = format!("/o/school-a/programs/{program}/applications");
    curator
        .get(&base)
        .await
        .assert_contains("Хочу подтянуть математику");
    let r = curator
        .post(
            &format!("{base}/{}", ids[0]),
            &[("action", "accept"), ("kind", "pupil")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (class, email, mentee, consents): (String, String, bool, i64) = sqlx::query_as(
        "SELECT p.class_name, p.email, p.in_mentee_base,
                (SELECT count(*) FROM consents c WHERE c.person_id = p.id)
           FROM people p WHERE p.last_name = 'Смирнов'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (class.as_str(), email.as_str(), mentee, consents),
        ("6Б", "oleg.parent@mail.ru", true, 0)
    );
    let enrolled: i64 = app
        .one_for("SELECT count(*) FROM enrolments e JOIN people p ON p.id = e.person_id WHERE p.last_name = 'Смирнов' AND e.program_id = $1", program)
        .await;
    assert_eq!(enrolled, 1);
    let r = curator
        .post(
            &format!("{base}/{}", ids[1]),
            &[("action", "decline"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let still: String = app
        .one_for("SELECT status FROM applications WHERE id = $1", ids[1])
        .await;
    assert_eq!(still, "new", "a decline needs a reason");
    curator
        .post(
            &format!("{base}/{}", ids[1]),
            &[("action", "decline"), ("reason", "Повторная заявка")],
        )
        .await;
    let status: String = app
        .one_for("SELECT status FROM applications WHERE id = $1", ids[1])
        .await;
    assert_eq!(status, "declined");
    // Accepting twice changes nothing.
    curator
        .post(
            &format!("{base}/{}", ids[0]),
            &[("action", "accept"), ("kind", "pupil")],
        )
        .await;
    let people: i64 = app
        .one("SELECT count(*) FROM people WHERE last_name = 'Смирнов'")
        .await;
    assert_eq!(people, 1);
    let _ = org;
}

#[tokio::test]
async fn someone_in_the_base_applies_in_one_step_and_outsiders_see_nothing() {
    let (app, org, program, mut curator) = school_with_program().await;
    let other = crate::builders::program(
        &app.pool,
        org,
        app.one("SELECT user_id FROM memberships LIMIT 1").await,
        "Программа Б",
    )
    .await;
    // A participant of another program of the school, with an account.
    participant(&app, org, other, "kid@test.ru", "Ученикова", "mentee", true).await;
    curator
        .get(&format!("/o/school-a/programs/{program}/applications"))
        .await;
    let token: String = app
        .one_for(
            "SELECT token FROM application_links WHERE program_id = $1 AND role = 'mentor'",
            program,
        )
        .await;
    let mut kid = app.login("kid@test.ru").await;
    let url = format!("/apply/{token}");
    kid.get(&url)
        .await
        .assert_contains("Вы подаёте заявку как <strong>Ученикова");
    let r = kid
        .post(&url, &[("motivation", "Помогу младшим с английским")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let (person, role): (Option<uuid::Uuid>, String) =
        sqlx::query_as("SELECT person_id, role FROM applications")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(person.is_some());
    assert_eq!(role, "mentor");
    let id: uuid::Uuid = app.one("SELECT id FROM applications").await;
    let base = format!("/o/school-a/programs/{program}/applications");
    curator
        .post(&format!("{base}/{id}"), &[("action", "accept")])
        .await;
    let enrolled: String = app
        .one_for(
            "SELECT e.role FROM enrolments e WHERE e.program_id = $1",
            program,
        )
        .await;
    assert_eq!(enrolled, "mentor");
    // Outsiders: the kid, another school, a made-up link.
    for u in [
        base.clone(),
        format!("/o/school-a/programs/{program}/applications/poster/mentor"),
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
    let mut cb = app.login("curator-b@test.ru").await;
    assert_eq!(
        cb.get(&base.replace("school-a", "school-b")).await.status,
        StatusCode::NOT_FOUND
    );
    let r = cb
        .post(
            &format!("{}/{id}", base.replace("school-a", "school-b")),
            &[("action", "decline"), ("reason", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.client().get("/apply/nonexistent").await.status,
        StatusCode::NOT_FOUND
    );
}

/// The recruitment commands keep their rules whoever calls them (no page, no HTTP): an
/// application from outside needs a name, a class or position and a contact and is throttled per
/// contact; someone in the base applies in one step as themselves; only a curator decides, once;
/// a decline needs a reason; an accepted newcomer is in the base and the program.
#[tokio::test]
async fn the_recruitment_commands_keep_their_rules_without_a_page() {
    use nastavnik::error::AppError;
    use nastavnik::recruitment::{ApplyForm, Decided, Decision};
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let director = member(&app.pool, org_id, "director@test.ru", &[Role::Director]).await;
    let (curator, org, program) = command_scene(&app, org_id, program_id).await;
    let by_curator = Actor::new(&org, curator, "http://localhost");
    let by_director = Actor::new(&org, director, "http://localhost");
    let mut conn = app.pool.acquire().await.unwrap();
    let token = nastavnik::recruitment::repo::link(
        &mut conn,
        org_id,
        program_id,
        nastavnik::people::Side::Mentee,
    )
    .await
    .unwrap();
    let link = nastavnik::recruitment::link(&mut conn, &token)
        .await
        .unwrap()
        .unwrap();
    assert!(link.open);
    assert!(
        nastavnik::recruitment::link(&mut conn, &"x".repeat(65))
            .await
            .unwrap()
            .is_none()
    );
    let at = (&link, "http://localhost");
    let form = |contact: &str| ApplyForm {
        full_name: "Смирнов Олег Ильич".into(),
        class_or_position: "6Б".into(),
        contact: contact.into(),
        motivation: "Хочу подтянуть математику".into(),
    };
    let applications = || app.one::<i64>("SELECT count(*) FROM applications");

    // From outside: the three fields, or nothing is taken.
    match nastavnik::recruitment::apply(&mut conn, at, None, &ApplyForm::default(), "src-1").await {
        Err(Refused::Invalid(e)) => {
            for f in ["full_name", "class_or_position", "contact"] {
                assert!(e.has(f), "{f}: {e:?}");
            }
        }
        r => panic!("expected a refusal, got {r:?}"),
    }
    assert_eq!(applications().await, 0);
    // Three a day per contact.
    for n in 0..3 {
        nastavnik::recruitment::apply(&mut conn, at, None, &form("Oleg@Mail.ru"), &format!("s{n}"))
            .await
            .unwrap();
    }
    match nastavnik::recruitment::apply(&mut conn, at, None, &form("oleg@mail.ru"), "s9").await {
        Err(Refused::Invalid(e)) => assert!(e.get("contact").starts_with("Слишком много заявок")),
        r => panic!("expected the throttle, got {r:?}"),
    }
    assert_eq!(applications().await, 3);
    // Someone in the base: in one step, as themselves.
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
    let user: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'k1@test.ru'")
        .await;
    let me = nastavnik::recruitment::applicant(&mut conn, org_id, user)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(me.person_id, kid);
    nastavnik::recruitment::apply(&mut conn, at, Some(&me), &ApplyForm::default(), "s10")
        .await
        .unwrap();
    assert_eq!(
        app.one_for::<String>(
            "SELECT full_name FROM applications WHERE person_id = $1",
            kid
        )
        .await,
        "Котов Иван"
    );
    drop(conn);

    // The decisions: a curator's, once; a decline needs a reason.
    let newcomer: uuid::Uuid = app
        .one("SELECT id FROM applications WHERE person_id IS NULL ORDER BY created_at LIMIT 1")
        .await;
    let declined: uuid::Uuid = app
        .one("SELECT id FROM applications WHERE person_id IS NULL ORDER BY created_at DESC LIMIT 1")
        .await;
    let target = (program.id, program.name.as_str());
    let accept = Decision::Accept {
        kind: "pupil".into(),
    };
    let mut tx = app.pool.begin().await.unwrap();
    let r = nastavnik::recruitment::decide(&mut tx, &by_director, target, newcomer, &accept).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let r = nastavnik::recruitment::decide(
        &mut tx,
        &by_curator,
        target,
        newcomer,
        &Decision::Accept {
            kind: "alien".into(),
        },
    )
    .await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("kind")),
        "{r:?}"
    );
    let no_reason = Decision::Decline {
        reason: "  ".into(),
    };
    let r =
        nastavnik::recruitment::decide(&mut tx, &by_curator, target, declined, &no_reason).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("reason")),
        "{r:?}"
    );
    let full = Decision::Decline {
        reason: "Набор закрыт".into(),
    };
    let r = nastavnik::recruitment::decide(&mut tx, &by_curator, target, declined, &full).await;
    assert_eq!(r.unwrap(), Decided::Declined);
    let Decided::Accepted(person) =
        nastavnik::recruitment::decide(&mut tx, &by_curator, target, newcomer, &accept)
            .await
            .unwrap()
    else {
        panic!("expected an acceptance");
    };
    let again = nastavnik::recruitment::decide(&mut tx, &by_curator, target, newcomer, &full).await;
    assert_eq!(again.unwrap(), Decided::AlreadyDecided);
    let r =
        nastavnik::recruitment::decide(&mut tx, &by_curator, target, uuid::Uuid::new_v4(), &full)
            .await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    tx.commit().await.unwrap();
    assert_eq!(
        app.one_for::<String>(
            "SELECT last_name || ' ' || first_name || ' ' || class_name FROM people WHERE id = $1",
            person
        )
        .await,
        "Смирнов Олег 6Б"
    );
    assert_eq!(
        app.one_for::<i64>(
            "SELECT count(*) FROM enrolments WHERE person_id = $1 AND role = 'mentee'",
            person
        )
        .await,
        1
    );
}
