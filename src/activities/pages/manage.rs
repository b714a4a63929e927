//! What leaders and curators do with an occurrence: mark attendance (after the end, those newly
//! marked present are asked for feedback at once), add the recording; and what only curators do:
//! move or cancel one date of a series (or restore it), cancel or restore the whole activity.
//! Each change bumps the calendar SEQUENCE; today's reminders follow the new time.

use axum::response::Response;
use chrono::{NaiveTime, Utc};
use uuid::Uuid;

use super::{OccurrenceKey, visible_activity};
use crate::activities::{jobs, model, repo};
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::notifications::Teller;
use crate::tenancy::OrgCtx;
use crate::web::forms::{parse_date, trimmed};
use crate::web::ids::Id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ManageForm {
    pub action: String,
    pub date: String,
    pub materials: String,
    pub present: Vec<String>,
    pub reason: String,
    pub recording: String,
    pub time: String,
}

/// The activity, if the viewer leads it or is a curator (403 otherwise).
async fn managed(org: &OrgCtx, id: Uuid) -> AppResult<repo::Activity> {
    let (a, viewer) = visible_activity(org, id).await?;
    let leads = viewer
        .person_in(a.program_id)
        .is_some_and(|p| a.leaders.contains(&p));
    if leads || org.has(Role::Curator) {
        Ok(a)
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn attendance(
    org: OrgCtx,
    key: OccurrenceKey,
    crate::web::forms::Form(data): crate::web::forms::Form<ManageForm>,
) -> AppResult<Response> {
    let a = managed(&org, key.id).await?;
    let o = model::occurrence(&a.timing(), &a.exceptions, org.org.offset(), key.on_date)
        .ok_or(AppError::NotFound)?;
    let back = org.paths().activity(a.id, key.on_date);
    if o.starts > Utc::now() {
        return Ok(org.flash_error(&back, "Отметить присутствие можно, когда занятие началось."));
    }
    let mut tx = org.begin().await?;
    let people: Vec<Uuid> = repo::audience(&mut tx, org.org.id, &a)
        .await?
        .into_iter()
        .map(|p| p.0)
        .collect();
    let present: Vec<Uuid> = crate::web::forms::uuids(&data.present)
        .into_iter()
        .filter(|p| people.contains(p))
        .collect();
    repo::set_attendance(&mut tx, org.org.id, a.id, key.on_date, &people, &present).await?;
    jobs::ask_feedback(
        &mut tx,
        &org.org,
        Teller::of(&org),
        (a.id, key.on_date),
        Utc::now(),
    )
    .await?;
    crate::audit::record(
        &mut tx,
        &org,
        "activity.attendance",
        None,
        &format!(
            "занятие {} {}: присутствовали {}",
            a.id,
            key.on_date,
            present.len()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(org.flash(&back, "Присутствие отмечено."))
}

pub async fn recording(
    org: OrgCtx,
    key: OccurrenceKey,
    crate::web::forms::Form(data): crate::web::forms::Form<ManageForm>,
) -> AppResult<Response> {
    let a = managed(&org, key.id).await?;
    let back = org.paths().activity(a.id, key.on_date);
    let link = trimmed(&data.recording);
    let materials = trimmed(&data.materials);
    let ok = link.is_empty()
        || ((link.starts_with("https://") || link.starts_with("http://"))
            && link.len() <= 500
            && !link.contains(char::is_whitespace));
    if !ok || materials.chars().count() > 4000 {
        return Ok(org.flash_error(
            &back,
            "Ссылка на запись — вида https://…, материалы — до 4000 знаков.",
        ));
    }
    let mut tx = org.begin().await?;
    sqlx::query!(
        "UPDATE activities SET recording = $3, materials = $4, updated_at = now() WHERE org_id = $1 AND id = $2",
        org.org.id,
        a.id,
        &link,
        &materials,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(org.flash(&back, "Запись и материалы сохранены."))
}

/// A curator moves (`move`: new date and time), cancels (`cancel`) or restores (`restore`) one date.
pub async fn change_date(
    org: OrgCtx,
    key: OccurrenceKey,
    crate::web::forms::Form(data): crate::web::forms::Form<ManageForm>,
) -> AppResult<Response> {
    let a = managed(&org, key.id).await?;
    if !org.has(Role::Curator) {
        return Err(AppError::Forbidden);
    }
    model::occurrence(&a.timing(), &a.exceptions, org.org.offset(), key.on_date)
        .ok_or(AppError::NotFound)?;
    let reason: String = trimmed(&data.reason).chars().take(300).collect();
    let back = org.paths().activity(a.id, key.on_date);
    let change = match data.action.clone().as_str() {
        "cancel" => Some((None, reason.as_str())),
        "restore" => None,
        "move" => {
            let at = parse_date(&data.date)
                .zip(NaiveTime::parse_from_str(&trimmed(&data.time), "%H:%M").ok())
                .and_then(|(d, t)| d.and_time(t).and_local_timezone(org.org.offset()).single())
                .map(|t| t.with_timezone(&Utc));
            let Some(at) = at else {
                return Ok(org.flash_error(&back, "Укажите новую дату и время (ЧЧ:ММ)."));
            };
            Some((Some(at), reason.as_str()))
        }
        _ => return Ok(org.flash_error(&back, "Неизвестное действие.")),
    };
    let mut tx = org.begin().await?;
    repo::set_exception(&mut tx, a.id, key.on_date, change).await?;
    jobs::queue_day(&mut tx, &org.org, Some(a.id), Utc::now()).await?;
    crate::audit::record(
        &mut tx,
        &org,
        "activity.date",
        None,
        &format!("занятие {} {}", a.id, key.on_date),
    )
    .await?;
    tx.commit().await?;
    Ok(org.flash(
        &back,
        "Расписание изменено; календари получат изменение при обновлении.",
    ))
}

/// A curator cancels (or restores) the whole activity.
pub async fn cancel_all(
    org: OrgCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<ManageForm>,
) -> AppResult<Response> {
    let a = managed(&org, id).await?;
    if !org.has(Role::Curator) {
        return Err(AppError::Forbidden);
    }
    let restore = data.action == "restore";
    let reason: String = trimmed(&data.reason).chars().take(300).collect();
    let mut tx = org.begin().await?;
    repo::set_cancelled(&mut tx, org.org.id, a.id, !restore, &reason).await?;
    crate::audit::record(
        &mut tx,
        &org,
        "activity.cancel",
        None,
        &format!("занятие {}", a.id),
    )
    .await?;
    tx.commit().await?;
    let first = org.org.local(a.starts_at).date_naive();
    Ok(org.flash(
        &org.paths().activity(a.id, first),
        if restore {
            "Занятие восстановлено."
        } else {
            "Занятие отменено."
        },
    ))
}
