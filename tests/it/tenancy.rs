//! Organizations: the platform admin, members and roles, settings, home pages, service endpoints, trailing slashes.

use axum::http::StatusCode;
use nastavnik::auth::model::Role;

use crate::support::*;

/// Every route that takes an id, filled with organization B's ids, requested from a session of
/// organization A — under A's slug and under B's slug: always 404, nothing changes.
#[tokio::test]
async fn nothing_of_organization_b_is_reachable_from_a() {
    let app = spawn().await;
    let t = two_orgs(&app).await;
    let (b_task, b_version) = task(&app.pool, t.b_program, "2.1").await;
    let b_stage = stage(&app.pool, t.b_program, 3).await;
    let b_mentor: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'mentor-b@test.ru'")
        .await;
    let mut c = app.login("curator-a@test.ru").await;
    c.get("/o/school-a").await;
    let p = t.b_program;
    let gets = [
        "/o/school-b".to_string(),
        "/o/school-b/programs".to_string(),
        "/o/school-b/members".to_string(),
        "/o/school-b/settings".to_string(),
        format!("/o/school-b/programs/{p}"),
        format!("/o/school-a/programs/{p}"),
        format!("/o/school-a/programs/{p}/edit"),
        format!("/o/school-a/programs/{p}/roadmap"),
        format!("/o/school-a/programs/{p}/roadmap/tasks/{b_task}/edit"),
        format!(
            "/o/school-a/programs/{}/roadmap/tasks/{b_task}/edit",
            t.a_program
        ),
        format!("/o/school-a/programs/{p}/roadmap/stages/{b_stage}/tasks/new"),
        format!(
            "/o/school-a/programs/{}/roadmap/stages/{b_stage}/tasks/new",
            t.a_program
        ),
        format!("/o/school-b/programs/{p}/roadmap"),
        format!("/admin/orgs/{}", t.b),
        "/o/school-a/programs/not-a-uuid".to_string(),
    ];
    for path in &gets {
        let r = c.get(path).await;
        let expected = if path.starts_with("/admin") {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(r.status, expected, "GET {path}");
        assert!(
            !r.body.contains("Программа Б"),
            "GET {path} leaks B's program"
        );
    }
    let v = b_version.to_string();
    let posts = [
        "/o/school-b/programs/new".to_string(),
        format!("/o/school-a/programs/{p}/edit"),
        format!("/o/school-a/programs/{p}/roadmap/tasks/{b_task}/status"),
        format!(
            "/o/school-a/programs/{}/roadmap/tasks/{b_task}/status",
            t.a_program
        ),
        format!("/o/school-a/programs/{p}/roadmap/tasks/{b_task}/edit"),
        format!("/o/school-a/programs/{p}/roadmap/tasks/{b_task}/delete"),
        format!(
            "/o/school-a/programs/{}/roadmap/tasks/{b_task}/delete",
            t.a_program
        ),
        format!("/o/school-a/programs/{p}/roadmap/stages/{b_stage}/tasks/new"),
        format!(
            "/o/school-a/programs/{}/roadmap/stages/{b_stage}/tasks/new",
            t.a_program
        ),
        format!("/o/school-a/members/{b_mentor}/invite"),
        format!("/o/school-a/members/{b_mentor}/roles"),
        "/o/school-b/members".to_string(),
        "/o/school-b/settings".to_string(),
    ];
    for path in &posts {
        let r = c
            .post(
                path,
                &[
                    ("status", "done"),
                    ("version", &v),
                    ("title", "Взлом"),
                    ("due_on", "2026-12-01"),
                    ("responsible_role", "curator"),
                    ("roles", "curator"),
                    ("name", "Взлом"),
                    ("full_name", "Взлом"),
                    ("short_name", "Взлом"),
                    ("kind", "school"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "POST {path}");
    }
    let changed: i64 = app.one_for("SELECT count(*) FROM roadmap_tasks WHERE org_id = $1 AND (status <> 'todo' OR title = 'Взлом')", t.b).await;
    assert_eq!(changed, 0);
    let tasks_b: i64 = app
        .one_for(
            "SELECT count(*) FROM roadmap_tasks WHERE program_id = $1",
            t.b_program,
        )
        .await;
    assert_eq!(tasks_b, 35);
    let roles_b: Vec<String> = app
        .all_for(
            "SELECT unnest(roles) FROM memberships WHERE user_id = $1",
            b_mentor,
        )
        .await;
    assert_eq!(roles_b, vec!["mentor"]);
    let _ = t.a;
}

#[tokio::test]
async fn a_role_without_the_right_gets_403() {
    let app = spawn().await;
    let t = two_orgs(&app).await;
    let (task_id, version) = task(&app.pool, t.a_program, "1.1").await;
    let v = version.to_string();
    // A mentor: no staff pages, no program creation.
    let mut mentor = app.login("mentor-a@test.ru").await;
    mentor
        .get("/o/school-a")
        .await
        .assert_contains("Мои программы");
    for path in [
        "/o/school-a/programs/new",
        "/o/school-a/members",
        "/o/school-a/settings",
        "/admin",
    ] {
        assert_eq!(
            mentor.get(path).await.status,
            StatusCode::FORBIDDEN,
            "GET {path}"
        );
    }
    let r = mentor
        .post("/o/school-a/programs/new", &[("name", "X")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    r.assert_contains("Недостаточно прав");
    // Mentors see only their programs: none yet.
    let list = mentor.get("/o/school-a/programs").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains("Программы");
    assert!(!list.body.contains("Программа А"));
    assert_eq!(
        mentor
            .get(&format!("/o/school-a/programs/{}", t.a_program))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A director sees everything but does not edit the roadmap.
    let mut director = app.login("director-a@test.ru").await;
    director
        .get("/o/school-a/programs")
        .await
        .assert_contains("Программа А");
    let roadmap = director
        .get(&format!("/o/school-a/programs/{}/roadmap", t.a_program))
        .await;
    assert_eq!(roadmap.status, StatusCode::OK);
    assert!(
        !roadmap.body.contains("/status\""),
        "director gets no status forms"
    );
    let r = director
        .post(
            &format!(
                "/o/school-a/programs/{}/roadmap/tasks/{task_id}/status",
                t.a_program
            ),
            &[("status", "done"), ("version", &v)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        director.get("/o/school-a/programs/new").await.status,
        StatusCode::FORBIDDEN
    );
    // But a director manages people.
    assert_eq!(
        director.get("/o/school-a/members").await.status,
        StatusCode::OK
    );
    // A curator may not grant the director role to anybody.
    let mut curator = app.login("curator-a@test.ru").await;
    let mentor_id: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'mentor-a@test.ru'")
        .await;
    curator.get("/o/school-a/members").await;
    let r = curator
        .post(
            &format!("/o/school-a/members/{mentor_id}/roles"),
            &[("roles", "director")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let roles: Vec<String> = app
        .all_for(
            "SELECT unnest(roles) FROM memberships WHERE user_id = $1",
            mentor_id,
        )
        .await;
    assert_eq!(roles, vec!["mentor"]);
    let _ = (t.b, t.b_curator, t.a_curator);
}

#[tokio::test]
async fn platform_admin_creates_an_organization_with_director_and_curator() {
    let app = spawn().await;
    {
        let mut conn = app.pool.acquire().await.unwrap();
        let (u, _) =
            nastavnik::auth::repo::find_or_create_user(&mut conn, "admin@test.ru", "Админ", true)
                .await
                .unwrap();
        let h = nastavnik::auth::model::hash_password(PASSWORD).unwrap();
        nastavnik::auth::repo::set_password(&mut conn, u.id, &h)
            .await
            .unwrap();
    }
    let mut admin = app.login("admin@test.ru").await;
    assert_eq!(admin.get("/").await.location(), "/admin");
    admin
        .get("/admin/orgs/new")
        .await
        .assert_contains("Новая организация");
    let fields = [
        ("slug", "gymn-5"),
        ("full_name", "МАОУ «Гимназия № 5»"),
        ("short_name", "Гимназия № 5"),
        ("kind", "school"),
        ("municipality", "г. Энск"),
        ("region", "Энская область"),
        ("students_count", "900"),
        ("teachers_count", "70"),
        ("director_name", "Белова Ирина"),
        ("director_email", "belova@g5.ru"),
        ("curator_name", "Зайцев Олег"),
        ("curator_email", "zaitsev@g5.ru"),
    ];
    // A bad slug: 422, everything typed kept.
    let mut bad = fields.to_vec();
    bad[0] = ("slug", "Гимназия 5");
    let r = admin.post("/admin/orgs/new", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("value=\"МАОУ «Гимназия № 5»\"");
    r.assert_contains("Латинские буквы");
    let r = admin.post("/admin/orgs/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = admin.get(r.location()).await;
    page.assert_contains("Белова Ирина");
    page.assert_contains("Зайцев Олег");
    assert_eq!(page.body.matches("/invite/").count(), 2);
    // The built-in questionnaires exist in the new organization.
    let templates: i64 = app.one("SELECT count(*) FROM questionnaires q JOIN organizations o ON o.id = q.org_id WHERE o.slug = 'gymn-5' AND q.template_code <> ''").await;
    assert_eq!(templates, 8);
    // The same slug again is refused.
    let r = admin.post("/admin/orgs/new", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("уже занят");
    // Non-admins get 403.
    let a = org(&app.pool, "school-a").await;
    member(&app.pool, a, "curator@test.ru", &[Role::Curator]).await;
    let mut curator = app.login("curator@test.ru").await;
    assert_eq!(curator.get("/admin").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn settings_choose_forms_and_counts() {
    let app = spawn().await;
    let a = org(&app.pool, "school-a").await;
    member(&app.pool, a, "director@test.ru", &[Role::Director]).await;
    let mut c = app.login("director@test.ru").await;
    c.get("/o/school-a/settings")
        .await
        .assert_contains("Формы наставничества");
    let mut fields = vec![
        ("full_name", "Школа А"),
        ("short_name", "ША"),
        ("kind", "school"),
        ("students_count", "много"),
        ("teachers_count", "10"),
        ("forms", "employer_pupil"),
    ];
    let r = c.post("/o/school-a/settings", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("value=\"много\"");
    fields[3] = ("students_count", "1 200");
    fields.push(("forms", "student_pupil"));
    let r = c.post("/o/school-a/settings", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (students, forms): (i32, i64) = sqlx::query_as(
        "SELECT o.students_count, (SELECT count(*) FROM org_forms f WHERE f.org_id = o.id) FROM organizations o WHERE o.id = $1",
    )
    .bind(a)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((students, forms), (1200, 2));
}

#[tokio::test]
async fn operations_endpoints_and_headers() {
    let app = spawn_with(|c| c.metrics_token = Some("metrics-token-for-tests".into())).await;
    let mut c = app.client();
    let r = c.get("/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    let r = c.get("/login").await;
    let csp = r
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert_eq!(r.headers.get("x-frame-options").unwrap(), "DENY");
    assert!(r.headers.get("x-request-id").is_some());
    assert!(!r.body.contains("<script>"), "no inline script");
    assert!(!r.body.contains("style=\""), "no inline styles");
    // A Russian 404 page with the request id.
    let r = c.get("/no/such/page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    r.assert_contains("Страница не найдена");
    let rid = r
        .headers
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    r.assert_contains(&rid);
    // Without the token /metrics does not exist on the main address.
    assert_eq!(c.get("/metrics").await.status, StatusCode::NOT_FOUND);
    let r = c
        .send(
            axum::http::Request::get("/metrics")
                .header("authorization", "Bearer metrics-token-for-tests")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    r.assert_contains(
        "nastavnik_http_requests_total{method=\"GET\",route=\"/login\",status=\"200\"} 1",
    );
    r.assert_contains("nastavnik_http_request_duration_seconds_bucket");
    r.assert_contains("nastavnik_db_pool_connections{state=\"max\"}");
    let r = c.get("/static/js/htmx.min.js").await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn trailing_slash_forms_redirect_instead_of_404() {
    let School {
        app: _app, mut c, ..
    } = school().await;
    for (from, to) in [
        ("/o/school-a/", "/o/school-a"),
        (
            "/o/school-a/people/?base=mentor",
            "/o/school-a/people?base=mentor",
        ),
        ("/orgs/", "/orgs"),
    ] {
        let r = c.get(from).await;
        assert_eq!(r.status, StatusCode::PERMANENT_REDIRECT, "{from}");
        assert_eq!(r.location(), to);
        assert_eq!(c.get(to).await.status, StatusCode::OK, "{to}");
    }
    // Not an open redirect, and unknown pages stay a Russian 404.
    assert_eq!(c.get("//evil.example/").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        c.get("/o/school-a/nothing").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_organization_keeps_its_time_zone_and_its_dates_follow_it() {
    let app = spawn().await;
    let a = org(&app.pool, "school-a").await;
    member(&app.pool, a, "director@test.ru", &[Role::Director]).await;
    let mut c = app.login("director@test.ru").await;
    let page = c.get("/o/school-a/settings").await;
    page.assert_contains("Часовой пояс");
    page.assert_contains("<option value=\"Europe/Moscow\" selected>");
    let mut fields = vec![
        ("full_name", "Школа А"),
        ("short_name", "ША"),
        ("kind", "school"),
        ("region", "Хабаровский край"),
        ("time_zone", "Europe/Berlin"),
    ];
    let r = c.post("/o/school-a/settings", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Выберите часовой пояс");
    // The region is not the school's to change (issue 28): shown, not taken from the form.
    r.assert_contains("Регион и муниципалитет меняет администратор платформы");
    assert!(!r.body.contains("Хабаровский край"));
    fields[4] = ("time_zone", "Asia/Vladivostok");
    let r = c.post("/o/school-a/settings", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let zone: String = app
        .one_for("SELECT time_zone FROM organizations WHERE id = $1", a)
        .await;
    assert_eq!(zone, "Asia/Vladivostok");
    // The audit trail shows times on the school's clock (UTC+10).
    sqlx::query(
        "INSERT INTO audit_log (org_id, action, at) VALUES ($1, 'login', '2027-01-15 23:30:00+00')",
    )
    .bind(a)
    .execute(&app.pool)
    .await
    .unwrap();
    let log = c
        .get("/o/school-a/audit?from=16.01.2027&to=16.01.2027")
        .await;
    log.assert_contains("16.01.2027 09:30");
    // A new organization without a chosen zone gets its region's.
    let zone = nastavnik::tenancy::model::zone_for_region("Хабаровский край");
    assert_eq!(zone, "Asia/Vladivostok");
}

/// The member commands keep their rules whoever calls them (no page, no HTTP): only the staff
/// add members, set roles, issue links and withdraw invitations; only the director makes a
/// director; nobody acts on a member above them; an account of another organization is invited
/// (it accepts itself), never attached; a new address gets an e-mailed link; a member with a
/// password gets no new link; at least one role stays, and the actor keeps their own staff role.
#[tokio::test]
async fn the_member_commands_keep_their_rules_without_a_page() {
    use nastavnik::accounts::members::{
        Added, MemberForm, add_member, reissue_invite, revoke_pending, set_member_roles,
    };
    use nastavnik::error::AppError;
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let director = member(&app.pool, org_id, "director@test.ru", &[Role::Director]).await;
    let mentor = member(&app.pool, org_id, "m@test.ru", &[Role::Mentor]).await;
    let elsewhere = org(&app.pool, "school-b").await;
    let outsider = member(&app.pool, elsewhere, "teacher@b.ru", &[Role::Curator]).await;
    let (curator, school, _program) = command_scene(&app, org_id, program_id).await;
    let by_curator = Actor::new(&school, curator, "http://localhost").named("Смирнова Анна");
    let by_director = Actor::new(&school, director, "http://localhost");
    let by_mentor = Actor::new(&school, mentor, "http://localhost");
    let form = |email: &str, roles: &[&str]| MemberForm {
        email: email.into(),
        full_name: "Петрова Ольга".into(),
        roles: roles.iter().map(|r| r.to_string()).collect(),
    };
    let mut tx = app.pool.begin().await.unwrap();
    let r = add_member(&mut tx, &by_mentor, &form("new@test.ru", &["mentor"])).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    match add_member(&mut tx, &by_curator, &form("not an address", &["director"])).await {
        Err(Refused::Invalid(e)) => {
            assert!(e.has("email"));
            assert_eq!(e.get("roles"), "Назначить директора может только директор.");
        }
        r => panic!("expected a refusal, got {r:?}"),
    }
    // A new address: an account with the roles and an e-mailed link to set a password.
    let r = add_member(&mut tx, &by_curator, &form(" New@Test.ru ", &["mentor"])).await;
    assert_eq!(r.unwrap(), Added::Invited("new@test.ru".into()));
    // Another organization's account: invited, not attached.
    let r = add_member(&mut tx, &by_curator, &form("teacher@b.ru", &["mentor"])).await;
    assert_eq!(r.unwrap(), Added::Invited("teacher@b.ru".into()));
    // A member: granted; a member above the actor: left alone.
    let r = add_member(&mut tx, &by_curator, &form("m@test.ru", &["mentee"])).await;
    assert_eq!(r.unwrap(), Added::Granted(mentor));
    let r = add_member(&mut tx, &by_curator, &form("director@test.ru", &["mentor"])).await;
    assert_eq!(r.unwrap(), Added::AboveYou);
    tx.commit().await.unwrap();
    assert_eq!(
        app.one_for::<i64>(
            &format!("SELECT count(*) FROM memberships WHERE user_id = $1 AND org_id = '{org_id}'"),
            outsider
        )
        .await,
        0,
        "never attached"
    );
    let pending: uuid::Uuid = app
        .one_for(
            "SELECT id FROM membership_invitations WHERE user_id = $1",
            outsider,
        )
        .await;
    assert!(
        app.one::<i64>("SELECT count(*) FROM outbox WHERE to_address = 'new@test.ru'")
            .await
            >= 1,
        "the link goes by e-mail"
    );
    let newcomer: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'new@test.ru'")
        .await;

    // Roles.
    let mut tx = app.pool.begin().await.unwrap();
    let r = set_member_roles(&mut tx, &by_curator, mentor, &[]).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("roles")),
        "{r:?}"
    );
    let r = set_member_roles(&mut tx, &by_curator, curator, &[Role::Mentor]).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.get("roles").starts_with("Нельзя снять с себя")),
        "{r:?}"
    );
    let r = set_member_roles(&mut tx, &by_curator, mentor, &[Role::Director]).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.get("roles").contains("только директор")),
        "{r:?}"
    );
    let r = set_member_roles(&mut tx, &by_curator, outsider, &[Role::Mentor]).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "not a member: {r:?}"
    );
    set_member_roles(&mut tx, &by_director, mentor, &[Role::Mentor, Role::Mentee])
        .await
        .unwrap();
    // Links: for someone without a password; withdrawing an invitation, once.
    let token = reissue_invite(&mut tx, &by_curator, newcomer)
        .await
        .unwrap();
    assert!(token.len() >= 20);
    let r = reissue_invite(&mut tx, &by_curator, director).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.first().contains("уже есть пароль")),
        "{r:?}"
    );
    let r = revoke_pending(&mut tx, &by_mentor, pending).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    revoke_pending(&mut tx, &by_curator, pending).await.unwrap();
    let r = revoke_pending(&mut tx, &by_curator, pending).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    tx.commit().await.unwrap();
}

/// An invitation is the account's own to take (no page, no HTTP): another account cannot accept
/// or decline it; its account accepts it once — becoming a member with its roles and linked to
/// the invitation's person — and a declined one is gone.
#[tokio::test]
async fn an_invitation_is_accepted_only_by_the_account_it_invites() {
    use nastavnik::accounts::members::{Owner, accept_invitation, decline_invitation};
    use nastavnik::error::AppError;
    use nastavnik::web::forms::Refused;

    let (app, org_id, _program, _c) = school_with_program().await;
    let elsewhere = org(&app.pool, "school-b").await;
    let teacher = member(&app.pool, elsewhere, "teacher@b.ru", &[Role::Curator]).await;
    let stranger = member(&app.pool, elsewhere, "other@b.ru", &[Role::Mentor]).await;
    let kid = pupil(&app.pool, org_id, "Котов", "7А", true).await;
    let mut conn = app.pool.acquire().await.unwrap();
    let invite = |person| nastavnik::tenancy::Invite {
        user_id: teacher,
        roles: &[Role::Mentor],
        email: "teacher@b.ru",
        typed_name: "Учитель",
        person_id: person,
        invited_by: teacher,
    };
    nastavnik::tenancy::invite_existing(&mut conn, org_id, &invite(Some(kid)))
        .await
        .unwrap();
    let id: uuid::Uuid = app
        .one_for(
            "SELECT id FROM membership_invitations WHERE user_id = $1",
            teacher,
        )
        .await;
    let as_ = |user_id| Owner { user_id, ip: "" };
    let r = accept_invitation(&mut conn, as_(stranger), id).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    let r = decline_invitation(&mut conn, as_(stranger), id).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    let name = accept_invitation(&mut conn, as_(teacher), id)
        .await
        .unwrap();
    assert!(!name.is_empty());
    let r = accept_invitation(&mut conn, as_(teacher), id).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "only once: {r:?}"
    );
    assert_eq!(
        app.one_for::<Option<uuid::Uuid>>("SELECT user_id FROM people WHERE id = $1", kid)
            .await,
        Some(teacher)
    );
    nastavnik::tenancy::invite_existing(&mut conn, org_id, &invite(None))
        .await
        .unwrap();
    let id: uuid::Uuid = app
        .one_for(
            "SELECT id FROM membership_invitations WHERE user_id = $1",
            teacher,
        )
        .await;
    decline_invitation(&mut conn, as_(teacher), id)
        .await
        .unwrap();
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM membership_invitations")
            .await,
        0
    );
}

/// The organization's card without a page: only the platform administrator creates one, a taken
/// address is refused on its field and the transaction goes on; only the staff change a card, its
/// territory stays, a form of mentorship outside the catalogue is not stored.
#[tokio::test]
async fn the_organization_commands_keep_their_rules_without_a_page() {
    use nastavnik::accounts::orgs::{create_org, save_settings};
    use nastavnik::error::AppError;
    use nastavnik::tenancy::{Actor, OrgForm};
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let mentor = member(&app.pool, org_id, "m@test.ru", &[Role::Mentor]).await;
    let (curator, school, _program) = command_scene(&app, org_id, program_id).await;
    let admin = |is_platform_admin| nastavnik::web::ctx::User {
        id: curator,
        email: "curator@test.ru".into(),
        full_name: "Куратор".into(),
        is_platform_admin,
    };
    let card = OrgForm {
        slug: "lyceum-7".into(),
        full_name: "МАОУ «Лицей № 7»".into(),
        short_name: "Лицей № 7".into(),
        kind: "school".into(),
        region: "Энская область".into(),
        students_count: "1 200".into(),
        director_email: "Director@L7.ru".into(),
        director_name: "Орлова Вера".into(),
        curator_email: "curator@test.ru".into(),
        curator_name: "Куратор".into(),
        ..Default::default()
    };
    let mut tx = app.pool.begin().await.unwrap();
    let r = create_org(&mut tx, &admin(false), "http://localhost", &card).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let bad = OrgForm {
        slug: "Лицей".into(),
        students_count: "много".into(),
        director_email: "нет".into(),
        ..card.clone()
    };
    match create_org(&mut tx, &admin(true), "http://localhost", &bad).await {
        Err(Refused::Invalid(e)) => {
            assert!(e.has("slug") && e.has("students_count") && e.has("director_email"));
        }
        r => panic!("expected a refusal, got {r:?}"),
    }
    let created = create_org(&mut tx, &admin(true), "http://localhost", &card)
        .await
        .unwrap();
    // A new director gets a link; the curator's existing account is invited, not attached.
    assert_eq!(created.notes.len(), 2);
    assert!(
        created.notes[0].contains("http://localhost/invite/"),
        "{:?}",
        created.notes
    );
    assert!(created.notes[1].contains("подтвердит приглашение сам"));
    let taken = create_org(&mut tx, &admin(true), "http://localhost", &card).await;
    match taken {
        Err(Refused::Invalid(e)) => assert!(e.get("slug").contains("уже занят")),
        r => panic!("expected the address taken, got {r:?}"),
    }
    // The transaction is still usable after the refusal.
    let (count, slug_students): (i64, i32) = sqlx::query_as(
        "SELECT count(*) OVER (), students_count FROM organizations WHERE slug = 'lyceum-7'",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    assert_eq!((count, slug_students), (1, 1200));
    tx.commit().await.unwrap();
    let curator_in_new: i64 = app
        .one_for(
            "SELECT count(*) FROM memberships m JOIN organizations o ON o.id = m.org_id WHERE o.slug = 'lyceum-7' AND m.user_id = $1",
            curator,
        )
        .await;
    assert_eq!(curator_in_new, 0, "never attached");

    // The card: the staff only; the territory is kept; unknown forms are dropped.
    let by_mentor = Actor::new(&school, mentor, "http://localhost");
    let by_curator = Actor::new(&school, curator, "http://localhost");
    let edit = OrgForm {
        full_name: "Школа А, новое имя".into(),
        short_name: "ША".into(),
        kind: "school".into(),
        region: "Другая область".into(),
        municipality: "Другой город".into(),
        teachers_count: "45".into(),
        forms: vec!["employer_pupil".into(), "no-such-form".into()],
        site_section_url: "https://school-a.ru/nastavnik".into(),
        ..Default::default()
    };
    let mut tx = app.pool.begin().await.unwrap();
    let r = save_settings(&mut tx, &by_mentor, &edit).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let wrong = OrgForm {
        site_section_url: "school-a.ru".into(),
        ..edit.clone()
    };
    match save_settings(&mut tx, &by_curator, &wrong).await {
        Err(Refused::Invalid(e)) => assert!(e.has("site_section_url")),
        r => panic!("expected a refusal, got {r:?}"),
    }
    save_settings(&mut tx, &by_curator, &edit).await.unwrap();
    tx.commit().await.unwrap();
    let (name, region, teachers, site): (String, String, i32, String) = sqlx::query_as(
        "SELECT full_name, region, teachers_count, site_section_url FROM organizations WHERE id = $1",
    )
    .bind(org_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(name, "Школа А, новое имя");
    assert_eq!(region, school.region, "the territory stays");
    assert_eq!(teachers, 45);
    assert_eq!(site, "https://school-a.ru/nastavnik");
    let forms: Vec<String> =
        sqlx::query_scalar("SELECT form_code FROM org_forms WHERE org_id = $1")
            .bind(org_id)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(forms, ["employer_pupil"]);
}
