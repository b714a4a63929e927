use askama::Template;
use askama_web::WebTemplate;

use crate::web::PageCtx;
use crate::web::forms::FormErrors;

pub struct ProgramLine {
    pub id: String,
    pub name: String,
    pub form_title: String,
    pub status: String,
    pub status_label: &'static str,
    pub percent: i64,
    pub overdue: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "tenancy/home.html")]
pub struct HomePage {
    pub ctx: PageCtx,
    pub base: String,
    pub full_name: String,
    pub kind_label: &'static str,
    pub municipality: String,
    pub region: String,
    pub is_staff: bool,
    pub is_curator: bool,
    pub programs: Vec<ProgramLine>,
    pub members: usize,
    pub students_count: i32,
    pub teachers_count: i32,
    pub forms: Vec<String>,
    /// «Мои анкеты»: (link, title, program, deadline, status label, done).
    pub my_forms: Vec<(String, String, String, String, &'static str, bool)>,
    /// (link, program: partners, status, waiting for my answer)
    pub my_pairs: Vec<(String, String, String, bool)>,
    pub notifications: Vec<(String, String)>,
}

pub struct MemberView {
    pub user_id: String,
    pub full_name: String,
    pub email: String,
    pub roles_label: String,
    pub roles: Vec<&'static str>,
    pub active: bool,
    /// «ссылка действует до …» / «ссылки нет» for this organization's link.
    pub invite_state: String,
    /// Whether this organization may issue them a new link (no password, no other
    /// organization, no role above the viewer's).
    pub can_reissue: bool,
    /// Whether the viewer may change their roles (no role above the viewer's).
    pub can_edit: bool,
}

pub struct PendingView {
    pub id: String,
    pub email: String,
    pub typed_name: String,
    pub roles_label: String,
    pub created: String,
}

#[derive(Clone, Debug, Default)]
pub struct MemberForm {
    pub email: String,
    pub full_name: String,
    pub roles: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "tenancy/members.html")]
pub struct MembersPage {
    pub ctx: PageCtx,
    pub base: String,
    pub members: Vec<MemberView>,
    pub pending: Vec<PendingView>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub form: MemberForm,
    pub errors: FormErrors,
    pub roles: Vec<(&'static str, &'static str)>,
}

#[derive(Clone, Debug, Default)]
pub struct OrgForm {
    pub slug: String,
    pub full_name: String,
    pub short_name: String,
    pub kind: String,
    pub municipality: String,
    pub region: String,
    pub students_count: String,
    pub teachers_count: String,
    pub forms: Vec<String>,
    pub director_email: String,
    pub director_name: String,
    pub curator_email: String,
    pub curator_name: String,
}

pub struct FormChoice {
    pub code: String,
    pub title: String,
    pub family: String,
    pub checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "tenancy/settings.html")]
pub struct SettingsPage {
    pub ctx: PageCtx,
    pub base: String,
    pub slug: String,
    pub form: OrgForm,
    pub errors: FormErrors,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub forms: Vec<FormChoice>,
}

pub struct OrgLine {
    pub id: String,
    pub slug: String,
    pub short_name: String,
    pub kind_label: &'static str,
    pub members: i64,
    pub programs: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/orgs.html")]
pub struct AdminOrgsPage {
    pub ctx: PageCtx,
    pub orgs: Vec<OrgLine>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/org_new.html")]
pub struct AdminOrgNewPage {
    pub ctx: PageCtx,
    pub form: OrgForm,
    pub errors: FormErrors,
    pub kinds: Vec<(&'static str, &'static str)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/org_show.html")]
pub struct AdminOrgPage {
    pub ctx: PageCtx,
    pub slug: String,
    pub full_name: String,
    pub kind_label: &'static str,
    pub members: Vec<MemberView>,
}
