//! The commands of a list import (ARCHITECTURE.md, «Commands»): an uploaded class or staff list
//! is kept parsed (a curator's; lists not imported are deleted within a day), checked row by row
//! against the base with a column mapping (the preview reads the same check), and imported once
//! in one transaction — a second import of the same upload is refused, a consent mark needs the
//! date it was collected on, no later than today. Parsing the file is `people::upload`.

use std::collections::HashMap;

use chrono::Utc;
use sqlx::PgConnection;
use uuid::Uuid;

use super::import::{self, Field};
use super::{model, repo};
use crate::auth::model::Role;
use crate::error::AppError;
use crate::tenancy::Actor;
use crate::web::forms::{Refused, parse_date};

/// Keeps a parsed list for its preview; returns its id.
pub async fn keep_upload(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    file_name: &str,
    table: &import::Table,
) -> Result<Uuid, AppError> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    // Lists not imported are deleted within a day at most.
    repo::drop_stale_uploads(&mut *conn).await?;
    let parsed = serde_json::to_value(table).map_err(AppError::internal)?;
    Ok(repo::save_upload(&mut *conn, by.org.id, by.user_id, file_name, &parsed).await?)
}

/// The mapping from `map_N` parameters, or recognised from the headers.
pub fn mapping_from(params: &HashMap<String, String>, headers: &[String]) -> Vec<Option<Field>> {
    if params.keys().any(|k| k.starts_with("map_")) {
        let mut seen = std::collections::HashSet::new();
        (0..headers.len())
            .map(|i| {
                params
                    .get(&format!("map_{i}"))
                    .and_then(|c| Field::parse(c))
                    .filter(|f| seen.insert(*f))
            })
            .collect()
    } else {
        import::auto_mapping(headers)
    }
}

/// An upload checked against the base.
pub struct Checked {
    pub filename: String,
    pub table: import::Table,
    pub mapping: Vec<Option<Field>>,
    pub rows: Vec<import::RowResult>,
}

/// Said when the upload was imported already (its rows are deleted at import).
pub const ALREADY_IMPORTED: &str = "Этот файл уже импортирован; сам файл удалён с сервера. Чтобы добавить список ещё раз, загрузите его заново — уже добавленные люди не задвоятся.";

/// The organization's upload checked row by row with the mapping of `params` (`map_N`, or the
/// headers recognised); `None` once it is imported; 404 for another organization's.
pub async fn check(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    params: &HashMap<String, String>,
) -> Result<Option<Checked>, AppError> {
    let (filename, parsed, imported_at) = repo::upload(&mut *conn, org_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(parsed) = parsed.filter(|_| imported_at.is_none()) else {
        return Ok(None);
    };
    let table: import::Table = serde_json::from_value(parsed).map_err(AppError::internal)?;
    let mapping = mapping_from(params, &table.headers);
    let existing = repo::existing_keys(&mut *conn, org_id).await?;
    let rows = import::check_rows(&table, &mapping, &existing, Utc::now().date_naive());
    Ok(Some(Checked {
        filename,
        table,
        mapping,
        rows,
    }))
}

/// The confirmation as sent: the kind of the list, the mapping (`map_N`), the consent mark.
#[derive(Clone, Debug, Default)]
pub struct ImportInput {
    pub kind: String,
    pub params: HashMap<String, String>,
    pub consent: bool,
    pub consent_date: String,
    pub document_ref: String,
}

/// What [`import_list`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Imported {
    Done {
        added: usize,
        skipped: usize,
    },
    /// The upload was imported already (by this request's twin, or before).
    Already,
}

/// Imports the rows of an upload that are neither broken nor in the base already (a curator's):
/// `mapping` refused without a name column, `consent_date` when consents are marked without a
/// date up to today. Audited with the counts.
pub async fn import_list(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    upload_id: Uuid,
    input: &ImportInput,
) -> Result<Imported, Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let Some(c) = check(&mut *conn, by.org.id, upload_id, &input.params).await? else {
        return Ok(Imported::Already);
    };
    if !import::mapping_usable(&c.mapping) {
        return Err(Refused::field(
            "mapping",
            "Укажите, в каком столбце ФИО (или фамилия и имя).",
        ));
    }
    let consent_date = parse_date(&input.consent_date).filter(|d| *d <= by.today());
    if input.consent && consent_date.is_none() {
        return Err(Refused::field(
            "consent_date",
            "Укажите дату, когда собраны согласия.",
        ));
    }
    let kind = if model::is_kind(&input.kind) {
        input.kind.as_str()
    } else {
        "pupil"
    };
    let rows: Vec<&import::RowResult> = c.rows.iter().filter(|r| r.importable()).collect();
    if !repo::mark_imported(&mut *conn, by.org.id, upload_id).await? {
        return Ok(Imported::Already);
    }
    let ids = repo::insert_many(&mut *conn, by.org.id, kind, &rows, input.consent).await?;
    crate::failpoint::pause("import").await;
    if let (true, Some(date)) = (input.consent, consent_date) {
        repo::consents_for(
            &mut *conn,
            by.org.id,
            &ids,
            by.user_id,
            date,
            input.document_ref.trim(),
        )
        .await?;
    }
    let skipped = c.rows.len() - rows.len();
    crate::audit::record(
        &mut *conn,
        by,
        "import",
        None,
        &format!(
            "файл «{}»: добавлено {}, пропущено {}{}",
            c.filename,
            ids.len(),
            skipped,
            if input.consent {
                ", с отметкой о согласиях"
            } else {
                ""
            }
        ),
    )
    .await?;
    Ok(Imported::Done {
        added: ids.len(),
        skipped,
    })
}
