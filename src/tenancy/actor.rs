//! `Actor`: who does a thing in an organization — the one argument every domain command takes
//! besides its transaction and its input. A page makes it from its `OrgCtx`
//! (`org.actor()`); the CLI, the jobs and the demo loader from the organization they act in.

use uuid::Uuid;

use super::Organization;

#[derive(Clone, Copy, Debug)]
pub struct Actor<'a> {
    pub org: &'a Organization,
    /// The account acting.
    pub user_id: Uuid,
    /// The server's public address (links in e-mails).
    pub base_url: &'a str,
    /// The client's address, for the audit trail (empty for the CLI, the jobs, the demo loader).
    pub ip: &'a str,
    /// The account's name, where a message signs with it (empty: the message names the
    /// organization only).
    pub name: &'a str,
}

impl<'a> Actor<'a> {
    pub fn new(org: &'a Organization, user_id: Uuid, base_url: &'a str) -> Self {
        Actor {
            org,
            user_id,
            base_url,
            ip: "",
            name: "",
        }
    }

    /// The same actor, signing with `name`.
    pub fn named(self, name: &'a str) -> Self {
        Actor { name, ..self }
    }

    /// The same actor, from the client at `ip`.
    pub fn from_ip(self, ip: &'a str) -> Self {
        Actor { ip, ..self }
    }

    /// The URLs of the organization's pages.
    pub fn paths(&self) -> crate::paths::Paths<'a> {
        crate::paths::Paths::of(&self.org.slug)
    }

    /// Whether the actor holds one of `roles` in the organization (read from the memberships: a
    /// command checks its own rule, whoever calls it).
    pub async fn holds(
        &self,
        conn: &mut sqlx::PgConnection,
        roles: &[crate::auth::model::Role],
    ) -> Result<bool, sqlx::Error> {
        Ok(super::member_roles(conn, self.org.id, self.user_id)
            .await?
            .unwrap_or_default()
            .iter()
            .any(|r| roles.contains(r)))
    }

    /// 403 unless the actor holds one of `roles` in the organization.
    pub async fn require(
        &self,
        conn: &mut sqlx::PgConnection,
        roles: &[crate::auth::model::Role],
    ) -> Result<(), crate::error::AppError> {
        if self.holds(conn, roles).await? {
            Ok(())
        } else {
            Err(crate::error::AppError::Forbidden)
        }
    }

    /// Today on the organization's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.org.today()
    }
}

impl crate::audit::Who for Actor<'_> {
    fn who(&self) -> (Uuid, Uuid, &str) {
        (self.org.id, self.user_id, self.ip)
    }
}
