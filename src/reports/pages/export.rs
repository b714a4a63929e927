//! The indicators and the counts by form as XLSX (`/o/{org}/reports/indicators.xlsx`, with the
//! period's query): the same numbers as the dashboard, typed (counts as numbers, shares as
//! percent), a frozen header row.

use std::collections::HashMap;

use axum::extract::Query;
use axum::response::Response;

use super::period_label;
use crate::error::AppResult;
use crate::reports::{self, model};
use crate::tenancy::OrgCtx;
use crate::web::xlsx::{Cell, Sheet};

/// The sheets of the indicators for a period (also a part of «Выгрузить всё»).
pub fn sheets(
    period: &model::Period,
    indicators: &[model::Indicator],
    ms: &[model::Membership],
) -> Vec<Sheet> {
    let label = period_label(period);
    vec![
        Sheet {
            name: "Показатели".into(),
            headers: vec![
                ("Показатель", 48.0),
                ("Период", 24.0),
                ("Числитель", 12.0),
                ("Знаменатель", 12.0),
                ("Доля", 10.0),
                ("Цель", 10.0),
                ("Нет данных", 12.0),
            ],
            rows: indicators
                .iter()
                .map(|i| {
                    vec![
                        Cell::from(i.title),
                        Cell::from(label.clone()),
                        Cell::Int(i.numerator() as i64),
                        Cell::Int(i.denominator() as i64),
                        i.share().map(Cell::Percent).unwrap_or(Cell::Empty),
                        i.target.map(Cell::Percent).unwrap_or(Cell::Empty),
                        Cell::Int(i.missing.len() as i64),
                    ]
                })
                .collect(),
        },
        Sheet {
            name: "По формам".into(),
            headers: vec![
                ("Форма", 30.0),
                ("Вариант", 36.0),
                ("Наставников", 12.0),
                ("Наставляемых", 13.0),
                ("Пар", 8.0),
                ("Групп", 8.0),
            ],
            rows: model::by_form(ms, period)
                .into_iter()
                .map(|f| {
                    vec![
                        Cell::from(f.form),
                        Cell::from(f.variant),
                        Cell::Int(f.mentors as i64),
                        Cell::Int(f.mentees as i64),
                        Cell::Int(f.pairs as i64),
                        Cell::Int(f.groups as i64),
                    ]
                })
                .collect(),
        },
    ]
}

pub async fn indicators_xlsx(
    org: OrgCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    org.require_staff()?;
    let p = reports::period_of(&q, org.org.today());
    let mut conn = org.read_conn().await?;
    let (indicators, ms) = reports::indicators(&mut conn, org.org.id, &p).await?;
    drop(conn);
    let bytes = crate::web::xlsx::build(sheets(&p, &indicators, &ms)).await?;
    Ok(crate::web::xlsx::download("indicators.xlsx", bytes))
}
