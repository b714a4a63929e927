//! A pair's completion (`/o/{slug}/pairs/{pair}/complete`): the curator or the pair's mentor
//! records the end — date, early or not (with the reason), what was achieved and links, whether
//! the goals were reached, the decision to continue with a new topic or stop — and it is written
//! back into the bases (each member's enrolment, the mentee's status). Then each side writes their
//! final report (отчёт наставника, отчёт наставляемого), printable with what the product knows:
//! meetings held, goals and their progress, the results. The pair's history stays readable.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::completion::{CompleteForm, Completion, model, repo};
use crate::error::AppResult;
use crate::pairing::{PairRow, Relation};
use crate::people::Side;
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, FormErrors, Refused, choices, ru_date, trimmed};
use crate::web::ids::PairId;

#[derive(Template, WebTemplate)]
#[template(path = "completion/complete.html")]
pub struct CompletePage {
    pub ctx: PageCtx,
    pub title: String,
    pub action: String,
    pub report_action: String,
    pub meetings: String,
    pub mentor: String,
    pub mentees: String,
    pub agreed: String,
    /// What the product knows: «встреч проведено: 12; целей: 3, достигнуто 1, прогресс 60 %».
    pub known: String,
    /// Not completed yet and the viewer may complete it.
    pub can_complete: bool,
    pub completed: bool,
    pub form: CompleteForm,
    pub errors: FormErrors,
    pub goals: Vec<Choice>,
    pub decisions: Vec<Choice>,
    pub reasons: Vec<Choice>,
    /// After completion: the results in words.
    pub ended: String,
    pub outcome: String,
    pub results: String,
    pub links: String,
    pub mentor_report: String,
    pub mentee_report: String,
    /// Which report the viewer writes: "mentor", "mentee" or empty.
    pub my_side: &'static str,
}

fn names(row: &PairRow, role: Side) -> String {
    row.members
        .iter()
        .filter(|m| m.role == role)
        .map(|m| m.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

async fn page(
    org: &OrgCtx,
    row: &PairRow,
    relation: Relation,
    form: Option<CompleteForm>,
    errors: FormErrors,
) -> AppResult<CompletePage> {
    let mut conn = org.conn().await?;
    let today = org.org.today();
    let figures = crate::meetings::figures(&mut conn, &org.org, &[row.id], today).await?;
    let goals = crate::plans::progress_of_pairs(&mut conn, org.org.id, &[row.id]).await?;
    let results = repo::of_pair(&mut conn, org.org.id, row.id).await?;
    drop(conn);
    let f = figures.first();
    let goal_list: Vec<(crate::plans::GoalStatus, i16)> =
        goals.into_iter().flat_map(|g| g.goals).collect();
    let known = format!(
        "Встреч проведено: {}{}; целей в плане: {}, достигнуто: {}, прогресс: {}.",
        f.map(|f| f.held).unwrap_or(0),
        f.and_then(|f| f.last)
            .map(|d| format!(" (последняя — {})", ru_date(d)))
            .unwrap_or_default(),
        goal_list.len(),
        goal_list
            .iter()
            .filter(|g| g.0 == crate::plans::GoalStatus::Done)
            .count(),
        crate::plans::plan_progress(&goal_list)
            .map(|p| format!("{p} %"))
            .unwrap_or_else(|| "—".into())
    );
    let may = matches!(relation, Relation::Mentor(_) | Relation::Curator);
    let form = form.unwrap_or_else(|| CompleteForm {
        ended_on: today.to_string(),
        goals_reached: "mostly".into(),
        decision: "stop".into(),
        early_reason: "other".into(),
        ready: true,
        ..Default::default()
    });
    let agreed = f.map(|f| ru_date(f.agreed)).unwrap_or_default();
    Ok(CompletePage {
        ctx: org.page("Завершение пары", "programs"),
        title: format!(
            "Завершение: {} — {}",
            names(row, Side::Mentor),
            names(row, Side::Mentee)
        ),
        action: org.paths().complete(row.id),
        report_action: org.paths().complete_report(row.id),
        meetings: org.paths().meetings(row.id),
        mentor: names(row, Side::Mentor),
        mentees: names(row, Side::Mentee),
        known,
        can_complete: row.status == crate::pairing::model::Status::Agreed && may,
        completed: results.is_some(),
        goals: choices(&model::Reached::table(), &form.goals_reached),
        decisions: choices(&model::Decision::table(), &form.decision),
        reasons: choices(&model::EarlyReason::table(), &form.early_reason),
        ended: results
            .as_ref()
            .map(|r| {
                format!(
                    "{} – {}{}",
                    agreed,
                    ru_date(r.ended_on),
                    if r.early {
                        format!(
                            ", досрочно: {}",
                            r.early_reason.map_or("", model::EarlyReason::label)
                        )
                    } else {
                        String::new()
                    }
                )
            })
            .unwrap_or_default(),
        outcome: results
            .as_ref()
            .map(|r| {
                format!(
                    "Цели достигнуты: {}. Решение: {}.",
                    r.goals_reached.label(),
                    r.decision.label()
                )
            })
            .unwrap_or_default(),
        results: results
            .as_ref()
            .map(|r| r.results.clone())
            .unwrap_or_default(),
        links: results
            .as_ref()
            .map(|r| r.links.clone())
            .unwrap_or_default(),
        mentor_report: results
            .as_ref()
            .map(|r| r.mentor_report.clone())
            .unwrap_or_default(),
        mentee_report: results
            .as_ref()
            .map(|r| r.mentee_report.clone())
            .unwrap_or_default(),
        my_side: match relation {
            Relation::Mentor(_) => "mentor",
            Relation::Mentee(_) => "mentee",
            _ => "",
        },
        agreed,
        form,
        errors,
    })
}

pub async fn complete_page(org: OrgCtx, PairId(pair): PairId) -> AppResult<CompletePage> {
    let (row, relation) = crate::pairing::agreed_pair_for(&org, pair).await?;
    page(&org, &row, relation, None, FormErrors::default()).await
}

pub async fn complete(
    org: OrgCtx,
    PairId(pair): PairId,
    crate::web::forms::Form(data): crate::web::forms::Form<super::CompleteFields>,
) -> AppResult<Response> {
    let (row, relation) = crate::pairing::agreed_pair_for(&org, pair).await?;
    let back = org.paths().complete(row.id);
    let form = CompleteForm {
        ended_on: trimmed(&data.ended_on),
        early: data.early == "1",
        early_reason: data.early_reason.clone(),
        results: trimmed(&data.results),
        links: trimmed(&data.links),
        goals_reached: data.goals_reached.clone(),
        decision: data.decision.clone(),
        mentor_report: trimmed(&data.mentor_report),
        ready: data.ready == "1",
    };
    let mut tx = org.begin().await?;
    match crate::completion::complete(&mut tx, &org.actor(), &row, relation, &form).await {
        Ok(Completion::Completed) => {
            tx.commit().await?;
            Ok(org.flash(&back, "Пара завершена; результаты записаны в базу."))
        }
        Ok(Completion::AlreadyDone) => Ok(org.flash_error(&back, "Пара уже завершена.")),
        Err(Refused::Invalid(errors)) => {
            drop(tx);
            let page = page(&org, &row, relation, Some(form), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(Refused::Failed(e)) => Err(e),
    }
}

/// A member writes their final report after the completion.
pub async fn report(
    org: OrgCtx,
    PairId(pair): PairId,
    crate::web::forms::Form(data): crate::web::forms::Form<super::CompleteFields>,
) -> AppResult<Response> {
    let (row, relation) = crate::pairing::agreed_pair_for(&org, pair).await?;
    let back = org.paths().complete(row.id);
    let mut tx = org.begin().await?;
    match crate::completion::write_report(&mut tx, &org.actor(), &row, relation, &data.report).await
    {
        Ok(()) => {
            tx.commit().await?;
            Ok(org.flash(&back, "Отчёт сохранён."))
        }
        Err(Refused::Invalid(errors)) => Ok(org.flash_error(&back, &errors.first())),
        Err(Refused::Failed(e)) => Err(e),
    }
}
