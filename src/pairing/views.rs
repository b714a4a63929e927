use askama::Template;
use askama_web::WebTemplate;

use crate::web::PageCtx;

pub struct PartView {
    pub label: &'static str,
    pub percent: u32,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct PairView {
    pub mentor_id: String,
    pub mentor: String,
    pub mentee_id: String,
    pub mentee: String,
    pub mentee_class: String,
    pub score: u32,
    pub explanation: String,
    pub parts: Vec<PartView>,
    /// The mentor choice for this mentee: proposed, alternatives, «не принимать».
    pub choices: Vec<Choice>,
    /// Mentor Match: «взаимный первый выбор» / «пожелания совпали» / «устойчивое распределение».
    pub badge: &'static str,
}

pub struct UnpairedView {
    pub name: String,
    pub reason: String,
    pub alternatives: Vec<(String, u32)>,
}

pub struct Opt {
    pub value: String,
    pub label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pairing/proposal.html")]
pub struct ProposalPage {
    pub ctx: PageCtx,
    pub program_url: String,
    pub program_name: String,
    pub can_edit: bool,
    /// "questionnaires" or "mentor_match".
    pub scheme: &'static str,
    pub objective: &'static str,
    pub min_score: u32,
    pub weights_line: String,
    pub default_line: String,
    pub pairs: Vec<PairView>,
    pub unpaired: Vec<UnpairedView>,
    pub total: String,
    pub average: u32,
    pub mentors: usize,
    pub mentees: usize,
    pub fixed: usize,
    pub millis: u128,
    pub errors: Vec<String>,
    pub mutual: usize,
    pub wishes: usize,
}

pub struct SettingRow {
    pub code: &'static str,
    pub label: &'static str,
    pub value: u32,
    pub default: u32,
}

pub struct CapacityRow {
    pub person_id: String,
    pub name: String,
    pub capacity: u32,
    pub answered: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pairing/settings.html")]
pub struct SettingsPage {
    pub ctx: PageCtx,
    pub program_url: String,
    pub program_name: String,
    pub form_title: String,
    pub rows: Vec<SettingRow>,
    pub objective: &'static str,
    pub min_score: String,
    pub rule_kind: &'static str,
    pub rule_gap: String,
    pub rule_default: i32,
    pub same_subject: bool,
    pub version: i32,
    pub capacities: Vec<CapacityRow>,
    pub forbidden: Vec<(String, String)>,
    pub errors: Vec<String>,
}

pub struct MemberView {
    pub person_id: String,
    pub name: String,
    pub class_name: String,
    pub role_label: &'static str,
    pub answer_label: &'static str,
    pub answered: bool,
    pub on_paper: bool,
    pub comment: String,
}

pub struct UnitView {
    pub id: String,
    pub status: String,
    pub status_label: &'static str,
    pub scheme_label: &'static str,
    pub score: String,
    pub explanation: String,
    pub created: String,
    pub members: Vec<MemberView>,
    pub group: bool,
    pub program_name: String,
    pub my_answer: &'static str,
    pub waiting_for_me: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pairing/pairs.html")]
pub struct PairsPage {
    pub ctx: PageCtx,
    pub program_url: String,
    pub program_name: String,
    pub can_edit: bool,
    pub units: Vec<UnitView>,
    pub mentors: Vec<Opt>,
    pub mentees: Vec<Opt>,
    pub chosen_mentor: String,
    pub chosen_mentee: String,
    pub counts: (usize, usize, usize),
}

#[derive(Template, WebTemplate)]
#[template(path = "pairing/mine.html")]
pub struct MyPairPage {
    pub ctx: PageCtx,
    pub unit: UnitView,
    pub action: String,
    pub home: String,
    pub partners: Vec<MemberView>,
}
