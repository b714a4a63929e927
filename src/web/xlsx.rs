//! XLSX downloads: cells that a spreadsheet would read as a formula are escaped, and the
//! response carries the right type and file name.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A cell starting with = + - @ (or a tab / carriage return) gets a leading apostrophe, so that
/// an exported name can never run as a formula.
pub fn safe_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A workbook of one sheet: bold headers, then the rows (every cell escaped), columns as wide as
/// `widths` (characters).
pub fn table(
    headers: &[&str],
    widths: &[f64],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    for (i, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, *h, &bold)?;
        if let Some(w) = widths.get(i) {
            sheet.set_column_width(i as u16, *w)?;
        }
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string_with_format(r as u32 + 1, c as u16, safe_cell(cell), &wrap)?;
        }
    }
    book.save_to_buffer()
}

/// A typed cell of a report sheet: numbers stay numbers, shares show as percent, dates as dates.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Number(f64),
    /// A share 0–1 shown as «70,0 %».
    Percent(f64),
    Date(chrono::NaiveDate),
    Empty,
}

impl Cell {
    /// The cell as a page shows it: «1 234», «4,50», «70,0 %», «01.09.2026».
    pub fn display(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Number(n) => format!("{n:.2}").replace('.', ","),
            Cell::Percent(n) => format!("{:.1} %", n * 100.0).replace('.', ","),
            Cell::Date(d) => d.format("%d.%m.%Y").to_string(),
            Cell::Empty => String::new(),
        }
    }

    /// Whether the page right-aligns it (a number).
    pub fn numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Number(_) | Cell::Percent(_))
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

/// A sheet of a report workbook: its name (≤ 31 characters), headers with column widths, rows.
pub struct Sheet {
    pub name: String,
    pub headers: Vec<(&'static str, f64)>,
    pub rows: Vec<Vec<Cell>>,
}

/// A workbook of report sheets as an office suite user expects: a bold frozen header row,
/// column widths, numbers as numbers, shares as percent, dates as dates, text escaped.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let wrap = Format::new().set_text_wrap();
    let int = Format::new().set_num_format("0");
    let number = Format::new().set_num_format("0.00");
    let percent = Format::new().set_num_format("0.0%");
    let date = Format::new().set_num_format("dd.mm.yyyy");
    for s in sheets {
        let sheet = book.add_worksheet();
        let name: String = s
            .name
            .chars()
            .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
            .take(31)
            .collect();
        sheet.set_name(&name)?;
        for (i, (h, w)) in s.headers.iter().enumerate() {
            sheet.write_string_with_format(0, i as u16, *h, &bold)?;
            sheet.set_column_width(i as u16, *w)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        for (r, row) in s.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) => {
                        sheet.write_string_with_format(r, c, safe_cell(t), &wrap)?;
                    }
                    Cell::Int(n) => {
                        sheet.write_number_with_format(r, c, *n as f64, &int)?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number_with_format(r, c, *n, &number)?;
                    }
                    Cell::Percent(n) => {
                        sheet.write_number_with_format(r, c, *n, &percent)?;
                    }
                    Cell::Date(d) => {
                        let d = ExcelDateTime::parse_from_str(&d.format("%Y-%m-%d").to_string())?;
                        sheet.write_datetime_with_format(r, c, &d, &date)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
    }
    book.save_to_buffer()
}

/// `workbook` off the async threads (a big sheet takes a while to write).
pub async fn build(sheets: Vec<Sheet>) -> crate::error::AppResult<Vec<u8>> {
    use crate::error::AppError;
    tokio::task::spawn_blocking(move || workbook(&sheets))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

/// The workbook as a download named `file_name` (ASCII).
pub fn download(file_name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
