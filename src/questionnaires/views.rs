use askama::Template;
use askama_web::WebTemplate;

use crate::web::PageCtx;

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct QLine {
    pub id: String,
    pub title: String,
    pub purpose: &'static str,
    pub version: i32,
    pub questions: i64,
    pub assignments: i64,
    pub responses: i64,
    pub template: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaires/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub base: String,
    pub items: Vec<QLine>,
    pub purposes: Vec<Opt>,
    pub can_edit: bool,
}

pub struct QView {
    pub key: String,
    pub kind: &'static str,
    pub text: String,
    pub help: String,
    pub required: bool,
    pub details: String,
    pub first: bool,
    pub last: bool,
}

pub struct SectionView {
    pub index: usize,
    pub title: String,
    pub questions: Vec<QView>,
}

pub struct AssignmentLine {
    pub id: String,
    pub who: String,
    pub deadline: String,
    pub submitted: i64,
    pub targets: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaires/show.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub base: String,
    pub id: String,
    pub title: String,
    pub purpose: String,
    pub purposes: Vec<Opt>,
    pub version: i32,
    pub answered: bool,
    pub sections: Vec<SectionView>,
    pub kinds: Vec<Opt>,
    pub programs: Vec<Opt>,
    pub assignments: Vec<AssignmentLine>,
    pub can_edit: bool,
    /// The question being edited (key) and its form values, if any.
    pub edit: Option<QuestionForm>,
    pub error: String,
}

#[derive(Clone, Debug, Default)]
pub struct QuestionForm {
    pub key: String,
    pub section: String,
    pub new_section: String,
    pub kind: String,
    pub text: String,
    pub help: String,
    pub required: bool,
    pub options: String,
    pub max_choices: String,
    pub scale_max: String,
    pub min_label: String,
    pub max_label: String,
    pub min: String,
    pub max: String,
    pub matching_key: String,
    pub rank_max: String,
}

/// A day of the availability grid: its label and (cell value, part label, checked).
pub type GridRow = (&'static str, Vec<(String, &'static str, bool)>);

/// One question on the fill form.
pub struct FillQuestion {
    pub key: String,
    pub kind: &'static str,
    pub text: String,
    pub help: String,
    pub required: bool,
    pub error: String,
    /// Options with their checked state (choices), or the scale's points.
    pub options: Vec<Opt>,
    pub value: String,
    pub min_label: String,
    pub max_label: String,
    pub min: String,
    pub max: String,
    /// Availability grid: rows of (day label, [(cell value, part label, checked)]).
    pub grid: Vec<GridRow>,
    /// Ranked choice: one select per place, each with the people and the chosen one.
    pub ranks: Vec<Vec<Opt>>,
}

pub struct FillSection {
    pub title: String,
    pub questions: Vec<FillQuestion>,
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaires/fill.html")]
pub struct FillPage {
    pub ctx: PageCtx,
    pub title: String,
    pub person: String,
    pub action: String,
    pub draft_action: String,
    pub back: String,
    pub sections: Vec<FillSection>,
    pub deadline: String,
    pub closed: bool,
    pub submitted: bool,
    pub on_behalf: bool,
    pub has_errors: bool,
    pub saved_note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaires/_saved.html")]
pub struct SavedPartial {
    pub note: String,
}

pub struct Bar {
    pub label: String,
    pub count: usize,
    pub share: u32,
    pub width: u32,
    pub y: u32,
}

pub struct QSummary {
    pub text: String,
    pub kind: &'static str,
    pub answered: usize,
    pub bars: Vec<Bar>,
    pub svg_height: u32,
    pub mean: String,
    pub median: String,
    pub texts: Vec<String>,
    pub more_texts: usize,
    pub grid: Vec<(&'static str, Vec<(usize, u32)>)>,
}

pub struct PersonRow {
    pub person_id: String,
    pub name: String,
    pub class_name: String,
    pub status: &'static str,
    pub on_behalf: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaires/results.html")]
pub struct ResultsPage {
    pub ctx: PageCtx,
    pub base: String,
    pub id: String,
    pub questionnaire_id: String,
    pub title: String,
    pub who: String,
    pub deadline: String,
    pub targets: usize,
    pub submitted: usize,
    pub drafts: usize,
    pub rate: u32,
    pub summaries: Vec<QSummary>,
    pub people: Vec<PersonRow>,
    pub missing: Vec<PersonRow>,
    pub older_versions: usize,
    pub can_edit: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaires/answers.html")]
pub struct AnswersPage {
    pub ctx: PageCtx,
    pub back: String,
    pub title: String,
    pub person: String,
    pub status: &'static str,
    pub version: i32,
    pub on_behalf: bool,
    pub rows: Vec<(String, String)>,
    /// The mentor test: (section, mean, a gap to work on).
    pub scores: Vec<(String, String, bool)>,
}
