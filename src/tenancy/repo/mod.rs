//! Queries of organizations and memberships.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::Organization;
use crate::auth::model::Role;
use crate::web::ctx::SessionUser;

mod members;
pub use members::*;

const ORG_COLS: &str = "o.id, o.slug, o.full_name, o.short_name, o.kind, o.municipality, o.region, o.students_count, o.teachers_count, o.time_zone";

#[derive(sqlx::FromRow)]
struct OrgWithRoles {
    #[sqlx(flatten)]
    org: Organization,
    roles: Vec<String>,
}

/// SQL: the organization `slug` with the roles of `user` (SQL expressions) in it, their unread
/// notifications there, their people there (the records of the bases bound to their account) and
/// its data version ([`crate::db::cache`]); no row unless a member.
fn seat_sql(slug: &str, user: &str) -> String {
    format!(
        "SELECT {ORG_COLS}, m.roles, {} AS unread,
                ARRAY(SELECT p.id FROM people p WHERE p.user_id = {user} AND p.org_id = o.id) AS person_ids,
                coalesce((SELECT v.version FROM org_data_versions v WHERE v.org_id = o.id), 0) AS data_version
           FROM organizations o JOIN memberships m ON m.org_id = o.id
          WHERE o.slug = {slug} AND m.user_id = {user}",
        unread_sql(user)
    )
}

/// SQL: the unread notifications of `user` in the organization `o` (the bell of the seat; the
/// `notifications` table is read here so that the seat stays one statement).
fn unread_sql(user: &str) -> String {
    format!(
        "(SELECT count(*) FROM notifications n WHERE n.user_id = {user} AND n.org_id = o.id AND n.read_at IS NULL)"
    )
}

/// An organization page's context, when the session is already known.
pub async fn seat(
    conn: &mut PgConnection,
    slug: &str,
    user_id: Uuid,
) -> Result<Option<Seat>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(seat_sql("$1", "$2")))
        .bind(slug)
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// Who and where in one statement: the user of the session `secret` and, if they are a member
/// of the organization `slug`, its [`Seat`].
pub async fn session_seat(
    pool: &sqlx::PgPool,
    secret: &str,
    idle_minutes: i64,
    slug: &str,
) -> Result<Option<(SessionUser, Option<Seat>)>, sqlx::Error> {
    use sqlx::{FromRow, Row};
    let sql = seat_sql("$3", "u.id");
    let Some((session, row)) =
        crate::auth::session_with(pool, secret, idle_minutes, Some((&sql, slug))).await?
    else {
        return Ok(None);
    };
    let seat = match row.try_get::<Option<Uuid>, _>("id")? {
        Some(_) => Some(Seat::from_row(&row)?),
        None => None,
    };
    Ok(Some((session, seat)))
}

/// An organization page's context: the organization, the user's roles, unread notifications
/// and people there, the organization's data version.
#[derive(Clone, sqlx::FromRow)]
pub struct Seat {
    #[sqlx(flatten)]
    pub org: Organization,
    pub roles: Vec<String>,
    pub unread: i64,
    pub person_ids: Vec<Uuid>,
    pub data_version: i64,
}

pub async fn orgs_of_user(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Vec<(Organization, Vec<Role>)>, sqlx::Error> {
    let rows: Vec<OrgWithRoles> = sqlx::query_as("SELECT o.id, o.slug, o.full_name, o.short_name, o.kind, o.municipality, o.region, o.students_count, o.teachers_count, o.time_zone, m.roles
           FROM organizations o JOIN memberships m ON m.org_id = o.id
          WHERE m.user_id = $1 ORDER BY o.short_name LIMIT 500")
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.org, Role::parse_all(&r.roles)))
        .collect())
}

pub async fn org_by_id(conn: &mut PgConnection, id: Uuid) -> Result<Organization, sqlx::Error> {
    sqlx::query_as!(
        Organization,
        r#"SELECT o.id AS "id!", o.slug AS "slug!", o.full_name AS "full_name!", o.short_name AS "short_name!", o.kind AS "kind!", o.municipality AS "municipality!", o.region AS "region!", o.students_count AS "students_count!", o.teachers_count AS "teachers_count!", o.time_zone AS "time_zone!" FROM organizations o WHERE o.id = $1"#,
        id,
    )
    .fetch_one(conn)
    .await
}

/// Every organization's id and time zone (for the daily schedule).
pub async fn org_zones(conn: &mut PgConnection) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT id AS "c0!", time_zone AS "c1!" FROM organizations ORDER BY created_at"#,
    ).map(|r| (r.c0, r.c1))
        .fetch_all(conn)
        .await
}

pub async fn org_by_slug(
    conn: &mut PgConnection,
    slug: &str,
) -> Result<Option<Organization>, sqlx::Error> {
    sqlx::query_as!(
        Organization,
        r#"SELECT o.id AS "id!", o.slug AS "slug!", o.full_name AS "full_name!", o.short_name AS "short_name!", o.kind AS "kind!", o.municipality AS "municipality!", o.region AS "region!", o.students_count AS "students_count!", o.teachers_count AS "teachers_count!", o.time_zone AS "time_zone!" FROM organizations o WHERE o.slug = $1"#,
        slug,
    )
    .fetch_optional(conn)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrgSummary {
    pub id: Uuid,
    pub slug: String,
    pub short_name: String,
    pub kind: String,
    pub members: i64,
    pub programs: i64,
}

/// Every organization with its members (`programs` is programs' to count: 0 here).
pub async fn list_orgs(conn: &mut PgConnection) -> Result<Vec<OrgSummary>, sqlx::Error> {
    sqlx::query_as!(
        OrgSummary,
        r#"SELECT o.id AS "id!", o.slug AS "slug!", o.short_name AS "short_name!", o.kind AS "kind!",
                (SELECT count(*) FROM memberships m WHERE m.org_id = o.id) AS "members!",
                0::bigint AS "programs!"
           FROM organizations o ORDER BY o.short_name LIMIT 5000"#,
    )
    .fetch_all(conn)
    .await
}

pub struct NewOrg<'a> {
    pub slug: &'a str,
    pub full_name: &'a str,
    pub short_name: &'a str,
    pub kind: &'a str,
    pub municipality: &'a str,
    pub region: &'a str,
    pub students_count: i32,
    pub teachers_count: i32,
    pub time_zone: &'a str,
}

/// Places an organization in its municipality and region (the entities), found or made from
/// the names as typed (trimmed); no region or municipality → no place.
pub async fn place(
    conn: &mut PgConnection,
    org_id: Uuid,
    (region, municipality): (&str, &str),
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "WITH r AS (
            INSERT INTO regions (name) SELECT btrim($2) WHERE btrim($2) <> ''
            ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id),
         m AS (
            INSERT INTO municipalities (region_id, name) SELECT r.id, btrim($3) FROM r WHERE btrim($3) <> ''
            ON CONFLICT (region_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id)
         UPDATE organizations SET municipality_id = (SELECT id FROM m) WHERE id = $1",
        org_id,
        region,
        municipality,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_org(conn: &mut PgConnection, o: &NewOrg<'_>) -> Result<Uuid, sqlx::Error> {
    let id = insert_org_row(&mut *conn, o).await?;
    place(conn, id, (o.region, o.municipality)).await?;
    Ok(id)
}

async fn insert_org_row(conn: &mut PgConnection, o: &NewOrg<'_>) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO organizations (slug, full_name, short_name, kind, municipality, region,
                                    students_count, teachers_count, time_zone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id AS "v!""#,
        o.slug,
        o.full_name,
        o.short_name,
        o.kind,
        o.municipality,
        o.region,
        o.students_count,
        o.teachers_count,
        o.time_zone,
    )
    .fetch_one(conn)
    .await
}

pub async fn update_org(
    conn: &mut PgConnection,
    org_id: Uuid,
    o: &NewOrg<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE organizations SET full_name = $2, short_name = $3, kind = $4, municipality = $5,
                region = $6, students_count = $7, teachers_count = $8, time_zone = $9
          WHERE id = $1",
        org_id,
        o.full_name,
        o.short_name,
        o.kind,
        o.municipality,
        o.region,
        o.students_count,
        o.teachers_count,
        o.time_zone,
    )
    .execute(&mut *conn)
    .await?;
    place(conn, org_id, (o.region, o.municipality)).await
}

/// What the school states for the regional monitoring table: (site section, order introducing
/// the target model, Положение, order appointing the curator).
pub async fn documents(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<(String, String, String, String), sqlx::Error> {
    sqlx::query!(
        r#"SELECT site_section_url AS "c0!", doc_intro_order AS "c1!", doc_regulation AS "c2!", doc_curator_order AS "c3!"
           FROM organizations WHERE id = $1"#,
        org_id,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3))
    .fetch_one(conn)
    .await
}

pub async fn set_documents(
    conn: &mut PgConnection,
    org_id: Uuid,
    d: [&str; 4],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE organizations SET site_section_url = $2, doc_intro_order = $3, doc_regulation = $4,
                doc_curator_order = $5 WHERE id = $1",
        org_id,
        d[0],
        d[1],
        d[2],
        d[3],
    )
    .execute(conn)
    .await?;
    Ok(())
}
