//! Where `/` leads, the organization chooser, and accepting or declining an organization's
//! invitation in one's own account — a page that gathers the user's organizations (`tenancy`),
//! territories (`territory`) and invitations, so it sits with the home page above the domains.

use crate::accounts::members::{Owner, accept_invitation, decline_invitation};
use crate::web::forms::Refused;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::model::Role;
use crate::error::AppResult;
use crate::web::ids::Id;
use crate::web::{AppState, AuthUser, PageCtx, RequestCtx};

pub async fn root(State(state): State<AppState>, ctx: RequestCtx) -> AppResult<Response> {
    let Some(s) = &ctx.session else {
        return Ok(Redirect::to(crate::paths::LOGIN).into_response());
    };
    let mut conn = state.pool.acquire().await?;
    let orgs = crate::tenancy::orgs_of_user(&mut conn, s.user.id).await?;
    if !crate::tenancy::pending_of_user(&mut conn, s.user.id)
        .await?
        .is_empty()
    {
        return Ok(Redirect::to(crate::paths::CHOOSER).into_response());
    }
    let territories = crate::territory::scopes_of_user(&mut conn, s.user.id).await?;
    Ok(match (orgs.as_slice(), territories.as_slice()) {
        ([], [only]) => {
            Redirect::to(&crate::paths::TerritoryPaths::of(only.id).schools()).into_response()
        }
        ([only], []) => Redirect::to(&crate::paths::Paths::of(&only.0.slug).home()).into_response(),
        ([], []) if s.user.is_platform_admin => Redirect::to(crate::paths::ADMIN).into_response(),
        _ => Redirect::to(crate::paths::CHOOSER).into_response(),
    })
}

pub async fn chooser(State(state): State<AppState>, auth: AuthUser) -> AppResult<ChooserPage> {
    let mut conn = state.pool.acquire().await?;
    let orgs = crate::tenancy::orgs_of_user(&mut conn, auth.user.id).await?;
    let pending = crate::tenancy::pending_of_user(&mut conn, auth.user.id).await?;
    let territories = crate::territory::scopes_of_user(&mut conn, auth.user.id).await?;
    Ok(ChooserPage {
        territories: territories
            .iter()
            .map(|t| OrgChoice {
                slug: crate::paths::TerritoryPaths::of(t.id).schools(),
                short_name: t.label(),
                roles: t.role_label().into(),
            })
            .collect(),
        ctx: auth.ctx.page("Выбор организации"),
        pending: pending
            .into_iter()
            .map(|p| PendingChoice {
                id: p.id.to_string(),
                org_name: p.org_name,
                roles: Role::parse_all(&p.roles)
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        orgs: orgs
            .into_iter()
            .map(|(o, roles)| OrgChoice {
                slug: o.slug,
                short_name: o.short_name,
                roles: roles
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
    })
}

/// The person accepts an organization's invitation in their own account.
pub async fn accept_membership(
    State(state): State<AppState>,
    auth: AuthUser,
    Id(id): Id,
) -> AppResult<Response> {
    let owner = Owner {
        user_id: auth.user.id,
        ip: &auth.ctx.ip,
    };
    let mut tx = state.pool.begin().await?;
    let org_name = accept_invitation(&mut tx, owner, id)
        .await
        .map_err(Refused::into_error)?;
    tx.commit().await?;
    Ok(crate::web::redirect_with_flash(
        crate::paths::CHOOSER,
        "success",
        &format!("Вы в организации «{org_name}»."),
        auth.ctx.secure_cookies,
    ))
}

pub async fn decline_membership(
    State(state): State<AppState>,
    auth: AuthUser,
    Id(id): Id,
) -> AppResult<Response> {
    let owner = Owner {
        user_id: auth.user.id,
        ip: &auth.ctx.ip,
    };
    let mut conn = state.pool.acquire().await?;
    decline_invitation(&mut conn, owner, id)
        .await
        .map_err(Refused::into_error)?;
    Ok(crate::web::redirect_with_flash(
        crate::paths::CHOOSER,
        "success",
        "Приглашение отклонено.",
        auth.ctx.secure_cookies,
    ))
}

pub struct OrgChoice {
    pub slug: String,
    pub short_name: String,
    pub roles: String,
}

pub struct PendingChoice {
    pub id: String,
    pub org_name: String,
    pub roles: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "home/chooser.html")]
pub struct ChooserPage {
    pub ctx: PageCtx,
    pub pending: Vec<PendingChoice>,
    pub orgs: Vec<OrgChoice>,
    /// The territories the user is a specialist of (`slug` holds the page's URL).
    pub territories: Vec<OrgChoice>,
}
