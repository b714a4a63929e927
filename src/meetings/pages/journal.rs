//! The mentor's journal of a pair as XLSX: дата, вид встречи, тема и содержание, форма,
//! результат, длительность, подпись (blank, for the printout).

use axum::response::Response;

use super::pair_for;
use crate::error::{AppError, AppResult};
use crate::meetings::{model, repo};
use crate::tenancy::OrgCtx;
use crate::web::forms::ru_date;
use crate::web::ids::PairId;

/// «Тема и содержание» as the journal keeps it.
pub(super) fn journal_content(m: &repo::Meeting) -> String {
    [m.topic.as_str(), m.goal.as_str(), m.done.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(". ")
}

/// The journal as XLSX: дата, вид встречи, тема и содержание, форма, результат, длительность,
/// подпись (blank, for the printout).
pub async fn journal_xlsx(org: OrgCtx, PairId(pair): PairId) -> AppResult<Response> {
    let (row, _) = pair_for(&org, pair).await?;
    let mut conn = org.conn().await?;
    let meetings = repo::of_pair(&mut conn, org.org.id, row.id).await?;
    crate::audit::record(
        &mut conn,
        &org,
        "export",
        None,
        &format!("журнал встреч пары {}", row.id),
    )
    .await?;
    drop(conn);
    let rows: Vec<Vec<String>> = meetings
        .iter()
        .rev()
        .map(|m| {
            vec![
                ru_date(m.held_on),
                model::kind_label(&m.kind).to_string(),
                journal_content(m),
                model::format_label(&m.format).to_string(),
                m.result.clone(),
                model::minutes(m.starts_at, m.ends_at)
                    .map(|n| format!("{n} мин"))
                    .unwrap_or_default(),
                String::new(),
            ]
        })
        .collect();
    let bytes = crate::web::blocking(move || {
        crate::web::xlsx::table(
            &[
                "Дата",
                "Вид встречи",
                "Тема и содержание",
                "Форма",
                "Результат",
                "Длительность",
                "Подпись",
            ],
            &[12.0, 24.0, 50.0, 12.0, 40.0, 14.0, 16.0],
            &rows,
        )
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?
    .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(crate::web::xlsx::download("journal.xlsx", bytes))
}
