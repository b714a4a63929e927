//! Accounts of people of the bases: printed login slips with codes, a pupil's first login with a code.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn a_pupil_logs_in_with_a_printed_code_and_sets_a_password() {
    let (app, org_id, p1, mut c) = school_with_program().await;
    let kid = pupil(&app.pool, org_id, "Волков", "7А", true).await;
    let no_consent = pupil(&app.pool, org_id, "Зайцев", "7А", false).await;
    c.post(
        &format!("/o/school-a/people/{kid}/enrol"),
        &[("program", &p1.to_string()), ("role", "mentee")],
    )
    .await;
    let r = c
        .post(
            "/o/school-a/people/bulk",
            &[
                ("action", "accounts"),
                ("role", "mentee"),
                ("ids", &kid.to_string()),
                ("ids", &no_consent.to_string()),
            ],
        )
        .await;
    // The codes exist only now: the page of what was issued shows them once.
    assert_eq!(r.status, StatusCode::OK);
    r.assert_contains("нет действующего согласия");
    r.assert_contains("Волков Иван");
    // Printing the class's slips issues new codes (the first ones stop working).
    let slips = c
        .post(
            "/o/school-a/people/slips",
            &[("class", "7А"), ("code_days", "7")],
        )
        .await;
    assert_eq!(slips.status, StatusCode::OK);
    slips.assert_contains("Волков Иван");
    assert!(!slips.body.contains("Зайцев"));
    let login: String = app
        .one_for(
            "SELECT u.email FROM users u JOIN people p ON p.user_id = u.id WHERE p.id = $1",
            kid,
        )
        .await;
    assert!(
        login.starts_with("volkovi-") && login.ends_with(".school-a"),
        "{login}"
    );
    let code = code_in(&slips.body);
    let first_code = code_in(&r.body);
    assert_ne!(code, first_code);
    let mut stale = app.client();
    assert_eq!(
        stale.login(&login, &first_code).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // The code alone opens nothing: it is no link, and with another login it fails.
    assert_eq!(
        stale.get(&format!("/invite/{code}")).await.status,
        StatusCode::GONE
    );
    assert_eq!(
        stale.login("someone-else.school-a", &code).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // The pupil logs in with the login and the code (any letter case) and sets a password.
    let mut kid_client = app.client();
    let r = kid_client.login(&login, &code.to_lowercase()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/invite/"));
    assert!(!r.location().contains(&code));
    let setup = r.location().to_string();
    let r = kid_client.get(&setup).await;
    r.assert_contains("задайте пароль");
    let r = kid_client
        .post(
            &setup,
            &[("password", "мой-пароль-7"), ("password2", "мой-пароль-7")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let home = kid_client.get("/o/school-a").await;
    home.assert_contains("Программа А");
    assert_eq!(
        kid_client
            .get(&format!("/o/school-a/programs/{p1}"))
            .await
            .status,
        StatusCode::OK
    );
    // The code works once; a forgotten password gets a new code and the old one stops.
    let mut again = app.client();
    assert_eq!(
        again.login(&login, &code).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = c
        .post(&format!("/o/school-a/people/{kid}/account"), &[])
        .await;
    let flash = c.get(r.location()).await;
    flash.assert_contains("Одноразовый код входа");
    let new_code = flash
        .body
        .split("Одноразовый код входа: ")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>();
    assert_eq!(new_code.len(), 10);
    assert_ne!(new_code, code);
    let mut third = app.client();
    assert_eq!(
        third.login(&login, "мой-пароль-7").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(
        third
            .login(&login, &new_code)
            .await
            .location()
            .starts_with("/invite/")
    );
    c.get("/o/school-a/audit")
        .await
        .assert_contains("печать листков входа");
}

/// The first login code on a slips page.
fn code_in(body: &str) -> String {
    body.split("<span class=\"code\">")
        .nth(1)
        .expect("a slip")
        .split('<')
        .next()
        .unwrap()
        .to_string()
}

/// The account commands keep the accounts' rules whoever calls them (no page, no HTTP): only a
/// curator issues; a pupil without a consent gets nothing; a pupil with one gets a login and a
/// code; a person whose e-mail is an existing account's (here the director's) is only invited —
/// the account is linked when its owner accepts, never by the command; a class's slips give new
/// codes to the code logins without a password, never to a shared account.
#[tokio::test]
async fn the_account_commands_keep_their_rules_without_a_page() {
    use nastavnik::accounts::Issued;
    use nastavnik::auth::model::Role;
    use nastavnik::error::AppError;
    use nastavnik::people::PersonInput;
    use nastavnik::tenancy::Actor;

    let School {
        app,
        org: org_id,
        curator,
        ..
    } = school().await;
    let director = member(&app.pool, org_id, "director@test.ru", &[Role::Director]).await;
    let with_consent = pupil(&app.pool, org_id, "Сидоров", "5А", true).await;
    let without = pupil(&app.pool, org_id, "Петров", "5А", false).await;
    let directors_address = person(
        &app.pool,
        org_id,
        PersonInput {
            last_name: "Директорова".into(),
            first_name: "Анна".into(),
            kind: "teacher".into(),
            email: "director@test.ru".into(),
            in_mentor_base: true,
            ..Default::default()
        },
    )
    .await;
    give_consent(&app.pool, org_id, directors_address, None).await;
    let mut conn = app.pool.acquire().await.unwrap();
    let org = nastavnik::tenancy::org_by_id(&mut conn, org_id)
        .await
        .unwrap();
    drop(conn);
    let by_curator = Actor::new(&org, curator, "http://localhost");
    let by_director = Actor::new(&org, director, "http://localhost");

    let mut tx = app.pool.begin().await.unwrap();
    let r = nastavnik::accounts::account_for(&mut tx, &by_director, with_consent, 7).await;
    assert!(matches!(r, Err(AppError::Forbidden)), "{r:?}");
    let r = nastavnik::accounts::class_slips(&mut tx, &by_director, "5А", 7).await;
    assert!(matches!(r, Err(AppError::Forbidden)), "{r:?}");
    let why = nastavnik::accounts::account_for(&mut tx, &by_curator, without, 7)
        .await
        .unwrap()
        .unwrap_err();
    assert!(why.contains("нет действующего согласия"), "{why}");
    let issued = nastavnik::accounts::account_for(&mut tx, &by_curator, with_consent, 7)
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(issued, Issued::Code { .. }), "{issued:?}");
    let invited = nastavnik::accounts::account_for(&mut tx, &by_curator, directors_address, 7)
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(invited, Issued::Invited { .. }), "{invited:?}");
    tx.commit().await.unwrap();
    let linked: Option<uuid::Uuid> = app
        .one_for(
            "SELECT user_id FROM people WHERE id = $1",
            directors_address,
        )
        .await;
    assert_eq!(
        linked, None,
        "an existing account is never linked by the curator"
    );

    let mut tx = app.pool.begin().await.unwrap();
    let slips = nastavnik::accounts::class_slips(&mut tx, &by_curator, "5А", 7)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(slips.len(), 1, "the one code login of the class: {slips:?}");
    assert!(matches!(&slips[0], Issued::Code { name, .. } if name.starts_with("Сидоров")));
    let printed: i64 = app
        .one("SELECT count(*) FROM audit_log WHERE action = 'slips.print'")
        .await;
    assert_eq!(printed, 1);
}
