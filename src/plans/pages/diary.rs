//! The progress diary of a pair (`/o/{slug}/pairs/{pair}/diary`): short entries after a meeting or
//! a week — what was done, what worked, what was hard, mood 1–5, a goal of the plan — written by
//! the mentee, or by the mentor for a young child. Private to the pair and the curator (the
//! director, and anyone else, finds nothing: 404); a mentee sees only their own. Every view is
//! in the audit trail.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::{Scope, scope};
use crate::error::{AppError, AppResult};
use crate::pairing::Relation;
use crate::plans::repo;
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, Form, FormErrors, Refused, ru_date};
use crate::web::ids::PairId;

pub struct EntryView {
    pub date: String,
    pub mentee: String,
    pub done: String,
    pub worked: String,
    pub hard: String,
    pub mood: String,
    pub goal: String,
    pub author: String,
}

/// The entry form: the command's own form, shown again as typed.
pub use crate::plans::DiaryForm as EntryForm;

#[derive(Template, WebTemplate)]
#[template(path = "plans/diary.html")]
pub struct DiaryPage {
    pub ctx: PageCtx,
    pub title: String,
    pub can_write: bool,
    pub action: String,
    pub meetings: String,
    pub plan: String,
    pub mentees: Vec<Choice>,
    pub goals: Vec<Choice>,
    pub form: EntryForm,
    pub errors: FormErrors,
    pub entries: Vec<EntryView>,
}

async fn diary_scope(org: &OrgCtx, pair: Uuid) -> AppResult<Scope> {
    let s = scope(org, pair).await?;
    if s.relation == Relation::Director {
        return Err(AppError::NotFound);
    }
    Ok(s)
}

async fn page(
    org: &OrgCtx,
    s: &Scope,
    form: Option<EntryForm>,
    errors: FormErrors,
) -> AppResult<DiaryPage> {
    let people: Vec<Uuid> = s.mentees.iter().map(|m| m.0).collect();
    let mut conn = org.conn().await?;
    let entries = repo::diary(&mut conn, org.org.id, s.row.id, &people).await?;
    let goals = repo::goals_of_pair(&mut conn, org.org.id, s.row.id).await?;
    for person in &people {
        crate::audit::record(
            &mut conn,
            org,
            "diary.view",
            Some(*person),
            &format!("пара {}", s.row.id),
        )
        .await?;
    }
    drop(conn);
    let form = form.unwrap_or_else(|| EntryForm {
        person: people.first().map(|p| p.to_string()).unwrap_or_default(),
        written_on: org.org.today().to_string(),
        ..Default::default()
    });
    let name = |p: Uuid| {
        s.mentees
            .iter()
            .find(|m| m.0 == p)
            .map(|m| m.1.clone())
            .unwrap_or_default()
    };
    let p = org.paths();
    Ok(DiaryPage {
        ctx: org.page("Дневник прогресса", "programs"),
        title: format!(
            "Дневник прогресса: {}",
            s.mentees
                .iter()
                .map(|m| m.1.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        can_write: s.can_write(),
        action: p.diary(s.row.id),
        meetings: p.meetings(s.row.id),
        plan: p.plan(s.row.id),
        mentees: s
            .mentees
            .iter()
            .map(|m| Choice {
                value: m.0.to_string(),
                label: m.1.clone(),
                selected: m.0.to_string() == form.person,
            })
            .collect(),
        goals: goals
            .iter()
            .filter(|g| people.contains(&g.1))
            .map(|g| Choice {
                value: g.0.to_string(),
                label: if s.mentees.len() > 1 {
                    format!("{} ({})", g.2, name(g.1))
                } else {
                    g.2.clone()
                },
                selected: g.0.to_string() == form.goal,
            })
            .collect(),
        form,
        errors,
        entries: entries
            .into_iter()
            .map(|e| EntryView {
                date: ru_date(e.written_on),
                mentee: name(e.person_id),
                done: e.done,
                worked: e.worked,
                hard: e.hard,
                mood: e.mood.map(|m| format!("{m} из 5")).unwrap_or_default(),
                goal: e.goal.unwrap_or_default(),
                author: e.author,
            })
            .collect(),
    })
}

pub async fn diary(org: OrgCtx, PairId(pair): PairId) -> AppResult<DiaryPage> {
    let s = diary_scope(&org, pair).await?;
    page(&org, &s, None, FormErrors::default()).await
}

pub async fn write_entry(
    org: OrgCtx,
    PairId(pair): PairId,
    Form(mut form): Form<EntryForm>,
) -> AppResult<Response> {
    let s = diary_scope(&org, pair).await?;
    if !s.can_write() {
        return Err(AppError::Forbidden);
    }
    let mentees: Vec<Uuid> = s.mentees.iter().map(|m| m.0).collect();
    let own = match s.relation {
        Relation::Mentee(me) => Some(me),
        _ => None,
    };
    let mut conn = org.conn().await?;
    let done =
        crate::plans::write_entry(&mut conn, &org.actor(), pair, (&mentees, own), &mut form).await;
    drop(conn);
    match done {
        Ok(()) => Ok(org.flash(&org.paths().diary(pair), "Запись добавлена в дневник.")),
        Err(Refused::Invalid(errors)) => {
            let page = page(&org, &s, Some(form), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(Refused::Failed(e)) => Err(e),
    }
}
