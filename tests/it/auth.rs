//! Accounts: login and throttling, sessions and CSRF, logout, invitation links.

use axum::http::StatusCode;
use nastavnik::auth::model::Role;

use crate::support::*;

#[tokio::test]
async fn login_success_sets_a_fresh_session_and_lands_on_the_org() {
    let app = spawn().await;
    let a = org(&app.pool, "school-a").await;
    member(&app.pool, a, "curator@test.ru", &[Role::Curator]).await;
    let mut c = app.client();
    c.get("/login").await.assert_contains("Вход");
    let r = c.login("Curator@Test.ru ", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/");
    let cookie = r.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        cookie.contains("nv_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
    );
    let first_session = c.cookies.get("nv_session").cloned().unwrap();
    let r = c.get("/").await;
    assert_eq!(r.location(), "/o/school-a");
    let r = c.get("/o/school-a").await;
    assert_eq!(r.status, StatusCode::OK);
    r.assert_contains("Организация school-a");
    // Logging in again renews the session id and drops the old one.
    let r = c.login("curator@test.ru", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let second = c.cookies.get("nv_session").cloned().unwrap();
    assert_ne!(first_session, second);
    let old: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions WHERE id = $1")
        .bind(&first_session)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(old, 0);
}

#[tokio::test]
async fn chooser_for_several_organizations() {
    let app = spawn().await;
    let a = org(&app.pool, "school-a").await;
    let b = org(&app.pool, "school-b").await;
    member(&app.pool, a, "both@test.ru", &[Role::Curator]).await;
    member(&app.pool, b, "both@test.ru", &[Role::Mentor, Role::Mentee]).await;
    let mut c = app.login("both@test.ru").await;
    assert_eq!(c.get("/").await.location(), "/orgs");
    let r = c.get("/orgs").await;
    r.assert_contains("/o/school-a");
    r.assert_contains("/o/school-b");
    r.assert_contains("наставник, наставляемый");
}

#[tokio::test]
async fn login_failure_keeps_email_and_says_why() {
    let app = spawn().await;
    let a = org(&app.pool, "school-a").await;
    member(&app.pool, a, "curator@test.ru", &[Role::Curator]).await;
    let mut c = app.client();
    let r = c.login("curator@test.ru", "wrong-password").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Неверная электронная почта или пароль");
    r.assert_contains("value=\"curator@test.ru\"");
    assert!(!c.cookies.contains_key("nv_session"));
    // Unknown accounts answer the same.
    let r = c.login("nobody@test.ru", "whatever1").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Неверная электронная почта или пароль");
}

#[tokio::test]
async fn repeated_failures_are_slowed_then_refused() {
    let app = spawn().await;
    let a = org(&app.pool, "school-a").await;
    member(&app.pool, a, "curator@test.ru", &[Role::Curator]).await;
    let mut c = app.client();
    let started = std::time::Instant::now();
    let mut last = None;
    for _ in 0..5 {
        last = Some(c.login("curator@test.ru", "wrong-password").await);
    }
    // Failures 3, 4 and 5 are delayed (0.5 + 1 + 1.5 s).
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(2900),
        "{:?}",
        started.elapsed()
    );
    let last = last.unwrap();
    assert_eq!(last.status, StatusCode::TOO_MANY_REQUESTS);
    last.assert_contains("Слишком много неудачных попыток входа");
    // Locked: even the right password is refused for a while, with a Russian message.
    let r = c.login("curator@test.ru", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    r.assert_contains("попробуйте снова через");
    assert!(!c.cookies.contains_key("nv_session"));
    // Once the lock has passed, the right password works again.
    sqlx::query("UPDATE login_throttle SET locked_until = now() - interval '1 second'")
        .execute(&app.pool)
        .await
        .unwrap();
    let r = c.login("curator@test.ru", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let School { app, mut c, .. } = school().await;
    let session = c.cookies.get("nv_session").cloned().unwrap();
    c.get("/o/school-a").await;
    let r = c.post("/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login");
    let n: i64 = app
        .one_for(
            "SELECT count(*) FROM sessions WHERE id = $1",
            nastavnik::web::cookies::digest(&session),
        )
        .await;
    assert_eq!(n, 0);
    // The old cookie no longer opens anything.
    c.cookies.insert("nv_session".into(), session);
    let r = c.get("/o/school-a").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login");
}

#[tokio::test]
async fn every_post_without_a_valid_csrf_token_is_refused() {
    let app = spawn().await;
    let t = two_orgs(&app).await;
    // Before login: the login form itself.
    let mut anon = app.client();
    anon.get("/login").await;
    let r = anon
        .post_raw(
            "/login",
            form_body(&[("email", "curator-a@test.ru"), ("password", PASSWORD)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    r.assert_contains("CSRF");
    // Logged in: no token, a wrong token, the anonymous token instead of the session's.
    let mut c = app.login("curator-a@test.ru").await;
    let (task_id, version) = task(&app.pool, t.a_program, "1.1").await;
    let v = version.to_string();
    let posts: Vec<String> = vec![
        "/logout".into(),
        "/o/school-a/programs/new".into(),
        format!("/o/school-a/programs/{}/edit", t.a_program),
        format!(
            "/o/school-a/programs/{}/roadmap/tasks/{task_id}/status",
            t.a_program
        ),
        format!(
            "/o/school-a/programs/{}/roadmap/tasks/{task_id}/edit",
            t.a_program
        ),
        format!(
            "/o/school-a/programs/{}/roadmap/tasks/{task_id}/delete",
            t.a_program
        ),
        "/o/school-a/members".into(),
        "/o/school-a/settings".into(),
    ];
    let anon_token = anon.csrf.clone().unwrap();
    for path in &posts {
        for token in ["", "0000", anon_token.as_str()] {
            let body = form_body(&[("_csrf", token), ("status", "done"), ("version", &v)]);
            let r = c.post_raw(path, body).await;
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "POST {path} with token «{token}»"
            );
        }
    }
    // Nothing changed, and the session still works.
    let status: String = app
        .one_for("SELECT status FROM roadmap_tasks WHERE id = $1", task_id)
        .await;
    assert_eq!(status, "todo");
    assert_eq!(c.get("/o/school-a").await.status, StatusCode::OK);
    // With the right token the same request passes.
    let r = c
        .post(
            &format!(
                "/o/school-a/programs/{}/roadmap/tasks/{task_id}/status",
                t.a_program
            ),
            &[("status", "done"), ("version", &v)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn invitation_flow_sets_password_once() {
    let app = spawn().await;
    let a = org(&app.pool, "school-a").await;
    member(&app.pool, a, "curator@test.ru", &[Role::Curator]).await;
    let mut curator = app.login("curator@test.ru").await;
    // A curator adds a mentor; the page shows the one-time link.
    let r = curator
        .post(
            "/o/school-a/members",
            &[
                ("full_name", "Сидорова Анна Ивановна"),
                ("email", "Anna@School.ru"),
                ("roles", "mentor"),
                ("roles", "mentee"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = curator.get("/o/school-a/members").await;
    page.assert_contains("Сидорова Анна Ивановна");
    // The same words as for an address that has an account (issue 28): the link goes by
    // e-mail, and the inviter takes a new one from the member's card if it does not arrive.
    page.assert_contains("Приглашение отправлено на anna@school.ru");
    assert!(!page.body.contains("/invite/"));
    let anna_id: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'anna@school.ru'")
        .await;
    let r = curator
        .post(&format!("/o/school-a/members/{anna_id}/invite"), &[])
        .await;
    let token = link_in(&curator.get(r.location()).await.body);
    let link = format!("/invite/{token}");

    let mut anna = app.client();
    let r = anna.get(&link).await;
    assert_eq!(r.status, StatusCode::OK);
    r.assert_contains("anna@school.ru");
    r.assert_contains("(Орг school-a)");
    // Mismatch and short passwords: 422 with messages beside the fields.
    let r = anna
        .post(&link, &[("password", "short"), ("password2", "other")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("не короче 8");
    r.assert_contains("Пароли не совпадают");
    let r = anna
        .post(
            &link,
            &[
                ("password", "новый-пароль-1"),
                ("password2", "новый-пароль-1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(anna.cookies.contains_key("nv_session"));
    assert_eq!(anna.get("/").await.location(), "/o/school-a");
    let home = anna.get("/o/school-a").await;
    home.assert_contains("Мои программы");
    // The link works once.
    let mut other = app.client();
    assert_eq!(other.get(&link).await.status, StatusCode::GONE);
    let r = other
        .post(
            &link,
            &[("password", "another-pass"), ("password2", "another-pass")],
        )
        .await;
    assert_eq!(r.status, StatusCode::GONE);
    // And the new password logs in.
    let mut again = app.client();
    assert_eq!(
        again.login("anna@school.ru", "новый-пароль-1").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn invitation_links_expire_and_reissue_revokes() {
    let app = spawn().await;
    let a = org(&app.pool, "school-a").await;
    member(&app.pool, a, "curator@test.ru", &[Role::Curator]).await;
    let mut curator = app.login("curator@test.ru").await;
    curator
        .post(
            "/o/school-a/members",
            &[
                ("full_name", "Новиков Пётр"),
                ("email", "petr@school.ru"),
                ("roles", "mentor"),
            ],
        )
        .await;
    let user_id: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'petr@school.ru'")
        .await;
    let r = curator
        .post(&format!("/o/school-a/members/{user_id}/invite"), &[])
        .await;
    let first = link_in(&curator.get(r.location()).await.body);
    // The database keeps only digests: the link's secret is nowhere in it.
    let stored: Vec<String> = app.all("SELECT token FROM invitations").await;
    assert!(!stored.contains(&first));
    // A new link revokes the first one.
    let r = curator
        .post(&format!("/o/school-a/members/{user_id}/invite"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let second = link_in(&curator.get(r.location()).await.body);
    let mut c = app.client();
    assert_eq!(
        c.get(&format!("/invite/{first}")).await.status,
        StatusCode::GONE
    );
    assert_eq!(
        c.get(&format!("/invite/{second}")).await.status,
        StatusCode::OK
    );
    // Expired links do not work.
    sqlx::query("UPDATE invitations SET expires_at = now() - interval '1 minute'")
        .execute(&app.pool)
        .await
        .unwrap();
    let r = c.get(&format!("/invite/{second}")).await;
    assert_eq!(r.status, StatusCode::GONE);
    r.assert_contains("Ссылка недействительна");
}

#[tokio::test]
async fn member_form_errors_keep_the_input() {
    let School {
        app: _app, mut c, ..
    } = school().await;
    c.get("/o/school-a/members").await;
    let r = c
        .post(
            "/o/school-a/members",
            &[("full_name", "Орлова Мария"), ("email", "not-an-email")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("value=\"Орлова Мария\"");
    r.assert_contains("value=\"not-an-email\"");
    r.assert_contains("Введите адрес электронной почты");
    r.assert_contains("Отметьте хотя бы одну роль");
    // A curator cannot appoint a director.
    let r = c
        .post(
            "/o/school-a/members",
            &[
                ("full_name", "Орлова Мария"),
                ("email", "m@school.ru"),
                ("roles", "director"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Назначить директора может только директор");
}

/// The 64-character secret of the first invitation link on a page.
pub(crate) fn link_in(body: &str) -> String {
    let start = body.find("/invite/").expect("link shown") + 8;
    let token: String = body[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(token.len(), 64, "{body}");
    token
}

/// The account commands keep their rules whoever calls them (no page, no HTTP): a login needs
/// both fields, answers a wrong address and a wrong password with the same words and counts the
/// failure; the right password opens a new session and drops the old; a one-time link sets a
/// password of at least the minimum length typed twice, once.
#[tokio::test]
async fn the_account_commands_keep_their_rules_without_a_page() {
    use nastavnik::auth::commands::{
        Credentials, LoggedIn, NotIn, NotSet, log_in, log_out, set_first_password,
    };

    let app = spawn().await;
    let org_id = org(&app.pool, "school-a").await;
    let user = member(&app.pool, org_id, "anna@test.ru", &[Role::Curator]).await;
    let state = nastavnik::state(
        app.pool.clone(),
        nastavnik::config::Config::for_tests("postgres://test".into()),
    );
    let creds = |email: &str, password: &str| Credentials {
        email: email.into(),
        password: password.into(),
        remember: false,
    };
    let r = log_in(&state, &creds("anna@test.ru", ""), "10.0.0.1", None).await;
    assert!(
        matches!(&r, Err(NotIn::Invalid(m)) if m == "Введите электронную почту и пароль."),
        "{r:?}"
    );
    let wrong_password = log_in(
        &state,
        &creds("anna@test.ru", "nope-nope"),
        "10.0.0.1",
        None,
    )
    .await;
    let wrong_address = log_in(
        &state,
        &creds("nobody@test.ru", "nope-nope"),
        "10.0.0.1",
        None,
    )
    .await;
    match (wrong_password, wrong_address) {
        (Err(NotIn::Invalid(a)), Err(NotIn::Invalid(b))) => {
            assert_eq!(a, b);
            assert_eq!(a, "Неверная электронная почта или пароль.");
        }
        other => panic!("expected two refusals, got {other:?}"),
    }
    // The account's failure is in its organization's log (an unknown address has no log).
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM audit_log WHERE action = 'login.failed'")
            .await,
        1
    );
    let Ok(LoggedIn::Session(first)) =
        log_in(&state, &creds(" Anna@Test.ru ", PASSWORD), "10.0.0.1", None).await
    else {
        panic!("the right password logs in");
    };
    let sessions = || app.one_for::<i64>("SELECT count(*) FROM sessions WHERE user_id = $1", user);
    assert_eq!(sessions().await, 1);
    let old: String = app
        .one_for("SELECT id FROM sessions WHERE user_id = $1", user)
        .await;
    let Ok(LoggedIn::Session(second)) = log_in(
        &state,
        &creds("anna@test.ru", PASSWORD),
        "10.0.0.1",
        Some(&old),
    )
    .await
    else {
        panic!("the right password logs in");
    };
    assert_ne!(first, second);
    assert_eq!(sessions().await, 1, "the old session is dropped");
    let current: String = app
        .one_for("SELECT id FROM sessions WHERE user_id = $1", user)
        .await;
    log_out(&mut app.pool.acquire().await.unwrap(), &current)
        .await
        .unwrap();
    assert_eq!(sessions().await, 0);

    // A one-time link.
    let mut conn = app.pool.acquire().await.unwrap();
    let (newcomer, _) =
        nastavnik::auth::find_or_create_user(&mut conn, "new@test.ru", "Новикова Ольга", false)
            .await
            .unwrap();
    let token = nastavnik::auth::create_invitation(&mut conn, newcomer.id, Some(org_id), None)
        .await
        .unwrap();
    drop(conn);
    let r = set_first_password(
        &state,
        "not-a-link",
        ("long enough 1", "long enough 1"),
        None,
    )
    .await;
    assert!(matches!(r, Err(NotSet::Gone)), "{r:?}");
    match set_first_password(&state, &token, ("short", "other"), None).await {
        Err(NotSet::Invalid(e, inv)) => {
            assert!(e.has("password") && e.has("password2"), "{e:?}");
            assert_eq!(inv.email, "new@test.ru");
        }
        r => panic!("expected a refusal, got {r:?}"),
    }
    let session = set_first_password(&state, &token, ("long enough 1", "long enough 1"), None)
        .await
        .unwrap();
    assert!(!session.is_empty());
    let r = set_first_password(&state, &token, ("long enough 2", "long enough 2"), None).await;
    assert!(matches!(r, Err(NotSet::Gone)), "used once: {r:?}");
    assert!(matches!(
        log_in(
            &state,
            &creds("new@test.ru", "long enough 1"),
            "10.0.0.2",
            None
        )
        .await,
        Ok(LoggedIn::Session(_))
    ));
}
