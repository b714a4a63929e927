//! The mentors' rating of a program (`/programs/{program}/rating`): for each mentor the average
//! of the ratings from their activities' feedback and from their pairs' meeting feedback, the
//! number of answers, the trend by month, the attendance of the activities they led, and the
//! comments. A rating shows only from the minimum number of answers, with the number beside it.
//! The curator and the director always see it (names and comments); participants only when the
//! curator publishes it — without the mentors below the minimum, without names if anonymous, and
//! comments only if published too.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::Response;

use crate::activities::rating::{MentorLine, mentor_lines};
use crate::activities::repo::{self, RatingSettings};
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::paths::ProgramPaths;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RatingForm {
    pub anonymous: String,
    pub comments_public: String,
    pub min_answers: String,
    pub public: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "activities/rating.html")]
pub struct RatingPage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub program_name: String,
    pub staff: bool,
    pub can_edit: bool,
    pub settings: RatingSettings,
    pub lines: Vec<MentorLine>,
    pub show_comments: bool,
}

pub async fn rating(pc: ProgramCtx) -> AppResult<RatingPage> {
    let pc = pc.viewable().await?;
    let org = &pc.org;
    let mut conn = org.conn().await?;
    let settings = repo::rating_settings(&mut conn, org.org.id, pc.program.id).await?;
    let staff = org.is_staff();
    if !staff && !settings.public {
        return Err(AppError::NotFound);
    }
    let mut lines = mentor_lines(&mut conn, org.org.id, pc.program.id, &settings).await?;
    drop(conn);
    if !staff {
        lines.retain(|l| l.enough);
        if settings.anonymous {
            for (i, l) in lines.iter_mut().enumerate() {
                l.name = format!("Наставник {}", i + 1);
            }
        }
    }
    Ok(RatingPage {
        ctx: org.page(
            format!("Рейтинг наставников — {}", pc.program.name),
            "programs",
        ),
        prog: org.paths().in_program(pc.program.id),
        program_name: pc.program.name.clone(),
        staff,
        can_edit: org.has(Role::Curator),
        show_comments: staff || settings.comments_public,
        settings,
        lines,
    })
}

pub async fn save_settings(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<RatingForm>,
) -> AppResult<Response> {
    super::curator(&pc.org)?;
    let org = &pc.org;
    let back = org.paths().in_program(pc.program.id).rating();
    let flags = (
        data.public == "1",
        data.anonymous == "1",
        data.comments_public == "1",
    );
    let mut tx = org.begin().await?;
    let actor = org.actor();
    let done = crate::activities::manage::set_rating(
        &mut tx,
        &actor,
        pc.program.id,
        flags,
        &data.min_answers,
    );
    match done.await {
        Ok(()) => {
            tx.commit().await?;
            Ok(org.flash(&back, "Настройки рейтинга сохранены."))
        }
        Err(crate::web::forms::Refused::Invalid(e)) => Ok(org.flash_error(&back, &e.first())),
        Err(crate::web::forms::Refused::Failed(e)) => Err(e),
    }
}
