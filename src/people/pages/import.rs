//! Import of a class or staff list: upload (parsed off the async threads within caps), the
//! preview of every row with the column mapping, the confirmed import in one transaction.

use axum::extract::Multipart;

use super::super::import::{self, Field};
use super::super::lists;
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
    let id = lists::keep_upload(&mut conn, &org.actor(), &got.file_name, &table).await?;
    Ok(axum::response::Redirect::to(&org.paths().import_preview(id, &kind)).into_response())
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
    let mut conn = org.conn().await?;
    let Some(c) = lists::check(&mut conn, org.org.id, id, &params).await? else {
        return Ok(org.flash_error(&org.paths().import(), lists::ALREADY_IMPORTED));
    };
    drop(conn);
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
    let params: HashMap<String, String> = data.0.iter().cloned().collect();
    let input = lists::ImportInput {
        kind: params
            .get("kind")
            .filter(|k| model::is_kind(k))
            .cloned()
            .unwrap_or_else(|| "pupil".into()),
        consent: !form.consent.is_empty(),
        consent_date: form.consent_date,
        document_ref: form.document_ref,
        params,
    };
    let mut tx = org.begin().await?;
    match lists::import_list(&mut tx, &org.actor(), id, &input).await {
        Ok(lists::Imported::Done { added, skipped }) => {
            tx.commit().await?;
            let base = if model::is_learner(&input.kind) {
                "mentee"
            } else {
                "mentor"
            };
            Ok(org.flash(
                &org.paths().people_query(&format!("base={base}&sort=new")),
                &format!(
                    "Импорт завершён: добавлено {added}, пропущено {skipped} (уже были в базе \
                     или с ошибками)."
                ),
            ))
        }
        Ok(lists::Imported::Already) => {
            Ok(org.flash_error(&org.paths().people(), lists::ALREADY_IMPORTED))
        }
        Err(Refused::Invalid(e)) => {
            Ok(org.flash_error(&org.paths().import_preview(id, &input.kind), &e.first()))
        }
        Err(Refused::Failed(e)) => Err(e),
    }
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
