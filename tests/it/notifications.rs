//! In-app notifications: the bell with the unread count on every page, the list, opening one
//! (marked read, its page opened), all marked read at once, nobody else's reachable.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn the_bell_counts_the_unread_and_the_list_opens_them() {
    let (app, org, program, mut c) = school_with_program().await;
    let kid = participant(&app, org, program, "kid@test.ru", "Ученик", "mentee", true).await;
    let (aid, _) = give(&app.pool, org, program, "mentee_form", "mentees", &[kid]).await;
    c.get(&format!("/o/school-a/assignments/{aid}")).await;
    for _ in 0..2 {
        c.post(&format!("/o/school-a/assignments/{aid}/remind"), &[])
            .await;
    }
    let mut k = app.login("kid@test.ru").await;
    let home = k.get("/o/school-a").await;
    home.assert_contains("Уведомления: непрочитанных 2");
    let list = k.get("/o/school-a/notifications").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains("Напоминание: заполните анкету");
    list.assert_contains("Отметить все прочитанными");
    let first = list
        .body
        .split("href=\"/o/school-a/notifications/")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .find(|id| uuid::Uuid::parse_str(id).is_ok())
        .expect("a notification link");
    let r = k.get(&format!("/o/school-a/notifications/{first}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/o/school-a/my/forms/{aid}"));
    k.get("/o/school-a")
        .await
        .assert_contains("Уведомления: непрочитанных 1");
    // Someone else's notification is not found.
    assert_eq!(
        c.get(&format!("/o/school-a/notifications/{first}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    k.get("/o/school-a/notifications").await;
    let r = k.post("/o/school-a/notifications/read-all", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = k.get("/o/school-a/notifications").await;
    page.assert_contains("Отмечено прочитанными: 1");
    assert!(!page.body.contains("непрочитанных"));
}

/// The notification commands keep their rules whoever calls them (no page, no HTTP): marking all
/// read touches only the actor's own; a channel a kind does not allow is not kept, and the
/// curator's digest is the curators' only; an unsubscribe link stops its kind's e-mails, and a
/// token that is no link stops nothing.
#[tokio::test]
async fn the_notification_commands_keep_their_rules_without_a_page() {
    use nastavnik::auth::model::Role;
    use nastavnik::notifications::commands::{Channels, choose, read_all, unsubscribe};
    use nastavnik::tenancy::Actor;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let mentor = member(&app.pool, org_id, "m@test.ru", &[Role::Mentor]).await;
    let (curator, org, _program) = command_scene(&app, org_id, program_id).await;
    let by_curator = Actor::new(&org, curator, "http://localhost");
    let by_mentor = Actor::new(&org, mentor, "http://localhost");
    let mut conn = app.pool.acquire().await.unwrap();
    nastavnik::notifications::repo::notify(&mut conn, org_id, &[mentor, curator], "Новость", "/")
        .await
        .unwrap();
    assert_eq!(read_all(&mut conn, &by_mentor).await.unwrap(), 1);
    assert_eq!(read_all(&mut conn, &by_mentor).await.unwrap(), 0);
    assert_eq!(
        app.one_for::<i64>(
            "SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
            curator
        )
        .await,
        1,
        "the curator's stays unread"
    );

    let wanted = Channels {
        reminders: "digest".into(),
        pairs: "email".into(),
        surveys: "carrier pigeon".into(),
        digest: "email".into(),
    };
    assert_eq!(choose(&mut conn, &by_mentor, &wanted).await.unwrap(), 2);
    assert_eq!(choose(&mut conn, &by_curator, &wanted).await.unwrap(), 3);
    let kept = |user: uuid::Uuid| {
        let app = &app;
        async move {
            let v: Vec<String> = sqlx::query_scalar(
                "SELECT kind || '=' || channel FROM notification_prefs WHERE user_id = $1 ORDER BY 1",
            )
            .bind(user)
            .fetch_all(&app.pool)
            .await
            .unwrap();
            v
        }
    };
    assert_eq!(kept(mentor).await, ["pairs=email", "reminders=digest"]);
    assert_eq!(
        kept(curator).await,
        ["digest=email", "pairs=email", "reminders=digest"]
    );

    let teller = nastavnik::notifications::Teller::new(&org, "http://localhost");
    let link = nastavnik::notifications::unsubscribe_link(&mut conn, teller, mentor, "pairs")
        .await
        .unwrap();
    let token = link.rsplit('/').next().unwrap().to_string();
    assert!(
        unsubscribe(&mut conn, "no-such-token")
            .await
            .unwrap()
            .is_none()
    );
    let stopped = unsubscribe(&mut conn, &token).await.unwrap().unwrap();
    assert_eq!(stopped.kind, "pairs");
    assert_eq!(kept(mentor).await, ["pairs=app", "reminders=digest"]);
    // The outbox's resend and retry: the platform administrator's, for a failed e-mail or a
    // parked job only.
    use nastavnik::error::AppError;
    use nastavnik::notifications::commands::{resend, retry_job};
    let user = |is_platform_admin| nastavnik::web::ctx::User {
        id: curator,
        email: "curator@test.ru".into(),
        full_name: "Куратор".into(),
        is_platform_admin,
    };
    let nothing = uuid::Uuid::new_v4();
    assert!(matches!(
        resend(&mut conn, &user(false), nothing).await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        resend(&mut conn, &user(true), nothing).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        retry_job(&mut conn, &user(false), nothing).await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        retry_job(&mut conn, &user(true), nothing).await,
        Err(AppError::NotFound)
    ));
}
