//! The bases: people, consents and erasure, import and export, enrolment, training, pupils' accounts and codes.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn consent_rule_from_creation_to_withdrawal() {
    let (app, _org, program_id, mut c) = school_with_program().await;
    c.get("/o/school-a/people/new")
        .await
        .assert_contains("Новый человек");
    // No consent yet: only name and class may be stored.
    let fields = [
        ("last_name", "смирнов"),
        ("first_name", "ПЁТР"),
        ("kind", "pupil"),
        ("class_name", "7 б"),
        ("birth_date", "2013-05-01"),
    ];
    let r = c.post("/o/school-a/people/new", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("можно сохранить только ФИО и класс");
    r.assert_contains("value=\"2013-05-01\"");
    let r = c.post("/o/school-a/people/new", &fields[..4]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let person = r.location().rsplit('/').next().unwrap().to_string();
    let card = c.get(r.location()).await;
    card.assert_contains("Смирнов Пётр");
    card.assert_contains("7Б");
    card.assert_contains("Нет согласия законного представителя");
    // Not enrolled without consent; the page says why.
    let pid = program_id.to_string();
    let r = c
        .post(
            &format!("/o/school-a/people/{person}/enrol"),
            &[("program", &pid), ("role", "mentee")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    c.get(r.location())
        .await
        .assert_contains("Нельзя включить в программу");
    assert_eq!(app.one::<i64>("SELECT count(*) FROM enrolments").await, 0);
    // The list of people without consent shows them.
    c.get("/o/school-a/people?base=noconsent")
        .await
        .assert_contains("Смирнов Пётр");
    // A minor's own consent is not enough.
    let r = c
        .post(
            &format!("/o/school-a/people/{person}/consents"),
            &[
                ("given_by", "self"),
                ("given_on", "2026-09-01"),
                ("scope", "участие"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("согласие даёт законный представитель");
    let r = c
        .post(
            &format!("/o/school-a/people/{person}/consents"),
            &[
                ("given_by", "representative"),
                ("representative_name", "Смирнова Ольга"),
                ("representative_relation", "мать"),
                ("given_on", "2026-09-01"),
                ("scope", "участие в программе"),
                ("document_ref", "папка 7Б"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Now more data and enrolment work.
    let edit = c.get(&format!("/o/school-a/people/{person}/edit")).await;
    let version = edit
        .body
        .split("name=\"version\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let r = c
        .post(
            &format!("/o/school-a/people/{person}/edit"),
            &[
                ("last_name", "Смирнов"),
                ("first_name", "Пётр"),
                ("kind", "pupil"),
                ("class_name", "7Б"),
                ("birth_date", "2013-05-01"),
                ("phone", "+7 900 123-45-67"),
                ("in_mentee_base", "1"),
                ("tags", "неуспеваемость"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = c
        .post(
            &format!("/o/school-a/people/{person}/enrol"),
            &[("program", &pid), ("role", "mentee")],
        )
        .await;
    c.get(r.location())
        .await
        .assert_contains("Включён(а) в программу");
    let r = c
        .post(
            &format!("/o/school-a/people/{person}/requests"),
            &[
                ("text", "помощь с математикой"),
                ("source", "class_teacher"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.one::<i64>("SELECT count(*) FROM enrolments").await, 1);
    let before_people = app.one::<i64>("SELECT count(*) FROM people").await;
    // Withdrawal: the name disappears from every page and export; counts stay.
    let consent_id: uuid::Uuid = app.one("SELECT id FROM consents").await;
    let r = c
        .post(
            &format!("/o/school-a/people/{person}/consents/{consent_id}/withdraw"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let number: i64 = app.one("SELECT number FROM people").await;
    for page in [
        format!("/o/school-a/people/{person}"),
        "/o/school-a/people".to_string(),
        "/o/school-a/people?base=mentee".to_string(),
        format!("/o/school-a/programs/{program_id}/participants"),
        "/o/school-a/audit".to_string(),
    ] {
        let r = c.get(&page).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        assert!(!r.body.contains("Смирнов"), "{page} still shows the name");
        assert!(!r.body.contains("+7 900"), "{page} still shows the phone");
    }
    c.get(&format!("/o/school-a/programs/{program_id}/participants"))
        .await
        .assert_contains(&format!("Участник №{number}"));
    let x = c.get("/o/school-a/people/export.xlsx").await;
    assert_eq!(x.status, StatusCode::OK);
    let rows = x.xlsx_rows();
    assert_eq!(rows[0][0], "ФИО");
    assert!(
        rows.iter()
            .flatten()
            .any(|c| c.contains(&format!("Участник №{number}"))),
        "{rows:?}"
    );
    assert!(
        !rows.iter().flatten().any(|c| c.contains("Смирнов")),
        "{rows:?}"
    );
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM people").await,
        before_people
    );
    assert_eq!(app.one::<i64>("SELECT count(*) FROM enrolments").await, 1);
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM person_requests").await,
        0
    );
    // The audit trail has the changes.
    let log = c.get("/o/school-a/audit").await;
    for a in [
        "человек добавлен",
        "согласие оформлено",
        "согласие отозвано",
        "включение в программу",
        "выгрузка персональных данных",
    ] {
        log.assert_contains(a);
    }
    // The log cannot be rewritten.
    assert!(
        sqlx::query("DELETE FROM audit_log")
            .execute(&app.pool)
            .await
            .is_err()
    );
}

fn pupils(n: usize) -> Vec<(String, String, String, chrono::NaiveDate, String)> {
    let last = nastavnik::demo::SURNAMES.map(|(m, _)| m);
    let first = nastavnik::demo::BOYS;
    (0..n)
        .map(|i| {
            let class = format!("{}{}", 5 + i % 6, ["А", "Б", "В"][i % 3]);
            let birth = chrono::NaiveDate::from_ymd_opt(
                2010 + (i % 6) as i32,
                1 + (i % 12) as u32,
                1 + (i % 28) as u32,
            )
            .unwrap();
            (
                last[i % 10].to_string(),
                first[(i / 10) % 10].to_string(),
                format!("{}овна", ["Иван", "Пётр", "Сергей"][i / 100 % 3]).replace("овна", "ович"),
                birth,
                class,
            )
        })
        .collect()
}

#[tokio::test]
async fn class_lists_from_excel_and_csv_import_once() {
    let (app, _org, _p, mut c) = school_with_program().await;
    let people = pupils(200);
    // CSV as Russian Excel saves it: Windows-1251, «;», a title row, dates as 01.09.2013.
    let mut csv = String::from("Список обучающихся;;;\r\n№;ФИО;Дата рождения;Класс\r\n");
    for (i, (l, f, m, b, cl)) in people.iter().enumerate() {
        csv.push_str(&format!(
            "{};{l} {f} {m};{};{cl}\r\n",
            i + 1,
            b.format("%d.%m.%Y")
        ));
    }
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&csv);
    c.get("/o/school-a/people/import")
        .await
        .assert_contains("Импорт списка");
    let r = c
        .upload(
            "/o/school-a/people/import",
            &[("kind", "pupil")],
            "7-классы.csv",
            &cp1251,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let preview_url = r.location().to_string();
    let preview = c.get(&preview_url).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert_eq!(preview.body.matches("будет добавлен</span>").count(), 200);
    preview.assert_contains("Кузнецов Александр Иванович");
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM people").await,
        0,
        "nothing is written before confirmation"
    );
    let confirm = preview_url.split('?').next().unwrap().to_string();
    let r = c
        .post(
            &confirm,
            &[
                ("kind", "pupil"),
                ("map_1", "full_name"),
                ("map_2", "birth_date"),
                ("map_3", "class"),
                ("consent", "1"),
                ("consent_date", "2026-09-01"),
                ("document_ref", "папка"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    c.get(r.location()).await.assert_contains("добавлено 200");
    assert_eq!(
        app.one::<i64>(
            "SELECT count(*) FROM people WHERE birth_date IS NOT NULL AND middle_name <> ''"
        )
        .await,
        200
    );
    let (l, f, m, b, cl) = &people[17];
    let found: i64 = sqlx::query_scalar("SELECT count(*) FROM people WHERE last_name = $1 AND first_name = $2 AND middle_name = $3 AND birth_date = $4 AND class_name = $5")
        .bind(l).bind(f).bind(m).bind(b).bind(cl).fetch_one(&app.pool).await.unwrap();
    assert_eq!(found, 1);
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM consents WHERE given_by = 'representative'")
            .await,
        200
    );

    // The same pupils from Excel: real date cells, split name columns. Nobody is added twice.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date_fmt = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
    for (col, h) in ["Фамилия", "Имя", "Отчество", "Дата рождения", "Класс"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *h).unwrap();
    }
    for (i, (l, f, m, b, cl)) in people.iter().enumerate() {
        let row = (i + 1) as u32;
        sheet.write_string(row, 0, l).unwrap();
        sheet.write_string(row, 1, f).unwrap();
        sheet.write_string(row, 2, m).unwrap();
        let d = rust_xlsxwriter::ExcelDateTime::from_ymd(
            chrono::Datelike::year(b) as u16,
            chrono::Datelike::month(b) as u8,
            chrono::Datelike::day(b) as u8,
        )
        .unwrap();
        sheet
            .write_datetime_with_format(row, 3, &d, &date_fmt)
            .unwrap();
        sheet.write_string(row, 4, cl).unwrap();
    }
    let xlsx = book.save_to_buffer().unwrap();
    let r = c
        .upload(
            "/o/school-a/people/import",
            &[("kind", "pupil")],
            "класс.xlsx",
            &xlsx,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let preview = c.get(r.location()).await;
    assert_eq!(
        preview.body.matches("уже есть</span>").count(),
        200,
        "every pupil is recognised"
    );
    let confirm = r.location().split('?').next().unwrap().to_string();
    let r = c.post(&confirm, &[("kind", "pupil")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.one::<i64>("SELECT count(*) FROM people").await, 200);
    // The CSV again: still nobody twice.
    let r = c
        .upload(
            "/o/school-a/people/import",
            &[("kind", "pupil")],
            "снова.csv",
            &cp1251,
        )
        .await;
    let confirm = r.location().split('?').next().unwrap().to_string();
    c.post(&confirm, &[("kind", "pupil")]).await;
    assert_eq!(app.one::<i64>("SELECT count(*) FROM people").await, 200);
    // The audit trail has the imports.
    c.get("/o/school-a/audit?action=import")
        .await
        .assert_contains("добавлено 200");
}

#[tokio::test]
async fn broken_rows_are_shown_and_only_confirmed_valid_rows_are_imported() {
    let (app, _org, _p, mut c) = school_with_program().await;
    let csv = "ФИО,Дата рождения,Класс,E-mail\nОрлова Анна,12.04.2014,6А,anna@mail.ru\n,01.01.2014,6А,\nБелов,01.01.2014,6А,\nЗуев Олег,31.02.2014,6А,\nКим Ирина,01.01.2014,6 класс Б,\nЛебедев Ян,01.01.2014,6Б,не почта\n";
    let r = c
        .upload(
            "/o/school-a/people/import",
            &[("kind", "pupil")],
            "list.csv",
            csv.as_bytes(),
        )
        .await;
    let preview = c.get(r.location()).await;
    preview.assert_contains("пустое ФИО");
    preview.assert_contains("нет имени");
    preview.assert_contains("невозможная дата рождения «31.02.2014»");
    preview.assert_contains("неизвестный формат класса");
    preview.assert_contains("неверный адрес почты");
    assert_eq!(preview.body.matches("будет добавлен</span>").count(), 1);
    // Without the consent mark only name and class are kept.
    preview.assert_contains("Без отметки ниже сохранятся только ФИО и класс");
    assert_eq!(app.one::<i64>("SELECT count(*) FROM people").await, 0);
    let confirm = r.location().split('?').next().unwrap().to_string();
    let r = c.post(&confirm, &[("kind", "pupil")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (name, birth, email): (String, Option<chrono::NaiveDate>, String) =
        sqlx::query_as("SELECT last_name, birth_date, email FROM people")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((name.as_str(), birth, email.as_str()), ("Орлова", None, ""));
    // Importing the same upload twice is refused.
    let r = c.post(&confirm, &[("kind", "pupil")]).await;
    c.get(r.location())
        .await
        .assert_contains("уже импортирован");
    // Unrecognisable and oversized files are refused with a clear message.
    let r = c
        .upload(
            "/o/school-a/people/import",
            &[("kind", "pupil")],
            "x.csv",
            b"a;b\n1;2\n",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Не нашлось знакомых столбцов");
    let big = vec![b'x'; 10 * 1024 * 1024 + 10];
    let r = c
        .upload(
            "/o/school-a/people/import",
            &[("kind", "pupil")],
            "big.csv",
            &big,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("больше 10 МБ");
}

#[tokio::test]
async fn new_routes_are_isolated_between_organizations() {
    let app = spawn().await;
    let t = two_orgs(&app).await;
    let b_person = pupil(&app.pool, t.b, "Чужой", "5А", true).await;
    let b_consent: uuid::Uuid = app
        .one_for("SELECT id FROM consents WHERE person_id = $1", b_person)
        .await;
    let b_session: uuid::Uuid = {
        let mut conn = app.pool.acquire().await.unwrap();
        nastavnik::participants::repo::add_training(
            &mut conn,
            t.b,
            t.b_program,
            chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            "Б",
        )
        .await
        .unwrap()
    };
    let b_upload: uuid::Uuid = {
        let mut conn = app.pool.acquire().await.unwrap();
        nastavnik::people::repo::save_upload(
            &mut conn,
            t.b,
            t.b_curator,
            "b.csv",
            &serde_json::json!({"headers": ["ФИО"], "rows": [["Чужой Ученик"]], "first_line": 2}),
        )
        .await
        .unwrap()
    };
    let mut c = app.login("curator-a@test.ru").await;
    let (bp, pp) = (b_person, t.b_program);
    for path in [
        format!("/o/school-a/people/{bp}"),
        format!("/o/school-a/people/{bp}/edit"),
        format!("/o/school-a/programs/{pp}/participants"),
        format!("/o/school-a/people/import/{b_upload}"),
        "/o/school-b/people".to_string(),
        "/o/school-b/audit".to_string(),
        "/o/school-b/people/export.xlsx".to_string(),
    ] {
        let r = c.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "GET {path}");
        assert!(!r.body.contains("Чужой"));
    }
    let a_prog = t.a_program.to_string();
    for path in [
        format!("/o/school-a/people/{bp}/edit"),
        format!("/o/school-a/people/{bp}/consents"),
        format!("/o/school-a/people/{bp}/consents/{b_consent}/withdraw"),
        format!("/o/school-a/people/{bp}/requests"),
        format!("/o/school-a/people/{bp}/enrol"),
        format!("/o/school-a/people/{bp}/account"),
        format!("/o/school-a/programs/{pp}/participants/status"),
        format!("/o/school-a/programs/{pp}/participants/earlier"),
        format!("/o/school-a/programs/{pp}/training"),
        format!("/o/school-a/programs/{pp}/training/{b_session}"),
        format!("/o/school-a/programs/{}/training/{b_session}", t.a_program),
        format!("/o/school-a/people/import/{b_upload}"),
    ] {
        let r = c
            .post(
                &path,
                &[
                    ("program", &a_prog),
                    ("role", "mentee"),
                    ("text", "x"),
                    ("source", "self"),
                    ("given_by", "representative"),
                    ("given_on", "2026-09-01"),
                    ("scope", "x"),
                    ("representative_name", "x"),
                    ("representative_relation", "мать"),
                    ("held_on", "2026-10-01"),
                    ("topic", "x"),
                    ("status", "paired"),
                    ("ids", &bp.to_string()),
                    ("present", &bp.to_string()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "POST {path}");
    }
    // Bulk actions with B's ids touch nobody of B.
    let r = c
        .post(
            "/o/school-a/people/bulk",
            &[
                ("action", "enrol"),
                ("program", &a_prog),
                ("role", "mentee"),
                ("ids", &bp.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.one::<i64>("SELECT count(*) FROM enrolments").await, 0);
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM consents WHERE withdrawn_on IS NOT NULL")
            .await,
        0
    );
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM training_attendance")
            .await,
        0
    );
    assert_eq!(
        app.one::<i64>("SELECT count(*) FROM import_uploads WHERE imported_at IS NOT NULL")
            .await,
        0
    );
    // Mentors and mentees have no access to the bases.
    let mut mentor = app.login("mentor-a@test.ru").await;
    assert_eq!(
        mentor.get("/o/school-a/people").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        mentor.get("/o/school-a/people/export.xlsx").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        mentor.get("/o/school-a/audit").await.status,
        StatusCode::FORBIDDEN
    );
}

/// The same class list saved by LibreOffice Calc as XLSX, ODS and XLS, and the CSV it came from:
/// every format gives the same names, dates and classes.
#[test]
fn files_from_a_real_office_suite_read_the_same() {
    use nastavnik::people::import::{auto_mapping, check_rows, read_table};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let read = |name: &str| {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let t = read_table(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        check_rows(&t, &auto_mapping(&t.headers), &Default::default(), today)
            .into_iter()
            .map(|r| {
                (
                    r.last_name,
                    r.first_name,
                    r.middle_name,
                    r.birth_date,
                    r.class_name,
                    r.problems.is_empty(),
                )
            })
            .collect::<Vec<_>>()
    };
    let csv = read("class-utf8.csv");
    assert_eq!(csv.len(), 40);
    assert!(csv.iter().all(|r| r.5 && r.3.is_some() && !r.4.is_empty()));
    for f in [
        "libreoffice-class.xlsx",
        "libreoffice-class.ods",
        "libreoffice-class.xls",
    ] {
        assert_eq!(read(f), csv, "{f}");
    }
    // A cp1251 copy of the CSV reads the same too.
    let text = std::fs::read_to_string(dir.join("class-utf8.csv")).unwrap();
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    let t = read_table(&cp1251).unwrap();
    assert_eq!(
        check_rows(&t, &auto_mapping(&t.headers), &Default::default(), today).len(),
        40
    );
}

#[tokio::test]
async fn the_consent_rule_is_decided_in_sql() {
    use nastavnik::people::{ConsentInput, PersonInput};
    let (app, org_id, _p, _c) = school_with_program().await;
    let by: uuid::Uuid = app.one("SELECT user_id FROM memberships LIMIT 1").await;
    let mut conn = app.pool.acquire().await.unwrap();
    // (birth date, consents given as (by, withdrawn)) → valid?
    let today = chrono::Utc::now().date_naive();
    let child = today - chrono::Duration::days(365 * 12);
    let adult = today - chrono::Duration::days(365 * 30);
    type Case<'a> = (chrono::NaiveDate, &'a [(&'a str, bool)], bool);
    let cases: [Case; 5] = [
        (child, &[("representative", false)], true),
        (child, &[("self", false)], false),
        (adult, &[("self", false)], true),
        (adult, &[("representative", true)], false),
        (adult, &[], false),
    ];
    for (i, (birth, consents, want)) in cases.iter().enumerate() {
        let id = nastavnik::people::insert(
            &mut conn,
            org_id,
            &PersonInput {
                last_name: format!("Проверкин{i}"),
                first_name: "Иван".into(),
                kind: "pupil".into(),
                birth_date: Some(*birth),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        for (given_by, withdrawn) in consents.iter() {
            let cid = nastavnik::people::add_consent(
                &mut conn,
                org_id,
                id,
                by,
                &ConsentInput {
                    representative_email: "",
                    inform_representative: false,
                    given_by,
                    representative_name: if *given_by == "self" { "" } else { "Мать" },
                    representative_relation: if *given_by == "self" { "" } else { "мать" },
                    given_on: today,
                    scope: "участие",
                    document_ref: "",
                },
            )
            .await
            .unwrap();
            if *withdrawn {
                sqlx::query("UPDATE consents SET withdrawn_on = current_date WHERE id = $1")
                    .bind(cid)
                    .execute(&mut *conn)
                    .await
                    .unwrap();
            }
        }
        let got = nastavnik::people::has_valid_consent(&mut conn, org_id, id)
            .await
            .unwrap();
        assert_eq!(got, *want, "case {i}");
        // The person record and the participation check agree with it.
        let (p, problem) = nastavnik::people::participation(&mut conn, org_id, id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(p.has_consent, *want, "case {i}");
        assert_eq!(problem.is_none(), *want, "case {i}");
    }
}

#[tokio::test]
async fn long_lists_come_in_pages() {
    let (app, org_id, _p, mut c) = school_with_program().await;
    for i in 0..55 {
        pupil(&app.pool, org_id, &format!("Ученик{i:02}"), "5А", true).await;
    }
    let first = c.get("/o/school-a/people?base=mentee").await;
    assert_eq!(first.status, StatusCode::OK);
    first.assert_contains("страница 1 из 2");
    first.assert_contains("base=mentee");
    first.assert_contains("base=mentee&#38;page=2\">Дальше →</a>");
    let second = c.get("/o/school-a/people?base=mentee&page=2").await;
    second.assert_contains("страница 2 из 2");
    second.assert_contains("&#38;page=1\">← Назад</a>");
}

/// The commands of a person's card keep their rules whoever calls them (no page, no HTTP): only
/// a curator records a consent or a request; a minor's consent is a representative's; a refused
/// consent names its fields and writes nothing; a request needs a valid consent; withdrawing the
/// last consent forgets the person, and a consent is withdrawn once.
#[tokio::test]
async fn the_person_commands_keep_their_rules_without_a_page() {
    use nastavnik::auth::model::Role;
    use nastavnik::error::AppError;
    use nastavnik::home::erasure::{Withdrawn, withdraw_consent};
    use nastavnik::people::commands::{ConsentForm, add_request, give_consent};
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let director = member(&app.pool, org_id, "director@test.ru", &[Role::Director]).await;
    let (curator, org, _program) = command_scene(&app, org_id, program_id).await;
    let by_curator = Actor::new(&org, curator, "http://localhost");
    let by_director = Actor::new(&org, director, "http://localhost");
    // A pupil under 18, without a consent yet.
    let kid = pupil(&app.pool, org_id, "Котов", "7А", false).await;
    sqlx::query("UPDATE people SET birth_date = now() - interval '12 years' WHERE id = $1")
        .bind(kid)
        .execute(&app.pool)
        .await
        .unwrap();
    let consents = || app.one::<i64>("SELECT count(*) FROM consents");
    let by_mother = ConsentForm {
        given_by: "representative".into(),
        representative_name: " Котова Анна ".into(),
        representative_relation: "мать".into(),
        given_on: org.today().format("%Y-%m-%d").to_string(),
        scope: "участие в программе наставничества".into(),
        ..ConsentForm::default()
    }
    .typed();
    let mut tx = app.pool.begin().await.unwrap();
    let r = give_consent(&mut tx, &by_director, kid, &by_mother).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let own = ConsentForm {
        given_by: "self".into(),
        inform_representative: true,
        given_on: "2099-01-01".into(),
        ..by_mother.clone()
    };
    match give_consent(&mut tx, &by_curator, kid, &own).await {
        Err(Refused::Invalid(e)) => {
            assert_eq!(
                e.get("given_by"),
                "Участнику нет 18 лет: согласие даёт законный представитель."
            );
            assert!(e.has("given_on") && e.has("representative_email"), "{e:?}");
        }
        r => panic!("expected a refusal, got {r:?}"),
    }
    // No request without a consent.
    let r = add_request(&mut tx, &by_curator, kid, ("Подтянуть алгебру", "self")).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.get("text").contains("нет действующего согласия")),
        "{r:?}"
    );
    tx.commit().await.unwrap();
    assert_eq!(consents().await, 0, "a refused consent writes nothing");

    let mut tx = app.pool.begin().await.unwrap();
    give_consent(&mut tx, &by_curator, kid, &by_mother)
        .await
        .unwrap();
    give_consent(&mut tx, &by_curator, kid, &by_mother)
        .await
        .unwrap();
    let r = add_request(&mut tx, &by_curator, kid, ("Подтянуть алгебру", "nowhere")).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("text")),
        "{r:?}"
    );
    add_request(&mut tx, &by_curator, kid, (" Подтянуть алгебру ", "self"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        app.one::<String>("SELECT text FROM person_requests").await,
        "Подтянуть алгебру"
    );
    assert_eq!(
        app.one_for::<String>(
            "SELECT representative_name FROM consents WHERE person_id = $1 LIMIT 1",
            kid
        )
        .await,
        "Котова Анна"
    );

    // Withdrawing: the first of two leaves the person; the last forgets them; never twice.
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM consents WHERE person_id = $1")
        .bind(kid)
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let mut tx = app.pool.begin().await.unwrap();
    let r = withdraw_consent(&mut tx, &by_director, kid, ids[0]).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    assert_eq!(
        withdraw_consent(&mut tx, &by_curator, kid, ids[0])
            .await
            .unwrap(),
        Withdrawn::StillValid
    );
    let r = withdraw_consent(&mut tx, &by_curator, kid, ids[0]).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    assert_eq!(
        withdraw_consent(&mut tx, &by_curator, kid, ids[1])
            .await
            .unwrap(),
        Withdrawn::Erased
    );
    tx.commit().await.unwrap();
    assert_eq!(
        app.one_for::<String>("SELECT last_name FROM people WHERE id = $1", kid)
            .await,
        ""
    );
    // An erased person takes no more requests or consents.
    let mut tx = app.pool.begin().await.unwrap();
    let r = give_consent(&mut tx, &by_curator, kid, &by_mother).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    drop(tx);
    // A person added and changed: without a consent, only the name and the class.
    use nastavnik::people::commands::{PersonForm, PersonSaved, add_person, update_person};
    let newcomer = PersonForm {
        last_name: "новикова".into(),
        first_name: "ольга".into(),
        kind: "pupil".into(),
        class_name: "5а".into(),
        email: "olga@mail.ru".into(),
        in_mentee_base: true,
        ..PersonForm::default()
    };
    let mut conn = app.pool.acquire().await.unwrap();
    let r = add_person(&mut conn, &by_director, &newcomer).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let r = add_person(&mut conn, &by_curator, &newcomer).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("consent")),
        "an e-mail without a consent: {r:?}"
    );
    let plain = PersonForm {
        email: String::new(),
        ..newcomer.clone()
    };
    let id = add_person(&mut conn, &by_curator, &plain).await.unwrap();
    assert_eq!(
        app.one_for::<String>(
            "SELECT last_name || ' ' || class_name FROM people WHERE id = $1",
            id
        )
        .await,
        "Новикова 5А"
    );
    let version: i32 = app
        .one_for("SELECT version FROM people WHERE id = $1", id)
        .await;
    let renamed = PersonForm {
        first_name: "Ольга".into(),
        middle_name: "Петровна".into(),
        version,
        ..plain.clone()
    };
    assert_eq!(
        update_person(&mut conn, &by_curator, id, &renamed)
            .await
            .unwrap(),
        PersonSaved::Saved
    );
    assert_eq!(
        update_person(&mut conn, &by_curator, id, &renamed)
            .await
            .unwrap(),
        PersonSaved::Conflict,
        "the version seen is gone"
    );
}

/// A list import without a page: only a curator keeps an upload or imports it; a mapping without
/// a name column and consents marked without a date are refused on their fields; the rows that
/// are neither broken nor in the base already are added once, a second import is refused.
#[tokio::test]
async fn the_import_commands_keep_their_rules_without_a_page() {
    use std::collections::HashMap;

    use nastavnik::auth::model::Role;
    use nastavnik::error::AppError;
    use nastavnik::people::import::Table;
    use nastavnik::people::lists::{ImportInput, Imported, import_list, keep_upload};
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let mentor = member(&app.pool, org_id, "m@test.ru", &[Role::Mentor]).await;
    pupil(&app.pool, org_id, "Старов", "5А", true).await;
    let (curator, school, _program) = command_scene(&app, org_id, program_id).await;
    let by = Actor::new(&school, curator, "http://localhost");
    let by_mentor = Actor::new(&school, mentor, "http://localhost");
    let table = Table {
        headers: vec!["ФИО".into(), "Класс".into()],
        rows: vec![
            vec!["Иванов Иван".into(), "5А".into()],
            vec!["Петрова Анна".into(), "5б".into()],
            vec!["".into(), "5А".into()],
        ],
        first_line: 2,
    };
    let mut conn = app.pool.acquire().await.unwrap();
    let r = keep_upload(&mut conn, &by_mentor, "класс.csv", &table).await;
    assert!(matches!(r, Err(AppError::Forbidden)), "{r:?}");
    let upload = keep_upload(&mut conn, &by, "класс.csv", &table)
        .await
        .unwrap();
    let input = ImportInput {
        kind: "pupil".into(),
        consent: true,
        consent_date: "01.09.2026".into(),
        document_ref: "Протокол № 1".into(),
        ..Default::default()
    };
    let r = import_list(&mut conn, &by_mentor, upload, &input).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let no_name = ImportInput {
        params: HashMap::from([
            ("map_0".into(), "".into()),
            ("map_1".into(), "class".into()),
        ]),
        ..input.clone()
    };
    match import_list(&mut conn, &by, upload, &no_name).await {
        Err(Refused::Invalid(e)) => assert!(e.get("mapping").contains("ФИО")),
        r => panic!("expected the mapping refused, got {r:?}"),
    }
    let no_date = ImportInput {
        consent_date: "".into(),
        ..input.clone()
    };
    match import_list(&mut conn, &by, upload, &no_date).await {
        Err(Refused::Invalid(e)) => assert!(e.has("consent_date")),
        r => panic!("expected the date refused, got {r:?}"),
    }
    let future = ImportInput {
        consent_date: "01.01.2099".into(),
        ..input.clone()
    };
    assert!(matches!(
        import_list(&mut conn, &by, upload, &future).await,
        Err(Refused::Invalid(_))
    ));
    // Another organization's upload is 404 from here.
    let b = org(&app.pool, "school-b").await;
    let b_curator = member(&app.pool, b, "curator-b@test.ru", &[Role::Curator]).await;
    let school_b = nastavnik::tenancy::org_by_id(&mut conn, b).await.unwrap();
    let by_b = Actor::new(&school_b, b_curator, "http://localhost");
    let theirs = keep_upload(&mut conn, &by_b, "б.csv", &table)
        .await
        .unwrap();
    let r = import_list(&mut conn, &by, theirs, &input).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    let r = import_list(&mut conn, &by, upload, &input).await.unwrap();
    assert_eq!(
        r,
        Imported::Done {
            added: 2,
            skipped: 1
        }
    );
    assert_eq!(
        import_list(&mut conn, &by, upload, &input).await.unwrap(),
        Imported::Already
    );
    let (people, consents): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM people WHERE org_id = $1), (SELECT count(*) FROM consents WHERE org_id = $1 AND document_ref = 'Протокол № 1')",
    )
    .bind(org_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((people, consents), (3, 2));
}
