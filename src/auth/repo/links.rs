//! One-time links and codes (`invitations`): an invitation, the setup link after a login + code,
//! the codes printed on login slips.

#[allow(unused_imports)]
use super::*;

// ---- one-time links -------------------------------------------------------------------------

/// Revokes every unused link and code of `user_id`.
pub async fn revoke_links(conn: &mut PgConnection, user_id: Uuid) -> Result<(), sqlx::Error> {
    revoke_links_of(conn, &[user_id]).await
}

async fn revoke_links_of(conn: &mut PgConnection, users: &[Uuid]) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE invitations SET expires_at = now() WHERE user_id = ANY ($1) AND used_at IS NULL AND expires_at > now()",
        users,
    )
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores the digests of new secrets in one statement; returns the users whose row went in (a
/// digest clash with an existing secret leaves its user out, to be retried with a new secret).
async fn insert_secrets(
    conn: &mut PgConnection,
    kind: &str,
    secrets: &[(Uuid, String)],
    org_id: Option<Uuid>,
    created_by: Option<Uuid>,
    expires_at: DateTime<Utc>,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let users: Vec<Uuid> = secrets.iter().map(|(u, _)| *u).collect();
    let digests: Vec<String> = secrets.iter().map(|(_, s)| digest(s)).collect();
    sqlx::query_scalar!(
        r#"INSERT INTO invitations (token, kind, user_id, org_id, created_by, expires_at)
         SELECT d, $1, u, $4, $5, $6 FROM unnest($2::text[], $3::uuid[]) AS x(d, u)
         ON CONFLICT (token) DO NOTHING RETURNING user_id AS "v!""#,
        kind,
        &digests,
        &users,
        org_id,
        created_by,
        expires_at,
    )
    .fetch_all(conn)
    .await
}

/// A new one-time link (a 64-character secret) for `user_id`; returns the secret (shown once: the
/// database keeps only its digest).
async fn new_link(
    conn: &mut PgConnection,
    user_id: Uuid,
    org_id: Option<Uuid>,
    created_by: Option<Uuid>,
    expires_at: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    insert_secrets(
        conn,
        "link",
        &[(user_id, token.clone())],
        org_id,
        created_by,
        expires_at,
    )
    .await?;
    Ok(token)
}

/// Issues a new one-time link for `user_id`, revoking the earlier unused ones; returns the
/// secret.
pub async fn create_invitation(
    conn: &mut PgConnection,
    user_id: Uuid,
    org_id: Option<Uuid>,
    created_by: Option<Uuid>,
) -> Result<String, sqlx::Error> {
    revoke_links(&mut *conn, user_id).await?;
    let expires = Utc::now() + Duration::days(INVITATION_DAYS);
    new_link(conn, user_id, org_id, created_by, expires).await
}

/// After a correct login + code: a short-lived link to set the first password. The code stays
/// valid until the password is set (a child who closes the page can start again).
pub async fn create_setup_link(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<String, sqlx::Error> {
    let expires = Utc::now() + Duration::minutes(SETUP_LINK_MINUTES);
    new_link(conn, user_id, None, None, expires).await
}

/// One-time login codes (printed on login slips, accepted only with their login) for `users`,
/// valid `days`; revokes their earlier unused codes and links. A whole class in two statements.
/// Returns (user, code) in the order of `users`.
pub async fn create_codes(
    conn: &mut PgConnection,
    users: &[Uuid],
    org_id: Uuid,
    created_by: Uuid,
    days: i64,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    revoke_links_of(&mut *conn, users).await?;
    let expires = Utc::now() + Duration::days(days);
    let mut codes: std::collections::HashMap<Uuid, String> = std::collections::HashMap::new();
    for _ in 0..5 {
        let wanted: Vec<(Uuid, String)> = users
            .iter()
            .filter(|u| !codes.contains_key(u))
            .map(|u| (*u, crate::auth::model::new_code()))
            .collect();
        if wanted.is_empty() {
            break;
        }
        let stored = insert_secrets(
            &mut *conn,
            "code",
            &wanted,
            Some(org_id),
            Some(created_by),
            expires,
        )
        .await?;
        for (u, code) in wanted {
            if stored.contains(&u) {
                codes.insert(u, code);
            }
        }
    }
    users
        .iter()
        .map(|u| {
            codes
                .remove(u)
                .map(|c| (*u, c))
                .ok_or_else(|| sqlx::Error::Protocol("could not allocate a login code".into()))
        })
        .collect()
}

/// Whether `user_id` has an unused, unexpired login code equal to `code`.
pub async fn code_matches(
    conn: &mut PgConnection,
    user_id: Uuid,
    code: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM invitations WHERE user_id = $1 AND token = $2 AND kind = 'code'
                          AND used_at IS NULL AND expires_at > now()) AS "v!""#,
        user_id,
        digest(&crate::auth::model::normalize_code(code)),
    )
    .fetch_one(conn)
    .await
}

/// Until when the latest unused code of `user_id` is valid, if any.
pub async fn code_valid_until(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT max(expires_at) AS "v?" FROM invitations WHERE user_id = $1 AND kind = 'code'
            AND used_at IS NULL AND expires_at > now()"#,
        user_id,
    )
    .fetch_one(conn)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Invitation {
    pub id: Uuid,
    pub user_id: Uuid,
    pub email: String,
    pub full_name: String,
    /// The organization that invited (none for the setup link after a code); its name is
    /// tenancy's.
    pub org_id: Option<Uuid>,
    pub expires_at: DateTime<Utc>,
}

/// A valid (unused, unexpired) link (never a code: a code alone opens nothing); `lock` takes a
/// row lock for the accepting transaction.
pub async fn valid_invitation(
    conn: &mut PgConnection,
    token: &str,
    lock: bool,
) -> Result<Option<Invitation>, sqlx::Error> {
    if token.len() != 64 {
        return Ok(None);
    }
    let token = digest(token);
    if lock {
        sqlx::query_as!(
            Invitation,
            r#"SELECT i.id, i.user_id, u.email, u.full_name, i.org_id, i.expires_at
                 FROM invitations i JOIN users u ON u.id = i.user_id
                WHERE i.token = $1 AND i.kind = 'link' AND i.used_at IS NULL AND i.expires_at > now()
                  AND u.disabled_at IS NULL
                FOR UPDATE OF i"#,
            token,
        )
        .fetch_optional(conn)
        .await
    } else {
        sqlx::query_as!(
            Invitation,
            r#"SELECT i.id, i.user_id, u.email, u.full_name, i.org_id, i.expires_at
                 FROM invitations i JOIN users u ON u.id = i.user_id
                WHERE i.token = $1 AND i.kind = 'link' AND i.used_at IS NULL AND i.expires_at > now()
                  AND u.disabled_at IS NULL"#,
            token,
        )
        .fetch_optional(conn)
        .await
    }
}

/// Marks the link used and revokes every other unused link and code of its user.
pub async fn mark_invitation_used(
    conn: &mut PgConnection,
    id: Uuid,
    user_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!("UPDATE invitations SET used_at = now() WHERE id = $1", id,)
        .execute(&mut *conn)
        .await?;
    revoke_links(conn, user_id).await
}
