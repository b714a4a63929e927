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
    let (c, base, back, on_behalf) = resolve(&org, a, None).await?;
    let raw = stored_raw(&c);
    Ok(fill_page(
        &org,
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

pub async fn fill_for(org: OrgCtx, Id(a): Id, PersonId(p): PersonId) -> AppResult<FillPage> {
    let (c, base, back, on_behalf) = resolve(&org, a, Some(p)).await?;
    let raw = stored_raw(&c);
    Ok(fill_page(
        &org,
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

pub(super) async fn submit_inner(
    org: &OrgCtx,
    a: Uuid,
    p: Option<Uuid>,
    crate::web::forms::FormAnd(form, data): crate::web::forms::FormAnd<FillForm>,
    draft_only: bool,
    headers: &HeaderMap,
) -> AppResult<Response> {
    let (c, base, back, on_behalf) = resolve(org, a, p).await?;
    let raw = model::raw_from_form(&c.cur.def, &data.0);
    if closed(&c.assignment) {
        let page = fill_page(
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
        );
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    let mut conn = org.conn().await?;
    // Nothing is saved for a person without a valid consent at this very moment.
    if !crate::people::has_valid_consent(&mut conn, org.org.id, c.person_id).await? {
        return Err(AppError::Validation(
            "Анкету нельзя заполнить: нет действующего согласия на обработку персональных данных. \
             Обратитесь к куратору."
                .into(),
        ));
    }
    let draft = crate::questionnaires::ResponseInput {
        assignment_id: c.assignment.id,
        person_id: c.person_id,
        version_id: c.cur.version_id,
        answers: &raw,
        submit: false,
        on_behalf,
    };
    let submitted = c.response.as_ref().is_some_and(|r| r.status == "submitted");
    // «Изменить ответ» on a form opened after the submission; a tab opened before it (or a
    // draft) never replaces a submitted answer.
    let change = submitted && form.change.clone() == "1";
    if draft_only {
        let note = if repo::save_response(&mut conn, org.org.id, &draft).await? {
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
        let page = fill_page(
            org,
            &c,
            &raw,
            &Default::default(),
            FillWhere {
                base: &base,
                back,
                on_behalf,
            },
            note,
        );
        return Ok(page.into_response());
    }
    let conflict = |org: &OrgCtx| {
        // Submitted already (another tab, the curator): nothing replaced, everything typed kept,
        // and «Изменить ответ» offered.
        let mut page = fill_page(
            org,
            &c,
            &raw,
            &Default::default(),
            FillWhere {
                base: &base,
                back: back.clone(),
                on_behalf,
            },
            String::new(),
        );
        page.submitted = true;
        page.conflict = true;
        (StatusCode::CONFLICT, page).into_response()
    };
    if submitted && !change {
        return Ok(conflict(org));
    }
    let people: Vec<String> = c.people.iter().map(|(id, _)| id.to_string()).collect();
    let problems = model::validate(&c.cur.def, &raw, &people);
    if !problems.is_empty() {
        // Keep everything typed: as a draft, and in the re-rendered form.
        repo::save_response(&mut conn, org.org.id, &draft).await?;
        let page = fill_page(
            org,
            &c,
            &raw,
            &problems,
            FillWhere {
                base: &base,
                back,
                on_behalf,
            },
            String::new(),
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    drop(conn);
    let input = crate::questionnaires::ResponseInput {
        submit: true,
        ..draft
    };
    let mut tx = org.begin().await?;
    let written = if change {
        let changed = repo::change_response(&mut tx, org.org.id, &input, org.user.id).await?;
        if changed {
            let how = if on_behalf {
                "со слов, куратором"
            } else {
                "автором"
            };
            crate::audit::record(
                &mut tx,
                org,
                "response.change",
                Some(c.person_id),
                &format!("анкета {}, изменено {how}", c.assignment.id),
            )
            .await?;
        }
        changed
    } else {
        repo::save_response(&mut tx, org.org.id, &input).await?
    };
    tx.commit().await?;
    if !written {
        return Ok(conflict(org));
    }
    Ok(org.flash(
        &back,
        if on_behalf {
            "Ответы с бумажной анкеты сохранены."
        } else {
            if change {
                "Ответ изменён; прежний сохранён в истории."
            } else {
                "Спасибо! Ответы отправлены. Их можно изменить до срока кнопкой «Изменить ответ»."
            }
        },
    ))
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
