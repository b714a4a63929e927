//! The XLSX export of the bases with the region's columns (formula-looking cells escaped).

use axum::http::header;

use super::*;
use crate::error::AppError;
use crate::people::ExportPerson;
use crate::web::xlsx::safe_cell;

/// One row of the export: a person and one of their programs (a person without programs: one
/// row without one).
#[derive(Clone, Debug)]
pub struct ExportRow {
    pub person: ExportPerson,
    pub form_title: Option<String>,
    pub program_name: Option<String>,
    pub role: Option<String>,
    pub joined_on: Option<chrono::NaiveDate>,
    pub results: Option<String>,
}

/// The people (people) with their programs (participants' enrolments, programs' names and
/// forms), the programs of a person by their start.
async fn export_rows(
    conn: &mut sqlx::PgConnection,
    org_id: Uuid,
    f: &Filter,
) -> AppResult<Vec<ExportRow>> {
    let people = people::export_people(&mut *conn, org_id, f).await?;
    let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
    let mut history: HashMap<Uuid, Vec<crate::participants::History>> = HashMap::new();
    for h in crate::participants::history_of_people(&mut *conn, org_id, &ids).await? {
        history.entry(h.person_id).or_default().push(h);
    }
    let programs: HashMap<Uuid, crate::programs::ProgramRow> =
        crate::programs::programs(conn, org_id)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
    let row = |p: &ExportPerson| ExportRow {
        person: p.clone(),
        form_title: None,
        program_name: None,
        role: None,
        joined_on: None,
        results: None,
    };
    let mut rows = Vec::new();
    for p in &people {
        let mut parts: Vec<(&crate::participants::History, &crate::programs::ProgramRow)> = history
            .get(&p.id)
            .into_iter()
            .flatten()
            .filter_map(|h| Some((h, programs.get(&h.program_id)?)))
            .collect();
        parts.sort_by_key(|(_, g)| g.starts_on);
        if parts.is_empty() {
            rows.push(row(p));
        }
        for (h, g) in parts {
            rows.push(ExportRow {
                form_title: Some(g.form_title.clone()),
                program_name: Some(g.name.clone()),
                role: Some(h.role.code().into()),
                joined_on: Some(h.joined_on),
                results: Some(h.results.clone()),
                ..row(p)
            });
        }
    }
    Ok(rows)
}

/// A cell that could start a formula in Excel or LibreOffice is written with a leading apostrophe.
pub async fn export(org: OrgCtx, Query(q): Query<HashMap<String, String>>) -> AppResult<Response> {
    org.require_any(&[Role::Curator, Role::Director])?;
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let filter = Filter {
        base: get("base"),
        q: get("q"),
        kind: get("kind"),
        class_name: get("class"),
        tag: get("tag"),
        program: Uuid::parse_str(&get("program")).ok(),
        status: get("status"),
        consent: get("consent"),
        sort: String::new(),
        page: 0,
        among: None,
        enrolled_in_base: Vec::new(),
    };
    let mut tx = org.begin().await?;
    let filter = with_enrolments(&mut tx, org.org.id, filter).await?;
    let rows = export_rows(&mut tx, org.org.id, &filter).await?;
    crate::audit::record(
        &mut tx,
        &org,
        "export",
        None,
        &format!("выгрузка XLSX: {} строк", rows.len()),
    )
    .await?;
    tx.commit().await?;
    let bytes = tokio::task::spawn_blocking(move || build_xlsx(&rows))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let name = match filter.base.as_str() {
        "mentor" => "baza-nastavnikov.xlsx",
        "mentee" => "baza-nastavlyaemyh.xlsx",
        _ => "lyudi.xlsx",
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub const EXPORT_HEADERS: [&str; 9] = [
    "ФИО",
    "Контакты",
    "Класс / место работы",
    "Форма наставничества",
    "Программа",
    "Дата вхождения в программу",
    "Наставник / наставляемые",
    "Результаты",
    "Примечания",
];

pub fn build_xlsx(rows: &[ExportRow]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Участники")?;
    let bold = Format::new().set_bold();
    for (c, h) in EXPORT_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        let name = model::display_name(
            r.person.number,
            &r.person.last_name,
            &r.person.first_name,
            &r.person.middle_name,
            r.person.anonymized,
        );
        let contacts = [r.person.email.as_str(), r.person.phone.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        let place = if !r.person.class_name.is_empty() {
            r.person.class_name.clone()
        } else {
            [r.person.partner_org.as_str(), r.person.position.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        };
        let program = match (&r.program_name, &r.role) {
            (Some(p), Some(role)) => format!("{p} ({})", crate::people::Side::label_of(role)),
            _ => String::new(),
        };
        let cells = [
            name,
            contacts,
            place,
            r.form_title.clone().unwrap_or_default(),
            program,
            r.joined_on.map(ru_date).unwrap_or_default(),
            String::new(),
            r.results.clone().unwrap_or_default(),
            r.person.notes.clone(),
        ];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(row, c as u16, safe_cell(v))?;
        }
    }
    sheet.set_column_width(0, 34)?;
    sheet.set_column_width(1, 28)?;
    sheet.set_column_width(2, 18)?;
    sheet.set_column_width(3, 22)?;
    sheet.set_column_width(4, 36)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::xlsx::safe_cell;

    #[test]
    fn formulas_never_start_a_cell() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("+7 900 000-00-00"), "'+7 900 000-00-00");
        assert_eq!(safe_cell("-1"), "'-1");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("Иванов"), "Иванов");
    }

    #[test]
    fn xlsx_round_trip_keeps_text_and_escapes() {
        let rows = vec![ExportRow {
            person: ExportPerson {
                id: uuid::Uuid::nil(),
                number: 1,
                last_name: "=Иванов".into(),
                first_name: "Иван".into(),
                middle_name: String::new(),
                anonymized: false,
                email: "ivan@school.ru".into(),
                phone: "+7 900".into(),
                class_name: "7А".into(),
                position: String::new(),
                partner_org: String::new(),
                notes: "@note".into(),
            },
            form_title: Some("Ученик – ученик".into()),
            program_name: Some("Клуб".into()),
            role: Some("mentee".into()),
            joined_on: chrono::NaiveDate::from_ymd_opt(2026, 9, 1),
            results: None,
        }];
        let bytes = build_xlsx(&rows).unwrap();
        // Read it back with the importer's reader.
        use calamine::{Data, Reader, Xlsx};
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        let cells: Vec<Vec<String>> = range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| {
                        if let Data::String(s) = c {
                            s.clone()
                        } else {
                            String::new()
                        }
                    })
                    .collect()
            })
            .collect();
        assert_eq!(cells[0][0], "ФИО");
        assert_eq!(cells[1][0], "'=Иванов Иван");
        assert_eq!(cells[1][1], "ivan@school.ru, +7 900");
        assert_eq!(cells[1][4], "Клуб (наставляемый)");
        assert_eq!(cells[1][8], "'@note");
        assert!(
            cells
                .iter()
                .flatten()
                .all(|c| !c.starts_with(['=', '+', '-', '@']))
        );
    }
}
