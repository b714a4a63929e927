//! Hostile spreadsheets on every upload endpoint (issue 28, finding 2): the 824-byte ODS formula
//! bomb and its variants get a Russian 422 within 2 s from the class-list import and from the
//! monitoring import alike, and the process's memory stays small.

use axum::http::StatusCode;

use crate::security::zip_with;
use crate::support::*;

/// An ODS package whose sheets are `tables` (each the inside of a `table:table`).
pub fn ods(tables: &[String]) -> Vec<u8> {
    let sheets: String = tables
        .iter()
        .enumerate()
        .map(|(i, t)| format!(r#"<table:table table:name="Лист{i}">{t}</table:table>"#))
        .collect();
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>{sheets}</office:spreadsheet></office:body></office:document-content>"#
    );
    zip_with(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
    ])
}

/// The formula bomb and its variants: (name, file).
pub fn bombs() -> Vec<(&'static str, Vec<u8>)> {
    let formula = r#"<table:table-row table:number-rows-repeated="3000"><table:table-cell table:formula="of:=1" table:number-columns-repeated="16384"/></table:table-row>"#;
    let styled = r#"<table:table-row table:number-rows-repeated="3000"><table:table-cell table:style-name="ce1" table:number-columns-repeated="16383"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#;
    let covered = r#"<table:table-row table:number-rows-repeated="3000"><table:covered-table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#;
    let repeated = r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="string" table:number-columns-repeated="60"><text:p>ФИО</text:p></table:table-cell></table:table-row>"#;
    let unknown = r#"<table:table-row table:number-rows-repeated="3000"><table:table-cell table:foo="bar" table:number-columns-repeated="16384"/></table:table-row>"#;
    let small = r#"<table:table-row table:number-rows-repeated="1000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="60"/></table:table-row>"#;
    vec![
        ("formula.ods", ods(&[formula.into(), formula.into()])),
        ("styled.ods", ods(&[styled.into()])),
        ("covered.ods", ods(&[covered.into()])),
        ("repeated.ods", ods(&[repeated.into()])),
        ("unknown-attribute.ods", ods(&[unknown.into()])),
        ("many-sheets.ods", ods(&vec![small.to_string(); 200])),
    ]
}

fn vm_hwm_mb() -> u64 {
    crate::security::proc_status_mb("VmHWM:")
}

#[tokio::test]
async fn the_ods_formula_bomb_and_its_variants_get_a_russian_422_on_both_endpoints() {
    let (app, org, program, mut c) = school_with_program().await;
    participant(&app, org, program, "k@test.ru", "Ученик", "mentee", true).await;
    let base = format!("/o/school-a/programs/{program}/monitoring");
    c.post(&base, &[("role", "mentee"), ("action", "template")])
        .await;
    let bombs = bombs();
    assert!(
        bombs[0].1.len() < 1200,
        "the formula bomb is tiny: {}",
        bombs[0].1.len()
    );
    let before = vm_hwm_mb();
    for (name, bytes) in &bombs {
        for (url, fields) in [
            (
                "/o/school-a/people/import".to_string(),
                vec![("kind", "pupil")],
            ),
            (format!("{base}/entry/import"), vec![("role", "mentee")]),
        ] {
            let started = std::time::Instant::now();
            let r = c.upload(&url, &fields, name, bytes).await;
            let took = started.elapsed();
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{name} at {url}"
            );
            assert!(
                r.body.contains("слишком велика")
                    || r.body.contains("столбцов")
                    || r.body.contains("строк"),
                "{name} at {url}: a Russian reason expected"
            );
            assert!(!r.body.contains("Invalid") && !r.body.contains("not found"));
            assert!(
                took < std::time::Duration::from_secs(2),
                "{name} at {url}: {took:?}"
            );
        }
    }
    // A file over 10 MB and no file at all: said in Russian on the monitoring import too.
    let big = vec![b'a'; 11 * 1024 * 1024];
    let r = c
        .upload(
            &format!("{base}/entry/import"),
            &[("role", "mentee")],
            "big.csv",
            &big,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Файл больше 10 МБ");
    let r = c
        .upload(
            &format!("{base}/entry/import"),
            &[("role", "mentee")],
            "none.csv",
            b"",
        )
        .await;
    r.assert_contains("Выберите файл");
    // Broken files: the libraries' English stays in the log.
    for (name, bytes) in [
        ("broken.xls", {
            let mut b = vec![0xD0, 0xCF, 0x11, 0xE0];
            b.extend(std::iter::repeat_n(7u8, 5000));
            b
        }),
        ("noparts.xlsx", zip_with(&[("x.txt", b"x")])),
    ] {
        let r = c
            .upload(
                "/o/school-a/people/import",
                &[("kind", "pupil")],
                name,
                &bytes,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        r.assert_contains("не похоже на таблицу");
        assert!(
            !r.body.contains("Invalid") && !r.body.contains("File not found"),
            "{name}"
        );
    }
    let grew = vm_hwm_mb().saturating_sub(before);
    assert!(grew < 300, "peak memory grew by {grew} MB");
}

/// Finding 2: a class list is parsed once, at upload; the file itself is not kept, and the preview
/// (viewed again and again) reads the kept rows.
#[tokio::test]
async fn a_class_list_is_parsed_once_and_the_preview_reads_the_kept_rows() {
    let School { app, mut c, .. } = school().await;
    let r = c
        .upload(
            "/o/school-a/people/import",
            &[("kind", "pupil")],
            "list.csv",
            "ФИО;Класс\nИванов Иван;7А\nПетрова Анна;7Б\n".as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (file_bytes, rows): (i32, i32) = sqlx::query_as(
        "SELECT octet_length(content), jsonb_array_length(parsed -> 'rows') FROM import_uploads",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((file_bytes, rows), (0, 2), "the rows kept, not the file");
    // What the preview shows comes from the kept rows (changed here behind its back).
    sqlx::query(
        "UPDATE import_uploads SET parsed = jsonb_set(parsed, '{rows,0,0}', '\"Кептов Сохран\"')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    for _ in 0..2 {
        let page = c.get(r.location()).await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_contains("Кептов");
        assert!(!page.body.contains("Иванов Иван"));
    }
}
