//! Municipalities and regions: a specialist sees the schools of their territory only, as counts
//! and shares; a crawl of every territory page and export finds no name of the people in the
//! data; a region's specialist opens its municipalities, not another region's; a municipality's
//! specialist sees only its schools; school pages stay closed to territory specialists and the
//! territory closed to school staff.

use axum::http::StatusCode;
use uuid::Uuid;

use crate::support::*;
use nastavnik::auth::model::Role;

async fn place(app: &TestApp, org: Uuid, region: &str, municipality: &str) -> Uuid {
    let mut conn = app.pool.acquire().await.unwrap();
    nastavnik::tenancy::repo::place(&mut conn, org, (region, municipality))
        .await
        .unwrap();
    sqlx::query_scalar("SELECT municipality_id FROM organizations WHERE id = $1")
        .bind(org)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// A specialist of the territory `unit` (a region's or a municipality's id), logged in.
async fn specialist(app: &TestApp, email: &str, unit: Uuid) -> Client {
    let some_org = crate::builders::org(&app.pool, &format!("tmp-{}", &email[..3])).await;
    let user = member(&app.pool, some_org, email, &[Role::Mentee]).await;
    sqlx::query("DELETE FROM memberships WHERE user_id = $1")
        .bind(user)
        .execute(&app.pool)
        .await
        .unwrap();
    let mut conn = app.pool.acquire().await.unwrap();
    assert!(
        nastavnik::territory::repo::add_specialist(&mut conn, user, unit)
            .await
            .unwrap()
    );
    app.login(email).await
}

/// Every `/t/…` page and export reachable from `start` (at most 60), with its text.
async fn crawl(c: &mut Client, start: &str) -> Vec<(String, String)> {
    let mut seen = vec![start.to_string()];
    let mut out = Vec::new();
    let mut i = 0;
    while i < seen.len() && i < 60 {
        let url = seen[i].clone();
        i += 1;
        let r = c.get(&url).await;
        assert_eq!(r.status, StatusCode::OK, "{url}");
        let text = if url.contains(".xlsx") {
            use calamine::Reader;
            let mut book =
                calamine::Xlsx::new(std::io::Cursor::new(r.bytes.clone())).expect("a workbook");
            let mut all = String::new();
            for name in book.sheet_names() {
                let range = book.worksheet_range(&name).unwrap();
                for row in range.rows() {
                    for cell in row {
                        all.push_str(&cell.to_string());
                        all.push('\t');
                    }
                }
            }
            all
        } else {
            for part in r.body.split("href=\"").skip(1) {
                let link = part.split('"').next().unwrap().replace("&#38;", "&");
                if link.starts_with("/t/") && !seen.contains(&link) {
                    seen.push(link);
                }
            }
            r.body.clone()
        };
        out.push((url, text));
    }
    out
}

#[tokio::test]
async fn a_territory_sees_its_schools_as_numbers_and_no_names() {
    let (app, org, program, mut c) = school_with_program().await;
    member(&app.pool, org, "director@test.ru", &[Role::Director]).await;
    let b = crate::builders::org(&app.pool, "school-b").await;
    let far = crate::builders::org(&app.pool, "school-far").await;
    let town_a = place(&app, org, "Тестовая область", "Город Альфа").await;
    let town_b = place(&app, b, "Тестовая область", "Город Бета").await;
    let far_town = place(&app, far, "Дальняя область", "Город Гамма").await;
    let region: Uuid = app
        .one("SELECT id FROM regions WHERE name = 'Тестовая область'")
        .await;
    // People with names found nowhere else; a pair; a published case that names nobody.
    let mentor = pupil(&app.pool, org, "Уникальнова", "10А", true).await;
    let kid = pupil(&app.pool, org, "Редкостнов", "5А", true).await;
    let idle = pupil(&app.pool, org, "Небывалова", "6А", true).await;
    sqlx::query("UPDATE people SET birth_date = '2009-01-01' WHERE id = $1")
        .bind(mentor)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE people SET birth_date = '2014-01-01' WHERE id = ANY($1)")
        .bind(vec![kid, idle])
        .execute(&app.pool)
        .await
        .unwrap();
    agreed_pair(&app.pool, org, program, mentor, &[kid], chrono::Utc::now()).await;
    sqlx::query(
        "INSERT INTO cases (org_id, program_id, title, problem, done, result, quotes, consented, published, names_checked)
         VALUES ($1, $2, 'Кейс о дробях', 'Боялся контрольных', 'Занимались', 'Четвёрка', '«Помогло»', true, true, true)",
    )
    .bind(org)
    .bind(program)
    .execute(&app.pool)
    .await
    .unwrap();
    let names = ["Уникальнова", "Редкостнов", "Небывалова"];
    // The region's specialist: `/` leads to the region; both its schools, not the far one.
    let mut r = specialist(&app, "region@test.ru", region).await;
    let root = r.get("/").await;
    assert_eq!(root.location(), format!("/t/{region}"));
    let start = format!("/t/{region}");
    let page = r.get(&start).await;
    page.assert_contains("Школы: Тестовая область");
    page.assert_contains("Город Альфа");
    page.assert_contains("Город Бета");
    assert!(!page.body.contains("school-far") && !page.body.contains("Город Гамма"));
    // Three pupils aged 10–18 (the mentor is 17), one of them a mentee.
    page.assert_contains("33,3 % (1 из 3)");
    let pages = crawl(&mut r, &start).await;
    assert!(
        pages.len() >= 7,
        "{:?}",
        pages.iter().map(|p| &p.0).collect::<Vec<_>>()
    );
    assert!(pages.iter().any(|p| p.0.contains("/schools/")));
    assert!(pages.iter().any(|p| p.0.contains("monitoring.xlsx")));
    for (url, text) in &pages {
        for n in names {
            assert!(!text.contains(n), "{n} on {url}");
        }
        assert!(
            !text.contains("/o/school-a"),
            "a school page linked from {url}"
        );
    }
    let cases = pages.iter().find(|p| p.0.ends_with("/cases")).unwrap();
    assert!(cases.1.contains("Кейс о дробях"));
    // Its municipalities open; another region's does not; nor a school outside.
    assert_eq!(r.get(&format!("/t/{town_b}")).await.status, StatusCode::OK);
    assert_eq!(
        r.get(&format!("/t/{far_town}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        r.get(&format!("/t/{region}/schools/{far}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        r.get("/o/school-a/dashboard").await.status,
        StatusCode::NOT_FOUND
    );
    // The municipality's specialist: only its school.
    let mut m = specialist(&app, "town@test.ru", town_a).await;
    let page = m.get(&format!("/t/{town_a}")).await;
    page.assert_contains("Город Альфа");
    assert!(!page.body.contains("Город Бета"));
    for url in [
        format!("/t/{region}"),
        format!("/t/{town_b}"),
        format!("/t/{town_a}/schools/{b}"),
    ] {
        assert_eq!(m.get(&url).await.status, StatusCode::NOT_FOUND, "{url}");
    }
    // School staff do not reach the territory.
    let mut d = app.login("director@test.ru").await;
    assert_eq!(d.get(&start).await.status, StatusCode::NOT_FOUND);
    assert_eq!(c.get(&start).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_generated_region_rolls_up_from_the_stored_lines_and_the_morning_job_keeps_them() {
    let app = spawn().await;
    let made = nastavnik::demo::region_scale(&app.pool, 3).await.unwrap();
    assert_eq!(
        (made.schools, made.people, made.pairs, made.meetings),
        (3, 1500, 201, 5025)
    );
    let stored: i64 = app.one("SELECT count(*) FROM school_figures").await;
    assert_eq!(stored, 3);
    let mut r = app.client();
    r.login("region@demo.local", nastavnik::demo::PASSWORD)
        .await;
    let page = r.get(&format!("/t/{}", made.region)).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Школа № 1");
    page.assert_contains("Данные на");
    // A recount stores them again; the school's morning job does too.
    let token = page.field("_csrf");
    let again = r
        .post(
            &format!("/t/{}/recount", made.region),
            &[("_csrf", token.as_str())],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    sqlx::query("DELETE FROM school_figures")
        .execute(&app.pool)
        .await
        .unwrap();
    let mut d = app.client();
    d.login("load-director@demo.local", nastavnik::demo::PASSWORD)
        .await;
    d.get(&format!("/o/{}/dashboard", made.first_slug))
        .await
        .assert_contains("Показатели целевой модели");
    // The first run queues the mornings; the next day's run does them.
    let today = chrono::Utc::now().date_naive();
    jobs_run_due(&app, &format!("{today}T00:00"));
    jobs_run_due(
        &app,
        &format!("{}T06:00", today + chrono::Duration::days(1)),
    );
    let stored: i64 = app.one("SELECT count(*) FROM school_figures").await;
    assert!(stored >= 3, "{stored}");
}

/// The territory commands keep their rules whoever calls them (no page, no HTTP): only the
/// platform administrator adds regions, municipalities and specialists; a name is required and
/// not repeated; a new specialist's account gets a link, an existing one none, and nobody is a
/// specialist twice; a recount counts the territory's schools.
#[tokio::test]
async fn the_territory_commands_keep_their_rules_without_a_page() {
    use nastavnik::error::AppError;
    use nastavnik::territory::commands::{Change, Changed, change, recount};
    use nastavnik::web::ctx::User;
    use nastavnik::web::forms::Refused;

    let app = spawn().await;
    let school = org(&app.pool, "school-a").await;
    let municipality = place(&app, school, "Тестовая область", "Город Тест").await;
    let mut conn = app.pool.acquire().await.unwrap();
    let (account, _) = nastavnik::auth::repo::find_or_create_user(
        &mut conn,
        "admin@test.ru",
        "Администратор",
        true,
    )
    .await
    .unwrap();
    drop(conn);
    let admin = User {
        id: account.id,
        email: "admin@test.ru".into(),
        full_name: "Администратор".into(),
        is_platform_admin: true,
    };
    let not_admin = User {
        is_platform_admin: false,
        ..admin.clone()
    };
    let region = |name: &str| Change::Region { name: name.into() };
    let mut tx = app.pool.begin().await.unwrap();
    let r = change(&mut tx, &not_admin, &region("Новая область")).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let r = change(&mut tx, &admin, &region("  ")).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.first().starts_with("Введите название")),
        "{r:?}"
    );
    assert_eq!(
        change(&mut tx, &admin, &region("Новая область"))
            .await
            .unwrap(),
        Changed::Region
    );
    let r = change(&mut tx, &admin, &region("Новая область")).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.first() == "Такой регион уже есть."),
        "{r:?}"
    );
    let r = change(
        &mut tx,
        &admin,
        &Change::Municipality {
            region: None,
            name: "Посёлок".into(),
        },
    )
    .await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.first() == "Выберите регион."),
        "{r:?}"
    );
    let specialist = |email: &str| Change::Specialist {
        unit: Some(municipality),
        name: "Специалистова Ирина".into(),
        email: email.into(),
    };
    let Changed::Specialist(Some(token)) = change(&mut tx, &admin, &specialist("IRINA@mo.ru"))
        .await
        .unwrap()
    else {
        panic!("a new account gets a link");
    };
    assert!(!token.is_empty());
    let r = change(&mut tx, &admin, &specialist("irina@mo.ru")).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.first().contains("уже специалист")),
        "{r:?}"
    );
    tx.commit().await.unwrap();

    let user: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'irina@mo.ru'")
        .await;
    let mut conn = app.pool.acquire().await.unwrap();
    let scope = nastavnik::territory::scopes_of_user(&mut conn, user)
        .await
        .unwrap()
        .remove(0);
    let today = chrono::Utc::now().date_naive();
    let period = nastavnik::reports::period_of(&Default::default(), today);
    assert_eq!(recount(&mut conn, &scope, &period, today).await.unwrap(), 1);
}
