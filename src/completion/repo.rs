//! Every query on `pair_results`.

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Results {
    pub ended_on: NaiveDate,
    pub early: bool,
    pub early_reason: String,
    pub results: String,
    pub links: String,
    pub goals_reached: String,
    pub decision: String,
    pub mentor_report: String,
    pub mentee_report: String,
}

pub async fn of_pair(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
) -> Result<Option<Results>, sqlx::Error> {
    sqlx::query_as(
        "SELECT ended_on, early, early_reason, results, links, goals_reached, decision,
                mentor_report, mentee_report
           FROM pair_results WHERE org_id = $1 AND pair_id = $2",
    )
    .bind(org_id)
    .bind(pair_id)
    .fetch_optional(conn)
    .await
}

pub async fn insert(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
    r: &Results,
    by: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pair_results (pair_id, org_id, ended_on, early, early_reason, results, links,
                                   goals_reached, decision, mentor_report, mentee_report, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(pair_id)
    .bind(org_id)
    .bind(r.ended_on)
    .bind(r.early)
    .bind(&r.early_reason)
    .bind(&r.results)
    .bind(&r.links)
    .bind(&r.goals_reached)
    .bind(&r.decision)
    .bind(&r.mentor_report)
    .bind(&r.mentee_report)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// A side writes (or rewrites) their final report after the completion.
pub async fn set_report(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
    mentor: bool,
    text: &str,
) -> Result<bool, sqlx::Error> {
    let sql = if mentor {
        "UPDATE pair_results SET mentor_report = $3 WHERE org_id = $1 AND pair_id = $2"
    } else {
        "UPDATE pair_results SET mentee_report = $3 WHERE org_id = $1 AND pair_id = $2"
    };
    Ok(sqlx::query(sql)
        .bind(org_id)
        .bind(pair_id)
        .bind(text)
        .execute(conn)
        .await?
        .rows_affected()
        == 1)
}
