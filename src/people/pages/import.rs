//! Import of a class or staff list: upload (parsed off the async threads within caps), the
//! preview of every row with the column mapping, the confirmed import in one transaction.

use axum::extract::Multipart;

use super::super::import::{self, Field};
use super::*;
use crate::web::ids::Id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ImportForm {
    pub consent: String,
    pub consent_date: String,
    pub document_ref: String,
}

fn kind_opts(selected: &str) -> Vec<Choice> {
    crate::web::forms::choices(&model::KINDS, selected)
}

pub async fn import_page(org: OrgCtx) -> AppResult<ImportPage> {
    org.require_any(&[Role::Curator])?;
    Ok(ImportPage {
        ctx: org.page("Импорт из файла", "people"),
        error: String::new(),
        kinds: kind_opts("pupil"),
    })
}

fn import_error(org: &OrgCtx, kind: &str, msg: String) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        ImportPage {
            ctx: org.page("Импорт из файла", "people"),
            error: msg,
            kinds: kind_opts(kind),
        },
    )
        .into_response()
}

pub async fn upload(org: OrgCtx, mut multipart: Multipart) -> AppResult<Response> {
    org.require_any(&[Role::Curator])?;
    let kind_of = |fields: &HashMap<String, String>| {
        fields
            .get("kind")
            .filter(|k| model::is_kind(k))
            .cloned()
            .unwrap_or_else(|| "pupil".into())
    };
    let got = match crate::people::upload::receive(&mut multipart).await {
        Ok(got) => got,
        Err((e, fields)) => return Ok(import_error(&org, &kind_of(&fields), e.to_string())),
    };
    let kind = kind_of(&got.fields);
    // Parsed once: the preview and the import read the rows kept here, never the file again.
    let table = match crate::people::upload::parse(&org.state, got.bytes).await? {
        Ok(t) => t,
        Err(e) => return Ok(import_error(&org, &kind, e.to_string())),
    };
    let mut conn = org.conn().await?;
    // Lists not imported are deleted within a day at most (see `repo::drop_stale_uploads`).
    repo::drop_stale_uploads(&mut conn).await?;
    let parsed = serde_json::to_value(&table).map_err(AppError::internal)?;
    let id = repo::save_upload(&mut conn, org.org.id, org.user.id, &got.file_name, &parsed).await?;
    Ok(axum::response::Redirect::to(&org.paths().import_preview(id, &kind)).into_response())
}

/// The mapping from `map_N` parameters, or recognised from the headers.
fn mapping_from(params: &HashMap<String, String>, headers: &[String]) -> Vec<Option<Field>> {
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

struct Checked {
    filename: String,
    table: import::Table,
    mapping: Vec<Option<Field>>,
    rows: Vec<import::RowResult>,
}

const ALREADY_IMPORTED: &str = "Этот файл уже импортирован; сам файл удалён с сервера. Чтобы добавить список ещё раз, загрузите его заново — уже добавленные люди не задвоятся.";

async fn check(
    org: &OrgCtx,
    raw_id: Uuid,
    params: &HashMap<String, String>,
) -> AppResult<Option<(Uuid, Checked)>> {
    let id = raw_id;
    let mut conn = org.conn().await?;
    let (filename, parsed, imported_at) = repo::upload(&mut conn, org.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    // An imported list's rows are gone (deleted at import).
    let Some(parsed) = parsed.filter(|_| imported_at.is_none()) else {
        return Ok(None);
    };
    drop(conn);
    let table: import::Table = serde_json::from_value(parsed).map_err(AppError::internal)?;
    let mut conn = org.conn().await?;
    let mapping = mapping_from(params, &table.headers);
    let existing = repo::existing_keys(&mut conn, org.org.id).await?;
    let rows = import::check_rows(&table, &mapping, &existing, Utc::now().date_naive());
    Ok(Some((
        id,
        Checked {
            filename,
            table,
            mapping,
            rows,
        },
    )))
}

/// Rows listed in the preview, by kind: every problem up to this many, then samples.
const SHOWN_ERRORS: usize = 1000;
const SHOWN_DUPLICATES: usize = 200;
const SHOWN_NEW: usize = 200;

pub async fn preview(
    org: OrgCtx,
    Id(id): Id,
    Query(params): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    org.require_any(&[Role::Curator])?;
    let started = std::time::Instant::now();
    let Some((id, c)) = check(&org, id, &params).await? else {
        return Ok(org.flash_error(&org.paths().import(), ALREADY_IMPORTED));
    };
    crate::audit::read(
        &org.state.pool,
        &org,
        "import.preview",
        None,
        &format!("файл {id}"),
    )
    .await?;
    let kind = params
        .get("kind")
        .filter(|k| model::is_kind(k))
        .cloned()
        .unwrap_or_else(|| "pupil".into());
    let columns = c
        .table
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| ColumnMap {
            index: i,
            header: if h.is_empty() {
                format!("столбец {}", i + 1)
            } else {
                h.clone()
            },
            options: Field::ALL
                .iter()
                .map(|f| Choice {
                    value: f.code().to_string(),
                    label: f.label().to_string(),
                    selected: c.mapping.get(i).copied().flatten() == Some(*f),
                })
                .collect(),
        })
        .collect();
    let personal = [
        Field::BirthDate,
        Field::Email,
        Field::Phone,
        Field::Subjects,
        Field::Position,
        Field::Notes,
    ];
    let has_personal_columns = c.mapping.iter().flatten().any(|f| personal.contains(f));
    let total = c.rows.len();
    let broken = c.rows.iter().filter(|r| !r.problems.is_empty()).count();
    let duplicates = c.rows.iter().filter(|r| r.duplicate).count();
    let mut rows: Vec<PreviewRow> = c
        .rows
        .iter()
        .map(|r| PreviewRow {
            line: r.line,
            name: [
                r.last_name.as_str(),
                r.first_name.as_str(),
                r.middle_name.as_str(),
            ]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
            birth: r.birth_date.map(ru_date).unwrap_or_default(),
            class_name: r.class_name.clone(),
            email: r.email.clone(),
            state: if !r.problems.is_empty() {
                "error"
            } else if r.duplicate {
                "duplicate"
            } else {
                "new"
            },
            problems: r.problems.join("; "),
        })
        .collect();
    // The problems first; of a long list the rows that will simply be added are only sampled
    // (a 5,000-row class list was 1.3 MB of HTML).
    let order = |s: &str| match s {
        "error" => 0,
        "duplicate" => 1,
        _ => 2,
    };
    rows.sort_by_key(|r| (order(r.state), r.line));
    let mut shown = [0usize; 3];
    rows.retain(|r| {
        let k = order(r.state);
        shown[k] += 1;
        shown[k] <= [SHOWN_ERRORS, SHOWN_DUPLICATES, SHOWN_NEW][k]
    });
    let hidden = total - rows.len();
    Ok(PreviewPage {
        hidden,
        ctx: org.page("Проверка файла", "people"),
        upload_id: id.to_string(),
        filename: c.filename,
        kind_label: model::kind_label(&kind),
        kind,
        columns,
        usable: import::mapping_usable(&c.mapping),
        rows,
        total,
        new_rows: total - broken - duplicates,
        duplicates,
        broken,
        has_personal_columns,
        today: Utc::now().date_naive().to_string(),
        millis: started.elapsed().as_millis(),
    }
    .into_response())
}

pub async fn confirm(
    org: OrgCtx,
    Id(id): Id,
    crate::web::forms::FormAnd(form, data): crate::web::forms::FormAnd<ImportForm>,
) -> AppResult<Response> {
    org.require_any(&[Role::Curator])?;
    let params: HashMap<String, String> = data.0.iter().cloned().collect();
    let Some((upload_id, c)) = check(&org, id, &params).await? else {
        return Ok(org.flash_error(&org.paths().people(), ALREADY_IMPORTED));
    };
    let kind = params
        .get("kind")
        .filter(|k| model::is_kind(k))
        .cloned()
        .unwrap_or_else(|| "pupil".into());
    let back = org.paths().import_preview(upload_id, &kind);
    if !import::mapping_usable(&c.mapping) {
        return Ok(org.flash_error(&back, "Укажите, в каком столбце ФИО (или фамилия и имя)."));
    }
    let consent = !form.consent.clone().is_empty();
    let consent_date =
        parse_date(&form.consent_date.clone()).filter(|d| *d <= Utc::now().date_naive());
    if consent && consent_date.is_none() {
        return Ok(org.flash_error(&back, "Укажите дату, когда собраны согласия."));
    }
    let rows: Vec<&import::RowResult> = c.rows.iter().filter(|r| r.importable()).collect();
    let mut tx = org.begin().await?;
    if !repo::mark_imported(&mut tx, org.org.id, upload_id).await? {
        return Ok(org.flash_error(&org.paths().people(), "Этот файл уже импортирован."));
    }
    let ids = repo::insert_many(&mut tx, org.org.id, &kind, &rows, consent).await?;
    crate::failpoint::pause("import").await;
    if let (true, Some(date)) = (consent, consent_date) {
        repo::consents_for(
            &mut tx,
            org.org.id,
            &ids,
            org.user.id,
            date,
            form.document_ref.clone().trim(),
        )
        .await?;
    }
    let skipped = c.rows.len() - rows.len();
    crate::audit::record(
        &mut tx,
        &org,
        "import",
        None,
        &format!(
            "файл «{}»: добавлено {}, пропущено {}{}",
            c.filename,
            ids.len(),
            skipped,
            if consent {
                ", с отметкой о согласиях"
            } else {
                ""
            }
        ),
    )
    .await?;
    tx.commit().await?;
    let base = if matches!(kind.as_str(), "pupil" | "student") {
        "mentee"
    } else {
        "mentor"
    };
    Ok(org.flash(
        &org.paths().people_query(&format!("base={base}&sort=new")),
        &format!(
            "Импорт завершён: добавлено {}, пропущено {} (уже были в базе или с ошибками).",
            ids.len(),
            skipped
        ),
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "people/import.html")]
pub struct ImportPage {
    pub ctx: PageCtx,
    pub error: String,
    pub kinds: Vec<Choice>,
}

pub struct PreviewRow {
    pub line: usize,
    pub name: String,
    pub birth: String,
    pub class_name: String,
    pub email: String,
    pub state: &'static str,
    pub problems: String,
}

pub struct ColumnMap {
    pub index: usize,
    pub header: String,
    pub options: Vec<Choice>,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/preview.html")]
pub struct PreviewPage {
    pub ctx: PageCtx,
    pub upload_id: String,
    pub filename: String,
    pub kind: String,
    pub kind_label: &'static str,
    pub columns: Vec<ColumnMap>,
    pub usable: bool,
    pub rows: Vec<PreviewRow>,
    /// Rows not listed (beyond the samples of each kind; all are counted above and imported).
    pub hidden: usize,
    pub total: usize,
    pub new_rows: usize,
    pub duplicates: usize,
    pub broken: usize,
    pub has_personal_columns: bool,
    pub today: String,
    pub millis: u128,
}
