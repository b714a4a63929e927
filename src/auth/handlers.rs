use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;

use super::model::{self, MIN_PASSWORD_LEN, throttle};
use super::repo;
use super::views::*;
use crate::error::{AppError, AppResult};
use crate::web::forms::FormErrors;
use crate::web::{AppState, AuthUser, RequestCtx, cookies};

pub async fn root(State(state): State<AppState>, ctx: RequestCtx) -> AppResult<Response> {
    let Some(s) = &ctx.session else {
        return Ok(Redirect::to("/login").into_response());
    };
    let mut conn = state.pool.acquire().await?;
    let orgs = crate::tenancy::repo::orgs_of_user(&mut conn, s.user.id).await?;
    Ok(match orgs.as_slice() {
        [only] => Redirect::to(&format!("/o/{}", only.0.slug)).into_response(),
        [] if s.user.is_platform_admin => Redirect::to("/admin").into_response(),
        _ => Redirect::to("/orgs").into_response(),
    })
}

pub async fn chooser(State(state): State<AppState>, auth: AuthUser) -> AppResult<ChooserPage> {
    let mut conn = state.pool.acquire().await?;
    let orgs = crate::tenancy::repo::orgs_of_user(&mut conn, auth.user.id).await?;
    Ok(ChooserPage {
        ctx: auth.ctx.page("Выбор организации"),
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

pub async fn login_page(ctx: RequestCtx) -> Response {
    if ctx.session.is_some() {
        return Redirect::to("/").into_response();
    }
    LoginPage {
        ctx: ctx.page("Вход"),
        email: String::new(),
        error: String::new(),
    }
    .into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

fn session_cookie(resp: &mut Response, token: &str, secure: bool) {
    let max_age = repo::SESSION_DAYS * 24 * 3600;
    if let Ok(v) = HeaderValue::from_str(&cookies::build(
        cookies::SESSION,
        token,
        Some(max_age),
        secure,
    )) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

pub async fn login(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let email = model::normalize_email(&form.email);
    let page = |status: StatusCode, error: String| {
        (
            status,
            LoginPage {
                ctx: ctx.page("Вход"),
                email: form.email.trim().to_string(),
                error,
            },
        )
            .into_response()
    };
    if email.is_empty() || form.password.is_empty() {
        return Ok(page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Введите электронную почту и пароль.".into(),
        ));
    }
    let account_key = format!("email:{email}");
    let address_key = format!("ip:{}", ctx.ip);
    let mut conn = state.pool.acquire().await?;
    let now = Utc::now();
    let locked = match repo::locked_until(&mut conn, &account_key).await? {
        Some(t) => Some(t),
        None => repo::locked_until(&mut conn, &address_key).await?,
    };
    if let Some(until) = locked {
        return Ok(page(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Слишком много неудачных попыток входа. Вход временно заблокирован — попробуйте \
                 снова через {} мин.",
                throttle::minutes_left(until, now)
            ),
        ));
    }
    let found = repo::user_for_login(&mut conn, &email).await?;
    let hash = found.as_ref().and_then(|(_, h)| h.clone());
    let password = form.password.clone();
    let ok = model::blocking(move || model::verify_password(&password, hash.as_deref()))
        .await
        .map_err(AppError::internal)?;
    // A participant's first login with the one-time code from a login slip: set a password.
    if let (false, Some((user, None))) = (ok, &found) {
        let code = form.password.trim().to_uppercase();
        if code.len() == 8
            && let Some(inv) = repo::valid_invitation(&mut conn, &code, false).await?
            && inv.user_id == user.id
        {
            repo::reset_failures(&mut conn, &account_key).await?;
            return Ok(Redirect::to(&format!("/invite/{code}")).into_response());
        }
    }
    let user = match (ok, found) {
        (true, Some((user, _))) => user,
        _ => {
            let failures =
                repo::record_failure(&mut conn, &account_key, throttle::ACCOUNT_LIMIT).await?;
            repo::record_failure(&mut conn, &address_key, throttle::ADDRESS_LIMIT).await?;
            drop(conn);
            tracing::warn!(failures, "failed login");
            let delay = throttle::delay_ms(failures);
            if delay > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
            }
            let msg = if failures >= throttle::ACCOUNT_LIMIT {
                format!(
                    "Слишком много неудачных попыток входа. Вход временно заблокирован — \
                     попробуйте снова через {} мин.",
                    throttle::LOCK_MINUTES
                )
            } else {
                "Неверная электронная почта или пароль.".to_string()
            };
            let status = if failures >= throttle::ACCOUNT_LIMIT {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            return Ok(page(status, msg));
        }
    };
    repo::reset_failures(&mut conn, &account_key).await?;
    // A new session id at login: the old one (if any) is dropped.
    if let Some(old) = &ctx.session {
        repo::delete_session(&mut conn, &old.session_id).await?;
    }
    let token = repo::create_session(&mut conn, user.id).await?;
    tracing::info!(user = %user.id, "login");
    let mut resp = Redirect::to("/").into_response();
    session_cookie(&mut resp, &token, ctx.secure_cookies);
    Ok(resp)
}

pub async fn logout(State(state): State<AppState>, ctx: RequestCtx) -> AppResult<Response> {
    if let Some(s) = &ctx.session {
        let mut conn = state.pool.acquire().await?;
        repo::delete_session(&mut conn, &s.session_id).await?;
    }
    let mut resp = crate::web::redirect_with_flash(
        "/login",
        "success",
        "Вы вышли из системы.",
        ctx.secure_cookies,
    );
    if let Ok(v) = HeaderValue::from_str(&cookies::clear(cookies::SESSION, ctx.secure_cookies)) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

pub async fn invite_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    Ok(
        match repo::valid_invitation(&mut conn, &token, false).await? {
            Some(inv) => InvitePage {
                ctx: ctx.page("Приглашение"),
                token,
                email: inv.email,
                full_name: inv.full_name,
                org_name: inv.org_name,
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
        },
    )
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
    let mut tx = state.pool.begin().await?;
    let Some(inv) = repo::valid_invitation(&mut tx, &token, true).await? else {
        return Ok((
            StatusCode::GONE,
            InviteInvalidPage {
                ctx: ctx.page("Ссылка недействительна"),
            },
        )
            .into_response());
    };
    let mut errors = FormErrors::default();
    if form.password.chars().count() < MIN_PASSWORD_LEN {
        errors.add(
            "password",
            format!("Пароль должен быть не короче {MIN_PASSWORD_LEN} символов."),
        );
    }
    if form.password != form.password2 {
        errors.add("password2", "Пароли не совпадают.");
    }
    if !errors.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            InvitePage {
                ctx: ctx.page("Приглашение"),
                token,
                email: inv.email,
                full_name: inv.full_name,
                org_name: inv.org_name,
                errors,
            },
        )
            .into_response());
    }
    let password = form.password;
    let hash = model::blocking(move || model::hash_password(&password))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    repo::set_password(&mut tx, inv.user_id, &hash).await?;
    repo::mark_invitation_used(&mut tx, inv.id).await?;
    if let Some(old) = &ctx.session {
        repo::delete_session(&mut tx, &old.session_id).await?;
    }
    let session = repo::create_session(&mut tx, inv.user_id).await?;
    tx.commit().await?;
    let mut resp = crate::web::redirect_with_flash(
        "/",
        "success",
        "Пароль сохранён. Добро пожаловать в «Наставник»!",
        ctx.secure_cookies,
    );
    session_cookie(&mut resp, &session, ctx.secure_cookies);
    Ok(resp)
}
