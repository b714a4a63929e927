use askama::Template;
use askama_web::WebTemplate;

use crate::web::PageCtx;
use crate::web::forms::FormErrors;

pub struct ProgramCard {
    pub id: String,
    pub name: String,
    pub form_title: String,
    pub dates: String,
    pub status: String,
    pub status_label: &'static str,
    pub percent: i64,
    pub done: i64,
    pub total: i64,
    pub overdue: i64,
    pub curator: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "programs/list.html")]
pub struct ProgramsPage {
    pub ctx: PageCtx,
    pub base: String,
    pub programs: Vec<ProgramCard>,
    pub can_create: bool,
    pub is_staff: bool,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct VariantGroup {
    pub form_title: String,
    pub form_code: String,
    pub variants: Vec<Choice>,
}

/// The program form, with the user's input kept.
#[derive(Clone, Debug, Default)]
pub struct ProgramForm {
    pub name: String,
    pub form_code: String,
    pub variants: Vec<String>,
    pub goal: String,
    pub description: String,
    pub starts_on: String,
    pub ends_on: String,
    pub status: String,
    pub curator: String,
    pub version: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "programs/form.html")]
pub struct ProgramFormPage {
    pub ctx: PageCtx,
    pub heading: String,
    pub action: String,
    pub cancel: String,
    pub form: ProgramForm,
    pub errors: FormErrors,
    pub forms: Vec<Choice>,
    pub variant_groups: Vec<VariantGroup>,
    pub statuses: Vec<Choice>,
    pub curators: Vec<Choice>,
    pub conflict: bool,
    pub no_org_forms: bool,
}

pub struct StageSummary {
    pub number: i32,
    pub title: String,
    pub done: i64,
    pub total: i64,
    pub percent: i64,
    pub overdue: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "programs/show.html")]
pub struct ProgramPage {
    pub ctx: PageCtx,
    pub base: String,
    pub id: String,
    pub name: String,
    pub status: String,
    pub status_label: &'static str,
    pub dates: String,
    pub curator: String,
    pub goal: String,
    pub description: String,
    pub form_title: String,
    pub form_goal: String,
    pub form_tasks: Vec<String>,
    pub form_results: Vec<String>,
    pub mentor_side: String,
    pub mentee_side: String,
    pub variants: Vec<(String, String)>,
    pub stages: Vec<StageSummary>,
    pub percent: i64,
    pub done: i64,
    pub total: i64,
    pub overdue: i64,
    pub can_edit: bool,
}

#[derive(Clone)]
pub struct TaskView {
    pub id: String,
    pub code: String,
    pub title: String,
    pub period: String,
    pub due: String,
    pub overdue: bool,
    pub status: String,
    pub status_label: &'static str,
    pub responsible: String,
    pub version: i32,
    pub updated: String,
    pub note: String,
}

pub struct StageView {
    pub id: String,
    pub number: i32,
    pub title: String,
    pub task_text: String,
    pub result_text: String,
    pub done: i64,
    pub total: i64,
    pub percent: i64,
    pub tasks: Vec<TaskView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "programs/roadmap.html")]
pub struct RoadmapPage {
    pub ctx: PageCtx,
    pub base: String,
    pub program_url: String,
    pub program_name: String,
    pub stages: Vec<StageView>,
    pub percent: i64,
    pub done: i64,
    pub total: i64,
    pub overdue: i64,
    pub can_edit: bool,
    pub csrf: String,
    pub statuses: Vec<(&'static str, &'static str)>,
}

/// One task row, swapped in place by htmx after a status change.
#[derive(Template, WebTemplate)]
#[template(path = "programs/_task.html")]
pub struct TaskPartial {
    pub task: TaskView,
    pub base: String,
    pub can_edit: bool,
    pub csrf: String,
    pub statuses: Vec<(&'static str, &'static str)>,
}

#[derive(Clone, Debug, Default)]
pub struct TaskForm {
    pub title: String,
    pub due_on: String,
    pub responsible_role: String,
    pub responsible_user: String,
    pub status: String,
    pub version: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "programs/task_form.html")]
pub struct TaskFormPage {
    pub ctx: PageCtx,
    pub heading: String,
    pub stage_title: String,
    pub code: String,
    pub period: String,
    pub action: String,
    pub delete_action: String,
    pub cancel: String,
    pub form: TaskForm,
    pub errors: FormErrors,
    pub roles: Vec<Choice>,
    pub people: Vec<Choice>,
    pub statuses: Vec<Choice>,
    /// Set on a concurrent edit: what is saved now.
    pub conflict: Option<String>,
}
