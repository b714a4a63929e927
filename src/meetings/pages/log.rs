//! Logging a meeting (POST `/o/{slug}/pairs/{pair}/meetings`): the short form (date, type,
//! topic, result) and the optional details — time, format, place, goal, what was done, next
//! steps, «важно» (the curators are told at once), «отменена» with a reason, the mentor's private
//! note, a group's attendance. A mistake brings the page back with everything typed (422).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveTime;

use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::meetings::{model, repo};
use crate::notifications::{Note, Teller};
use crate::tenancy::OrgCtx;
use crate::web::forms::{FormData, FormErrors, parse_date, ru_date, trimmed};
use crate::web::ids::PairId;

use super::pair::{MeetingForm, page};
use super::{Access, pair_for};

fn read_form(data: &FormData) -> MeetingForm {
    MeetingForm {
        held_on: trimmed(&data.get("held_on")),
        kind: data.get("kind"),
        topic: trimmed(&data.get("topic")),
        result: trimmed(&data.get("result")),
        format: data.get("format"),
        starts_at: trimmed(&data.get("starts_at")),
        ends_at: trimmed(&data.get("ends_at")),
        place: trimmed(&data.get("place")),
        goal: trimmed(&data.get("goal")),
        done: trimmed(&data.get("done")),
        next_steps: trimmed(&data.get("next_steps")),
        important: data.get("important") == "1",
        cancelled: data.get("cancelled") == "1",
        cancel_reason: trimmed(&data.get("cancel_reason")),
        private_note: trimmed(&data.get("private_note")),
        absent: Vec::new(),
    }
}

fn time(raw: &str, field: &'static str, errors: &mut FormErrors) -> Option<NaiveTime> {
    if raw.is_empty() {
        return None;
    }
    let t = NaiveTime::parse_from_str(raw, "%H:%M").ok();
    if t.is_none() {
        errors.add(field, "Время в виде ЧЧ:ММ, например 15:30.");
    }
    t
}

pub async fn log_meeting(org: OrgCtx, PairId(pair): PairId, data: FormData) -> AppResult<Response> {
    let (row, access) = pair_for(&org, pair).await?;
    if access == Access::Read {
        return Err(AppError::Forbidden);
    }
    let mut form = read_form(&data);
    // A group: every mentee not ticked present was absent.
    let present = data.all("present");
    let mentees: Vec<uuid::Uuid> = row
        .members
        .iter()
        .filter(|m| m.role == "mentee")
        .map(|m| m.person_id)
        .collect();
    let attendance: Vec<(uuid::Uuid, bool)> = if mentees.len() > 1 && !form.cancelled {
        mentees
            .iter()
            .map(|p| (*p, present.contains(&p.to_string())))
            .collect()
    } else {
        Vec::new()
    };
    form.absent = attendance
        .iter()
        .filter(|a| !a.1)
        .map(|a| a.0.to_string())
        .collect();
    let mut errors = FormErrors::default();
    let held_on = parse_date(&form.held_on);
    let today = org.org.today();
    match held_on {
        None => errors.add("held_on", "Укажите дату встречи."),
        Some(d)
            if d < today - chrono::Duration::days(366)
                || d > today + chrono::Duration::days(366) =>
        {
            errors.add("held_on", "Дата — в пределах года от сегодняшней.")
        }
        _ => {}
    }
    if !model::KINDS.iter().any(|k| k.0 == form.kind) {
        errors.add("kind", "Выберите вид встречи.");
    }
    if !model::FORMATS.iter().any(|f| f.0 == form.format) {
        errors.add("format", "Выберите формат.");
    }
    if form.topic.is_empty() {
        errors.add("topic", "Напишите тему встречи.");
    }
    let starts_at = time(&form.starts_at, "starts_at", &mut errors);
    let ends_at = time(&form.ends_at, "ends_at", &mut errors);
    if starts_at.is_some() && ends_at.is_some() && model::minutes(starts_at, ends_at).is_none() {
        errors.add("ends_at", "Конец встречи позже начала.");
    }
    if form.cancelled && form.cancel_reason.is_empty() {
        errors.add("cancel_reason", "Напишите, почему встреча отменена.");
    }
    if access != Access::Log && !form.private_note.is_empty() {
        errors.add("private_note", "Личную заметку пишет только наставник.");
    }
    errors.limit("cancel_reason", &form.cancel_reason, 500);
    errors.limit("private_note", &form.private_note, 2000);
    errors.limit("topic", &form.topic, 300);
    errors.limit("place", &form.place, 300);
    for (field, value) in [
        ("result", &form.result),
        ("goal", &form.goal),
        ("done", &form.done),
        ("next_steps", &form.next_steps),
    ] {
        errors.limit(field, value, 2000);
    }
    let Some(held_on) = held_on.filter(|_| errors.is_empty()) else {
        let page = page(&org, &row, access, Some(form), errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let mut tx = org.begin().await?;
    repo::insert(
        &mut tx,
        org.org.id,
        &repo::NewMeeting {
            pair_id: row.id,
            kind: &form.kind,
            held_on,
            starts_at,
            ends_at,
            format: &form.format,
            place: &form.place,
            topic: &form.topic,
            goal: &form.goal,
            done: &form.done,
            result: &form.result,
            next_steps: &form.next_steps,
            important: form.important,
            on_behalf: access == Access::OnBehalf,
            cancelled: form.cancelled,
            cancel_reason: &form.cancel_reason,
            private_note: &form.private_note,
            attendance: &attendance,
            by: org.user.id,
        },
    )
    .await?;
    // The other members are asked to rate a held meeting (in-app and by e-mail, by their choice).
    if held_on <= today && !form.cancelled {
        let others: Vec<uuid::Uuid> = row
            .members
            .iter()
            .filter_map(|m| m.user_id)
            .filter(|u| *u != org.user.id)
            .collect();
        let text = format!(
            "Записана встреча «{}» ({}). Оцените её — одно нажатие.",
            form.topic,
            ru_date(held_on)
        );
        let link = org.paths().meetings(row.id);
        let note = Note {
            kind: "pairs",
            text: &text,
            link: &link,
            details: &[],
        };
        crate::notifications::tell(&mut tx, Teller::of(&org), &others, note).await?;
    }
    if form.important {
        let curators: Vec<uuid::Uuid> =
            crate::tenancy::members_with_role(&mut tx, org.org.id, Role::Curator)
                .await?
                .into_iter()
                .map(|c| c.0)
                .filter(|c| *c != org.user.id)
                .collect();
        let text = format!(
            "Важная встреча в программе «{}» ({}): {}",
            row.program_name,
            ru_date(held_on),
            form.topic
        );
        let link = org.paths().meetings(row.id);
        let note = Note {
            kind: "pairs",
            text: &text,
            link: &link,
            details: &[],
        };
        crate::notifications::tell(&mut tx, Teller::of(&org), &curators, note).await?;
    }
    tx.commit().await?;
    let what = if form.cancelled {
        "Отмена встречи записана."
    } else if held_on > today {
        "Встреча запланирована."
    } else {
        "Встреча записана."
    };
    Ok(org.flash(&org.paths().meetings(row.id), what))
}
