//! The findings of the security review, each reproduced: cross-organization takeover through
//! invitations, guessable codes, secrets at rest, hostile uploads, incomplete erasure, Russian
//! search.

use std::io::Write;

use axum::http::StatusCode;
use nastavnik::auth::model::Role;

use crate::support::*;

#[tokio::test]
async fn adding_another_organizations_account_attaches_nothing_and_reveals_nothing() {
    let app = spawn().await;
    let t = two_orgs(&app).await;
    // B's director has an account but no password yet (their invitation is pending).
    let victim = member(&app.pool, t.b, "director-b@test.ru", &[Role::Director]).await;
    sqlx::query(
        "UPDATE users SET password_hash = NULL, full_name = 'Секретова Анна' WHERE id = $1",
    )
    .bind(victim)
    .execute(&app.pool)
    .await
    .unwrap();
    let b_link = {
        let mut conn = app.pool.acquire().await.unwrap();
        nastavnik::auth::repo::create_invitation(&mut conn, victim, Some(t.b), None)
            .await
            .unwrap()
    };
    let mut a = app.login("curator-a@test.ru").await;
    let r = a
        .post(
            "/o/school-a/members",
            &[
                ("full_name", "Кто-то"),
                ("email", "Director-B@test.ru"),
                ("roles", "mentor"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = a.get(r.location()).await;
    page.assert_contains("Приглашение отправлено на director-b@test.ru");
    // Nothing of the account is shown, no link for it exists, B's own link still works.
    assert!(!page.body.contains("Секретова"), "{}", page.body);
    assert!(!page.body.contains("/invite/"));
    assert!(
        !nastavnik::tenancy::repo::is_member(&mut app.pool.acquire().await.unwrap(), t.a, victim)
            .await
            .unwrap()
    );
    assert_eq!(
        app.client().get(&format!("/invite/{b_link}")).await.status,
        StatusCode::OK
    );
    // A cannot issue a link for B's director, nor through a person record with that e-mail.
    let r = a
        .post(&format!("/o/school-a/members/{victim}/invite"), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Nor through a person of A's bases with that e-mail: the account is invited, not linked.
    let person = pupil(&app.pool, t.a, "Подставной", "9А", true).await;
    sqlx::query("UPDATE people SET email = 'director-b@test.ru', kind = 'teacher' WHERE id = $1")
        .bind(person)
        .execute(&app.pool)
        .await
        .unwrap();
    let r = a
        .post(&format!("/o/school-a/people/{person}/account"), &[])
        .await;
    let card = a.get(r.location()).await;
    card.assert_contains("приглашение отправлено на электронную почту");
    assert!(!card.body.contains("/invite/") && !card.body.contains("Секретова"));
    let linked: Option<uuid::Uuid> = app
        .one_for("SELECT user_id FROM people WHERE id = $1", person)
        .await;
    assert_eq!(linked, None);
    // The director of B sees the invitation after login and accepts it.
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(victim)
        .bind(nastavnik::auth::model::hash_password(PASSWORD).unwrap())
        .execute(&app.pool)
        .await
        .unwrap();
    let mut d = app.login("director-b@test.ru").await;
    assert_eq!(d.get("/").await.location(), "/orgs");
    let chooser = d.get("/orgs").await;
    chooser.assert_contains("приглашает вас: наставник");
    let id = chooser
        .body
        .split("/invitations/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    // Nobody else can accept it.
    let r = a.post(&format!("/invitations/{id}/accept"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = d.post(&format!("/invitations/{id}/accept"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        nastavnik::tenancy::repo::is_member(&mut app.pool.acquire().await.unwrap(), t.a, victim)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn secrets_are_stored_as_digests() {
    let School { app, c, .. } = school().await;
    let session = c.cookies.get("nv_session").cloned().unwrap();
    let csrf = c.csrf.clone().unwrap();
    let dump: String = app
        .one("SELECT coalesce(string_agg(s::text, ' '), '') FROM sessions s")
        .await;
    assert!(!dump.contains(&session) && !dump.contains(&csrf));
    let keys: String = app
        .one("SELECT coalesce(string_agg(key, ' '), '') FROM login_throttle")
        .await;
    assert!(!keys.contains('@'));
}

#[tokio::test]
async fn a_thousand_wrong_codes_from_one_address_are_refused_early() {
    let app = spawn().await;
    let a = org(&app.pool, "school-a").await;
    member(&app.pool, a, "curator@test.ru", &[Role::Curator]).await;
    let mut c = app.client();
    let mut refused_from = None;
    for i in 0..60 {
        // Different logins, so only the address limit can stop it.
        let r = c.login(&format!("pupil-{i}.school-a"), "ABCDEFGHJK").await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            refused_from = Some(i);
            break;
        }
    }
    let at = refused_from.expect("the address must be made to wait");
    assert!(
        at <= nastavnik::auth::model::throttle::ADDRESS_LIMIT as usize,
        "{at}"
    );
}

#[tokio::test]
async fn idle_sessions_end() {
    let School { app, mut c, .. } = school().await;
    assert_eq!(c.get("/o/school-a").await.status, StatusCode::OK);
    sqlx::query("UPDATE sessions SET last_seen_at = now() - interval '3 hours'")
        .execute(&app.pool)
        .await
        .unwrap();
    let r = c.get("/o/school-a").await;
    assert_eq!(r.location(), "/login");
}

/// A zip package of `parts` (name, content), deflated.
pub(crate) fn zip_with(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            z.start_file(*name, opts).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

fn vm_rss_mb() -> u64 {
    proc_status_mb("VmRSS:")
}

/// A memory figure of this process from /proc/self/status (`VmRSS:`, `VmHWM:`), in MB.
pub(crate) fn proc_status_mb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .unwrap_or(0)
        / 1024
}

#[tokio::test]
async fn hostile_uploads_get_a_message_and_the_server_lives() {
    let School {
        app: _app, mut c, ..
    } = school().await;
    // XLSX with cells at A1 and XFD1048576.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "ФИО").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let far = book.save_to_buffer().unwrap();
    let truncated = far[..far.len() / 2].to_vec();
    // A zip bomb: 200 MB of zeros as the sheet.
    let bomb = zip_with(&[("xl/worksheets/sheet1.xml", &vec![b'0'; 200 << 20])]);
    // A header row of a million «;» and 5,000 short rows.
    let mut wide = ";".repeat(1_000_000);
    wide.push_str("ФИО\n");
    for i in 0..5000 {
        wide.push_str(&format!("Иванов{i} Иван\n"));
    }
    // ODS whose one filled row is repeated a million times across 16,384 columns.
    let ods_content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="1"><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string" table:number-columns-repeated="16384"><text:p>ФИО</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let ods = zip_with(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", ods_content.as_bytes()),
    ]);
    let mut garbage = vec![0u8; 100_000];
    getrandom::fill(&mut garbage).unwrap();
    let one_line = vec![b'a'; 10 * 1024 * 1024 - 16];
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("far.xlsx", far, "строк"),
        ("truncated.xlsx", truncated, "прочитать"),
        ("bomb.xlsx", bomb, "распакованном"),
        ("wide.csv", wide.into_bytes(), "столбц"),
        ("repeats.ods", ods, "столбцов"),
        ("garbage.xlsx", garbage, ""),
        (
            "list.xlsx",
            "ФИО;Класс\nИванов Иван;7А\n".as_bytes().to_vec(),
            "OK",
        ),
        ("empty.csv", Vec::new(), "Выберите файл"),
        ("line.csv", one_line, "ячейка длиннее"),
    ];
    let before = vm_rss_mb();
    for (name, bytes, message) in cases {
        let started = std::time::Instant::now();
        let r = c
            .upload(
                "/o/school-a/people/import",
                &[("kind", "pupil")],
                name,
                &bytes,
            )
            .await;
        let took = started.elapsed();
        if message == "OK" {
            // A CSV named .xlsx is read by its content.
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{name}");
            continue;
        }
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            r.status
        );
        r.assert_contains("Импорт списка");
        assert!(r.body.contains(message), "{name}: {}", r.body);
        assert!(took < std::time::Duration::from_secs(5), "{name}: {took:?}");
    }
    assert_eq!(c.get("/healthz").await.status, StatusCode::OK);
    let after = vm_rss_mb();
    assert!(
        after < before + 400,
        "RSS grew from {before} MB to {after} MB"
    );
}

#[tokio::test]
async fn search_finds_russian_names_in_any_case_and_sorts_them() {
    let app = spawn().await;
    let a = org(&app.pool, "school-a").await;
    member(&app.pool, a, "curator@test.ru", &[Role::Curator]).await;
    for last in ["Попов", "Семёнова", "Ёлкин", "Андреев", "Никитина"]
    {
        pupil(&app.pool, a, last, "7А", true).await;
    }
    let mut c = app.login("curator@test.ru").await;
    for (q, want) in [
        ("Попов", "Попов"),
        ("попов", "Попов"),
        ("ПОПОВ", "Попов"),
        ("Семенова", "Семёнова"),
        ("СЕМЁН", "Семёнова"),
        ("никитина иван", "Никитина"),
        ("елкин", "Ёлкин"),
    ] {
        let url = format!(
            "/o/school-a/people?q={}",
            form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        );
        let r = c.get(&url).await;
        r.assert_contains(want);
        assert!(!r.body.contains("Андреев"), "{q}");
    }
    // Sorted as a Russian reader expects: Андреев, Ёлкин, Никитина, Попов, Семёнова.
    let all = c.get("/o/school-a/people").await.body;
    let pos: Vec<usize> = ["Андреев", "Ёлкин", "Никитина", "Попов", "Семёнова"]
        .iter()
        .map(|n| all.find(n).unwrap())
        .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
}

#[tokio::test]
async fn every_table_with_a_person_is_covered_by_erasure() {
    let app = spawn().await;
    let tables: Vec<String> = app
        .all(
            "SELECT DISTINCT table_name::text FROM information_schema.columns
          WHERE table_schema = 'public'
            AND column_name IN ('person_id', 'mentor_id', 'mentee_id')
         UNION SELECT 'people'",
        )
        .await;
    let covered: Vec<&str> = nastavnik::home::erasure::person_tables()
        .map(|(_, t, _)| t)
        .collect();
    for t in &tables {
        assert!(
            covered.contains(&t.as_str()),
            "table «{t}» refers to a person but erasure does not cover it"
        );
    }
}

#[tokio::test]
async fn withdrawal_erases_the_person_everywhere() {
    let app = spawn().await;
    let a = org(&app.pool, "school-a").await;
    let cur = member(&app.pool, a, "curator@test.ru", &[Role::Curator]).await;
    let p1 = program(&app.pool, a, cur, "Программа А").await;
    let kid = pupil(&app.pool, a, "Уникальнова", "7А", true).await;
    sqlx::query(
        "UPDATE people SET email = 'unik.kid@mail.ru', phone = '+79990001122' WHERE id = $1",
    )
    .bind(kid)
    .execute(&app.pool)
    .await
    .unwrap();
    let mut c = app.login("curator@test.ru").await;
    c.post(
        &format!("/o/school-a/people/{kid}/enrol"),
        &[("program", &p1.to_string()), ("role", "mentee")],
    )
    .await;
    c.post(
        &format!("/o/school-a/people/{kid}/requests"),
        &[("text", "Уникальнова просит помочь"), ("source", "self")],
    )
    .await;
    // An account (invitation link) and a notification naming her.
    c.post(&format!("/o/school-a/people/{kid}/account"), &[])
        .await;
    // The link went by e-mail (issue 28: the curator reads the same words for any address); a
    // new one comes from the member's card.
    let uid: uuid::Uuid = app
        .one_for("SELECT user_id FROM people WHERE id = $1", kid)
        .await;
    let r = c
        .post(&format!("/o/school-a/members/{uid}/invite"), &[])
        .await;
    let link = crate::auth::link_in(&c.get(r.location()).await.body);
    let mut kid_client = app.client();
    kid_client
        .post(
            &format!("/invite/{link}"),
            &[
                ("password", "пароль-ребёнка"),
                ("password2", "пароль-ребёнка"),
            ],
        )
        .await;
    sqlx::query("INSERT INTO notifications (org_id, user_id, text) SELECT $1, $2, 'Уникальнова Иван согласилась'")
        .bind(a)
        .bind(cur)
        .execute(&app.pool)
        .await
        .unwrap();
    // A pending class list with her row.
    c.upload(
        "/o/school-a/people/import",
        &[("kind", "pupil")],
        "list.csv",
        "ФИО;Класс\nУникальнова Иван;7А\n".as_bytes(),
    )
    .await;
    let consent: uuid::Uuid = app
        .one_for("SELECT id FROM consents WHERE person_id = $1", kid)
        .await;
    let r = c
        .post(
            &format!("/o/school-a/people/{kid}/consents/{consent}/withdraw"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Every text column of every table: the name, e-mail and phone are nowhere.
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
          WHERE table_schema = 'public'
            AND data_type IN ('text', 'character varying', 'jsonb', 'ARRAY', 'bytea')",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for (table, column) in columns {
        let sql = format!(
            "SELECT count(*) FROM \"{table}\" WHERE convert_from(convert_to(\"{column}\"::text, 'UTF8'), 'UTF8') ~* '(уникальнова|unik\\.kid|79990001122)'"
        );
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(n, 0, "{table}.{column} still holds her data");
    }
    let uploads: i64 = app
        .one("SELECT count(*) FROM import_uploads WHERE octet_length(content) > 0")
        .await;
    assert_eq!(uploads, 0);
    // Her account cannot log in.
    let mut again = app.client();
    assert_eq!(
        again
            .login("unik.kid@mail.ru", "пароль-ребёнка")
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(kid_client.get("/").await.location(), "/login");
}

#[tokio::test]
async fn reads_of_personal_data_are_in_the_audit_trail_with_filters_and_export() {
    let app = spawn().await;
    let a = org(&app.pool, "school-a").await;
    let cur = member(&app.pool, a, "curator@test.ru", &[Role::Curator]).await;
    member(&app.pool, a, "director@test.ru", &[Role::Director]).await;
    let kid = pupil(&app.pool, a, "Смирнова", "7А", true).await;
    let mut c = app.login("curator@test.ru").await;
    c.get(&format!("/o/school-a/people/{kid}")).await;
    c.get("/o/school-a/people?q=%D0%A1%D0%BC%D0%B8%D1%80").await;
    c.get("/o/school-a/members").await;
    let mut d = app.login("director@test.ru").await;
    let log = d
        .get(&format!("/o/school-a/audit?user={cur}&from=2020-01-01"))
        .await;
    for label in [
        "просмотр карточки",
        "поиск по базам",
        "просмотр пользователей",
        "вход",
    ] {
        log.assert_contains(label);
    }
    // The search text is not kept in the trail.
    let details: Vec<String> = app.all("SELECT details FROM audit_log").await;
    assert!(!details.iter().any(|d| d.contains("Смир")));
    let by_person = d.get(&format!("/o/school-a/audit?person={kid}")).await;
    by_person.assert_contains("просмотр карточки");
    assert!(!by_person.body.contains("<td>просмотр пользователей</td>"));
    let x = d.get("/o/school-a/audit.xlsx?action=person.view").await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(
        x.headers
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let n: i64 = app
        .one("SELECT count(*) FROM audit_log WHERE action = 'audit.export'")
        .await;
    assert_eq!(n, 1);
}

#[tokio::test]
async fn text_over_its_limit_is_refused_beside_the_field_and_kept() {
    let School {
        app: _app, mut c, ..
    } = school().await;
    c.get("/o/school-a/people/new").await;
    let long = "Очень длинная фамилия ".repeat(10);
    let r = c
        .post(
            "/o/school-a/people/new",
            &[
                ("last_name", long.as_str()),
                ("first_name", "Пётр"),
                ("kind", "pupil"),
                ("class_name", "7Б"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Не длиннее 100 символов (сейчас 219).");
    r.assert_contains(long.trim());
    r.assert_contains("maxlength=\"100\"");
    // The organization's settings too.
    c.get("/o/school-a/settings").await;
    let r = c
        .post(
            "/o/school-a/settings",
            &[
                ("full_name", "Школа"),
                ("short_name", &"Ш".repeat(150)),
                ("kind", "school"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Не длиннее 100 символов (сейчас 150).");
}

#[tokio::test]
async fn matching_a_program_too_large_for_one_page_is_refused_with_a_reason() {
    let app = spawn().await;
    let a = org(&app.pool, "school-a").await;
    let cur = member(&app.pool, a, "curator@test.ru", &[Role::Curator]).await;
    let p = program(&app.pool, a, cur, "Огромная").await;
    // 600 mentors × 500 mentees = 300,000 candidate pairs (over the 250,000 a page scores).
    sqlx::query(
        "WITH n AS (
            INSERT INTO people (org_id, last_name, first_name, kind)
            SELECT $1, 'Человек' || g, 'Имя', 'teacher' FROM generate_series(1, 1100) g
            RETURNING id, number)
         INSERT INTO enrolments (org_id, program_id, person_id, role, status)
         SELECT $1, $2, id, CASE WHEN number % 11 < 6 THEN 'mentor' ELSE 'mentee' END,
                CASE WHEN number % 11 < 6 THEN 'ready' ELSE 'in_base' END FROM n",
    )
    .bind(a)
    .bind(p)
    .execute(&app.pool)
    .await
    .unwrap();
    let mut c = app.login("curator@test.ru").await;
    let started = std::time::Instant::now();
    let r = c.get(&format!("/o/school-a/programs/{p}/matching")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("больше, чем подбирается на одной странице");
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

#[tokio::test]
async fn https_means_secure_cookies_and_hsts() {
    let app = spawn_with(|c| {
        c.public_url = "https://school.example".into();
        c.secure_cookies = true;
        c.hsts = true;
    })
    .await;
    let a = org(&app.pool, "school-a").await;
    member(&app.pool, a, "curator@test.ru", &[Role::Curator]).await;
    let mut c = app.client();
    let r = c.get("/login").await;
    assert!(
        r.headers
            .get("strict-transport-security")
            .is_some_and(|v| v.to_str().unwrap().contains("max-age"))
    );
    c.get("/login").await;
    let r = c
        .post(
            "/login",
            &[("email", "curator@test.ru"), ("password", PASSWORD)],
        )
        .await;
    let cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("nv_session="))
        .unwrap();
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    // Without «запомнить меня» the cookie ends with the browser.
    assert!(!cookie.contains("Max-Age"), "{cookie}");
}
