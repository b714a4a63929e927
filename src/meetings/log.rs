//! The command that logs a meeting (`log`): the form as sent (`MeetingForm`, re-rendered with
//! everything typed when refused), parsed into a `MeetingInput` that holds only good values
//! (a date within a year of today, a known type and format, times with the end after the
//! start, a reason for a cancelled one, texts within their limits, the private note only from
//! the mentor), written with the group's attendance, told to the other members (rate a held
//! meeting) and, when «важно», to the curators.

use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::model::Role;
use crate::meetings::{model, repo};
use crate::notifications::{Note, Teller};
use crate::pairing::PairRow;
use crate::people::Side;
use crate::tenancy::Actor;
use crate::web::forms::Refused;
use crate::web::forms::{FormErrors, checkbox, parse_date, ru_date};

/// A meeting form as the browser sends it (and as the page shows it again after a mistake).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct MeetingForm {
    pub held_on: String,
    pub kind: String,
    pub topic: String,
    pub result: String,
    pub format: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub goal: String,
    pub done: String,
    pub next_steps: String,
    #[serde(deserialize_with = "checkbox")]
    pub important: bool,
    #[serde(deserialize_with = "checkbox")]
    pub cancelled: bool,
    pub cancel_reason: String,
    pub private_note: String,
    /// A group: the mentees ticked present (person ids).
    pub present: Vec<String>,
    /// Person ids of the group's mentees not ticked present (for the page shown again).
    #[serde(skip)]
    pub absent: Vec<String>,
}

/// Who logs: the pair's mentor, or a curator «со слов наставника».
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capacity {
    Mentor,
    OnBehalf,
}

/// A meeting that can be written: every value checked.
#[derive(Clone, Debug)]
pub struct MeetingInput {
    pub held_on: NaiveDate,
    pub kind: model::MeetingKind,
    pub format: model::MeetingFormat,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
    pub topic: String,
    pub result: String,
    pub place: String,
    pub goal: String,
    pub done: String,
    pub next_steps: String,
    pub important: bool,
    pub cancelled: bool,
    pub cancel_reason: String,
    pub private_note: String,
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

impl MeetingForm {
    /// The form's text fields without the spaces around them.
    fn trim(&mut self) {
        for f in [
            &mut self.held_on,
            &mut self.topic,
            &mut self.result,
            &mut self.starts_at,
            &mut self.ends_at,
            &mut self.place,
            &mut self.goal,
            &mut self.done,
            &mut self.next_steps,
            &mut self.cancel_reason,
            &mut self.private_note,
        ] {
            *f = f.trim().to_string();
        }
    }

    /// The input, or a message beside each field that is wrong.
    pub fn parse(&self, today: NaiveDate, by: Capacity) -> Result<MeetingInput, FormErrors> {
        let mut errors = FormErrors::default();
        let held_on = parse_date(&self.held_on);
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
        let kind = model::MeetingKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", "Выберите вид встречи.");
        }
        let format = model::MeetingFormat::parse(&self.format);
        if format.is_none() {
            errors.add("format", "Выберите формат.");
        }
        if self.topic.is_empty() {
            errors.add("topic", "Напишите тему встречи.");
        }
        let starts_at = time(&self.starts_at, "starts_at", &mut errors);
        let ends_at = time(&self.ends_at, "ends_at", &mut errors);
        if starts_at.is_some() && ends_at.is_some() && model::minutes(starts_at, ends_at).is_none()
        {
            errors.add("ends_at", "Конец встречи позже начала.");
        }
        if self.cancelled && self.cancel_reason.is_empty() {
            errors.add("cancel_reason", "Напишите, почему встреча отменена.");
        }
        if by != Capacity::Mentor && !self.private_note.is_empty() {
            errors.add("private_note", "Личную заметку пишет только наставник.");
        }
        errors.limit("cancel_reason", &self.cancel_reason, 500);
        errors.limit("private_note", &self.private_note, 2000);
        errors.limit("topic", &self.topic, 300);
        errors.limit("place", &self.place, 300);
        for (field, value) in [
            ("result", &self.result),
            ("goal", &self.goal),
            ("done", &self.done),
            ("next_steps", &self.next_steps),
        ] {
            errors.limit(field, value, 2000);
        }
        match (held_on, kind, format) {
            (Some(held_on), Some(kind), Some(format)) if errors.is_empty() => Ok(MeetingInput {
                held_on,
                kind,
                format,
                starts_at,
                ends_at,
                topic: self.topic.clone(),
                result: self.result.clone(),
                place: self.place.clone(),
                goal: self.goal.clone(),
                done: self.done.clone(),
                next_steps: self.next_steps.clone(),
                important: self.important,
                cancelled: self.cancelled,
                cancel_reason: self.cancel_reason.clone(),
                private_note: self.private_note.clone(),
            }),
            _ => Err(errors),
        }
    }
}

/// A meeting written: what the page says next.
#[derive(Clone, Copy, Debug)]
pub struct Logged {
    pub id: Uuid,
    pub held_on: NaiveDate,
    pub cancelled: bool,
}

impl Logged {
    /// «Встреча записана.» / «Встреча запланирована.» / «Отмена встречи записана.»
    pub fn message(&self, today: NaiveDate) -> &'static str {
        if self.cancelled {
            "Отмена встречи записана."
        } else if self.held_on > today {
            "Встреча запланирована."
        } else {
            "Встреча записана."
        }
    }
}

/// Logs a meeting of the agreed pair `pair` (its members as `pairing` gives them) by `actor` in
/// the capacity `by`. The form is trimmed in place and, for a group, its absentees filled in, so
/// a refused form shows again as typed.
pub async fn log(
    tx: &mut sqlx::PgConnection,
    actor: &Actor<'_>,
    pair: &PairRow,
    by: Capacity,
    form: &mut MeetingForm,
) -> Result<Logged, Refused> {
    form.trim();
    // A group: every mentee not ticked present was absent.
    let mentees: Vec<Uuid> = pair
        .members
        .iter()
        .filter(|m| m.role == Side::Mentee)
        .map(|m| m.person_id)
        .collect();
    let attendance: Vec<(Uuid, bool)> = if mentees.len() > 1 && !form.cancelled {
        mentees
            .iter()
            .map(|p| (*p, form.present.contains(&p.to_string())))
            .collect()
    } else {
        Vec::new()
    };
    form.absent = attendance
        .iter()
        .filter(|a| !a.1)
        .map(|a| a.0.to_string())
        .collect();
    let today = actor.today();
    let m = form.parse(today, by)?;
    let id = repo::insert(
        tx,
        actor.org.id,
        &repo::NewMeeting {
            pair_id: pair.id,
            kind: m.kind,
            held_on: m.held_on,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            format: m.format,
            place: &m.place,
            topic: &m.topic,
            goal: &m.goal,
            done: &m.done,
            result: &m.result,
            next_steps: &m.next_steps,
            important: m.important,
            on_behalf: by == Capacity::OnBehalf,
            cancelled: m.cancelled,
            cancel_reason: &m.cancel_reason,
            private_note: &m.private_note,
            attendance: &attendance,
            by: actor.user_id,
        },
    )
    .await?;
    let teller = Teller::by(actor);
    let link = actor.paths().meetings(pair.id);
    // The other members are asked to rate a held meeting (in-app and by e-mail, by their choice).
    if m.held_on <= today && !m.cancelled {
        let others: Vec<Uuid> = pair
            .members
            .iter()
            .filter_map(|p| p.user_id)
            .filter(|u| *u != actor.user_id)
            .collect();
        let text = format!(
            "Записана встреча «{}» ({}). Оцените её — одно нажатие.",
            m.topic,
            ru_date(m.held_on)
        );
        let note = Note::new("pairs", &text, &link);
        crate::notifications::tell(tx, teller, &others, note).await?;
    }
    if m.important {
        let curators: Vec<Uuid> =
            crate::tenancy::members_with_role(tx, actor.org.id, Role::Curator)
                .await?
                .into_iter()
                .map(|c| c.0)
                .filter(|c| *c != actor.user_id)
                .collect();
        let text = format!(
            "Важная встреча в программе «{}» ({}): {}",
            pair.program_name,
            ru_date(m.held_on),
            m.topic
        );
        let note = Note::new("pairs", &text, &link);
        crate::notifications::tell(tx, teller, &curators, note).await?;
    }
    Ok(Logged {
        id,
        held_on: m.held_on,
        cancelled: m.cancelled,
    })
}
