//! Tenancy: the session layer (who asks, and on an organization's page its seat in one
//! statement), organizations, memberships and roles (with invitations of existing accounts), the
//! members page, the organization's settings, the platform admin's pages. Other domains use the
//! functions re-exported here.

pub mod actor;
pub mod ctx;
pub mod model;
pub mod pages;
pub mod repo;
pub mod session;

pub use actor::Actor;
pub use ctx::OrgCtx;
pub use model::Organization;
pub use repo::{
    Invite, NewOrg, account_is_shared, grant_roles, insert_org, invite_existing, is_member,
    member_count, member_names, member_roles, members_with_role, org_by_id, org_by_slug, org_zones,
    orgs_of_user, other_memberships, pending_of_user, session_seat, take_pending,
};
