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
