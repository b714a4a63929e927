//! A one-time link: setting the first password (an invitation, or the setup after a correct
//! login + code).

use super::*;

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

#[derive(Template, WebTemplate)]
#[template(path = "auth/invite.html")]
pub struct InvitePage {
    pub ctx: PageCtx,
    pub token: String,
    pub email: String,
    pub full_name: String,
    pub org_name: Option<String>,
    pub errors: FormErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/invite_invalid.html")]
pub struct InviteInvalidPage {
    pub ctx: PageCtx,
}
