use askama::Template;
use askama_web::WebTemplate;

use crate::web::PageCtx;
use crate::web::forms::FormErrors;

#[derive(Template, WebTemplate)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub email: String,
    pub error: String,
    pub remember: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/invite.html")]
pub struct InvitePage {
    pub ctx: PageCtx,
    pub token: String,
    pub email: String,
    pub full_name: String,
    pub org_name: Option<String>,
    pub errors: FormErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/invite_invalid.html")]
pub struct InviteInvalidPage {
    pub ctx: PageCtx,
}

pub struct OrgChoice {
    pub slug: String,
    pub short_name: String,
    pub roles: String,
}

pub struct PendingChoice {
    pub id: String,
    pub org_name: String,
    pub roles: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/chooser.html")]
pub struct ChooserPage {
    pub ctx: PageCtx,
    pub pending: Vec<PendingChoice>,
    pub orgs: Vec<OrgChoice>,
}
