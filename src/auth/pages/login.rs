//! «Вход»: e-mail or login with a password — or, for a pupil's first login, with the one-time
//! code from the slip — under throttling; logout.

use super::*;

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

pub(super) fn wait_message(minutes: i64) -> String {
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
        // Only this account's failures from this address can refuse a login before the
        // password is checked: other accounts' failures from a shared address (a school behind
        // one NAT) slow and refuse wrong passwords only, never the right one.
        if let Some(until) = repo::locked_until(&mut conn, &account_key).await? {
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
        return Ok(Redirect::to(&crate::paths::invite(&link)).into_response());
    }
    let user = match (ok, found) {
        (true, Some((user, _))) => user,
        (_, found) => {
            let failures =
                repo::record_failure(&mut conn, &account_key, throttle::ACCOUNT_LIMIT).await?;
            let from_address =
                repo::record_failure(&mut conn, &address_key, throttle::ADDRESS_LIMIT).await?;
            let address_waits = repo::locked_until(&mut conn, &address_key).await?;
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
            let delay = throttle::delay_ms(failures.max(anywhere.min(8)))
                .max(throttle::address_delay_ms(from_address));
            if delay > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
            }
            if let Some(until) = address_waits {
                return Ok(page(
                    StatusCode::TOO_MANY_REQUESTS,
                    wait_message(throttle::minutes_left(until, Utc::now())),
                ));
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
        crate::paths::LOGIN,
        "success",
        "Вы вышли из системы.",
        ctx.secure_cookies,
    );
    if let Ok(v) = HeaderValue::from_str(&cookies::clear(cookies::SESSION, ctx.secure_cookies)) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub email: String,
    pub error: String,
    pub remember: bool,
}
