//! Queries of the forms catalog, programs and roadmaps. Every function on a tenant table takes
//! the organization id first.

use std::sync::{Arc, LazyLock};

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::ProgramStatus;
use crate::db::cache::OrgCache;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Form {
    pub code: String,
    pub title: String,
    pub family: String,
    pub mentor_side: String,
    pub mentee_side: String,
    pub goal: String,
    pub tasks: Vec<String>,
    pub results: Vec<String>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Variant {
    pub code: String,
    pub form_code: String,
    pub title: String,
    pub goal: String,
}

pub async fn forms(conn: &mut PgConnection) -> Result<Vec<Form>, sqlx::Error> {
    sqlx::query_as!(
        Form,
        r#"SELECT code AS "code!", title AS "title!", family AS "family!", mentor_side AS "mentor_side!", mentee_side AS "mentee_side!", goal AS "goal!", tasks AS "tasks!", results AS "results!"
           FROM mentoring_forms ORDER BY sort"#,
    )
    .fetch_all(conn)
    .await
}

/// The catalogue's forms as read by [`form`]: the catalogue is the Ministry's, written by the
/// migrations only, so it is kept in process (for [`crate::db::cache::TTL`]) rather than read on
/// every program page.
static CATALOGUE: LazyLock<OrgCache<String, Option<Form>>> = LazyLock::new(|| OrgCache::new(64));

pub async fn form(conn: &mut PgConnection, code: &str) -> Result<Option<Form>, sqlx::Error> {
    CATALOGUE
        .get_or(Uuid::nil(), 0, code.to_string(), async {
            sqlx::query_as!(
                Form,
                r#"SELECT code AS "code!", title AS "title!", family AS "family!", mentor_side AS "mentor_side!", mentee_side AS "mentee_side!", goal AS "goal!", tasks AS "tasks!", results AS "results!"
                   FROM mentoring_forms WHERE code = $1"#,
                code,
            )
            .fetch_optional(conn)
            .await
        })
        .await
}

pub async fn variants(conn: &mut PgConnection) -> Result<Vec<Variant>, sqlx::Error> {
    sqlx::query_as!(
        Variant,
        r#"SELECT code AS "code!", form_code AS "form_code!", title AS "title!", goal AS "goal!" FROM form_variants ORDER BY form_code, sort"#,
    )
    .fetch_all(conn)
    .await
}

/// The organization's forms of mentoring, in the catalogue's order: (code, title).
pub async fn org_forms(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT f.form_code AS "c0!", m.title AS "c1!" FROM org_forms f JOIN mentoring_forms m ON m.code = f.form_code
          WHERE f.org_id = $1 ORDER BY m.sort"#,
        org_id,
    ).map(|r| (r.c0, r.c1))
    .fetch_all(conn)
    .await
}

/// The codes of the organization's forms of mentoring, in the catalogue's order.
pub async fn org_form_codes(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<String>, sqlx::Error> {
    Ok(org_forms(conn, org_id)
        .await?
        .into_iter()
        .map(|(code, _)| code)
        .collect())
}

pub async fn set_org_forms(
    conn: &mut PgConnection,
    org_id: Uuid,
    codes: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM org_forms WHERE org_id = $1", org_id,)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "INSERT INTO org_forms (org_id, form_code)
         SELECT $1, code FROM mentoring_forms WHERE code = ANY ($2)",
        org_id,
        codes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ProgramRow {
    pub id: Uuid,
    pub name: String,
    pub form_code: String,
    pub form_title: String,
    pub goal: String,
    pub description: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: ProgramStatus,
    pub curator_user_id: Option<Uuid>,
    pub curator_name: Option<String>,
    pub version: i32,
    pub tasks_total: i64,
    pub tasks_done: i64,
    pub tasks_overdue: i64,
}

pub async fn programs(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<ProgramRow>, sqlx::Error> {
    read(conn, org_id, None).await
}

/// The organization's programs (or the one `only`), newest first, with their tasks' counts and
/// their curators' names.
async fn read(
    conn: &mut PgConnection,
    org_id: Uuid,
    only: Option<Uuid>,
) -> Result<Vec<ProgramRow>, sqlx::Error> {
    let list = sqlx::query_as!(
        ProgramRow,
        r#"
    SELECT p.id AS "id!", p.name AS "name!", p.form_code AS "form_code!", f.title AS "form_title!", p.goal AS "goal!", p.description AS "description!", p.starts_on AS "starts_on!",
           p.ends_on AS "ends_on!", p.status AS "status!: ProgramStatus", p.curator_user_id AS "curator_user_id?", NULL::text AS "curator_name?", p.version AS "version!",
           coalesce(t.total, 0) AS "tasks_total!", coalesce(t.done, 0) AS "tasks_done!",
           coalesce(t.overdue, 0) AS "tasks_overdue!"
      FROM programs p
      JOIN mentoring_forms f ON f.code = p.form_code
      LEFT JOIN LATERAL (
           SELECT count(*) AS total,
                  count(*) FILTER (WHERE status = 'done') AS done,
                  count(*) FILTER (WHERE status <> 'done' AND due_on < current_date) AS overdue
             FROM roadmap_tasks rt WHERE rt.org_id = p.org_id AND rt.program_id = p.id) t ON true
     WHERE p.org_id = $1 AND ($2::uuid IS NULL OR p.id = $2)
     ORDER BY p.starts_on DESC, p.name LIMIT 200"#,
        org_id,
        only,
    )
    .fetch_all(&mut *conn)
    .await?;
    with_curators(conn, list).await
}

/// The curators' names (auth).
async fn with_curators(
    conn: &mut PgConnection,
    mut list: Vec<ProgramRow>,
) -> Result<Vec<ProgramRow>, sqlx::Error> {
    let ids: Vec<Uuid> = list.iter().filter_map(|p| p.curator_user_id).collect();
    let names = crate::auth::full_names(conn, &ids).await?;
    for p in &mut list {
        p.curator_name = p.curator_user_id.and_then(|u| names.get(&u).cloned());
    }
    Ok(list)
}

/// The organization's programs as [`programs`] reads them, kept per data version (every table
/// they read raises it, but for the curator's name and the day, which the minute of
/// [`crate::db::cache::TTL`] catches up with): the home page and every program page
/// (`ProgramCtx`) start from them.
static KEPT: LazyLock<OrgCache<(), Arc<Vec<ProgramRow>>>> = LazyLock::new(|| OrgCache::new(1024));

pub async fn programs_kept(
    pool: &sqlx::PgPool,
    org_id: Uuid,
    version: i64,
) -> Result<Arc<Vec<ProgramRow>>, sqlx::Error> {
    KEPT.get_or(org_id, version, (), async {
        let mut conn = pool.acquire().await?;
        programs(&mut conn, org_id).await.map(Arc::new)
    })
    .await
}

pub async fn program(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<ProgramRow>, sqlx::Error> {
    Ok(read(conn, org_id, Some(id)).await?.pop())
}

pub async fn program_variants(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Variant>, sqlx::Error> {
    sqlx::query_as!(
        Variant,
        r#"SELECT v.code AS "code!", v.form_code AS "form_code!", v.title AS "title!", v.goal AS "goal!"
           FROM program_variants pv JOIN form_variants v ON v.code = pv.variant_code
          WHERE pv.org_id = $1 AND pv.program_id = $2 ORDER BY v.sort"#,
        org_id,
        program_id,
    )
    .fetch_all(conn)
    .await
}

pub struct ProgramInput<'a> {
    pub name: &'a str,
    pub form_code: &'a str,
    pub variant_codes: &'a [String],
    pub goal: &'a str,
    pub description: &'a str,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: &'a str,
    pub curator_user_id: Option<Uuid>,
}

async fn set_variants(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    p: &ProgramInput<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM program_variants WHERE org_id = $1 AND program_id = $2",
        org_id,
        program_id,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO program_variants (org_id, program_id, variant_code)
         SELECT $1, $2, code FROM form_variants WHERE form_code = $3 AND code = ANY ($4)",
        org_id,
        program_id,
        p.form_code,
        p.variant_codes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Creates the program and its roadmap from the template; call inside a transaction.
pub async fn create_program(
    conn: &mut PgConnection,
    org_id: Uuid,
    p: &ProgramInput<'_>,
) -> Result<Uuid, sqlx::Error> {
    let id: Uuid = sqlx::query_scalar!(
        r#"INSERT INTO programs (org_id, name, form_code, goal, description, starts_on, ends_on,
                               status, curator_user_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id AS "v!""#,
        org_id,
        p.name,
        p.form_code,
        p.goal,
        p.description,
        p.starts_on,
        p.ends_on,
        p.status,
        p.curator_user_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    set_variants(&mut *conn, org_id, id, p).await?;
    crate::programs::roadmap::create_roadmap(&mut *conn, org_id, id, p.starts_on, p.ends_on)
        .await?;
    Ok(id)
}

/// Updates the program if `version` is still current; false on a concurrent change.
pub async fn update_program(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    version: i32,
    p: &ProgramInput<'_>,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "UPDATE programs SET name = $4, form_code = $5, goal = $6, description = $7,
                starts_on = $8, ends_on = $9, status = $10, curator_user_id = $11,
                version = version + 1, updated_at = now()
          WHERE org_id = $1 AND id = $2 AND version = $3",
        org_id,
        id,
        version,
        p.name,
        p.form_code,
        p.goal,
        p.description,
        p.starts_on,
        p.ends_on,
        p.status,
        p.curator_user_id,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n == 1 {
        set_variants(conn, org_id, id, p).await?;
    }
    Ok(n == 1)
}

/// Closes a program: status «завершена» (false when it already was).
pub async fn finish(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE programs SET status = 'finished', version = version + 1, updated_at = now()
          WHERE org_id = $1 AND id = $2 AND status <> 'finished'",
        org_id,
        id,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The programs not finished, by name (a calendar's choice of feeds).
/// Serialises changes of one program's pairs (two curators accepting at once): locks the
/// program's row until the transaction ends; false when there is no such program.
pub async fn lock(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "v!" FROM programs WHERE org_id = $1 AND id = $2 FOR UPDATE"#,
        org_id,
        program_id,
    )
    .fetch_optional(conn)
    .await?
    .is_some())
}

/// The program's own curator, when one is set (`None` when there is no such program).
pub async fn curator_of(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Option<Option<Uuid>>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT curator_user_id FROM programs WHERE org_id = $1 AND id = $2",
        org_id,
        program_id,
    )
    .fetch_optional(conn)
    .await
}

/// How many programs each organization has (the platform administrator's list).
pub async fn counts_by_org(
    conn: &mut PgConnection,
) -> Result<std::collections::HashMap<Uuid, i64>, sqlx::Error> {
    Ok(
        sqlx::query!(r#"SELECT org_id, count(*) AS "n!" FROM programs GROUP BY org_id"#)
            .fetch_all(conn)
            .await?
            .into_iter()
            .map(|r| (r.org_id, r.n))
            .collect(),
    )
}

/// Names the program of each item of a list another domain read (one statement for the list):
/// `program` gives an item's program, `set` writes the name into it.
pub async fn name_each<T>(
    conn: &mut PgConnection,
    org_id: Uuid,
    list: &mut [T],
    program: impl Fn(&T) -> Option<Uuid>,
    mut set: impl FnMut(&mut T, String),
) -> Result<(), sqlx::Error> {
    let mut ids: Vec<Uuid> = list.iter().filter_map(&program).collect();
    ids.sort();
    ids.dedup();
    let names = names_by_id(conn, org_id, &ids).await?;
    for item in list.iter_mut() {
        if let Some(name) = program(item).and_then(|p| names.get(&p)) {
            set(item, name.clone());
        }
    }
    Ok(())
}

/// The organization's programs among `ids` with their start, by id: (name, first day).
pub async fn briefs(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, (String, NaiveDate)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(sqlx::query!(
        "SELECT id, name, starts_on FROM programs WHERE org_id = $1 AND id = ANY($2)",
        org_id,
        ids,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, (r.name, r.starts_on)))
    .collect())
}

/// The names of the organization's programs among `ids`, by id.
pub async fn names_by_id(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, String>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(sqlx::query!(
        "SELECT id, name FROM programs WHERE org_id = $1 AND id = ANY($2)",
        org_id,
        ids,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.name))
    .collect())
}

/// The organization's programs under way («активна»): (id, name).
pub async fn active_names(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    names_at(conn, org_id, &[ProgramStatus::Active]).await
}

/// The organization's programs not finished yet (drafts and those under way): (id, name).
pub async fn running_names(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    names_at(conn, org_id, &[ProgramStatus::Draft, ProgramStatus::Active]).await
}

/// (id, name) of the organization's programs at one of `statuses`, by name.
async fn names_at(
    conn: &mut PgConnection,
    org_id: Uuid,
    statuses: &[ProgramStatus],
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let codes: Vec<&str> = statuses.iter().map(|s| s.code()).collect();
    sqlx::query!(
        "SELECT id, name FROM programs WHERE org_id = $1 AND status = ANY($2) ORDER BY name",
        org_id,
        &codes as &[&str],
    )
    .map(|r| (r.id, r.name))
    .fetch_all(conn)
    .await
}

/// The names of the programs `ids`, by name.
pub async fn names_of(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query!(
        "SELECT id, name FROM programs WHERE org_id = $1 AND id = ANY($2) ORDER BY name",
        org_id,
        ids,
    )
    .map(|r| (r.id, r.name))
    .fetch_all(conn)
    .await
}

/// Whether the organization has the program `id`.
pub async fn exists(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM programs WHERE org_id = $1 AND id = $2) AS "v!""#,
        org_id,
        id,
    )
    .fetch_one(conn)
    .await
}

/// Programs the people `persons` (those bound to the signed-in account, from its seat) take
/// part in: the access of a participant to a program's pages. It reads the enrolments (the
/// `participants` domain's table) because `ProgramCtx` stands under `participants`.
pub async fn programs_of_persons(
    conn: &mut PgConnection,
    org_id: Uuid,
    persons: &[Uuid],
) -> Result<Vec<Uuid>, sqlx::Error> {
    if persons.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_scalar!(
        r#"SELECT DISTINCT program_id AS "v!" FROM enrolments
          WHERE org_id = $1 AND person_id = ANY($2) LIMIT 500"#,
        org_id,
        persons,
    )
    .fetch_all(conn)
    .await
}
