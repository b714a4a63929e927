//! The detailed reports: each a table for the organization under the same filters (period,
//! program, form, class), shown as a page and downloaded as the same table in XLSX; all of them
//! together make the «Выгрузить всё» workbook. Most are one SQL query (`queries`) whose columns
//! are read by their declared kind; activities and the mentors' hours expand the activities'
//! series through the activities domain (`activities`). Reports read the other domains' tables
//! and never write.

mod activities;
mod queries;

use chrono::NaiveDate;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::model::Period;
use crate::tenancy::Organization;
use crate::web::xlsx::{Cell, Sheet};

/// What a report is filtered by.
#[derive(Clone, Debug)]
pub struct Filters {
    pub period: Period,
    pub program: Option<Uuid>,
    pub form: Option<String>,
    pub class: Option<String>,
}

/// How a column is read and written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Text,
    Int,
    Number,
    Percent,
    Date,
}

/// A report as a table.
pub struct Table {
    pub code: &'static str,
    pub title: &'static str,
    pub headers: Vec<(&'static str, f64)>,
    pub rows: Vec<Vec<Cell>>,
    /// Rows of the whole report (`rows` may hold only the first of them: a page's view).
    pub total: usize,
}

impl Table {
    /// `total` set to the rows it holds.
    pub fn counted(mut self) -> Self {
        self.total = self.rows.len();
        self
    }

    pub fn sheet(&self) -> Sheet {
        Sheet {
            name: self.title.to_string(),
            headers: self.headers.clone(),
            rows: self.rows.clone(),
        }
    }
}

/// The reports: (code, title).
pub const REPORTS: [(&str, &str); 9] = [
    ("participants", "Участники"),
    ("pairs", "Пары и группы"),
    ("meetings", "Встречи"),
    ("activities", "Занятия и посещаемость"),
    ("hours", "Часы наставников"),
    ("questionnaires", "Анкеты"),
    ("monitoring", "Мониторинг"),
    ("roadmap", "Дорожные карты"),
    ("audit", "Журнал действий"),
];

pub fn title_of(code: &str) -> Option<&'static str> {
    REPORTS.iter().find(|r| r.0 == code).map(|r| r.1)
}

/// At most this many rows in one report (the page shows fewer).
pub const MAX_ROWS: i64 = 100_000;

fn cell(row: &PgRow, i: usize, kind: Kind) -> Cell {
    let got = match kind {
        Kind::Text => row
            .try_get::<Option<String>, _>(i)
            .map(|v| v.map(Cell::Text)),
        Kind::Int => row.try_get::<Option<i64>, _>(i).map(|v| v.map(Cell::Int)),
        Kind::Number => row
            .try_get::<Option<f64>, _>(i)
            .map(|v| v.map(Cell::Number)),
        Kind::Percent => row
            .try_get::<Option<f64>, _>(i)
            .map(|v| v.map(Cell::Percent)),
        Kind::Date => row
            .try_get::<Option<NaiveDate>, _>(i)
            .map(|v| v.map(Cell::Date)),
    };
    got.ok().flatten().unwrap_or(Cell::Empty)
}

/// Runs one of the SQL reports: every query starts from the filters' CTE `f`.
async fn sql_table(
    conn: &mut PgConnection,
    org: &Organization,
    f: &Filters,
    (code, sql, columns): (&'static str, String, &[(&'static str, Kind, f64)]),
    limit: i64,
) -> Result<Table, sqlx::Error> {
    let with_f = |sql: &str| {
        format!(
            "WITH f AS (SELECT $1::uuid AS org, $2::date AS d_from, $3::date AS d_to, $4::uuid AS program,
                           $5::text AS form, $6::text AS class, $7::date AS today,
                           $9::text AS tz)
         {sql}"
        )
    };
    let bound = |q: sqlx::query::Query<'static, sqlx::Postgres, sqlx::postgres::PgArguments>, n| {
        q.bind(org.id)
            .bind(f.period.from)
            .bind(f.period.to)
            .bind(f.program)
            .bind(f.form.as_deref().map(str::to_string))
            .bind(f.class.as_deref().map(str::to_string))
            .bind(org.today())
            .bind(n)
            .bind(org.time_zone.clone())
    };
    let rows = bound(sqlx::query(sqlx::AssertSqlSafe(with_f(&sql))), limit)
        .fetch_all(&mut *conn)
        .await?;
    // A page shows the first rows: the whole report is counted without computing its columns
    // (PostgreSQL drops the unused outputs of the subquery).
    let total = if (rows.len() as i64) < limit {
        rows.len()
    } else {
        let count = with_f(&format!("SELECT count(*) FROM ({sql}) AS whole"));
        let row = bound(sqlx::query(sqlx::AssertSqlSafe(count)), MAX_ROWS)
            .fetch_one(&mut *conn)
            .await?;
        row.try_get::<i64, _>(0).unwrap_or(0) as usize
    };
    Ok(Table {
        total,
        code,
        title: title_of(code).unwrap_or(code),
        headers: columns.iter().map(|c| (c.0, c.2)).collect(),
        rows: rows
            .iter()
            .map(|r| {
                columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| cell(r, i, c.1))
                    .collect()
            })
            .collect(),
    })
}

/// One report by its code (None for an unknown code).
pub async fn table(
    conn: &mut PgConnection,
    org: &Organization,
    f: &Filters,
    code: &str,
) -> Result<Option<Table>, sqlx::Error> {
    first_rows(conn, org, f, code, MAX_ROWS).await
}

/// A report with at most its first `limit` rows (and the count of all of them): a page's view.
pub async fn first_rows(
    conn: &mut PgConnection,
    org: &Organization,
    f: &Filters,
    code: &str,
    limit: i64,
) -> Result<Option<Table>, sqlx::Error> {
    Ok(Some(match code {
        "activities" | "hours" => {
            let mut t = if code == "activities" {
                activities::activities(conn, org, f).await?
            } else {
                activities::hours(conn, org, f).await?
            };
            t.rows.truncate(limit.max(0) as usize);
            t
        }
        _ => match queries::of(code) {
            Some(q) => {
                let mut t = sql_table(conn, org, f, q, limit).await?;
                if code == "audit" {
                    // The action in words, as the audit page shows it.
                    for row in &mut t.rows {
                        if let Some(Cell::Text(a)) = row.get(2).cloned() {
                            let label = crate::audit::action_label(&a);
                            if label != "действие" {
                                row[2] = Cell::from(label);
                            }
                        }
                    }
                }
                t
            }
            None => return Ok(None),
        },
    }))
}

/// Every report, for «Выгрузить всё».
pub async fn all(
    conn: &mut PgConnection,
    org: &Organization,
    f: &Filters,
) -> Result<Vec<Table>, sqlx::Error> {
    let mut out = Vec::new();
    for (code, _) in REPORTS {
        if let Some(t) = table(&mut *conn, org, f, code).await? {
            out.push(t);
        }
    }
    Ok(out)
}
