//! Monitoring in the demo: a program's mentee parameters from the template, both measurements for
//! most of its mentees (a few missing one), the values moving the way a working program moves
//! them; and, for timing, a program of `n` participants with `k` parameters measured twice.

use chrono::Utc;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::monitoring::{model, repo};
use crate::people::Side;

/// A deterministic spread in [0, 1) from two numbers.
fn noise(a: usize, b: usize) -> f64 {
    (((a * 7919 + b * 104_729) % 1000) as f64) / 1000.0
}

/// A program's mentee parameters (the template) and both measurements for most of its mentees.
pub(super) async fn program_monitoring(
    conn: &mut PgConnection,
    org_id: Uuid,
    program: Uuid,
    curator: Uuid,
) -> Result<(), anyhow::Error> {
    for (title, min, max, higher) in model::templates("student_student", Side::Mentee) {
        repo::add_parameter(
            conn,
            org_id,
            program,
            (Side::Mentee, title),
            (*min, *max, *higher),
        )
        .await?;
    }
    let params = repo::parameters(conn, org_id, program).await?;
    let people: Vec<repo::Person> = repo::people(conn, org_id, program)
        .await?
        .into_iter()
        .filter(|p| p.role == Side::Mentee && p.consent)
        .collect();
    for (i, p) in people.iter().enumerate() {
        for (j, x) in params.iter().enumerate() {
            let span = x.max_value - x.min_value;
            // Counts (absences over a term, olympiads) on their own scale; scores within theirs.
            let (before, gain) = if span > 20.0 {
                let base = if x.higher_is_better { 4.0 } else { 40.0 };
                let b = base * (0.2 + 0.8 * noise(i, j));
                (
                    b,
                    b * (if p.paired { 0.5 } else { 0.1 }) * (0.5 + noise(j, i)),
                )
            } else {
                let b = x.min_value + span * (0.25 + 0.35 * noise(i, j));
                (
                    b,
                    span * (if p.paired { 0.12 } else { 0.03 }) * (0.5 + noise(j, i)),
                )
            };
            // Those with a pair gain more; fewer absences is the good direction.
            let after = if x.higher_is_better {
                before + gain
            } else {
                before - gain
            }
            .clamp(x.min_value, x.max_value);
            let round = |v: f64| {
                if span > 20.0 {
                    v.round()
                } else {
                    (v * 10.0).round() / 10.0
                }
            };
            if i % 9 != 4 {
                repo::set(
                    conn,
                    org_id,
                    (x.id, p.person_id, "entry"),
                    Some(round(before)),
                    ("curator", curator),
                )
                .await?;
            }
            if i % 7 != 3 {
                repo::set(
                    conn,
                    org_id,
                    (x.id, p.person_id, "final"),
                    Some(round(after)),
                    ("curator", curator),
                )
                .await?;
            }
        }
    }
    Ok(())
}

/// For timing the influence report: a program of `n` mentees (their people made straight in
/// SQL) with `k` parameters measured twice (a few missing). Returns the program's id.
pub async fn monitoring_scale(
    pool: &sqlx::PgPool,
    n: usize,
    k: usize,
) -> Result<Uuid, anyhow::Error> {
    let mut tx = pool.begin().await?;
    let org = crate::tenancy::org_by_slug(&mut tx, super::SCHOOL_SLUG)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo school"))?;
    let curator: Uuid =
        sqlx::query_scalar!(r#"SELECT id AS "v!" FROM users WHERE email = 'curator@demo.local'"#,)
            .fetch_one(&mut *tx)
            .await?;
    let taken: i64 = sqlx::query_scalar!(
        r#"SELECT count(*) AS "v!" FROM programs WHERE org_id = $1"#,
        org.id,
    )
    .fetch_one(&mut *tx)
    .await?;
    let program = super::program(
        &mut tx,
        org.id,
        curator,
        &super::DemoProgram {
            name: &format!("Мониторинг (замер) № {}", taken + 1),
            form: "student_student",
            variants: &["ss_achiever"],
            description: "Замер отчёта о влиянии программы.",
            dates: super::school_year(Utc::now().date_naive()),
            status: "active",
            progress: super::Progress::NotStarted,
        },
    )
    .await?;
    let people: Vec<Uuid> = sqlx::query_scalar!(
        r#"INSERT INTO people (org_id, last_name, first_name, kind, class_name, in_mentee_base)
         SELECT $1, 'Замеров', 'Участник ' || g, 'pupil', (5 + g % 4) || 'А', true
           FROM generate_series(1, $2) AS g RETURNING id AS "v!""#,
        org.id,
        n as i64,
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO consents (org_id, person_id, given_by, given_on, created_by)
         SELECT $1, p, 'representative', current_date, $3 FROM unnest($2::uuid[]) AS p",
        org.id,
        &people,
        curator,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO enrolments (org_id, program_id, person_id, role, status)
         SELECT $1, $2, p, 'mentee', 'in_base' FROM unnest($3::uuid[]) AS p",
        org.id,
        program,
        &people,
    )
    .execute(&mut *tx)
    .await?;
    for j in 0..k {
        repo::add_parameter(
            &mut tx,
            org.id,
            program,
            (Side::Mentee, &format!("Параметр {}", j + 1)),
            (1.0, 10.0, j % 3 != 2),
        )
        .await?;
    }
    sqlx::query!(
        "INSERT INTO measurements (parameter_id, org_id, person_id, stage, value, entered_by)
         SELECT x.id, $1, p.id, s, 1 + (abs(hashtext(x.id::text || p.id::text || s)) % 90) / 10.0, $3
           FROM monitoring_parameters x, unnest($2::uuid[]) WITH ORDINALITY AS p(id, n),
                unnest(ARRAY['entry', 'final']) AS s
          WHERE x.program_id = $4 AND NOT (s = 'final' AND p.n % 17 = 0)",
        org.id,
        &people,
        curator,
        program,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    sqlx::query!("ANALYZE",).execute(pool).await?;
    Ok(program)
}
