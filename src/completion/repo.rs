//! Every query on `pair_results`.

use super::model::{Decision, EarlyReason, Reached};
use crate::people::Side;
use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Results {
    pub ended_on: NaiveDate,
    pub early: bool,
    pub early_reason: Option<EarlyReason>,
    pub results: String,
    pub links: String,
    pub goals_reached: Reached,
    pub decision: Decision,
    pub mentor_report: String,
    pub mentee_report: String,
}

pub async fn of_pair(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
) -> Result<Option<Results>, sqlx::Error> {
    sqlx::query_as!(
        Results,
        r#"SELECT ended_on AS "ended_on!", early AS "early!", NULLIF(early_reason, '') AS "early_reason: EarlyReason", results AS "results!", links AS "links!", goals_reached AS "goals_reached!: Reached", decision AS "decision!: Decision",
                mentor_report AS "mentor_report!", mentee_report AS "mentee_report!"
           FROM pair_results WHERE org_id = $1 AND pair_id = $2"#,
        org_id,
        pair_id,
    )
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
    sqlx::query!(
        "INSERT INTO pair_results (pair_id, org_id, ended_on, early, early_reason, results, links,
                                   goals_reached, decision, mentor_report, mentee_report, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        pair_id,
        org_id,
        r.ended_on,
        r.early,
        r.early_reason.map_or("", EarlyReason::code),
        &r.results,
        &r.links,
        r.goals_reached.code(),
        r.decision.code(),
        &r.mentor_report,
        &r.mentee_report,
        by,
    )
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
    let done = if mentor {
        sqlx::query!(
            "UPDATE pair_results SET mentor_report = $3 WHERE org_id = $1 AND pair_id = $2",
            org_id,
            pair_id,
            text,
        )
        .execute(conn)
        .await?
    } else {
        sqlx::query!(
            "UPDATE pair_results SET mentee_report = $3 WHERE org_id = $1 AND pair_id = $2",
            org_id,
            pair_id,
            text,
        )
        .execute(conn)
        .await?
    };
    Ok(done.rows_affected() == 1)
}

/// Every mentor of a program with their completed pairs: (mentor, name, completed, goals reached
/// yes/mostly) — candidates for «лучшие наставники» even before anyone rated them.
pub async fn mentors_with_results(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<(Uuid, String, i64, i64)>, sqlx::Error> {
    let mut mentors: Vec<Uuid> = crate::participants::enrolled(&mut *conn, org_id, program_id)
        .await?
        .into_iter()
        .filter(|e| e.1 == Side::Mentor)
        .map(|e| e.0)
        .collect();
    mentors.dedup();
    let pairs = crate::pairing::mentors_of_pairs(&mut *conn, org_id, program_id).await?;
    let ids: Vec<Uuid> = pairs.iter().map(|p| p.0).collect();
    let results: std::collections::HashMap<Uuid, bool> = sqlx::query!(
        r#"SELECT pair_id, goals_reached IN ('yes', 'mostly') AS "good!" FROM pair_results
            WHERE org_id = $1 AND pair_id = ANY($2)"#,
        org_id,
        &ids,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.pair_id, r.good))
    .collect();
    let cards = crate::people::cards(conn, org_id, &mentors).await?;
    let mut out: Vec<(&crate::people::Card, i64, i64)> = mentors
        .iter()
        .filter_map(|m| {
            let done: Vec<bool> = pairs
                .iter()
                .filter(|p| p.1 == *m)
                .filter_map(|p| results.get(&p.0).copied())
                .collect();
            let good = done.iter().filter(|g| **g).count() as i64;
            Some((cards.get(m)?, done.len() as i64, good))
        })
        .collect();
    out.sort_by_key(|o| o.0.sort_key());
    Ok(out
        .into_iter()
        .map(|(c, done, good)| (c.id, c.short_name(), done, good))
        .collect())
}

/// The program's nominations: (mentor, reason, confirmed).
pub async fn best(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<(Uuid, String, bool)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT person_id AS "c0!", reason AS "c1!", confirmed_at IS NOT NULL AS "c2!" FROM best_mentors
          WHERE org_id = $1 AND program_id = $2 ORDER BY nominated_at"#,
        org_id,
        program_id,
    ).map(|r| (r.c0, r.c1, r.c2))
    .fetch_all(conn)
    .await
}

pub async fn nominate(
    conn: &mut PgConnection,
    org_id: Uuid,
    (program_id, person_id): (Uuid, Uuid),
    reason: &str,
    by: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO best_mentors (program_id, org_id, person_id, reason, nominated_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (program_id, person_id) DO UPDATE SET reason = EXCLUDED.reason
          WHERE best_mentors.confirmed_at IS NULL",
        program_id,
        org_id,
        person_id,
        reason,
        by,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Confirms (the director) or withdraws (the curator, while unconfirmed) a nomination.
pub async fn decide_best(
    conn: &mut PgConnection,
    org_id: Uuid,
    (program_id, person_id): (Uuid, Uuid),
    confirm: Option<Uuid>,
) -> Result<bool, sqlx::Error> {
    let q = match confirm {
        Some(by) => sqlx::query!(
            "UPDATE best_mentors SET confirmed_by = $4, confirmed_at = now()
              WHERE org_id = $1 AND program_id = $2 AND person_id = $3 AND confirmed_at IS NULL",
            org_id,
            program_id,
            person_id,
            by,
        ),
        None => sqlx::query!(
            "DELETE FROM best_mentors
              WHERE org_id = $1 AND program_id = $2 AND person_id = $3 AND confirmed_at IS NULL",
            org_id,
            program_id,
            person_id,
        ),
    };
    Ok(q.execute(conn).await?.rows_affected() == 1)
}

/// A case of the library.
#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct Case {
    pub id: Uuid,
    pub program_id: Option<Uuid>,
    pub title: String,
    pub problem: String,
    pub done: String,
    pub result: String,
    pub quotes: String,
    pub consented: bool,
    pub published: bool,
    /// Published and its text checked for the organization's people's names at the last save
    /// (none found, or each confirmed): only then does the territory see it.
    pub names_checked: bool,
}

/// The organization's people (with their data) whose surname is a word of `text`: shown to the
/// curator before a case is published, each to be removed or confirmed as consenting.
pub async fn names_in_text(
    conn: &mut PgConnection,
    org_id: Uuid,
    text: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic() && c != '-')
        .filter(|w| w.chars().count() >= 3)
        .map(|w| w.to_lowercase().replace('ё', "е"))
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    crate::people::named_by_surname(conn, org_id, &words).await
}

pub async fn cases(conn: &mut PgConnection, org_id: Uuid) -> Result<Vec<Case>, sqlx::Error> {
    sqlx::query_as!(
        Case,
        r#"SELECT id AS "id!", program_id AS "program_id?", title AS "title!", problem AS "problem!", done AS "done!", result AS "result!", quotes AS "quotes!", consented AS "consented!", published AS "published!",
        names_checked AS "names_checked!" FROM cases WHERE org_id = $1 ORDER BY published DESC, updated_at DESC LIMIT 500"#,
        org_id,
    )
    .fetch_all(conn)
    .await
}

pub async fn case(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<Case>, sqlx::Error> {
    sqlx::query_as!(
        Case,
        r#"SELECT id AS "id!", program_id AS "program_id?", title AS "title!", problem AS "problem!", done AS "done!", result AS "result!", quotes AS "quotes!", consented AS "consented!", published AS "published!",
        names_checked AS "names_checked!" FROM cases WHERE org_id = $1 AND id = $2"#,
        org_id,
        id,
    )
    .fetch_optional(conn)
    .await
}

/// Saves a case (a new one when `c.id` is nil); returns its id.
pub async fn save_case(
    conn: &mut PgConnection,
    org_id: Uuid,
    c: &Case,
    by: Uuid,
) -> Result<Uuid, sqlx::Error> {
    if c.id.is_nil() {
        sqlx::query_scalar!(
            r#"INSERT INTO cases (org_id, program_id, title, problem, done, result, quotes, consented, published,
                                created_by, names_checked)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id AS "v!""#,
            org_id,
            c.program_id,
            &c.title,
            &c.problem,
            &c.done,
            &c.result,
            &c.quotes,
            c.consented,
            c.published,
            by,
            c.names_checked,
        )
        .fetch_one(conn)
        .await
    } else {
        sqlx::query!(
            "UPDATE cases SET program_id = $3, title = $4, problem = $5, done = $6, result = $7,
                    quotes = $8, consented = $9, published = $10, names_checked = $11,
                    updated_at = now()
              WHERE org_id = $1 AND id = $2",
            org_id,
            c.id,
            c.program_id,
            &c.title,
            &c.problem,
            &c.done,
            &c.result,
            &c.quotes,
            c.consented,
            c.published,
            c.names_checked,
        )
        .execute(conn)
        .await?;
        Ok(c.id)
    }
}
