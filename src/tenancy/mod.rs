//! Tenancy: the session layer (who asks, and on an organization's page its seat in one
//! statement), organizations, memberships and roles (with invitations of existing accounts).
//! Other domains use the functions re-exported here. Its pages — members, the organization's
//! settings, the platform admin's — are `home::pages::org`: they gather tenancy, audit,
//! notifications, programs and questionnaires.

pub mod actor;
pub mod card;
pub mod ctx;
pub mod forget;
pub mod model;
pub mod names;
pub mod repo;
pub mod session;

pub use actor::Actor;
pub use card::OrgForm;
pub use ctx::OrgCtx;
pub use model::Organization;
pub use names::org_names;
pub use repo::{
    Invite, Member, NewOrg, account_is_shared, documents, grant_roles, insert_org, invite_existing,
    is_member, list_orgs, member_count, member_names, member_roles, members, members_with_role,
    org_by_id, org_by_slug, org_zones, orgs_of_user, other_memberships, pending_of_org,
    pending_of_user, revoke_pending, session_seat, set_documents, set_roles, shared_accounts,
    take_pending, update_org,
};
