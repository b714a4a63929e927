//! «Программы»: the organization's programs with their roadmap progress.

use super::*;

fn card(p: repo::ProgramRow) -> ProgramCard {
    ProgramCard {
        id: p.id.to_string(),
        dates: dates(p.starts_on, p.ends_on),
        status: p.status,
        percent: percent(p.tasks_done, p.tasks_total),
        done: p.tasks_done,
        total: p.tasks_total,
        overdue: p.tasks_overdue,
        curator: p.curator_name.unwrap_or_else(|| "не назначен".into()),
        name: p.name,
        form_title: p.form_title,
    }
}

pub async fn list(org: OrgCtx) -> AppResult<ProgramsPage> {
    let mut conn = org.conn().await?;
    let mut programs = repo::programs(&mut conn, org.org.id).await?;
    if !org.is_staff() {
        let mine =
            crate::programs::programs_of_persons(&mut conn, org.org.id, &org.person_ids).await?;
        programs.retain(|p| mine.contains(&p.id));
    }
    Ok(ProgramsPage {
        ctx: org.page("Программы наставничества", "programs"),
        programs: programs.into_iter().map(card).collect(),
        can_create: org.has(Role::Curator),
        is_staff: org.is_staff(),
    })
}

pub struct ProgramCard {
    pub id: String,
    pub name: String,
    pub form_title: String,
    pub dates: String,
    pub status: ProgramStatus,
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
    pub programs: Vec<ProgramCard>,
    pub can_create: bool,
    pub is_staff: bool,
}
