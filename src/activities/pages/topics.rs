//! Topic requests of a program (`/programs/{program}/topics`): a participant proposes a topic
//! (the seed's «анкета "Прогресс"»); the curator sees them all and turns one into an activity
//! (the form opens with the topic filled in). Participants see their own requests.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::Response;

use crate::activities::repo;
use crate::auth::model::Role;
use crate::error::AppResult;
use crate::paths::ProgramPaths;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;
use crate::web::forms::ru_date;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TopicsForm {
    pub text: String,
}

pub struct TopicLine {
    pub text: String,
    pub who: String,
    pub when: String,
    pub make: String,
    pub done: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "activities/topics.html")]
pub struct TopicsPage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub program_name: String,
    pub is_curator: bool,
    pub topics: Vec<TopicLine>,
}

pub async fn topics(pc: ProgramCtx) -> AppResult<TopicsPage> {
    let pc = pc.viewable().await?;
    let org = &pc.org;
    let mut conn = org.conn().await?;
    let all = repo::topics(&mut conn, org.org.id, pc.program.id).await?;
    drop(conn);
    let prog = org.paths().in_program(pc.program.id);
    let staff = org.is_staff();
    Ok(TopicsPage {
        ctx: org.page(format!("Темы — {}", pc.program.name), "programs"),
        program_name: pc.program.name.clone(),
        is_curator: org.has(Role::Curator),
        topics: all
            .into_iter()
            .filter(|t| staff || t.user_id == Some(org.user.id))
            .map(|t| TopicLine {
                make: format!("{}?topic={}", prog.activity_new(), t.id),
                done: t
                    .activity_id
                    .zip(t.activity_starts)
                    .map(|(a, at)| org.paths().activity(a, org.org.local(at).date_naive()))
                    .unwrap_or_default(),
                text: t.text,
                who: t.who,
                when: ru_date(org.org.local(t.created_at).date_naive()),
            })
            .collect(),
        prog,
    })
}

pub async fn propose(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<TopicsForm>,
) -> AppResult<Response> {
    let pc = pc.viewable().await?;
    let org = &pc.org;
    let back = org.paths().in_program(pc.program.id).topics();
    let mut tx = org.begin().await?;
    match crate::activities::propose_topic(&mut tx, &org.actor(), pc.program.id, &data.text).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(org.flash(&back, "Спасибо! Куратор увидит вашу тему."))
        }
        Err(crate::web::forms::Refused::Invalid(e)) => Ok(org.flash_error(&back, &e.first())),
        Err(crate::web::forms::Refused::Failed(e)) => Err(e),
    }
}
