//! «Как сообщать»: each person chooses per kind of news — in the app only, by e-mail at once, or
//! in one e-mail a day — and the one-click unsubscribe page an e-mail links to (no login needed:
//! the link's token is the key, stored as a digest).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, AppResult};
use crate::notifications::{commands, model, repo};
use crate::tenancy::OrgCtx;
use crate::web::forms::Choice;
use crate::web::{AppState, PageCtx, RequestCtx};

pub struct KindChoice {
    pub kind: &'static str,
    pub label: &'static str,
    pub channels: Vec<Choice>,
}

#[derive(Template, WebTemplate)]
#[template(path = "notifications/prefs.html")]
pub struct PrefsPage {
    pub ctx: PageCtx,
    pub kinds: Vec<KindChoice>,
    pub email: String,
}

/// The kinds this user may choose for (the curator's digest only for curators).
fn kinds_for(
    org: &OrgCtx,
) -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str, bool)> {
    commands::kinds(org.has(crate::auth::model::Role::Curator))
}

pub async fn prefs(org: OrgCtx) -> AppResult<PrefsPage> {
    let mut conn = org.conn().await?;
    let chosen = repo::prefs(&mut conn, org.org.id, org.user.id).await?;
    let kinds = kinds_for(&org)
        .map(|(kind, label, default, _)| {
            let current = chosen
                .iter()
                .find(|c| c.0 == *kind)
                .map(|c| c.1.as_str())
                .unwrap_or(default);
            KindChoice {
                kind,
                label,
                channels: model::CHANNELS
                    .iter()
                    .filter(|c| model::allowed(kind, c.0))
                    .map(|(code, l)| Choice {
                        value: code.to_string(),
                        label: l.to_string(),
                        selected: *code == current,
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(PrefsPage {
        ctx: org.page("Как сообщать", ""),
        kinds,
        email: org.user.email.clone(),
    })
}

pub async fn save_prefs(
    org: OrgCtx,
    crate::web::forms::Form(channels): crate::web::forms::Form<commands::Channels>,
) -> AppResult<Response> {
    let mut tx = org.begin().await?;
    commands::choose(&mut tx, &org.actor(), &channels).await?;
    tx.commit().await?;
    Ok(org.flash(&org.paths().notification_prefs(), "Сохранено."))
}

#[derive(Template, WebTemplate)]
#[template(path = "notifications/unsubscribe.html")]
pub struct UnsubscribePage {
    pub ctx: PageCtx,
    pub org_name: String,
    pub kind_label: &'static str,
    pub action: String,
    pub done: bool,
}

async fn target(state: &AppState, token: &str) -> AppResult<commands::Unsubscribe> {
    let mut conn = state.pool.acquire().await?;
    commands::unsubscribe_target(&mut conn, token)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn unsubscribe_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
) -> AppResult<UnsubscribePage> {
    let t = target(&state, &token).await?;
    Ok(UnsubscribePage {
        ctx: ctx.page("Отписка от писем"),
        org_name: t.org_name,
        kind_label: model::kind_label(&t.kind),
        action: crate::paths::unsubscribe(&token),
        done: false,
    })
}

/// Stops e-mails of the link's kind: the person keeps them in the app only.
pub async fn unsubscribe(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let t = commands::unsubscribe(&mut tx, &token)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(UnsubscribePage {
        ctx: ctx.page("Отписка от писем"),
        org_name: t.org_name,
        kind_label: model::kind_label(&t.kind),
        action: String::new(),
        done: true,
    }
    .into_response())
}
