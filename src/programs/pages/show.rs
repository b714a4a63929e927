//! The program's page: its form and variants, goal, dates, curator and the roadmap by stage.

use super::*;

pub async fn show(pc: ProgramCtx) -> AppResult<ProgramPage> {
    let ProgramCtx { org, program: p } = pc.viewable().await?;
    let mut conn = org.conn().await?;
    let form = repo::form(&mut conn, &p.form_code)
        .await?
        .ok_or(AppError::NotFound)?;
    let variants = repo::program_variants(&mut conn, org.org.id, p.id).await?;
    let stages = crate::programs::roadmap::stages(&mut conn, org.org.id, p.id).await?;
    let tasks = crate::programs::roadmap::tasks(&mut conn, org.org.id, p.id).await?;
    let now = org.org.today();
    let stages = stages
        .into_iter()
        .map(|s| {
            let (done, total, overdue) = crate::programs::roadmap::stage_counts(&tasks, s.id, now);
            StageSummary {
                number: s.number,
                title: s.title,
                done,
                total,
                percent: percent(done, total),
                overdue,
            }
        })
        .collect();
    Ok(ProgramPage {
        ctx: org.page(p.name.clone(), "programs"),
        id: p.id.to_string(),
        status: p.status,
        dates: dates(p.starts_on, p.ends_on),
        curator: p.curator_name.unwrap_or_else(|| "не назначен".into()),
        goal: p.goal,
        description: p.description,
        form_title: form.title,
        form_goal: form.goal,
        form_tasks: form.tasks,
        form_results: form.results,
        mentor_side: form.mentor_side,
        mentee_side: form.mentee_side,
        variants: crate::web::view::props(variants.into_iter().map(|v| (v.title, v.goal))),
        stages,
        percent: percent(p.tasks_done, p.tasks_total),
        done: p.tasks_done,
        total: p.tasks_total,
        overdue: p.tasks_overdue,
        can_edit: org.has(Role::Curator),
        staff: org.is_staff(),
        name: p.name,
    })
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
    pub id: String,
    pub name: String,
    pub status: ProgramStatus,
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
    pub variants: Vec<crate::web::view::Prop>,
    pub stages: Vec<StageSummary>,
    pub percent: i64,
    pub done: i64,
    pub total: i64,
    pub overdue: i64,
    pub can_edit: bool,
    /// Curator or director: the pairs at work (health, orders).
    pub staff: bool,
}
