//! Filling a questionnaire (phone-first): one's own from «Мои анкеты», or a paper form on
//! someone's behalf; drafts saved automatically (htmx), errors beside the questions with
//! everything typed kept, nothing saved without a valid consent.

use super::fill_form::*;
use super::*;
use crate::web::ids::{Id, PersonId};

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct FillForm {
    pub change: String,
}

pub async fn fill_mine(org: OrgCtx, Id(a): Id) -> AppResult<FillPage> {
    fill(&org, a, None).await
}

pub async fn fill_for(org: OrgCtx, Id(a): Id, PersonId(p): PersonId) -> AppResult<FillPage> {
    fill(&org, a, Some(p)).await
}

/// The form of the sending `a` for the user's own person, or for the person `p` on their behalf,
/// with what was kept.
async fn fill(org: &OrgCtx, a: Uuid, p: Option<Uuid>) -> AppResult<FillPage> {
    let (c, base, back, on_behalf) = resolve(org, a, p).await?;
    let raw = stored_raw(&c);
    Ok(fill_page(
        org,
        &c,
        &raw,
        &Default::default(),
        FillWhere {
            base: &base,
            back,
            on_behalf,
        },
        String::new(),
    ))
}

/// Keeps the answers through [`crate::questionnaires::answer`] and shows what became of them: a
/// draft's note (a fragment for htmx), the page again with everything typed (409 closed or
/// submitted already, 422 with the problems beside the questions), or the way back.
pub(super) async fn submit_inner(
    org: &OrgCtx,
    a: Uuid,
    p: Option<Uuid>,
    crate::web::forms::FormAnd(form, data): crate::web::forms::FormAnd<FillForm>,
    draft_only: bool,
    headers: &HeaderMap,
) -> AppResult<Response> {
    use crate::questionnaires::{Answered, NotTaken, Sending, Target};
    let (c, base, back, on_behalf) = resolve(org, a, p).await?;
    let raw = model::raw_from_form(&c.cur.def, &data.0);
    let people: Vec<Uuid> = c.people.iter().map(|(id, _)| *id).collect();
    let target = Target {
        assignment: &c.assignment,
        person_id: c.person_id,
        version_id: c.cur.version_id,
        def: &c.cur.def,
        people: &people,
        on_behalf,
    };
    let sending = if draft_only {
        Sending::Draft
    } else if form.change == "1" {
        Sending::Change
    } else {
        Sending::Submit
    };
    let page = |problems: &model::Problems, note: String| {
        fill_page(
            org,
            &c,
            &raw,
            problems,
            FillWhere {
                base: &base,
                back: back.clone(),
                on_behalf,
            },
            note,
        )
    };
    let mut tx = org.begin().await?;
    let answered =
        crate::questionnaires::answer(&mut tx, &org.actor(), &target, &raw, sending).await;
    if !matches!(answered, Err(NotTaken::Failed(_))) {
        tx.commit().await?;
    }
    match answered {
        Ok(Answered::Draft | Answered::DraftAfterSubmission) => {
            let note = if answered.as_ref().is_ok_and(|a| *a == Answered::Draft) {
                format!(
                    "Черновик сохранён в {}",
                    org.org.local(chrono::Utc::now()).format("%H:%M")
                )
            } else {
                "Ответы уже отправлены: черновик их не заменяет.".to_string()
            };
            if headers.contains_key("hx-request") {
                return Ok(SavedPartial { note }.into_response());
            }
            Ok(page(&Default::default(), note).into_response())
        }
        Ok(done) => Ok(org.flash(
            &back,
            if on_behalf {
                "Ответы с бумажной анкеты сохранены."
            } else if done == Answered::Changed {
                "Ответ изменён; прежний сохранён в истории."
            } else {
                "Спасибо! Ответы отправлены. Их можно изменить до срока кнопкой «Изменить ответ»."
            },
        )),
        Err(NotTaken::Closed) => Ok((
            StatusCode::CONFLICT,
            page(&Default::default(), String::new()),
        )
            .into_response()),
        Err(NotTaken::NoConsent) => Err(AppError::Validation(
            "Анкету нельзя заполнить: нет действующего согласия на обработку персональных данных. \
             Обратитесь к куратору."
                .into(),
        )),
        Err(NotTaken::Submitted) => {
            // Submitted already (another tab, the curator): nothing replaced, everything typed
            // kept, and «Изменить ответ» offered.
            let mut page = page(&Default::default(), String::new());
            page.submitted = true;
            page.conflict = true;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(NotTaken::Invalid(problems)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&problems, String::new()),
        )
            .into_response()),
        Err(NotTaken::Failed(e)) => Err(e),
    }
}

/// Sends (or, with `DRAFT`, saves as a draft) one's own answers.
pub async fn save_mine<const DRAFT: bool>(
    org: OrgCtx,
    headers: HeaderMap,
    Id(a): Id,
    crate::web::forms::FormAnd(form, data): crate::web::forms::FormAnd<FillForm>,
) -> AppResult<Response> {
    submit_inner(
        &org,
        a,
        None,
        crate::web::forms::FormAnd(form, data),
        DRAFT,
        &headers,
    )
    .await
}

/// Sends (or, with `DRAFT`, saves as a draft) a paper form on someone's behalf.
pub async fn save_for<const DRAFT: bool>(
    org: OrgCtx,
    headers: HeaderMap,
    Id(a): Id,
    PersonId(p): PersonId,
    crate::web::forms::FormAnd(form, data): crate::web::forms::FormAnd<FillForm>,
) -> AppResult<Response> {
    submit_inner(
        &org,
        a,
        Some(p),
        crate::web::forms::FormAnd(form, data),
        DRAFT,
        &headers,
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaires/_saved.html")]
pub struct SavedPartial {
    pub note: String,
}
