//! Queries of the roadmap's tables (`roadmap_stages`, `roadmap_tasks`): the template copied into
//! a new program, stages, tasks and their edits with the concurrent-edit guard.

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

use chrono::{DateTime, Utc};

use super::model::{ROADMAP, Responsible, TaskStatus};

pub async fn create_roadmap(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<(), sqlx::Error> {
    let mut sort = 0;
    for stage in &ROADMAP {
        let stage_id: Uuid = sqlx::query_scalar!(
            r#"INSERT INTO roadmap_stages (org_id, program_id, number, title, task_text, result_text)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id AS "v!""#,
            org_id,
            program_id,
            stage.number,
            stage.title,
            stage.task,
            stage.result,
        )
        .fetch_one(&mut *conn)
        .await?;
        let mut codes = Vec::new();
        let mut titles = Vec::new();
        let mut periods = Vec::new();
        let mut dues = Vec::new();
        let mut roles = Vec::new();
        let mut sorts = Vec::new();
        for task in stage.tasks {
            sort += 10;
            codes.push(task.code);
            titles.push(task.title);
            periods.push(task.period());
            dues.push(task.due_on(start, end));
            roles.push(task.role);
            sorts.push(sort);
        }
        sqlx::query!(
            "INSERT INTO roadmap_tasks (org_id, program_id, stage_id, code, title, period, due_on,
                                        responsible_role, sort)
             SELECT $1, $2, $3, * FROM unnest($4::text[], $5::text[], $6::text[], $7::date[],
                                              $8::text[], $9::int[])",
            org_id,
            program_id,
            stage_id,
            &codes as _,
            &titles as _,
            &periods,
            &dues,
            &roles as _,
            &sorts,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StageRow {
    pub id: Uuid,
    pub number: i32,
    pub title: String,
    pub task_text: String,
    pub result_text: String,
}

pub async fn stages(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<StageRow>, sqlx::Error> {
    sqlx::query_as!(
        StageRow,
        r#"SELECT id AS "id!", number AS "number!", title AS "title!", task_text AS "task_text!", result_text AS "result_text!" FROM roadmap_stages
          WHERE org_id = $1 AND program_id = $2 ORDER BY number"#,
        org_id,
        program_id,
    )
    .fetch_all(conn)
    .await
}

pub async fn stage(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    stage_id: Uuid,
) -> Result<Option<StageRow>, sqlx::Error> {
    sqlx::query_as!(
        StageRow,
        r#"SELECT id AS "id!", number AS "number!", title AS "title!", task_text AS "task_text!", result_text AS "result_text!" FROM roadmap_stages
          WHERE org_id = $1 AND program_id = $2 AND id = $3"#,
        org_id,
        program_id,
        stage_id,
    )
    .fetch_optional(conn)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TaskRow {
    pub id: Uuid,
    pub stage_id: Uuid,
    pub code: String,
    pub title: String,
    pub period: String,
    pub due_on: NaiveDate,
    pub responsible_role: Responsible,
    pub responsible_user_id: Option<Uuid>,
    pub responsible_name: Option<String>,
    pub status: TaskStatus,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<Uuid>,
    pub updated_by_name: Option<String>,
}

/// The names of the accounts a task names (auth).
async fn with_names(
    conn: &mut PgConnection,
    mut tasks: Vec<TaskRow>,
) -> Result<Vec<TaskRow>, sqlx::Error> {
    let ids: Vec<Uuid> = tasks
        .iter()
        .flat_map(|t| [t.responsible_user_id, t.updated_by])
        .flatten()
        .collect();
    let names = crate::auth::full_names(conn, &ids).await?;
    for t in &mut tasks {
        t.responsible_name = t.responsible_user_id.and_then(|u| names.get(&u).cloned());
        t.updated_by_name = t.updated_by.and_then(|u| names.get(&u).cloned());
    }
    Ok(tasks)
}

pub async fn tasks(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<TaskRow>, sqlx::Error> {
    read_tasks(conn, org_id, program_id, None).await
}

pub async fn task(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    task_id: Uuid,
) -> Result<Option<TaskRow>, sqlx::Error> {
    Ok(read_tasks(conn, org_id, program_id, Some(task_id))
        .await?
        .pop())
}

/// The program's tasks (or its task `only`) in the roadmap's order, with the names of the
/// responsible and of who changed each last.
async fn read_tasks(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    only: Option<Uuid>,
) -> Result<Vec<TaskRow>, sqlx::Error> {
    let tasks = sqlx::query_as!(
        TaskRow,
        r#"
    SELECT t.id AS "id!", t.stage_id AS "stage_id!", t.code AS "code!", t.title AS "title!", t.period AS "period!", t.due_on AS "due_on!", t.responsible_role AS "responsible_role!: Responsible",
           t.responsible_user_id AS "responsible_user_id?", NULL::text AS "responsible_name?", t.status AS "status!: TaskStatus", t.version AS "version!",
           t.updated_at AS "updated_at!", t.updated_by AS "updated_by?", NULL::text AS "updated_by_name?"
      FROM roadmap_tasks t WHERE t.org_id = $1 AND t.program_id = $2 AND ($3::uuid IS NULL OR t.id = $3)
     ORDER BY t.sort, t.code"#,
        org_id,
        program_id,
        only,
    )
    .fetch_all(&mut *conn)
    .await?;
    with_names(conn, tasks).await
}

pub struct TaskInput<'a> {
    pub title: &'a str,
    pub due_on: NaiveDate,
    pub responsible_role: Responsible,
    pub responsible_user_id: Option<Uuid>,
    pub status: TaskStatus,
}

/// Saves the task if `version` is still current; false when someone changed it meanwhile.
pub async fn update_task(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    task_id: Uuid,
    version: i32,
    by: Uuid,
    t: &TaskInput<'_>,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "UPDATE roadmap_tasks SET title = $5, due_on = $6, responsible_role = $7,
                responsible_user_id = $8, status = $9, version = version + 1, updated_at = now(),
                updated_by = $10
          WHERE org_id = $1 AND program_id = $2 AND id = $3 AND version = $4",
        org_id,
        program_id,
        task_id,
        version,
        t.title,
        t.due_on,
        t.responsible_role.code(),
        t.responsible_user_id,
        t.status.code(),
        by,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn set_task_status(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    task_id: Uuid,
    version: i32,
    by: Uuid,
    status: &str,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "UPDATE roadmap_tasks SET status = $5, version = version + 1, updated_at = now(),
                updated_by = $6
          WHERE org_id = $1 AND program_id = $2 AND id = $3 AND version = $4",
        org_id,
        program_id,
        task_id,
        version,
        status,
        by,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn add_task(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    stage: &StageRow,
    by: Uuid,
    t: &TaskInput<'_>,
) -> Result<Uuid, sqlx::Error> {
    // Placed after the stage's last task; numbered next in the stage.
    sqlx::query_scalar!(
        r#"WITH last AS (
             SELECT coalesce(max(sort), 0) AS sort, count(*) AS n,
                    coalesce(max(NULLIF(split_part(code, '.', 2), '')::int), 0) AS maxno
               FROM roadmap_tasks WHERE org_id = $1 AND stage_id = $3)
         INSERT INTO roadmap_tasks (org_id, program_id, stage_id, code, title, period, due_on,
                                    responsible_role, responsible_user_id, status, sort, updated_by)
         SELECT $1, $2, $3, $4 || '.' || (last.maxno + 1), $5, '', $6, $7, $8, $9,
                CASE WHEN last.n = 0 THEN $4::int * 1000 ELSE last.sort + 1 END, $10
           FROM last
         RETURNING id AS "v!""#,
        org_id,
        program_id,
        stage.id,
        stage.number.to_string(),
        t.title,
        t.due_on,
        t.responsible_role.code(),
        t.responsible_user_id,
        t.status.code(),
        by,
    )
    .fetch_one(conn)
    .await
}

pub async fn delete_task(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    task_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "DELETE FROM roadmap_tasks WHERE org_id = $1 AND program_id = $2 AND id = $3",
        org_id,
        program_id,
        task_id,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// An overdue task of an active program, for the daily reminders.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Overdue {
    pub id: Uuid,
    pub program_id: Uuid,
    pub program_name: String,
    pub code: String,
    pub title: String,
    pub due_on: NaiveDate,
    pub responsible_user_id: Option<Uuid>,
}

/// Tasks not done whose date is before `today`, in programs that are not finished.
pub async fn overdue(
    conn: &mut PgConnection,
    org_id: Uuid,
    today: NaiveDate,
) -> Result<Vec<Overdue>, sqlx::Error> {
    sqlx::query_as!(
        Overdue,
        r#"SELECT t.id AS "id!", t.program_id AS "program_id!", p.name AS "program_name!", t.code AS "code!", t.title AS "title!", t.due_on AS "due_on!",
                t.responsible_user_id AS "responsible_user_id?"
           FROM roadmap_tasks t JOIN programs p ON p.org_id = t.org_id AND p.id = t.program_id
          WHERE t.org_id = $1 AND t.status <> 'done' AND t.due_on < $2
            AND p.status IN ('draft', 'active')
          ORDER BY t.due_on, p.name, t.sort LIMIT 2000"#,
        org_id,
        today,
    )
    .fetch_all(conn)
    .await
}

/// Tasks not done of programs that are not finished, due from `from` on (the curator's calendar
/// feed).
pub async fn open_from(
    conn: &mut PgConnection,
    org_id: Uuid,
    from: NaiveDate,
) -> Result<Vec<Overdue>, sqlx::Error> {
    sqlx::query_as!(
        Overdue,
        r#"SELECT t.id AS "id!", t.program_id AS "program_id!", p.name AS "program_name!", t.code AS "code!", t.title AS "title!", t.due_on AS "due_on!",
                t.responsible_user_id AS "responsible_user_id?"
           FROM roadmap_tasks t JOIN programs p ON p.org_id = t.org_id AND p.id = t.program_id
          WHERE t.org_id = $1 AND t.status <> 'done' AND t.due_on >= $2
            AND p.status IN ('draft', 'active')
          ORDER BY t.due_on, p.name, t.sort LIMIT 2000"#,
        org_id,
        from,
    )
    .fetch_all(conn)
    .await
}
