//! Numeric answers for other domains (monitoring takes a parameter's values from them): the
//! organization's scale and number questions, the sendings of the questionnaires that hold them,
//! and one sending's submitted numbers for a question.

use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

use super::model::{Definition, Kind, Raw, parse_number};
pub use super::repo::Assignment;

/// A scale or number question of a questionnaire's current version.
#[derive(Clone, Debug)]
pub struct NumericQuestion {
    pub questionnaire_id: Uuid,
    pub questionnaire: String,
    pub key: String,
    pub text: String,
}

/// Every scale and number question of the organization's questionnaires (current versions).
pub async fn numeric_questions(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<NumericQuestion>, sqlx::Error> {
    let rows: Vec<(Uuid, String, Json<Definition>)> = sqlx::query!(
        r#"SELECT q.id AS "c0!", q.title AS "c1!", v.definition AS "c2!: Json<Definition>" FROM questionnaires q
           JOIN LATERAL (SELECT definition FROM questionnaire_versions
                          WHERE questionnaire_id = q.id ORDER BY number DESC LIMIT 1) v ON true
          WHERE q.org_id = $1 ORDER BY q.template_code = '', q.created_at"#,
        org_id,
    ).map(|r| (r.c0, r.c1, r.c2))
    .fetch_all(conn)
    .await?;
    let mut out = Vec::new();
    for (id, title, def) in rows {
        out.extend(
            def.0
                .questions()
                .filter(|x| matches!(x.kind(), Kind::Scale | Kind::Number))
                .map(|x| NumericQuestion {
                    questionnaire_id: id,
                    questionnaire: title.clone(),
                    key: x.key.clone(),
                    text: x.text.clone(),
                }),
        );
    }
    Ok(out)
}

/// The sendings of the given questionnaires, newest first.
pub async fn sendings(
    conn: &mut PgConnection,
    org_id: Uuid,
    questionnaires: &[Uuid],
) -> Result<Vec<Assignment>, sqlx::Error> {
    super::repo::assignments_of_many(conn, org_id, questionnaires).await
}

/// One sending of the organization (None when it is not theirs).
pub async fn sending(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<Assignment>, sqlx::Error> {
    super::repo::assignment(conn, org_id, id).await
}

/// The submitted answers of a sending: (person, raw answers).
pub async fn submitted(
    conn: &mut PgConnection,
    org_id: Uuid,
    assignment_id: Uuid,
) -> Result<Vec<(Uuid, Raw)>, sqlx::Error> {
    let rows: Vec<(Uuid, Json<Raw>)> = sqlx::query!(
        r#"SELECT person_id AS "c0!", answers AS "c1!: Json<Raw>" FROM responses
          WHERE org_id = $1 AND assignment_id = $2 AND status = 'submitted'"#,
        org_id,
        assignment_id,
    )
    .map(|r| (r.c0, r.c1))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(p, a)| (p, a.0)).collect())
}

/// The answers to a built-in questionnaire within a program: how many were asked and answered,
/// and the mean of each scale question (question, mean, answers).
pub struct ScaleSummary {
    pub asked: i64,
    pub answered: i64,
    pub means: Vec<(String, Option<f64>, usize)>,
}

/// Sums up the scale questions of the built-in questionnaire `template` given in a program.
pub async fn scale_summary(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    template: &str,
) -> Result<Option<ScaleSummary>, sqlx::Error> {
    let Some(cur) = super::repo::template(&mut *conn, org_id, template).await? else {
        return Ok(None);
    };
    let (asked,): (i64,) = sqlx::query!(
        r#"SELECT count(DISTINCT t.person_id) AS "v!" FROM assignment_targets t
           JOIN assignments a ON a.id = t.assignment_id
          WHERE a.org_id = $1 AND a.program_id = $2 AND a.questionnaire_id = $3"#,
        org_id,
        program_id,
        cur.id,
    )
    .map(|r| (r.v,))
    .fetch_one(&mut *conn)
    .await?;
    let rows: Vec<(Json<Raw>,)> = sqlx::query!(
        r#"SELECT r.answers AS "v!: Json<Raw>" FROM responses r JOIN assignments a ON a.id = r.assignment_id
          WHERE a.org_id = $1 AND a.program_id = $2 AND a.questionnaire_id = $3
            AND r.status = 'submitted' LIMIT 20000"#,
        org_id,
        program_id,
        cur.id,
    ).map(|r| (r.v,))
    .fetch_all(conn)
    .await?;
    let means = cur
        .def
        .questions()
        .filter(|q| q.kind() == Kind::Scale)
        .map(|q| {
            let vals: Vec<f64> = rows.iter().filter_map(|r| number(&r.0.0, &q.key)).collect();
            let mean = (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64);
            (q.text.clone(), mean, vals.len())
        })
        .collect();
    Ok(Some(ScaleSummary {
        asked,
        answered: rows.len() as i64,
        means,
    }))
}

/// The satisfaction questionnaires submitted in a period, over the organization: the mean of
/// every scale answer as a share of its scale (0–1), the number of questionnaires answered.
pub async fn satisfaction_between(
    conn: &mut PgConnection,
    org_id: Uuid,
    (from, to): (chrono::NaiveDate, chrono::NaiveDate),
) -> Result<(Option<f64>, usize), sqlx::Error> {
    let rows: Vec<(Json<Definition>, Json<Raw>)> = sqlx::query!(
        r#"SELECT v.definition AS "c0!: Json<Definition>", r.answers AS "c1!: Json<Raw>" FROM responses r
           JOIN assignments a ON a.id = r.assignment_id
           JOIN questionnaires q ON q.id = a.questionnaire_id
           JOIN questionnaire_versions v ON v.id = r.version_id
          WHERE r.org_id = $1 AND q.purpose = 'satisfaction' AND r.status = 'submitted'
            AND r.submitted_at::date BETWEEN $2 AND $3"#,
        org_id,
        from,
        to,
    ).map(|r| (r.c0, r.c1))
    .fetch_all(conn)
    .await?;
    let (mut sum, mut n) = (0.0, 0usize);
    for (def, raw) in &rows {
        for q in def.0.questions().filter(|q| q.kind() == Kind::Scale) {
            if let Some(v) = number(&raw.0, &q.key) {
                sum += v / f64::from(q.scale_max.max(1));
                n += 1;
            }
        }
    }
    Ok(((n > 0).then(|| sum / n as f64), rows.len()))
}

/// The number a person gave to a question («4,5» reads as 4.5); None when unanswered or not a number.
pub fn number(answers: &Raw, key: &str) -> Option<f64> {
    answers
        .get(key)
        .and_then(|v| v.first())
        .and_then(|s| parse_number(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_number_with_a_comma_and_ignores_words() {
        let mut raw = Raw::new();
        raw.insert("q1".into(), vec!["4,5".into()]);
        raw.insert("q2".into(), vec!["пять".into()]);
        raw.insert("q3".into(), vec![]);
        assert_eq!(number(&raw, "q1"), Some(4.5));
        assert_eq!(number(&raw, "q2"), None);
        assert_eq!(number(&raw, "q3"), None);
        assert_eq!(number(&raw, "q9"), None);
    }
}
