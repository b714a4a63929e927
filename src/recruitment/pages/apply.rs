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
use crate::recruitment::{model, repo};
use crate::web::forms::{FormErrors, trimmed};
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

#[derive(Clone, Debug, Default)]
pub struct ApplyForm {
    pub full_name: String,
    pub class_or_position: String,
    pub contact: String,
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

struct Target {
    org: crate::tenancy::Organization,
    program_id: uuid::Uuid,
    program: String,
    role: String,
    open: bool,
}

async fn target(state: &AppState, token: &str) -> AppResult<Target> {
    if token.len() > 64 {
        return Err(AppError::NotFound);
    }
    let mut conn = state.pool.acquire().await?;
    let (org_id, program_id, program, role, status) = repo::by_token(&mut conn, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let org = crate::tenancy::org_by_id(&mut conn, org_id).await?;
    Ok(Target {
        org,
        program_id,
        program,
        role,
        open: status != "finished",
    })
}

/// The signed-in user's person in the organization's base: (person, name).
async fn known(
    state: &AppState,
    ctx: &RequestCtx,
    org_id: uuid::Uuid,
) -> AppResult<Option<(uuid::Uuid, String)>> {
    let Some(s) = &ctx.session else {
        return Ok(None);
    };
    let mut conn = state.pool.acquire().await?;
    Ok(sqlx::query!(
        r#"SELECT id, trim(last_name || ' ' || first_name) AS "name!" FROM people
          WHERE org_id = $1 AND user_id = $2 AND anonymized_at IS NULL LIMIT 1"#,
        org_id,
        s.user.id,
    )
    .map(|r| (r.id, r.name))
    .fetch_optional(&mut *conn)
    .await?)
}

fn page(
    ctx: &RequestCtx,
    t: &Target,
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
        role: if t.role == "mentor" {
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
    let me = known(&state, &ctx, t.org.id).await?.map(|k| k.1);
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
    let mut errors = FormErrors::default();
    if me.is_none() {
        if model::split_name(&form.full_name).is_none() {
            errors.add("full_name", "Напишите фамилию и имя.");
        }
        if form.class_or_position.is_empty() {
            errors.add("class_or_position", "Напишите класс, группу или должность.");
        }
        if !model::contact_ok(&form.contact) {
            errors.add("contact", "Электронная почта или телефон (10–15 цифр).");
        }
        errors.limit("full_name", &form.full_name, 200);
        errors.limit("class_or_position", &form.class_or_position, 100);
        errors.limit("contact", &form.contact, 200);
    }
    errors.limit("motivation", &form.motivation, 2000);
    let source = crate::web::cookies::digest(&format!("apply:{}", ctx.ip));
    let mut conn = state.pool.acquire().await?;
    let contact = if me.is_some() {
        String::new()
    } else {
        form.contact.to_lowercase()
    };
    let (by_contact, by_source) = repo::recent(&mut conn, &contact, &source).await?;
    if by_contact >= model::PER_CONTACT_PER_DAY || by_source >= model::PER_SOURCE_PER_HOUR {
        errors.add(
            "contact",
            "Слишком много заявок отсюда. Попробуйте завтра или обратитесь к куратору.",
        );
    }
    if !errors.is_empty() {
        let p = page(&ctx, &t, &token, me.map(|k| k.1), form, errors, false);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    }
    let mut tx = state.pool.begin().await?;
    repo::insert(
        &mut tx,
        t.org.id,
        &repo::NewApplication {
            program_id: t.program_id,
            role: &t.role,
            user_id: ctx
                .session
                .as_ref()
                .map(|s| s.user.id)
                .filter(|_| me.is_some()),
            person_id: me.as_ref().map(|k| k.0),
            full_name: me.as_ref().map(|k| k.1.as_str()).unwrap_or(&form.full_name),
            class_or_position: &form.class_or_position,
            contact: &contact,
            motivation: &form.motivation,
            source: &source,
        },
    )
    .await?;
    let curators: Vec<uuid::Uuid> =
        crate::tenancy::members_with_role(&mut tx, t.org.id, crate::auth::model::Role::Curator)
            .await?
            .into_iter()
            .map(|c| c.0)
            .collect();
    let text = format!(
        "Новая заявка в программу «{}» ({})",
        t.program,
        if t.role == "mentor" {
            "наставник"
        } else {
            "наставляемый"
        }
    );
    let link = crate::paths::Paths::of(&t.org.slug)
        .in_program(t.program_id)
        .applications();
    let note = crate::notifications::Note {
        kind: "pairs",
        text: &text,
        link: &link,
        details: &[],
    };
    crate::notifications::tell(
        &mut tx,
        crate::notifications::Teller::new(&t.org, &state.config.public_url),
        &curators,
        note,
    )
    .await?;
    tx.commit().await?;
    Ok(page(
        &ctx,
        &t,
        &token,
        me.map(|k| k.1),
        ApplyForm::default(),
        FormErrors::default(),
        true,
    )
    .into_response())
}
