//! Every query on `plans`, `plan_goals`, `plan_history` and `diary_entries`.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{GoalStatus, Horizon, Sphere};

#[derive(Clone, Debug)]
pub struct Plan {
    pub id: Uuid,
    pub person_id: Uuid,
    pub self_analysis: String,
    pub joint_analysis: String,
    pub strengths: String,
    pub growth_zones: String,
    pub sphere: String,
    pub stages: String,
    pub updated_at: DateTime<Utc>,
}

type PlanSql = (
    Uuid,
    Uuid,
    String,
    String,
    String,
    String,
    String,
    String,
    DateTime<Utc>,
);

fn plan(r: PlanSql) -> Plan {
    Plan {
        id: r.0,
        person_id: r.1,
        self_analysis: r.2,
        joint_analysis: r.3,
        strengths: r.4,
        growth_zones: r.5,
        sphere: r.6,
        stages: r.7,
        updated_at: r.8,
    }
}

/// The plan of one mentee of the pair, made empty on first use.
pub async fn plan_of(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
    person_id: Uuid,
) -> Result<Plan, sqlx::Error> {
    sqlx::query!(
        "INSERT INTO plans (org_id, pair_id, person_id) VALUES ($1, $2, $3)
         ON CONFLICT (pair_id, person_id) DO NOTHING",
        org_id,
        pair_id,
        person_id,
    )
    .execute(&mut *conn)
    .await?;
    let row: PlanSql = sqlx::query!(
        "SELECT id, person_id, self_analysis, joint_analysis, strengths, growth_zones, sphere, stages,
                updated_at
           FROM plans WHERE org_id = $1 AND pair_id = $2 AND person_id = $3",
        org_id,
        pair_id,
        person_id,
    ).map(|r| (r.id, r.person_id, r.self_analysis, r.joint_analysis, r.strengths, r.growth_zones, r.sphere, r.stages, r.updated_at))
    .fetch_one(conn)
    .await?;
    Ok(plan(row))
}

pub struct Analysis<'a> {
    pub self_analysis: &'a str,
    pub joint_analysis: &'a str,
    pub strengths: &'a str,
    pub growth_zones: &'a str,
    pub sphere: &'a str,
    pub stages: &'a str,
}

pub async fn save_analysis(
    conn: &mut PgConnection,
    org_id: Uuid,
    plan_id: Uuid,
    a: &Analysis<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE plans SET self_analysis = $3, joint_analysis = $4, strengths = $5, growth_zones = $6,
                sphere = $7, stages = $8, updated_at = now()
          WHERE org_id = $1 AND id = $2",
        org_id,
        plan_id,
        a.self_analysis,
        a.joint_analysis,
        a.strengths,
        a.growth_zones,
        a.sphere,
        a.stages,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct Goal {
    pub id: Uuid,
    pub title: String,
    pub horizon: Horizon,
    pub sphere: Sphere,
    pub stage: String,
    pub expected: String,
    pub measure: String,
    pub steps: String,
    pub due_on: Option<NaiveDate>,
    pub status: GoalStatus,
    pub progress: i16,
}

type GoalSql = (
    Uuid,
    String,
    Horizon,
    Sphere,
    String,
    String,
    String,
    String,
    Option<NaiveDate>,
    GoalStatus,
    i16,
);

fn goal(r: GoalSql) -> Goal {
    Goal {
        id: r.0,
        title: r.1,
        horizon: r.2,
        sphere: r.3,
        stage: r.4,
        expected: r.5,
        measure: r.6,
        steps: r.7,
        due_on: r.8,
        status: r.9,
        progress: r.10,
    }
}

pub async fn goals(
    conn: &mut PgConnection,
    org_id: Uuid,
    plan_id: Uuid,
) -> Result<Vec<Goal>, sqlx::Error> {
    let rows: Vec<GoalSql> = sqlx::query!(
        r#"SELECT id AS "c0!", title AS "c1!", horizon AS "c2!: Horizon", sphere AS "c3!: Sphere", stage AS "c4!", expected AS "c5!", measure AS "c6!", steps AS "c7!",
        due_on AS "c8?", status AS "c9!: GoalStatus", progress AS "c10!" FROM plan_goals WHERE org_id = $1 AND plan_id = $2 ORDER BY created_at LIMIT 200"#,
        org_id,
        plan_id,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3, r.c4, r.c5, r.c6, r.c7, r.c8, r.c9, r.c10))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(goal).collect())
}

/// The goals of all the pair's plans (for linking a diary entry): (id, title).
pub async fn goals_of_pair(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
) -> Result<Vec<(Uuid, Uuid, String)>, sqlx::Error> {
    sqlx::query!(
        "SELECT g.id, p.person_id, g.title FROM plan_goals g
           JOIN plans p ON p.org_id = g.org_id AND p.id = g.plan_id
          WHERE g.org_id = $1 AND p.pair_id = $2 ORDER BY g.created_at LIMIT 500",
        org_id,
        pair_id,
    )
    .map(|r| (r.id, r.person_id, r.title))
    .fetch_all(conn)
    .await
}

pub async fn goal_of_plan(
    conn: &mut PgConnection,
    org_id: Uuid,
    plan_id: Uuid,
    id: Uuid,
) -> Result<Option<Goal>, sqlx::Error> {
    let row: Option<GoalSql> = sqlx::query!(
        r#"SELECT id AS "c0!", title AS "c1!", horizon AS "c2!: Horizon", sphere AS "c3!: Sphere", stage AS "c4!", expected AS "c5!", measure AS "c6!", steps AS "c7!",
        due_on AS "c8?", status AS "c9!: GoalStatus", progress AS "c10!" FROM plan_goals WHERE org_id = $1 AND plan_id = $2 AND id = $3 FOR UPDATE"#,
        org_id,
        plan_id,
        id,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3, r.c4, r.c5, r.c6, r.c7, r.c8, r.c9, r.c10))
    .fetch_optional(conn)
    .await?;
    Ok(row.map(goal))
}

/// A goal as written: for a new one and for an update alike.
pub struct GoalInput<'a> {
    pub title: &'a str,
    pub horizon: Horizon,
    pub sphere: Sphere,
    pub stage: &'a str,
    pub expected: &'a str,
    pub measure: &'a str,
    pub steps: &'a str,
    pub due_on: Option<NaiveDate>,
    pub status: GoalStatus,
    pub progress: i16,
}

/// Writes a goal of the plan: a new one (`id` none) or the plan's goal `id` changed; returns its
/// id (none for an `id` that is no goal of the organization).
pub async fn save_goal(
    conn: &mut PgConnection,
    (org_id, plan_id): (Uuid, Uuid),
    id: Option<Uuid>,
    g: &GoalInput<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO plan_goals AS x (id, org_id, plan_id, title, horizon, sphere, stage, expected,
                                      measure, steps, due_on, status, progress)
         VALUES (coalesce($3, gen_random_uuid()), $1, $2, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (id) DO UPDATE
            SET title = EXCLUDED.title, horizon = EXCLUDED.horizon, sphere = EXCLUDED.sphere,
                stage = EXCLUDED.stage, expected = EXCLUDED.expected, measure = EXCLUDED.measure,
                steps = EXCLUDED.steps, due_on = EXCLUDED.due_on, status = EXCLUDED.status,
                progress = EXCLUDED.progress
          WHERE x.org_id = EXCLUDED.org_id AND x.plan_id = EXCLUDED.plan_id
         RETURNING id",
        org_id,
        plan_id,
        id,
        g.title,
        g.horizon.code(),
        g.sphere.code(),
        g.stage,
        g.expected,
        g.measure,
        g.steps,
        g.due_on,
        g.status.code(),
        g.progress,
    )
    .fetch_optional(conn)
    .await
}

pub async fn note(
    conn: &mut PgConnection,
    org_id: Uuid,
    plan_id: Uuid,
    user_id: Uuid,
    what: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO plan_history (org_id, plan_id, user_id, what) VALUES ($1, $2, $3, $4)",
        org_id,
        plan_id,
        user_id,
        what,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE plans SET updated_at = now() WHERE org_id = $1 AND id = $2",
        org_id,
        plan_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The plan's history, newest first: (when, who, what).
pub async fn history(
    conn: &mut PgConnection,
    org_id: Uuid,
    plan_id: Uuid,
) -> Result<Vec<(DateTime<Utc>, String, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT at, user_id, what FROM plan_history
          WHERE org_id = $1 AND plan_id = $2 ORDER BY at DESC, id DESC LIMIT 200",
        org_id,
        plan_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let users: Vec<Uuid> = rows.iter().filter_map(|r| r.user_id).collect();
    let names = crate::auth::full_names(conn, &users).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let who = r
                .user_id
                .and_then(|u| names.get(&u).cloned())
                .unwrap_or_else(|| "—".into());
            (r.at, who, r.what)
        })
        .collect())
}

/// A pair's plan progress for the health page.
#[derive(Clone, Debug)]
pub struct PlanProgress {
    pub pair_id: Uuid,
    /// (status, progress) of every goal of the pair's plans.
    pub goals: Vec<(GoalStatus, i16)>,
}

pub async fn progress_of_pairs(
    conn: &mut PgConnection,
    org_id: Uuid,
    pairs: &[Uuid],
) -> Result<Vec<PlanProgress>, sqlx::Error> {
    let rows: Vec<(Uuid, GoalStatus, i16)> = sqlx::query!(
        r#"SELECT p.pair_id, g.status AS "status: GoalStatus", g.progress FROM plan_goals g
           JOIN plans p ON p.org_id = g.org_id AND p.id = g.plan_id
          WHERE g.org_id = $1 AND p.pair_id = ANY($2)"#,
        org_id,
        pairs,
    )
    .map(|r| (r.pair_id, r.status, r.progress))
    .fetch_all(conn)
    .await?;
    let mut out: Vec<PlanProgress> = Vec::new();
    for (pair, status, progress) in rows {
        match out.iter_mut().find(|p| p.pair_id == pair) {
            Some(p) => p.goals.push((status, progress)),
            None => out.push(PlanProgress {
                pair_id: pair,
                goals: vec![(status, progress)],
            }),
        }
    }
    Ok(out)
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub id: Uuid,
    pub person_id: Uuid,
    pub written_on: NaiveDate,
    pub done: String,
    pub worked: String,
    pub hard: String,
    pub mood: Option<i16>,
    pub goal: Option<String>,
    pub author: String,
}

type EntrySql = (
    Uuid,
    Uuid,
    NaiveDate,
    String,
    String,
    String,
    Option<i16>,
    Option<String>,
    Option<Uuid>,
);

/// The pair's diary, newest first (only the given mentees' entries).
pub async fn diary(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
    people: &[Uuid],
) -> Result<Vec<Entry>, sqlx::Error> {
    let rows: Vec<EntrySql> = sqlx::query!(
        r#"SELECT d.id, d.person_id, d.written_on, d.done, d.worked, d.hard, d.mood,
                g.title AS "title?", d.written_by AS "written_by?"
           FROM diary_entries d
           LEFT JOIN plan_goals g ON g.id = d.goal_id
          WHERE d.org_id = $1 AND d.pair_id = $2 AND d.person_id = ANY($3)
          ORDER BY d.written_on DESC, d.created_at DESC LIMIT 500"#,
        org_id,
        pair_id,
        people,
    )
    .map(|r| {
        (
            r.id,
            r.person_id,
            r.written_on,
            r.done,
            r.worked,
            r.hard,
            r.mood,
            r.title,
            r.written_by,
        )
    })
    .fetch_all(&mut *conn)
    .await?;
    let authors: Vec<Uuid> = rows.iter().filter_map(|r| r.8).collect();
    let names = crate::auth::full_names(conn, &authors).await?;
    Ok(rows
        .into_iter()
        .map(|r| Entry {
            id: r.0,
            person_id: r.1,
            written_on: r.2,
            done: r.3,
            worked: r.4,
            hard: r.5,
            mood: r.6,
            goal: r.7,
            author: r.8.and_then(|u| names.get(&u).cloned()).unwrap_or_default(),
        })
        .collect())
}

pub struct NewEntry<'a> {
    pub pair_id: Uuid,
    pub person_id: Uuid,
    pub written_on: NaiveDate,
    pub done: &'a str,
    pub worked: &'a str,
    pub hard: &'a str,
    pub mood: Option<i16>,
    pub goal_id: Option<Uuid>,
    pub by: Uuid,
}

pub async fn add_entry(
    conn: &mut PgConnection,
    org_id: Uuid,
    e: &NewEntry<'_>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO diary_entries (org_id, pair_id, person_id, written_on, done, worked, hard, mood,
                                    goal_id, written_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        org_id,
        e.pair_id,
        e.person_id,
        e.written_on,
        e.done,
        e.worked,
        e.hard,
        e.mood,
        e.goal_id,
        e.by,
    )
    .fetch_one(conn)
    .await
}
