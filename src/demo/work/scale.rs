//! A school's pairs at work at scale (the load and benchmark data): many pairs with meetings, feedback and plans.

#[allow(unused_imports)]
use super::*;
use crate::people::Side;

/// A program at scale for timing the pages of pairs at work: `pairs` agreed pairs (two per
/// mentor; the demo mentor has three of them) fixed by an approved order, `meetings` meetings
/// spread over them (most held, some planned), ratings on half of them, a plan with three goals
/// per pair. Returns (program id, name).
pub async fn pairs_scale(
    pool: &sqlx::PgPool,
    pairs: usize,
    meetings: usize,
) -> Result<(Uuid, String), anyhow::Error> {
    use crate::demo::{DemoPerson, DemoProgram, Progress, demo_name, demo_person, program};
    let mut tx = pool.begin().await?;
    let org = crate::tenancy::org_by_slug(&mut tx, crate::demo::SCHOOL_SLUG)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo school"))?;
    let today = chrono::Utc::now().date_naive();
    let id_of = |email: &'static str| {
        sqlx::query_scalar!(r#"SELECT id AS "v!" FROM users WHERE email = $1"#, email,)
    };
    let curator = id_of("curator@demo.local").fetch_one(&mut *tx).await?;
    let director = id_of("director@demo.local").fetch_one(&mut *tx).await?;
    let demo_mentor: Uuid = sqlx::query_scalar!(
        r#"SELECT p.id AS "v!" FROM people p JOIN users u ON u.id = p.user_id
          WHERE p.org_id = $1 AND u.email = 'mentor@demo.local'"#,
        org.id,
    )
    .fetch_one(&mut *tx)
    .await?;
    let taken: i64 = sqlx::query_scalar!(
        r#"SELECT count(*) AS "v!" FROM programs WHERE org_id = $1"#,
        org.id,
    )
    .fetch_one(&mut *tx)
    .await?;
    let name = format!("Пары в работе (замер) № {}", taken + 1);
    let program_id = program(
        &mut tx,
        org.id,
        curator,
        &DemoProgram {
            name: &name,
            form: "student_student",
            variants: &["ss_achiever"],
            description: "Замер страниц пар в работе: встречи, оценки, планы.",
            dates: crate::demo::school_year(today),
            status: "active",
            progress: Progress::NotStarted,
        },
    )
    .await?;
    let person = |k: usize, class: &'static str| DemoPerson {
        name: demo_name(k),
        kind: "pupil",
        class_name: class,
        birth: None,
        extra: ("", None, "", ""),
        tags: &[],
        consent: true,
    };
    let mut mentors = vec![demo_mentor];
    for k in 0..pairs.div_ceil(2) {
        let p = person(k * 3 + 1, "10А");
        mentors.push(demo_person(&mut tx, org.id, curator, &p).await?);
    }
    let mut mentees = Vec::new();
    for k in 0..pairs {
        let p = person(k * 3 + 2, "6Б");
        mentees.push(demo_person(&mut tx, org.id, curator, &p).await?);
    }
    for m in &mentors {
        crate::participants::enrol(&mut tx, org.id, program_id, *m, Side::Mentor).await?;
    }
    for m in &mentees {
        crate::participants::enrol(&mut tx, org.id, program_id, *m, Side::Mentee).await?;
    }
    let mut ids = Vec::with_capacity(pairs);
    for (i, kid) in mentees.iter().enumerate() {
        // The demo mentor leads the first three pairs; then two pairs per mentor.
        let mentor = if i < 3 {
            mentors[0]
        } else {
            mentors[1 + (i - 3) / 2]
        };
        ids.push(
            crate::pairing::repo::create_pair(
                &mut tx,
                org.id,
                &crate::pairing::repo::NewPair {
                    program_id,
                    mentor,
                    mentees: std::slice::from_ref(kid),
                    scheme: "questionnaires",
                    score: Some(0.7),
                    explanation: "",
                    by: curator,
                },
            )
            .await?,
        );
    }
    let agreed = today - Duration::days(120);
    sqlx::query!(
        "UPDATE pairs SET status = 'agreed', settled_at = $3 WHERE org_id = $1 AND id = ANY($2)",
        org.id,
        &ids,
        agreed.and_hms_opt(10, 0, 0).map(|t| t.and_utc()),
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE pair_members SET answer = 'yes' WHERE org_id = $1 AND pair_id = ANY($2)",
        org.id,
        &ids,
    )
    .execute(&mut *tx)
    .await?;
    let order = crate::orders::repo::create(
        &mut tx,
        org.id,
        &crate::orders::repo::NewOrder {
            program_id,
            plans_due: agreed + Duration::days(30),
            curator_name: "Кузнецова Ольга Петровна",
            by: curator,
            fixes: &ids,
            cancels: &[],
        },
    )
    .await?;
    crate::orders::repo::approve(
        &mut tx,
        org.id,
        order,
        "200-од",
        agreed + Duration::days(1),
        (director, "Смирнова Елена Викторовна"),
    )
    .await?;
    // Meetings: spread evenly, every 3–4 days from the agreement on (the last ones ahead).
    let per = meetings.div_ceil(pairs.max(1)) as i32;
    sqlx::query!(
        "INSERT INTO meetings (org_id, pair_id, kind, held_on, starts_at, ends_at, format, topic,
                               result, done)
         SELECT $1, p.id,
                CASE WHEN k = 1 THEN 'intro' WHEN k = 2 THEN 'trial' WHEN k = 3 THEN 'planning'
                     ELSE 'regular' END,
                $3::date + (k * 120 / $4)::int + (p.n % 3)::int, time '15:00', time '15:45',
                CASE WHEN k % 3 = 0 THEN 'online' ELSE 'offline' END,
                'Встреча № ' || k, 'Разобрали тему, наметили шаги', 'Решали задачи'
           FROM unnest($2::uuid[]) WITH ORDINALITY AS p(id, n), generate_series(1, $4) AS k
          LIMIT $5",
        org.id,
        &ids,
        agreed,
        per + per / 10,
        meetings as i64,
    )
    .execute(&mut *tx)
    .await?;
    // The mentee rates every other held meeting; the trial one says «подходим».
    sqlx::query!(
        "INSERT INTO meeting_feedback (meeting_id, org_id, person_id, rating, fit)
         SELECT m.id, m.org_id, pm.person_id, 3 + (abs(hashtext(m.id::text)) % 3),
                CASE WHEN m.kind = 'trial' THEN 'yes' END
           FROM meetings m JOIN pair_members pm ON pm.pair_id = m.pair_id AND pm.role = 'mentee'
          WHERE m.org_id = $1 AND m.pair_id = ANY($2) AND m.held_on <= $3
            AND (m.kind = 'trial' OR abs(hashtext(m.id::text)) % 2 = 0)",
        org.id,
        &ids,
        today,
    )
    .execute(&mut *tx)
    .await?;
    // A plan with three goals per pair.
    sqlx::query!(
        "WITH p AS (
            INSERT INTO plans (org_id, pair_id, person_id, sphere)
            SELECT $1, pm.pair_id, pm.person_id, 'study' FROM pair_members pm
             WHERE pm.org_id = $1 AND pm.pair_id = ANY($2) AND pm.role = 'mentee'
            RETURNING id)
         INSERT INTO plan_goals (org_id, plan_id, title, horizon, sphere, status, progress)
         SELECT $1, p.id, 'Цель ' || g, 'months', 'study',
                CASE WHEN g = 1 THEN 'done' ELSE 'active' END, (g * 30)::smallint
           FROM p, generate_series(1, 3) AS g",
        org.id,
        &ids,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    // Fresh statistics, as autovacuum would gather them after such a load.
    sqlx::query!("ANALYZE",).execute(pool).await?;
    Ok((program_id, name))
}
