//! Security round two (issue 28): a member's account is linked only by its owner and survives an
//! erasure; erasure leaves no name in free text.

use axum::http::StatusCode;

use nastavnik::auth::model::Role;

use crate::support::*;

/// Finding 1: a curator sets a person's e-mail to the director's, asks for an account and then
/// withdraws the consent. The director's account is not linked (an invitation waits for them),
/// and after the erasure it still logs in with its roles; when the director accepts the
/// invitation and the person is erased, the account only loses the link and the mentor role.
#[tokio::test]
async fn a_curator_never_links_or_erases_a_member_s_account() {
    let (app, org, _program, mut c) = school_with_program().await;
    let director = member(&app.pool, org, "director@test.ru", &[Role::Director]).await;
    let teacher = adult(&app.pool, org, "Подставная", "teacher", false).await;
    sqlx::query("UPDATE people SET email = 'Director@test.ru' WHERE id = $1")
        .bind(teacher)
        .execute(&app.pool)
        .await
        .unwrap();
    let r = c
        .post(&format!("/o/school-a/people/{teacher}/account"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let flash = c.get(r.location()).await;
    flash.assert_contains("приглашение отправлено на электронную почту");
    assert!(!flash.body.contains("/invite/"), "no link for the curator");
    let linked: Option<uuid::Uuid> = app
        .one_for("SELECT user_id FROM people WHERE id = $1", teacher)
        .await;
    assert_eq!(linked, None, "not linked without the owner");
    let links: i64 = app
        .one_for(
            "SELECT count(*) FROM invitations WHERE user_id = $1",
            director,
        )
        .await;
    assert_eq!(links, 0);
    // The erasure of the record leaves the director as they were.
    let consent: uuid::Uuid = app
        .one_for("SELECT id FROM consents WHERE person_id = $1", teacher)
        .await;
    let r = c
        .post(
            &format!("/o/school-a/people/{teacher}/consents/{consent}/withdraw"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut d = app.login("director@test.ru").await;
    assert_eq!(d.get("/o/school-a").await.status, StatusCode::OK);

    // Now the director accepts an invitation for a record of their own, which is then erased.
    let own = adult(&app.pool, org, "Директорова", "teacher", false).await;
    sqlx::query("UPDATE people SET email = 'director@test.ru' WHERE id = $1")
        .bind(own)
        .execute(&app.pool)
        .await
        .unwrap();
    c.post(&format!("/o/school-a/people/{own}/account"), &[])
        .await;
    let invitation: uuid::Uuid = app
        .one_for(
            "SELECT id FROM membership_invitations WHERE user_id = $1 AND person_id IS NOT NULL ORDER BY created_at DESC LIMIT 1",
            director,
        )
        .await;
    let chooser = d.get("/orgs").await;
    chooser.assert_contains("наставник");
    let r = d
        .post(&format!("/invitations/{invitation}/accept"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let linked: Option<uuid::Uuid> = app
        .one_for("SELECT user_id FROM people WHERE id = $1", own)
        .await;
    assert_eq!(linked, Some(director), "linked by the owner's acceptance");
    let consent: uuid::Uuid = app
        .one_for("SELECT id FROM consents WHERE person_id = $1", own)
        .await;
    c.post(
        &format!("/o/school-a/people/{own}/consents/{consent}/withdraw"),
        &[],
    )
    .await;
    let (email, disabled, roles): (String, bool, Vec<String>) = sqlx::query_as(
        "SELECT u.email, u.disabled_at IS NOT NULL, m.roles FROM users u
           JOIN memberships m ON m.user_id = u.id WHERE u.id = $1",
    )
    .bind(director)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(email, "director@test.ru");
    assert!(!disabled);
    assert_eq!(roles, ["director"], "only the participant's role is taken");
    let mut again = app.login("director@test.ru").await;
    assert_eq!(again.get("/o/school-a").await.status, StatusCode::OK);
    // A new code for that account is never handed to the curator either.
    let r = c
        .post(&format!("/o/school-a/people/{own}/account"), &[])
        .await;
    let page = c.get(r.location()).await;
    assert!(!page.body.contains("Одноразовый код"), "{}", page.body);
}
