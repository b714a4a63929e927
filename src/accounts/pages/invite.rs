//! A one-time link: setting the first password (an invitation, or the setup after a correct
//! login + code).

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use super::*;
use crate::auth::commands::{NotSet, set_first_password};
use crate::auth::{Invitation, session_cookie, valid_invitation};
use crate::web::RequestCtx;
use crate::web::forms::FormErrors;

/// The name of the organization that sent the link, if one did (tenancy).
async fn org_name(state: &AppState, inv: &Invitation) -> AppResult<Option<String>> {
    let Some(org) = inv.org_id else {
        return Ok(None);
    };
    let mut conn = state.pool.acquire().await?;
    Ok(crate::tenancy::org_names(&mut conn, &[org])
        .await?
        .remove(&org))
}

pub async fn invite_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    Ok(match valid_invitation(&mut conn, &token, false).await? {
        Some(inv) => InvitePage {
            ctx: ctx.page("Приглашение"),
            token,
            org_name: org_name(&state, &inv).await?,
            email: inv.email,
            full_name: inv.full_name,
            errors: FormErrors::default(),
        }
        .into_response(),
        None => (
            StatusCode::GONE,
            InviteInvalidPage {
                ctx: ctx.page("Ссылка недействительна"),
            },
        )
            .into_response(),
    })
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

pub async fn accept_invite(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
    Form(form): Form<InviteForm>,
) -> AppResult<Response> {
    let old = ctx.session.as_ref().map(|s| s.session_id.as_str());
    let typed = (form.password.as_str(), form.password2.as_str());
    match set_first_password(&state, &token, typed, old).await {
        Ok(session) => {
            let mut resp = crate::web::redirect_with_flash(
                "/",
                "success",
                "Пароль сохранён. Добро пожаловать в «Наставник»!",
                ctx.secure_cookies,
            );
            session_cookie(&mut resp, &session, false, ctx.secure_cookies);
            Ok(resp)
        }
        Err(NotSet::Gone) => Ok((
            StatusCode::GONE,
            InviteInvalidPage {
                ctx: ctx.page("Ссылка недействительна"),
            },
        )
            .into_response()),
        Err(NotSet::Invalid(errors, inv)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            InvitePage {
                ctx: ctx.page("Приглашение"),
                token,
                org_name: org_name(&state, &inv).await?,
                email: inv.email,
                full_name: inv.full_name,
                errors,
            },
        )
            .into_response()),
        Err(NotSet::Failed(e)) => Err(e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/invite.html")]
pub struct InvitePage {
    pub ctx: PageCtx,
    pub token: String,
    pub email: String,
    pub full_name: String,
    pub org_name: Option<String>,
    pub errors: FormErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/invite_invalid.html")]
pub struct InviteInvalidPage {
    pub ctx: PageCtx,
}
