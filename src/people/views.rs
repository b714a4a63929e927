use askama::Template;
use askama_web::WebTemplate;

use crate::web::PageCtx;
use crate::web::forms::FormErrors;

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct PersonLine {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub class_name: String,
    pub tags: String,
    pub consent_ok: bool,
    pub minor: bool,
    pub hidden: bool,
    pub programs: String,
    pub has_account: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/list.html")]
pub struct PeoplePage {
    pub ctx: PageCtx,
    pub base: String,
    pub tab: String,
    pub heading: &'static str,
    pub rows: Vec<PersonLine>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub q: String,
    pub kinds: Vec<Opt>,
    pub classes: Vec<Opt>,
    pub tags: Vec<Opt>,
    pub programs: Vec<Opt>,
    pub statuses: Vec<Opt>,
    pub consent: String,
    pub sort: String,
    /// The query string without `page`, for pagination links.
    pub query: String,
    pub can_edit: bool,
    pub questionnaires: Vec<Opt>,
}

/// The person form, with the user's input kept.
#[derive(Clone, Debug, Default)]
pub struct PersonForm {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub kind: String,
    pub class_name: String,
    pub birth_date: String,
    pub subjects: String,
    pub experience_years: String,
    pub position: String,
    pub partner_org: String,
    pub email: String,
    pub phone: String,
    pub notes: String,
    pub in_mentor_base: bool,
    pub in_mentee_base: bool,
    pub tags: Vec<String>,
    pub version: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/form.html")]
pub struct PersonFormPage {
    pub ctx: PageCtx,
    pub heading: String,
    pub action: String,
    pub cancel: String,
    pub form: PersonForm,
    pub errors: FormErrors,
    pub kinds: Vec<Opt>,
    pub mentee_tags: Vec<Opt>,
    pub mentor_tags: Vec<Opt>,
    pub consent_ok: bool,
    pub consent_note: String,
    pub conflict: bool,
}

pub struct ConsentLine {
    pub id: String,
    pub who: String,
    pub given_on: String,
    pub scope: String,
    pub document_ref: String,
    pub withdrawn_on: String,
}

pub struct RequestLine {
    pub text: String,
    pub source: &'static str,
    pub date: String,
}

pub struct EnrolmentLine {
    pub program_id: String,
    pub program_name: String,
    pub role: &'static str,
    pub status: &'static str,
    pub joined_on: String,
    pub trainings: String,
}

#[derive(Clone, Debug, Default)]
pub struct ConsentForm {
    pub given_by: String,
    pub representative_name: String,
    pub representative_relation: String,
    pub given_on: String,
    pub scope: String,
    pub document_ref: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/card.html")]
pub struct PersonPage {
    pub ctx: PageCtx,
    pub base: String,
    pub id: String,
    pub name: String,
    pub hidden: bool,
    pub props: Vec<(&'static str, String)>,
    pub tags: Vec<String>,
    pub consent_ok: bool,
    pub consent_problem: String,
    pub minor: bool,
    pub consents: Vec<ConsentLine>,
    pub requests: Vec<RequestLine>,
    pub enrolments: Vec<EnrolmentLine>,
    pub programs: Vec<Opt>,
    pub sources: Vec<Opt>,
    pub relations: Vec<&'static str>,
    pub consent_form: ConsentForm,
    pub errors: FormErrors,
    pub can_edit: bool,
    pub has_account: bool,
    pub login: String,
    pub code: String,
    /// (link, title, status) of the person's questionnaires.
    pub answers: Vec<(String, String, &'static str)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/import.html")]
pub struct ImportPage {
    pub ctx: PageCtx,
    pub base: String,
    pub error: String,
    pub kinds: Vec<Opt>,
}

pub struct PreviewRow {
    pub line: usize,
    pub name: String,
    pub birth: String,
    pub class_name: String,
    pub email: String,
    pub state: &'static str,
    pub problems: String,
}

pub struct ColumnMap {
    pub index: usize,
    pub header: String,
    pub options: Vec<Opt>,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/preview.html")]
pub struct PreviewPage {
    pub ctx: PageCtx,
    pub base: String,
    pub upload_id: String,
    pub filename: String,
    pub kind: String,
    pub kind_label: &'static str,
    pub columns: Vec<ColumnMap>,
    pub usable: bool,
    pub rows: Vec<PreviewRow>,
    pub total: usize,
    pub new_rows: usize,
    pub duplicates: usize,
    pub broken: usize,
    pub has_personal_columns: bool,
    pub today: String,
    pub millis: u128,
}

pub struct ParticipantLine {
    pub enrolment_id: String,
    pub person_id: String,
    pub name: String,
    pub class_name: String,
    pub status: String,
    pub status_label: &'static str,
    pub attended: i64,
}

pub struct TrainingLine {
    pub id: String,
    pub date: String,
    pub topic: String,
    pub attendees: Vec<String>,
    pub count: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/participants.html")]
pub struct ParticipantsPage {
    pub ctx: PageCtx,
    pub base: String,
    pub program_url: String,
    pub program_name: String,
    pub mentors: Vec<ParticipantLine>,
    pub mentees: Vec<ParticipantLine>,
    pub mentor_statuses: Vec<(&'static str, &'static str)>,
    pub mentee_statuses: Vec<(&'static str, &'static str)>,
    pub trainings: Vec<TrainingLine>,
    pub earlier: Vec<(String, String, String)>,
    pub can_edit: bool,
    pub today: String,
    pub trainings_total: usize,
}

pub struct Slip {
    pub name: String,
    pub class_name: String,
    pub login: String,
    pub code: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/slips.html")]
pub struct SlipsPage {
    pub ctx: PageCtx,
    pub base: String,
    pub class_name: String,
    pub classes: Vec<Opt>,
    pub slips: Vec<Slip>,
    /// (name, invitation link) issued just now.
    pub links: Vec<(String, String)>,
    pub notes: Vec<String>,
    pub refused: Vec<String>,
    /// Whether this page shows what was just issued (else it offers to issue).
    pub issued: bool,
    pub days: i64,
    pub day_choices: Vec<i64>,
    pub site: String,
}
