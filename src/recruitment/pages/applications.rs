//! A program's applications (`/programs/{program}/applications`): the two application links (for
//! mentors, for mentees) with their posters, and every application — new ones first. The curator
//! accepts one (a person without a record is added to the base with what they gave; the consent
//! is then recorded on their card as for anyone; they are enrolled in the program) or declines it
//! with a reason. The director reads.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::Response;

use crate::auth::model::Role;
use crate::error::AppResult;
use crate::paths::ProgramPaths;
use crate::people::Side;
use crate::programs::ProgramCtx;
use crate::recruitment::{Decided, Decision, model, repo};
use crate::web::PageCtx;
use crate::web::forms::{Refused, ru_date};
use crate::web::ids::Id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ApplicationsForm {
    pub action: String,
    pub kind: String,
    pub reason: String,
}

pub struct LinkView {
    pub role: &'static str,
    pub url: String,
    pub poster: String,
}

pub struct ApplicationView {
    pub action: String,
    pub name: String,
    pub role: &'static str,
    pub details: String,
    pub motivation: String,
    pub when: String,
    pub status: &'static str,
    pub open: bool,
    pub reason: String,
    pub card: String,
    pub has_account: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "recruitment/applications.html")]
pub struct ApplicationsPage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub program_name: String,
    pub can_decide: bool,
    pub links: Vec<LinkView>,
    pub applications: Vec<ApplicationView>,
}

pub async fn applications(pc: ProgramCtx) -> AppResult<ApplicationsPage> {
    pc.org.require_staff()?;
    let org = &pc.org;
    let mut tx = org.begin().await?;
    let mut links = Vec::new();
    let prog = org.paths().in_program(pc.program.id);
    for (role, label) in model::ROLES {
        let token = repo::link(&mut tx, org.org.id, pc.program.id, role).await?;
        links.push(LinkView {
            role: label,
            url: format!(
                "{}{}",
                org.state.config.public_url,
                crate::paths::apply(&token)
            ),
            poster: prog.poster(role.code()),
        });
    }
    let list = repo::of_program(&mut tx, org.org.id, pc.program.id).await?;
    crate::audit::record(
        &mut tx,
        org,
        "applications.view",
        None,
        &format!("программа {}", pc.program.id),
    )
    .await?;
    tx.commit().await?;
    Ok(ApplicationsPage {
        ctx: org.page(format!("Заявки — {}", pc.program.name), "programs"),
        program_name: pc.program.name.clone(),
        can_decide: org.has(Role::Curator),
        links,
        applications: list
            .into_iter()
            .map(|a| ApplicationView {
                action: prog.application(a.id),
                role: if a.role == Side::Mentor {
                    "наставник"
                } else {
                    "наставляемый"
                },
                details: [a.class_or_position.as_str(), a.contact.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" · "),
                motivation: a.motivation,
                when: ru_date(org.org.local(a.created_at).date_naive()),
                status: a.status.label(),
                open: a.status == model::ApplicationStatus::New,
                reason: a.reason,
                card: a
                    .person_id
                    .map(|p| org.paths().person(p))
                    .unwrap_or_default(),
                has_account: a.user_id.is_some(),
                name: a.full_name,
            })
            .collect(),
        prog,
    })
}

/// Accept (`accept`, with the kind of person for a newcomer) or decline (`decline`, a reason).
pub async fn decide(
    pc: ProgramCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<ApplicationsForm>,
) -> AppResult<Response> {
    let pc = pc.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let back = org.paths().in_program(pc.program.id).applications();
    let decision = if data.action == "decline" {
        Decision::Decline {
            reason: data.reason,
        }
    } else {
        Decision::Accept { kind: data.kind }
    };
    let program = (pc.program.id, pc.program.name.as_str());
    let mut tx = org.begin().await?;
    match crate::recruitment::decide(&mut tx, &org.actor(), program, id, &decision).await {
        Ok(Decided::AlreadyDecided) => Ok(org.flash_error(&back, "Решение по заявке уже принято.")),
        Ok(done) => {
            tx.commit().await?;
            Ok(org.flash(
                &back,
                if done == Decided::Declined {
                    "Заявка отклонена."
                } else {
                    "Заявка принята: человек в базе и в программе. Согласие на обработку данных отметьте в его карточке."
                },
            ))
        }
        Err(Refused::Invalid(e)) => Ok(org.flash_error(&back, &e.first())),
        Err(Refused::Failed(e)) => Err(e),
    }
}
