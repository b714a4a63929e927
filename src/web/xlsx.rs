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
