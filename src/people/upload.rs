//! One reader for every upload, on every endpoint (the class lists of the bases, a class's marks
//! for monitoring): the multipart form read within the size cap — every failure said in Russian,
//! a file over the cap included —, then the file parsed once by [`import::read_table`] (one set
//! of limits: bytes, unpacked size, rows, columns, every cell the spreadsheet parser would
//! materialise, all sheets) off the async threads, under the server's work permit, with a panic
//! of a parser caught. Whoever needs the rows again keeps the parsed table, never the file.

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::http::StatusCode;

use super::import::{self, ImportError, Table};
use crate::error::{AppError, AppResult};
use crate::web::AppState;

/// An upload form as received: the file and the form's other fields.
pub struct Received {
    pub file_name: String,
    pub bytes: axum::body::Bytes,
    pub fields: HashMap<String, String>,
}

impl Received {
    /// A text field of the form ("" when absent).
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }
}

/// Reads the upload form: the field `file` and the text fields beside it. The fields read before
/// a failure are returned with it, so the form can be shown again as it was.
pub async fn receive(
    multipart: &mut Multipart,
) -> Result<Received, (ImportError, HashMap<String, String>)> {
    let mut fields = HashMap::new();
    let mut file: Option<(String, axum::body::Bytes)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err((ImportError::TooLarge, fields));
            }
            Err(_) => return Err((ImportError::Interrupted, fields)),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let file_name: String = field
                .file_name()
                .unwrap_or("файл")
                .chars()
                .take(200)
                .collect();
            match field.bytes().await {
                Ok(b) => file = Some((file_name, b)),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err((ImportError::TooLarge, fields));
                }
                Err(_) => return Err((ImportError::Interrupted, fields)),
            }
        } else if !name.is_empty() {
            let text = field.text().await.unwrap_or_default();
            fields.insert(name, text.chars().take(1000).collect());
        }
    }
    match file.filter(|(_, b)| !b.is_empty()) {
        Some((_, bytes)) if bytes.len() > import::MAX_BYTES => Err((ImportError::TooLarge, fields)),
        Some((file_name, bytes)) => Ok(Received {
            file_name,
            bytes,
            fields,
        }),
        None => Err((ImportError::NoFile, fields)),
    }
}

/// Parses an upload off the async threads, at most as many at once as the work permit allows
/// (the rest wait up to 20 s, then 503): a hostile file costs one blocking thread within the
/// reader's caps, never the server.
pub async fn parse(
    state: &AppState,
    bytes: axum::body::Bytes,
) -> AppResult<Result<Table, ImportError>> {
    let _permit = crate::web::permit(&state.work, std::time::Duration::from_secs(20)).await?;
    crate::web::blocking(move || {
        std::panic::catch_unwind(|| import::read_table(&bytes))
            .unwrap_or_else(|_| Err(ImportError::Unreadable(import::BROKEN.into())))
    })
    .await
    .map_err(AppError::internal)
}
