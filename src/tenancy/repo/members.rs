//! Memberships: members and their roles, pending invitations of existing accounts, and whether an
//! account is anyone's beyond a participant.

#[allow(unused_imports)]
use super::*;

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

/// Members of `org_id` (at most `limit`, from `offset`) in a Russian list's order of their names;
/// the accounts and their links are auth's.
pub async fn members(
    conn: &mut PgConnection,
    org_id: Uuid,
    limit: i64,
    offset: i64,
) -> Result<Vec<Member>, sqlx::Error> {
    let ids = member_ids(&mut *conn, org_id).await?;
    let page = crate::auth::accounts_by_name(&mut *conn, &ids, limit, offset).await?;
    let shown: Vec<Uuid> = page.iter().map(|a| a.id).collect();
    let links = crate::auth::links_valid_until(&mut *conn, org_id, &shown).await?;
    let mut here: HashMap<Uuid, (Vec<String>, i64)> = sqlx::query!(
        r#"SELECT m.user_id, m.roles,
                (SELECT count(*) FROM memberships o WHERE o.user_id = m.user_id AND o.org_id <> m.org_id) AS "elsewhere!"
           FROM memberships m WHERE m.org_id = $1 AND m.user_id = ANY($2)"#,
        org_id,
        &shown,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.user_id, (r.roles, r.elsewhere)))
    .collect();
    Ok(page
        .into_iter()
        .map(|a| {
            let (roles, elsewhere) = here.remove(&a.id).unwrap_or_default();
            Member {
                user_id: a.id,
                email: a.email,
                full_name: a.full_name,
                roles,
                has_password: a.has_password,
                invite_expires: links.get(&a.id).copied(),
                elsewhere,
            }
        })
        .collect())
}

/// The accounts of the members of `org_id` (at most 20,000).
async fn member_ids(conn: &mut PgConnection, org_id: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT user_id FROM memberships WHERE org_id = $1 LIMIT 20000",
        org_id
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
    Ok(shared_accounts(conn, org_id, &[user_id])
        .await?
        .contains(&user_id))
}

/// Those of `users` whose account is anyone's beyond a participant of `org_id` (see
/// [`account_is_shared`]). It reads `territory_members` (territory's, which stands above): the
/// guard stands where accounts are decided.
pub async fn shared_accounts(
    conn: &mut PgConnection,
    org_id: Uuid,
    users: &[Uuid],
) -> Result<std::collections::HashSet<Uuid>, sqlx::Error> {
    if users.is_empty() {
        return Ok(Default::default());
    }
    let mut shared: std::collections::HashSet<Uuid> = sqlx::query_scalar!(
        r#"SELECT u AS "v!" FROM unnest($2::uuid[]) AS u
            WHERE EXISTS (SELECT 1 FROM memberships WHERE user_id = u AND org_id <> $1)
               OR EXISTS (SELECT 1 FROM memberships WHERE user_id = u AND org_id = $1
                           AND roles && ARRAY['curator', 'director']::text[])
               OR EXISTS (SELECT 1 FROM territory_members WHERE user_id = u)"#,
        org_id,
        users,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    shared.extend(crate::auth::platform_admins_among(conn, users).await?);
    Ok(shared)
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
    let ids = sqlx::query_scalar!(
        "SELECT user_id FROM memberships WHERE org_id = $1 AND $2 = ANY (roles) LIMIT 20000",
        org_id,
        role.code(),
    )
    .fetch_all(&mut *conn)
    .await?;
    names_by_name(conn, &ids).await
}

/// All members of `org_id` as (id, name).
pub async fn member_names(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let ids = member_ids(&mut *conn, org_id).await?;
    names_by_name(conn, &ids).await
}

/// (id, name) of the accounts `ids`, by name (at most 2,000).
async fn names_by_name(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    Ok(crate::auth::accounts_by_name(conn, ids, 2000, 0)
        .await?
        .into_iter()
        .map(|a| (a.id, a.full_name))
        .collect())
}
