//! `/apply/{token}`: applying to a program as a mentor or a mentee. Someone signed in who is in
//! the organization's base applies in one step (a few words of motivation); anyone else gives a
//! name, a class or position and a contact, and the curator decides. Throttled per contact (three
//! a day) and per network address (ten an hour); no account is ever created here.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, AppResult};
use crate::people::Side;
use crate::recruitment::{Applicant, ApplyForm, Link};
use crate::web::forms::{FormErrors, Refused, trimmed};
use crate::web::{AppState, PageCtx, RequestCtx};

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ApplyFields {
    pub class_or_position: String,
    pub contact: String,
    pub full_name: String,
    pub motivation: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "recruitment/apply.html")]
pub struct ApplyPage {
    pub ctx: PageCtx,
    pub org_name: String,
    pub program: String,
    pub role: &'static str,
    pub action: String,
    /// Signed in and in the base: the one-step form.
    pub known: Option<String>,
    pub form: ApplyForm,
    pub errors: FormErrors,
    pub done: bool,
    pub closed: bool,
}

async fn target(state: &AppState, token: &str) -> AppResult<Link> {
    let mut conn = state.pool.acquire().await?;
    crate::recruitment::link(&mut conn, token)
        .await?
        .ok_or(AppError::NotFound)
}

/// The signed-in user's person in the organization's base.
async fn known(
    state: &AppState,
    ctx: &RequestCtx,
    org_id: uuid::Uuid,
) -> AppResult<Option<Applicant>> {
    let Some(s) = &ctx.session else {
        return Ok(None);
    };
    let mut conn = state.pool.acquire().await?;
    Ok(crate::recruitment::applicant(&mut conn, org_id, s.user.id).await?)
}

fn page(
    ctx: &RequestCtx,
    t: &Link,
    token: &str,
    known: Option<String>,
    form: ApplyForm,
    errors: FormErrors,
    done: bool,
) -> ApplyPage {
    ApplyPage {
        ctx: ctx.page("Заявка в программу наставничества"),
        org_name: t.org.short_name.clone(),
        program: t.program.clone(),
        role: if t.role == Side::Mentor {
            "наставником"
        } else {
            "наставляемым"
        },
        action: crate::paths::apply(token),
        known,
        form,
        errors,
        done,
        closed: !t.open,
    }
}

pub async fn apply_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
) -> AppResult<ApplyPage> {
    let t = target(&state, &token).await?;
    let me = known(&state, &ctx, t.org.id).await?.map(|k| k.name);
    Ok(page(
        &ctx,
        &t,
        &token,
        me,
        ApplyForm::default(),
        FormErrors::default(),
        false,
    ))
}

pub async fn apply(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
    crate::web::forms::Form(data): crate::web::forms::Form<ApplyFields>,
) -> AppResult<Response> {
    let t = target(&state, &token).await?;
    if !t.open {
        return Ok(page(
            &ctx,
            &t,
            &token,
            None,
            ApplyForm::default(),
            FormErrors::default(),
            false,
        )
        .into_response());
    }
    let me = known(&state, &ctx, t.org.id).await?;
    let form = ApplyForm {
        full_name: trimmed(&data.full_name),
        class_or_position: trimmed(&data.class_or_position),
        contact: trimmed(&data.contact),
        motivation: trimmed(&data.motivation),
    };
    let source = crate::web::cookies::digest(&format!("apply:{}", ctx.ip));
    let mut tx = state.pool.begin().await?;
    let link = (&t, state.config.public_url.as_str());
    match crate::recruitment::apply(&mut tx, link, me.as_ref(), &form, &source).await {
        Ok(()) => {
            tx.commit().await?;
            let me = me.map(|k| k.name);
            let p = page(
                &ctx,
                &t,
                &token,
                me,
                ApplyForm::default(),
                FormErrors::default(),
                true,
            );
            Ok(p.into_response())
        }
        Err(Refused::Invalid(errors)) => {
            let p = page(&ctx, &t, &token, me.map(|k| k.name), form, errors, false);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
        Err(Refused::Failed(e)) => Err(e),
    }
}
