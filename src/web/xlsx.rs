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
