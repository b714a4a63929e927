//! Queries of organizations and memberships.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::Organization;
use crate::auth::model::Role;
use crate::web::ctx::SessionUser;

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

/// Adds the roles to the membership (creating it).
pub async fn grant_roles(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    roles: &[Role],
) -> Result<(), sqlx::Error> {
    let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    sqlx::query!(
        "INSERT INTO memberships (org_id, user_id, roles) VALUES ($1, $2, $3)
         ON CONFLICT (org_id, user_id) DO UPDATE
           SET roles = ARRAY(SELECT DISTINCT unnest(memberships.roles || EXCLUDED.roles) ORDER BY 1)",
        org_id,
        user_id,
        &codes as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces the roles of a member of `org_id`; false if they are not a member.
pub async fn set_roles(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    roles: &[Role],
) -> Result<bool, sqlx::Error> {
    let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    let n = sqlx::query!(
        "UPDATE memberships SET roles = $3 WHERE org_id = $1 AND user_id = $2",
        org_id,
        user_id,
        &codes as _,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Member {
    pub user_id: Uuid,
    pub email: String,
    pub full_name: String,
    pub roles: Vec<String>,
    pub has_password: bool,
    /// Until when this organization's latest unused link for them is valid (links of other
    /// organizations are never looked at).
    pub invite_expires: Option<DateTime<Utc>>,
    /// Memberships in other organizations (their links are not this organization's to issue).
    pub elsewhere: i64,
}

/// Members of `org_id` (at most `limit`, from `offset`).
pub async fn members(
    conn: &mut PgConnection,
    org_id: Uuid,
    limit: i64,
    offset: i64,
) -> Result<Vec<Member>, sqlx::Error> {
    sqlx::query_as!(
        Member,
        r#"SELECT u.id AS "user_id!", u.email AS "email!", u.full_name AS "full_name!", m.roles AS "roles!",
                u.password_hash IS NOT NULL AS "has_password!",
                (SELECT max(i.expires_at) FROM invitations i
                  WHERE i.user_id = u.id AND i.org_id = m.org_id AND i.used_at IS NULL
                    AND i.expires_at > now()) AS "invite_expires?",
                (SELECT count(*) FROM memberships o WHERE o.user_id = u.id AND o.org_id <> m.org_id) AS "elsewhere!"
           FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.org_id = $1
          ORDER BY u.full_name COLLATE ru_icu, u.id
          LIMIT $2 OFFSET $3"#,
        org_id,
        limit,
        offset,
    )
    .fetch_all(conn)
    .await
}

pub async fn member_count(conn: &mut PgConnection, org_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "v!" FROM memberships WHERE org_id = $1"#,
        org_id,
    )
    .fetch_one(conn)
    .await
}

/// The roles of one member of `org_id`.
pub async fn member_roles(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Vec<Role>>, sqlx::Error> {
    let roles: Option<Vec<String>> = sqlx::query_scalar!(
        r#"SELECT roles AS "v!" FROM memberships WHERE org_id = $1 AND user_id = $2"#,
        org_id,
        user_id,
    )
    .fetch_optional(conn)
    .await?;
    Ok(roles.map(|r| Role::parse_all(&r)))
}

/// How many organizations other than `org_id` the account belongs to.
pub async fn other_memberships(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "v!" FROM memberships WHERE user_id = $1 AND org_id <> $2"#,
        user_id,
        org_id,
    )
    .fetch_one(conn)
    .await
}

/// Whether an account is anyone's beyond a participant of `org_id`: a member of another
/// organization, a staff role here (curator, director), the platform administrator, a
/// territory's specialist. Such an account is never given a link or code by a curator, never
/// reset, and an erasure only takes the participant's link and roles from it.
pub async fn account_is_shared(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM memberships WHERE user_id = $2 AND org_id <> $1)
             OR EXISTS (SELECT 1 FROM memberships WHERE user_id = $2 AND org_id = $1
                         AND roles && ARRAY['curator', 'director']::text[])
             OR EXISTS (SELECT 1 FROM users WHERE id = $2 AND is_platform_admin)
             OR EXISTS (SELECT 1 FROM territory_members WHERE user_id = $2) AS "v!""#,
        org_id,
        user_id,
    )
    .fetch_one(conn)
    .await
}

/// Invites an existing account into `org_id` (the person accepts in their own account); roles
/// add up with an earlier pending invitation.
/// An organization's invitation of an existing account.
pub struct Invite<'a> {
    pub user_id: Uuid,
    pub roles: &'a [Role],
    /// What the inviter typed.
    pub email: &'a str,
    pub typed_name: &'a str,
    /// A person of the bases to link to the account once accepted.
    pub person_id: Option<Uuid>,
    pub invited_by: Uuid,
}

pub async fn invite_existing(
    conn: &mut PgConnection,
    org_id: Uuid,
    i: &Invite<'_>,
) -> Result<(), sqlx::Error> {
    let Invite {
        user_id,
        roles,
        email,
        typed_name,
        person_id,
        invited_by,
    } = *i;
    let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    sqlx::query!(
        "INSERT INTO membership_invitations (org_id, user_id, roles, email, typed_name, person_id, invited_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (org_id, user_id) DO UPDATE
           SET roles = ARRAY(SELECT DISTINCT unnest(membership_invitations.roles || EXCLUDED.roles) ORDER BY 1),
               person_id = coalesce(EXCLUDED.person_id, membership_invitations.person_id),
               invited_by = EXCLUDED.invited_by, created_at = now()",
        org_id,
        user_id,
        &codes as _,
        email,
        typed_name,
        person_id,
        invited_by,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PendingInvite {
    pub id: Uuid,
    pub org_id: Uuid,
    pub org_name: String,
    pub roles: Vec<String>,
    pub email: String,
    pub typed_name: String,
    pub person_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// Invitations of an organization waiting for the people to accept (what the inviter typed).
pub async fn pending_of_org(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<PendingInvite>, sqlx::Error> {
    sqlx::query_as!(
        PendingInvite,
        r#"SELECT i.id AS "id!", i.org_id AS "org_id!", o.short_name AS "org_name!", i.roles AS "roles!", i.email AS "email!", i.typed_name AS "typed_name!",
            i.person_id AS "person_id?", i.created_at AS "created_at!"
       FROM membership_invitations i JOIN organizations o ON o.id = i.org_id WHERE i.org_id = $1 ORDER BY i.created_at DESC LIMIT 200"#,
        org_id,
    )
    .fetch_all(conn)
    .await
}

/// Invitations waiting for `user_id` to accept.
pub async fn pending_of_user(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Vec<PendingInvite>, sqlx::Error> {
    sqlx::query_as!(
        PendingInvite,
        r#"SELECT i.id AS "id!", i.org_id AS "org_id!", o.short_name AS "org_name!", i.roles AS "roles!", i.email AS "email!", i.typed_name AS "typed_name!",
            i.person_id AS "person_id?", i.created_at AS "created_at!"
       FROM membership_invitations i JOIN organizations o ON o.id = i.org_id WHERE i.user_id = $1 ORDER BY i.created_at"#,
        user_id,
    )
    .fetch_all(conn)
    .await
}

/// Takes (deletes and returns) the invitation `id` of `user_id`.
pub async fn take_pending(
    conn: &mut PgConnection,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<PendingInvite>, sqlx::Error> {
    sqlx::query_as!(
        PendingInvite,
        r#"WITH d AS (DELETE FROM membership_invitations WHERE id = $1 AND user_id = $2 RETURNING *)
         SELECT d.id AS "id!", d.org_id AS "org_id!", o.short_name AS "org_name!", d.roles AS "roles!", d.email AS "email!", d.typed_name AS "typed_name!",
                d.person_id AS "person_id?", d.created_at AS "created_at!"
           FROM d JOIN organizations o ON o.id = d.org_id"#,
        id,
        user_id,
    )
    .fetch_optional(conn)
    .await
}

/// Withdraws an organization's pending invitation.
pub async fn revoke_pending(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "DELETE FROM membership_invitations WHERE id = $1 AND org_id = $2",
        id,
        org_id,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn is_member(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM memberships WHERE org_id = $1 AND user_id = $2) AS "v!""#,
        org_id,
        user_id,
    )
    .fetch_one(conn)
    .await
}

/// Members of `org_id` holding `role` (for choosing a responsible person).
pub async fn members_with_role(
    conn: &mut PgConnection,
    org_id: Uuid,
    role: Role,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT u.id AS "c0!", u.full_name AS "c1!" FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.org_id = $1 AND $2 = ANY (m.roles) ORDER BY u.full_name COLLATE ru_icu LIMIT 2000"#,
        org_id,
        role.code(),
    ).map(|r| (r.c0, r.c1))
    .fetch_all(conn)
    .await
}

/// All members of `org_id` as (id, name).
pub async fn member_names(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT u.id AS "c0!", u.full_name AS "c1!" FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.org_id = $1 ORDER BY u.full_name COLLATE ru_icu LIMIT 2000"#,
        org_id,
    ).map(|r| (r.c0, r.c1))
    .fetch_all(conn)
    .await
}
