//! «Вход»: e-mail or login with a password — or, for a pupil's first login, with the one-time
//! code from the slip — under throttling; logout.

use super::*;
use crate::auth::commands::{Credentials, LoggedIn, NotIn, log_in, log_out};

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

pub async fn login(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let who = Credentials {
        email: form.email,
        password: form.password,
        remember: form.remember.is_some(),
    };
    let page = |status: StatusCode, error: String| {
        (
            status,
            LoginPage {
                ctx: ctx.page("Вход"),
                email: who.email.trim().chars().take(254).collect(),
                error,
                remember: who.remember,
            },
        )
            .into_response()
    };
    let old = ctx.session.as_ref().map(|s| s.session_id.as_str());
    match log_in(&state, &who, &ctx.ip, old).await {
        Ok(LoggedIn::Session(token)) => {
            let mut resp = Redirect::to("/").into_response();
            session_cookie(&mut resp, &token, who.remember, ctx.secure_cookies);
            Ok(resp)
        }
        Ok(LoggedIn::Setup(link)) => Ok(Redirect::to(&crate::paths::invite(&link)).into_response()),
        Err(NotIn::Invalid(m)) => Ok(page(StatusCode::UNPROCESSABLE_ENTITY, m)),
        Err(NotIn::Throttled(m)) => Ok(page(StatusCode::TOO_MANY_REQUESTS, m)),
        Err(NotIn::Failed(e)) => Err(e),
    }
}

pub async fn logout(State(state): State<AppState>, ctx: RequestCtx) -> AppResult<Response> {
    if let Some(s) = &ctx.session {
        let mut conn = state.pool.acquire().await?;
        log_out(&mut conn, &s.session_id).await?;
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
