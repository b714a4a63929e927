//! A mentee's individual plan (`/o/{slug}/pairs/{pair}/plan/{person}`; `/plan` opens the first
//! visible mentee's): the self-analysis and joint analysis, strengths and growth zones, the
//! priority sphere and the stages the plan follows; the goals; the history of every change.
//! Printable. Every view is in the audit trail (it is a child's data).

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::{Scope, scope};
use crate::error::{AppError, AppResult};
use crate::people::Side;
use crate::plans::{AnalysisForm, GoalFields};
use crate::plans::{model, repo};
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, Form, FormErrors, choices, ru_date, settle};
use crate::web::ids::{PairId, PersonId};
use crate::web::view::LinkLine;

pub struct GoalView {
    pub id: String,
    pub action: String,
    pub title: String,
    pub horizon: &'static str,
    pub sphere: &'static str,
    pub stage: &'static str,
    pub expected: String,
    pub measure: String,
    pub steps: String,
    pub due: String,
    pub status: &'static str,
    pub progress: i16,
    pub form: GoalForm,
}

/// One change of the plan: when, who, what.
pub struct HistoryLine {
    pub at: String,
    pub who: String,
    pub what: String,
}

/// A goal's fields as typed (for a new goal, or an edit that failed) with the form's choices;
/// the page reads the fields through it (`form.title`).
#[derive(Clone, Debug, Default)]
pub struct GoalForm {
    pub fields: GoalFields,
    pub horizons: Vec<Choice>,
    pub spheres: Vec<Choice>,
    pub stages: Vec<Choice>,
    pub statuses: Vec<Choice>,
}

impl std::ops::Deref for GoalForm {
    type Target = GoalFields;
    fn deref(&self) -> &GoalFields {
        &self.fields
    }
}

impl From<GoalFields> for GoalForm {
    fn from(fields: GoalFields) -> Self {
        GoalForm {
            fields,
            ..Default::default()
        }
    }
}

impl GoalForm {
    pub(super) fn with_choices(mut self, stage_model: &str) -> Self {
        self.horizons = choices(&model::Horizon::table(), &self.horizon);
        self.spheres = choices(&model::Sphere::table(), &self.sphere);
        self.stages = choices(model::stages(stage_model), &self.stage);
        self.statuses = choices(&model::GoalStatus::table(), &self.status);
        self
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/plan.html")]
pub struct PlanPage {
    pub ctx: PageCtx,
    pub title: String,
    pub mentee: String,
    pub others: Vec<LinkLine>,
    pub can_write: bool,
    pub meetings: String,
    pub diary: String,
    pub analysis_action: String,
    pub goals_action: String,
    pub self_analysis: String,
    pub joint_analysis: String,
    pub strengths: String,
    pub growth_zones: String,
    pub sphere: String,
    pub sphere_label: &'static str,
    pub spheres: Vec<Choice>,
    pub stage_models: Vec<Choice>,
    pub stage_model: &'static str,
    pub stages: Vec<&'static str>,
    pub progress: String,
    pub goals: Vec<GoalView>,
    pub new_goal: GoalForm,
    pub errors: FormErrors,
    /// The goal whose edit failed (its form opens).
    pub failed: String,
    pub history: Vec<HistoryLine>,
}

/// What a failed POST brings back into the page.
#[derive(Default)]
pub(super) struct Retry {
    pub new_goal: Option<GoalForm>,
    pub edit: Option<(Uuid, GoalForm)>,
    pub errors: FormErrors,
}

pub(super) async fn page(
    org: &OrgCtx,
    s: &Scope,
    person: Uuid,
    retry: Retry,
) -> AppResult<PlanPage> {
    let (_, name) = s.mentee(person)?.clone();
    let mut conn = org.conn().await?;
    let plan = repo::plan_of(&mut conn, org.org.id, s.row.id, person).await?;
    let goals = repo::goals(&mut conn, org.org.id, plan.id).await?;
    let history = repo::history(&mut conn, org.org.id, plan.id).await?;
    crate::audit::record(
        &mut conn,
        org,
        "plan.view",
        Some(person),
        &format!("пара {}", s.row.id),
    )
    .await?;
    drop(conn);
    let p = org.paths();
    let mentor = s
        .row
        .members
        .iter()
        .filter(|m| m.role == Side::Mentor)
        .map(|m| m.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let progress = model::progress(
        &goals
            .iter()
            .map(|g| (g.status, g.progress))
            .collect::<Vec<_>>(),
    );
    let Retry {
        new_goal,
        edit,
        errors,
    } = retry;
    Ok(PlanPage {
        ctx: org.page("Индивидуальный план", "programs"),
        title: format!("Индивидуальный план развития: {name}"),
        mentee: format!("Наставляемый: {name}. Наставник: {mentor}."),
        others: s
            .mentees
            .iter()
            .filter(|m| m.0 != person)
            .map(|m| LinkLine {
                url: p.plan_of(s.row.id, m.0),
                title: m.1.clone(),
                note: String::new(),
            })
            .collect(),
        can_write: s.can_write(),
        meetings: p.meetings(s.row.id),
        diary: p.diary(s.row.id),
        analysis_action: p.plan_of(s.row.id, person),
        goals_action: p.plan_goals(s.row.id, person),
        sphere_label: model::Sphere::label_of(&plan.sphere),
        spheres: choices(&model::Sphere::table(), &plan.sphere),
        stage_models: choices(&model::STAGE_MODELS, &plan.stages),
        stage_model: model::label(&model::STAGE_MODELS, &plan.stages),
        stages: model::stages(&plan.stages).iter().map(|s| s.1).collect(),
        progress: progress
            .map(|n| format!("{n} %"))
            .unwrap_or_else(|| "—".into()),
        failed: edit.as_ref().map(|e| e.0.to_string()).unwrap_or_default(),
        goals: goals
            .iter()
            .map(|g| {
                let form = match &edit {
                    Some((id, f)) if *id == g.id => f.clone(),
                    _ => GoalForm::from(GoalFields {
                        title: g.title.clone(),
                        horizon: g.horizon.code().into(),
                        sphere: g.sphere.code().into(),
                        stage: g.stage.clone(),
                        expected: g.expected.clone(),
                        measure: g.measure.clone(),
                        steps: g.steps.clone(),
                        due_on: g.due_on.map(|d| d.to_string()).unwrap_or_default(),
                        status: g.status.code().into(),
                        progress: g.progress.to_string(),
                    }),
                };
                GoalView {
                    id: g.id.to_string(),
                    action: p.plan_goal(s.row.id, person, g.id),
                    title: g.title.clone(),
                    horizon: g.horizon.label(),
                    sphere: g.sphere.label(),
                    stage: model::label(model::stages(&plan.stages), &g.stage),
                    expected: g.expected.clone(),
                    measure: g.measure.clone(),
                    steps: g.steps.clone(),
                    due: g.due_on.map(ru_date).unwrap_or_default(),
                    status: g.status.label(),
                    progress: if g.status == model::GoalStatus::Done {
                        100
                    } else {
                        g.progress
                    },
                    form: form.with_choices(&plan.stages),
                }
            })
            .collect(),
        new_goal: new_goal
            .unwrap_or_else(|| {
                GoalForm::from(GoalFields {
                    horizon: "months".into(),
                    sphere: if plan.sphere.is_empty() {
                        "study".into()
                    } else {
                        plan.sphere.clone()
                    },
                    status: model::GoalStatus::New.code().into(),
                    progress: "0".into(),
                    ..Default::default()
                })
            })
            .with_choices(&plan.stages),
        errors,
        history: history
            .into_iter()
            .map(|(at, who, what)| HistoryLine {
                at: org.org.local(at).format("%d.%m.%Y %H:%M").to_string(),
                who,
                what,
            })
            .collect(),
        self_analysis: plan.self_analysis,
        joint_analysis: plan.joint_analysis,
        strengths: plan.strengths,
        growth_zones: plan.growth_zones,
        sphere: plan.sphere,
    })
}

/// `/pairs/{pair}/plan`: the first visible mentee's plan.
pub async fn first_plan(org: OrgCtx, PairId(pair): PairId) -> AppResult<Response> {
    let s = scope(&org, pair).await?;
    let first = s.mentees.first().ok_or(AppError::NotFound)?.0;
    Ok(axum::response::Redirect::to(&org.paths().plan_of(pair, first)).into_response())
}

pub async fn plan(
    org: OrgCtx,
    PairId(pair): PairId,
    PersonId(person): PersonId,
) -> AppResult<PlanPage> {
    let s = scope(&org, pair).await?;
    page(&org, &s, person, Retry::default()).await
}

/// The analysis part: saved as a whole by the command [`crate::plans::save_analysis`], the
/// change kept in the history.
pub async fn save_analysis(
    org: OrgCtx,
    PairId(pair): PairId,
    PersonId(person): PersonId,
    Form(form): Form<AnalysisForm>,
) -> AppResult<Response> {
    let s = scope(&org, pair).await?;
    s.mentee(person)?;
    if !s.can_write() {
        return Err(AppError::Forbidden);
    }
    let mut tx = org.begin().await?;
    let done = crate::plans::save_analysis(&mut tx, &org.actor(), (pair, person), &form).await;
    settle(
        tx,
        done,
        |()| org.flash(&org.paths().plan_of(pair, person), "План сохранён."),
        |errors| {
            let retry = Retry {
                errors,
                ..Default::default()
            };
            page(&org, &s, person, retry)
        },
    )
    .await
}
