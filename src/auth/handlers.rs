use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;

use super::model::{self, MIN_PASSWORD_LEN, Role, throttle};
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
    if !crate::tenancy::repo::pending_of_user(&mut conn, s.user.id)
        .await?
        .is_empty()
    {
        return Ok(Redirect::to("/orgs").into_response());
    }
    Ok(match orgs.as_slice() {
        [only] => Redirect::to(&format!("/o/{}", only.0.slug)).into_response(),
        [] if s.user.is_platform_admin => Redirect::to("/admin").into_response(),
        _ => Redirect::to("/orgs").into_response(),
    })
}

pub async fn chooser(State(state): State<AppState>, auth: AuthUser) -> AppResult<ChooserPage> {
    let mut conn = state.pool.acquire().await?;
    let orgs = crate::tenancy::repo::orgs_of_user(&mut conn, auth.user.id).await?;
    let pending = crate::tenancy::repo::pending_of_user(&mut conn, auth.user.id).await?;
    Ok(ChooserPage {
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
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::web::parse_id(&id)?;
    let mut tx = state.pool.begin().await?;
    let Some(p) = crate::tenancy::repo::take_pending(&mut tx, auth.user.id, id).await? else {
        return Err(AppError::NotFound);
    };
    let roles = Role::parse_all(&p.roles);
    crate::tenancy::repo::grant_roles(&mut tx, p.org_id, auth.user.id, &roles).await?;
    if let Some(person) = p.person_id {
        crate::people::link_account_if_free(&mut tx, p.org_id, person, auth.user.id).await?;
    }
    crate::audit::record_for(
        &mut tx,
        p.org_id,
        auth.user.id,
        &auth.ctx.ip,
        "membership.accept",
        p.person_id,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(crate::web::redirect_with_flash(
        "/orgs",
        "success",
        &format!("Вы в организации «{}».", p.org_name),
        auth.ctx.secure_cookies,
    ))
}

pub async fn decline_membership(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::web::parse_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    if crate::tenancy::repo::take_pending(&mut conn, auth.user.id, id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    Ok(crate::web::redirect_with_flash(
        "/orgs",
        "success",
        "Приглашение отклонено.",
        auth.ctx.secure_cookies,
    ))
}

pub async fn login_page(ctx: RequestCtx) -> Response {
    if ctx.session.is_some() {
        return Redirect::to("/").into_response();
    }
    LoginPage {
        ctx: ctx.page("Вход"),
        email: String::new(),
        error: String::new(),
        remember: false,
    }
    .into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    remember: Option<String>,
}

fn session_cookie(resp: &mut Response, token: &str, remember: bool, secure: bool) {
    // Without «запомнить меня» the cookie ends with the browser (and the session after the idle
    // period on the server).
    let max_age = remember.then_some(repo::REMEMBER_DAYS * 24 * 3600);
    if let Ok(v) = HeaderValue::from_str(&cookies::build(cookies::SESSION, token, max_age, secure))
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Runs password hashing under the server's hash semaphore: at most `NASTAVNIK_HASH_CONCURRENCY`
/// at once, the rest queue for up to 10 s and then get «сервер занят» (503) — a flood of logins
/// cannot take every core and all the memory.
pub async fn hashing<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> T + Send + 'static,
) -> AppResult<T> {
    let permit = crate::web::permit(&state.hashing, std::time::Duration::from_secs(10)).await?;
    let out = model::blocking(f).await.map_err(AppError::internal)?;
    drop(permit);
    Ok(out)
}

fn wait_message(minutes: i64) -> String {
    format!(
        "Слишком много неудачных попыток входа. Вход временно заблокирован — попробуйте снова \
         через {minutes} мин."
    )
}

pub async fn login(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let email = model::normalize_email(&form.email);
    let remember = form.remember.is_some();
    let page = |status: StatusCode, error: String| {
        (
            status,
            LoginPage {
                ctx: ctx.page("Вход"),
                email: form.email.trim().chars().take(254).collect(),
                error,
                remember,
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
    if email.len() > 254 || form.password.len() > 1024 {
        return Ok(page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Неверная электронная почта или пароль.".into(),
        ));
    }
    let account_key = throttle::account_key(&email, &ctx.ip);
    let address_key = throttle::address_key(&ctx.ip);
    let anywhere_key = throttle::account_anywhere_key(&email);
    // The connection is held only for the look-ups, never while hashing.
    let found = {
        let mut conn = state.pool.acquire().await?;
        let locked = match repo::locked_until(&mut conn, &account_key).await? {
            Some(t) => Some(t),
            None => repo::locked_until(&mut conn, &address_key).await?,
        };
        if let Some(until) = locked {
            return Ok(page(
                StatusCode::TOO_MANY_REQUESTS,
                wait_message(throttle::minutes_left(until, Utc::now())),
            ));
        }
        repo::user_for_login(&mut conn, &email).await?
    };
    let hash = found.as_ref().and_then(|(_, h)| h.clone());
    let password = form.password.clone();
    let ok = hashing(&state, move || {
        model::verify_password(&password, hash.as_deref())
    })
    .await?;
    let mut conn = state.pool.acquire().await?;
    // A participant's first login: their login and the one-time code from the slip, together.
    if let (false, Some((user, None))) = (ok, &found)
        && repo::code_matches(&mut conn, user.id, &form.password).await?
    {
        repo::reset_failures(&mut conn, &account_key).await?;
        let link = repo::create_setup_link(&mut conn, user.id).await?;
        tracing::info!(user = %user.id, "login with a one-time code");
        return Ok(Redirect::to(&format!("/invite/{link}")).into_response());
    }
    let user = match (ok, found) {
        (true, Some((user, _))) => user,
        (_, found) => {
            let failures =
                repo::record_failure(&mut conn, &account_key, throttle::ACCOUNT_LIMIT).await?;
            repo::record_failure(&mut conn, &address_key, throttle::ADDRESS_LIMIT).await?;
            let anywhere = repo::record_failure(&mut conn, &anywhere_key, i32::MAX).await?;
            crate::audit::login_event(
                &mut conn,
                found.as_ref().map(|(u, _)| u.id),
                "login.failed",
                &ctx.ip,
            )
            .await?;
            drop(conn);
            tracing::warn!(failures, "failed login");
            let delay = throttle::delay_ms(failures.max(anywhere.min(8)));
            if delay > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
            }
            return Ok(if failures >= throttle::ACCOUNT_LIMIT {
                page(
                    StatusCode::TOO_MANY_REQUESTS,
                    wait_message(
                        throttle::wait_after(failures - throttle::ACCOUNT_LIMIT).num_minutes(),
                    ),
                )
            } else {
                page(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Неверная электронная почта или пароль.".to_string(),
                )
            });
        }
    };
    repo::reset_failures(&mut conn, &account_key).await?;
    // A new session id at login: the old one (if any) is dropped.
    if let Some(old) = &ctx.session {
        repo::delete_session(&mut conn, &old.session_id).await?;
    }
    let token = repo::create_session(&mut conn, user.id, remember).await?;
    crate::audit::login_event(&mut conn, Some(user.id), "login", &ctx.ip).await?;
    tracing::info!(user = %user.id, "login");
    let mut resp = Redirect::to("/").into_response();
    session_cookie(&mut resp, &token, remember, ctx.secure_cookies);
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
    let gone = || {
        (
            StatusCode::GONE,
            InviteInvalidPage {
                ctx: ctx.page("Ссылка недействительна"),
            },
        )
            .into_response()
    };
    let inv = {
        let mut conn = state.pool.acquire().await?;
        repo::valid_invitation(&mut conn, &token, false).await?
    };
    let Some(inv) = inv else {
        return Ok(gone());
    };
    let mut errors = FormErrors::default();
    if form.password.chars().count() < MIN_PASSWORD_LEN {
        errors.add(
            "password",
            format!("Пароль должен быть не короче {MIN_PASSWORD_LEN} символов."),
        );
    } else if form.password.len() > 256 {
        errors.add("password", "Пароль должен быть не длиннее 256 символов.");
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
    // Hash with no database connection held; then check the link again under a row lock.
    let password = form.password;
    let hash = hashing(&state, move || model::hash_password(&password))
        .await?
        .map_err(AppError::internal)?;
    let mut tx = state.pool.begin().await?;
    let Some(inv) = repo::valid_invitation(&mut tx, &token, true).await? else {
        return Ok(gone());
    };
    repo::set_password(&mut tx, inv.user_id, &hash).await?;
    repo::mark_invitation_used(&mut tx, inv.id, inv.user_id).await?;
    if let Some(old) = &ctx.session {
        repo::delete_session(&mut tx, &old.session_id).await?;
    }
    let session = repo::create_session(&mut tx, inv.user_id, false).await?;
    tx.commit().await?;
    let mut resp = crate::web::redirect_with_flash(
        "/",
        "success",
        "Пароль сохранён. Добро пожаловать в «Наставник»!",
        ctx.secure_cookies,
    );
    session_cookie(&mut resp, &session, false, ctx.secure_cookies);
    Ok(resp)
}
