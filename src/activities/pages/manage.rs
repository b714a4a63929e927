//! What leaders and curators do with an occurrence: mark attendance (after the end, those newly
//! marked present are asked for feedback at once), add the recording; and what only curators do:
//! move or cancel one date of a series (or restore it), cancel or restore the whole activity.
//! Each change bumps the calendar SEQUENCE; today's reminders follow the new time.

use axum::response::Response;
use chrono::{NaiveTime, Utc};

use super::OccurrenceKey;
use crate::activities::manage::{self, DateChange};
use crate::error::AppResult;
use crate::tenancy::OrgCtx;
use crate::web::forms::{Refused, parse_date, trimmed};
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

fn answer<T>(
    org: &OrgCtx,
    back: &str,
    done: Result<T, Refused>,
    ok: impl FnOnce(T) -> (String, &'static str),
) -> AppResult<Response> {
    match done {
        Ok(v) => {
            let (to, msg) = ok(v);
            Ok(org.flash(if to.is_empty() { back } else { &to }, msg))
        }
        Err(Refused::Invalid(e)) => Ok(org.flash_error(back, &e.first())),
        Err(Refused::Failed(e)) => Err(e),
    }
}

pub async fn attendance(
    org: OrgCtx,
    key: OccurrenceKey,
    crate::web::forms::Form(data): crate::web::forms::Form<ManageForm>,
) -> AppResult<Response> {
    let back = org.paths().activity(key.id, key.on_date);
    let present = crate::web::forms::uuids(&data.present);
    let mut tx = org.begin().await?;
    let at = (key.id, key.on_date);
    let done = manage::mark_attendance(&mut tx, &org.actor(), at, &present).await;
    if done.is_ok() {
        tx.commit().await?;
    }
    answer(&org, &back, done, |_| {
        (String::new(), "Присутствие отмечено.")
    })
}

pub async fn recording(
    org: OrgCtx,
    key: OccurrenceKey,
    crate::web::forms::Form(data): crate::web::forms::Form<ManageForm>,
) -> AppResult<Response> {
    let back = org.paths().activity(key.id, key.on_date);
    let typed = (data.recording.as_str(), data.materials.as_str());
    let mut tx = org.begin().await?;
    let done = manage::save_recording(&mut tx, &org.actor(), key.id, typed).await;
    if done.is_ok() {
        tx.commit().await?;
    }
    answer(&org, &back, done, |_| {
        (String::new(), "Запись и материалы сохранены.")
    })
}

/// A curator moves (`move`: new date and time), cancels (`cancel`) or restores (`restore`) one date.
pub async fn change_date(
    org: OrgCtx,
    key: OccurrenceKey,
    crate::web::forms::Form(data): crate::web::forms::Form<ManageForm>,
) -> AppResult<Response> {
    let back = org.paths().activity(key.id, key.on_date);
    let change = match data.action.as_str() {
        "cancel" => DateChange::Cancel(data.reason),
        "restore" => DateChange::Restore,
        "move" => {
            let at = parse_date(&data.date)
                .zip(NaiveTime::parse_from_str(&trimmed(&data.time), "%H:%M").ok())
                .and_then(|(d, t)| d.and_time(t).and_local_timezone(org.org.offset()).single())
                .map(|t| t.with_timezone(&Utc));
            DateChange::Move(at, data.reason)
        }
        _ => return Ok(org.flash_error(&back, "Неизвестное действие.")),
    };
    let mut tx = org.begin().await?;
    let done = manage::change_date(&mut tx, &org.actor(), (key.id, key.on_date), &change).await;
    if done.is_ok() {
        tx.commit().await?;
    }
    answer(&org, &back, done, |_| {
        (
            String::new(),
            "Расписание изменено; календари получат изменение при обновлении.",
        )
    })
}

/// A curator cancels (or restores) the whole activity.
pub async fn cancel_all(
    org: OrgCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<ManageForm>,
) -> AppResult<Response> {
    let restore = data.action == "restore";
    let cancel = (!restore).then_some(data.reason.as_str());
    let mut tx = org.begin().await?;
    let done = manage::cancel_all(&mut tx, &org.actor(), id, cancel).await;
    if done.is_ok() {
        tx.commit().await?;
    }
    let back = org.paths().home();
    answer(&org, &back, done, |first| {
        (
            org.paths().activity(id, first),
            if restore {
                "Занятие восстановлено."
            } else {
                "Занятие отменено."
            },
        )
    })
}
