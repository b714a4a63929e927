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
