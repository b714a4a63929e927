//! Calendar feeds. `/o/{slug}/calendar`: the person's secret feed links — personal (activities
//! of their programs, planned pair meetings, a curator's roadmap tasks) and per program —
//! created, renewed (the old link stops working) or revoked; a link is shown once, when made
//! (only its digest is stored). `/calendar/{token}.ics`: the feed itself, for Yandex and Google
//! calendars to subscribe to. `/o/{slug}/activities/{id}/ics`: one activity as a file.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use uuid::Uuid;

use super::visible_activity;
use crate::activities::{Viewer, feed, repo};
use crate::error::{AppError, AppResult};
use crate::tenancy::OrgCtx;
use crate::web::forms::ru_date;
use crate::web::ids::Id;
use crate::web::{AppState, PageCtx};

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct FeedsForm {
    pub action: String,
    pub program: String,
}

pub struct FeedLine {
    pub program: String,
    pub label: String,
    pub created: String,
    /// The link just made (shown once).
    pub url: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "activities/calendar.html")]
pub struct CalendarPage {
    pub ctx: PageCtx,
    pub action: String,
    pub feeds: Vec<FeedLine>,
}

async fn page(org: &OrgCtx, fresh: Option<(Option<Uuid>, String)>) -> AppResult<CalendarPage> {
    let mut conn = org.conn().await?;
    let mine = repo::feeds_of(&mut conn, org.org.id, org.user.id).await?;
    let viewer = Viewer::of(&mut conn, org.org.id, org.user.id, org.is_staff()).await?;
    let programs = if org.is_staff() {
        crate::programs::running_names(&mut conn, org.org.id).await?
    } else {
        crate::programs::names_of(&mut conn, org.org.id, &viewer.programs()).await?
    };
    let line = |program: Option<Uuid>, label: String| {
        let made = mine.iter().find(|f| f.0 == program);
        FeedLine {
            program: program.map(|p| p.to_string()).unwrap_or_default(),
            label,
            created: made
                .map(|f| ru_date(org.org.local(f.1).date_naive()))
                .unwrap_or_default(),
            url: fresh
                .as_ref()
                .filter(|f| f.0 == program)
                .map(|f| f.1.clone())
                .unwrap_or_default(),
        }
    };
    let mut feeds = vec![line(
        None,
        "Мой календарь: занятия, встречи пары, задачи".into(),
    )];
    feeds.extend(
        programs
            .into_iter()
            .map(|(id, name)| line(Some(id), format!("Расписание программы «{name}»"))),
    );
    Ok(CalendarPage {
        ctx: org.page("Календарь", "home"),
        action: org.paths().calendar(),
        feeds,
    })
}

pub async fn calendar(org: OrgCtx) -> AppResult<CalendarPage> {
    page(&org, None).await
}

/// Makes (or renews) a link, or revokes one (`action=revoke`).
pub async fn set_feed(
    org: OrgCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<FeedsForm>,
) -> AppResult<Response> {
    let program = match data.program.as_str() {
        "" => None,
        raw => Some(Uuid::parse_str(raw).map_err(|_| AppError::NotFound)?),
    };
    let revoke = data.action == "revoke";
    let mut tx = org.begin().await?;
    let token = crate::activities::manage::set_feed(&mut tx, &org.actor(), program, revoke)
        .await
        .map_err(crate::web::forms::Refused::into_error)?;
    tx.commit().await?;
    let Some(token) = token else {
        return Ok(org.flash(
            &org.paths().calendar(),
            "Ссылка отключена: календари больше не получат обновлений.",
        ));
    };
    let url = format!(
        "{}{}",
        org.state.config.public_url,
        crate::paths::calendar_feed(&token)
    );
    Ok(page(&org, Some((program, url))).await?.into_response())
}

fn ics_response(text: String, file: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{file}\""),
            ),
            (header::CACHE_CONTROL, "private, max-age=300".to_string()),
        ],
        text,
    )
        .into_response()
}

/// The feed at its secret link: the owner must still be a member of the organization.
pub async fn public_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> AppResult<Response> {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let mut conn = state.pool.acquire().await?;
    let (org_id, user_id, program) = repo::feed(&mut conn, &crate::web::cookies::digest(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let roles = crate::tenancy::member_roles(&mut conn, org_id, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let org = crate::tenancy::org_by_id(&mut conn, org_id).await?;
    let text = feed(
        &mut conn,
        &org,
        (user_id, &roles),
        program,
        &state.config.public_url,
        Utc::now(),
    )
    .await?;
    Ok(ics_response(text, "nastavnik.ics"))
}

/// One activity as an .ics file.
pub async fn activity_ics(org: OrgCtx, Id(id): Id) -> AppResult<Response> {
    let (a, _) = visible_activity(&org, id).await?;
    let first = a.starts_at.with_timezone(&org.org.offset()).date_naive();
    let event = crate::activities::ics::FeedEvent {
        uid: format!("activity-{}@nastavnik", a.id),
        sequence: a.sequence.max(0) as u32,
        summary: format!(
            "{}: {}",
            crate::activities::model::format_label(&a.format),
            a.topic
        ),
        description: a.description.clone(),
        location: if a.link.is_empty() {
            a.place.clone()
        } else {
            a.link.clone()
        },
        url: format!(
            "{}{}",
            org.state.config.public_url,
            org.paths().activity(a.id, first)
        ),
        updated: a.updated_at,
        when: crate::activities::ics::When::Timed {
            timing: a.timing(),
            exceptions: a.exceptions.clone(),
            offset: org.org.offset(),
        },
    };
    let text = crate::activities::ics::calendar(&org.org.short_name, &[event], Utc::now());
    Ok(ics_response(text, "zanyatie.ics"))
}
