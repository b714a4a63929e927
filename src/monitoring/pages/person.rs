//! One participant's monitoring (`/programs/{program}/monitoring/person/{person}`): each
//! parameter of their role with the entry and final values and the change. Curators and
//! directors; viewing a child's values is recorded in the audit trail.

use askama::Template;
use askama_web::WebTemplate;

use crate::error::{AppError, AppResult};
use crate::monitoring::{model, repo};
use crate::paths::ProgramPaths;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;
use crate::web::ids::PersonId;

pub struct ValueLine {
    pub title: String,
    pub before: String,
    pub after: String,
    pub change: String,
    pub better: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "monitoring/person.html")]
pub struct PersonPage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub name: String,
    pub lines: Vec<ValueLine>,
}

pub async fn person(pc: ProgramCtx, PersonId(id): PersonId) -> AppResult<PersonPage> {
    let pc = pc.staff()?;
    let org = &pc.org;
    let mut conn = org.conn().await?;
    let who = repo::people(&mut conn, org.org.id, pc.program.id)
        .await?
        .into_iter()
        .find(|p| p.person_id == id)
        .ok_or(AppError::NotFound)?;
    let params = repo::parameters(&mut conn, org.org.id, pc.program.id).await?;
    let values = repo::measurements(&mut conn, org.org.id, pc.program.id).await?;
    crate::audit::record(
        &mut conn,
        org,
        "monitoring.view",
        Some(id),
        &format!("программа {}", pc.program.id),
    )
    .await?;
    drop(conn);
    let value = |param: uuid::Uuid, stage: &str| {
        values
            .iter()
            .find(|v| v.0 == param && v.1 == id && v.2 == stage)
            .map(|v| v.3)
    };
    Ok(PersonPage {
        ctx: org.page(format!("Мониторинг: {}", who.name), "programs"),
        prog: org.paths().in_program(pc.program.id),
        lines: params
            .iter()
            .filter(|p| p.role == who.role)
            .map(|p| {
                let (b, a) = (value(p.id, "entry"), value(p.id, "final"));
                let change = b.zip(a).map(|(b, a)| a - b);
                ValueLine {
                    title: p.title.clone(),
                    before: model::fmt(b),
                    after: model::fmt(a),
                    change: change
                        .map(|c| {
                            format!("{}{}", if c > 0.0 { "+" } else { "" }, model::fmt(Some(c)))
                        })
                        .unwrap_or_else(|| "—".into()),
                    better: change
                        .is_some_and(|c| if p.higher_is_better { c > 0.0 } else { c < 0.0 }),
                }
            })
            .collect(),
        name: who.name,
    })
}
