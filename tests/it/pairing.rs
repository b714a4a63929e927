use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn the_demo_club_gets_a_proposal_with_explanations() {
    let app = spawn().await;
    nastavnik::demo::load(&app.pool).await.unwrap();
    let club: uuid::Uuid = sqlx::query_scalar(
        "SELECT id FROM programs WHERE name = 'Клуб наставничества «Точка развития»'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let mut c = app.client();
    c.login("curator@demo.local", nastavnik::demo::PASSWORD)
        .await;
    c.get(&format!("/o/sosh-1/programs/{club}"))
        .await
        .assert_contains("Подобрать пары");
    let page = c.get(&format!("/o/sosh-1/programs/{club}/matching")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Предложенные пары");
    page.assert_contains("совпадение запросов");
    page.assert_contains("общее расписание");
    page.assert_contains("нет ответов на анкету наставляемого");
    page.assert_contains("Пять лучших вариантов");
    let pairs = page.body.matches("class=\"task-code\"").count();
    assert!(pairs >= 5, "{pairs} pairs");
    // Coverage pairs at least as many mentees.
    let cov = c
        .get(&format!(
            "/o/sosh-1/programs/{club}/matching?objective=coverage&min=0"
        ))
        .await;
    assert!(cov.body.matches("class=\"task-code\"").count() >= pairs);
    // Other organizations and roles.
    let mut college = app.client();
    college
        .login("college-curator@demo.local", nastavnik::demo::PASSWORD)
        .await;
    assert_eq!(
        college
            .get(&format!("/o/stroy-college/programs/{club}/matching"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mut mentor = app.client();
    mentor
        .login("mentor@demo.local", nastavnik::demo::PASSWORD)
        .await;
    assert_eq!(
        mentor
            .get(&format!("/o/sosh-1/programs/{club}/matching"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
