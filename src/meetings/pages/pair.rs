//! A pair's meetings (`/o/{slug}/pairs/{pair}/meetings`): the list as the journal keeps it, and
//! the short form that logs one from a phone — date, type (the next one suggested), topic,
//! result; details optional. The mentor logs, the curator may log «со слов наставника», the
//! mentee and the director read; anyone else gets 404. An «важно» meeting tells the curators.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveTime;

use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::meetings::{model, repo};
use crate::notifications::{Note, Teller};
use crate::pairing::PairRow;
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, FormData, FormErrors, choices, parse_date, ru_date, trimmed};
use crate::web::ids::PairId;

use super::{Access, journal::journal_content, pair_for};

pub struct MeetingLine {
    pub id: String,
    /// What the members said: «5 — наставник (подходим): …».
    pub ratings: Vec<String>,
    /// The viewer is a member who has not rated this held meeting yet.
    pub can_rate: bool,
    /// The rating also asks whether they fit (the trial meeting, or after «пока не ясно»).
    pub asks_fit: bool,
    pub feedback_action: String,
    /// The journal's «тема и содержание»: the topic, then what was done.
    pub content: String,
    pub minutes: String,
    pub date: String,
    pub planned: bool,
    pub kind: &'static str,
    pub time: String,
    pub format: &'static str,
    pub place: String,
    pub topic: String,
    pub goal: String,
    pub done: String,
    pub result: String,
    pub next_steps: String,
    pub important: bool,
    pub on_behalf: bool,
}

#[derive(Clone, Debug, Default)]
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
    pub important: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/pair.html")]
pub struct PairMeetingsPage {
    pub ctx: PageCtx,
    pub title: String,
    pub members: Vec<String>,
    pub can_log: bool,
    pub on_behalf: bool,
    pub action: String,
    pub form: MeetingForm,
    pub kinds: Vec<Choice>,
    pub formats: Vec<Choice>,
    pub errors: FormErrors,
    pub meetings: Vec<MeetingLine>,
    pub xlsx: String,
    pub plan: String,
    /// The diary (not for the director: it is the pair's and the curator's).
    pub diary: Option<String>,
}

async fn page(
    org: &OrgCtx,
    row: &PairRow,
    access: Access,
    form: Option<MeetingForm>,
    errors: FormErrors,
) -> AppResult<PairMeetingsPage> {
    let mut conn = org.conn().await?;
    let meetings = repo::of_pair(&mut conn, org.org.id, row.id).await?;
    let feedback = repo::feedback_of_pair(&mut conn, org.org.id, row.id).await?;
    let me = row
        .members
        .iter()
        .find(|m| m.user_id == Some(org.user.id))
        .map(|m| m.person_id);
    // The viewer's answers to «подходим?», by meeting date.
    let my_fits: Vec<(chrono::NaiveDate, String)> = feedback
        .iter()
        .filter(|f| Some(f.person_id) == me)
        .filter_map(|f| {
            let day = meetings.iter().find(|m| m.id == f.meeting_id)?.held_on;
            Some((day, f.fit.clone()?))
        })
        .collect();
    let role_of = |person: uuid::Uuid| {
        row.members
            .iter()
            .find(|m| m.person_id == person)
            .map(|m| {
                if m.role == "mentor" {
                    "наставник"
                } else {
                    "наставляемый"
                }
            })
            .unwrap_or("")
    };
    crate::audit::record(
        &mut conn,
        org,
        "meetings.view",
        None,
        &format!("пара {}", row.id),
    )
    .await?;
    let today = org.org.today();
    let held: Vec<String> = meetings
        .iter()
        .filter(|m| m.held_on <= today)
        .map(|m| m.kind.clone())
        .collect();
    let form = form.unwrap_or_else(|| MeetingForm {
        held_on: today.to_string(),
        kind: model::next_kind(&held).into(),
        format: "offline".into(),
        ..Default::default()
    });
    let names = |role: &str| {
        row.members
            .iter()
            .filter(|m| m.role == role)
            .map(|m| m.name.clone())
            .collect::<Vec<_>>()
    };
    Ok(PairMeetingsPage {
        ctx: org.page("Встречи пары", "programs"),
        title: format!(
            "Встречи: {} — {}",
            names("mentor").join(", "),
            names("mentee").join(", ")
        ),
        members: row
            .members
            .iter()
            .map(|m| {
                format!(
                    "{} ({})",
                    m.name,
                    if m.role == "mentor" {
                        "наставник"
                    } else {
                        "наставляемый"
                    }
                )
            })
            .collect(),
        can_log: access != Access::Read,
        on_behalf: access == Access::OnBehalf,
        action: org.paths().meetings(row.id),
        xlsx: org.paths().meetings_xlsx(row.id),
        plan: org.paths().plan(row.id),
        diary: (access != Access::Read || me.is_some()).then(|| org.paths().diary(row.id)),
        kinds: choices(&model::KINDS, &form.kind),
        formats: choices(&model::FORMATS, &form.format),
        form,
        errors,
        meetings: meetings
            .into_iter()
            .map(|m| MeetingLine {
                id: m.id.to_string(),
                ratings: feedback
                    .iter()
                    .filter(|f| f.meeting_id == m.id)
                    .map(|f| {
                        let fit = f
                            .fit
                            .as_deref()
                            .map(|x| format!(", {}", model::fit_label(x)))
                            .unwrap_or_default();
                        let comment = if f.comment.is_empty() {
                            String::new()
                        } else {
                            format!(": «{}»", f.comment)
                        };
                        format!("{} — {}{fit}{comment}", f.rating, role_of(f.person_id))
                    })
                    .collect(),
                can_rate: m.held_on <= today
                    && me.is_some_and(|p| {
                        !feedback
                            .iter()
                            .any(|f| f.meeting_id == m.id && f.person_id == p)
                    }),
                asks_fit: model::asks_fit(&m.kind, m.held_on, &my_fits),
                feedback_action: org.paths().meeting_feedback(row.id, m.id),
                content: journal_content(&m),
                minutes: model::minutes(m.starts_at, m.ends_at)
                    .map(|n| format!("{n} мин"))
                    .unwrap_or_default(),
                date: ru_date(m.held_on),
                planned: m.held_on > today,
                kind: model::kind_label(&m.kind),
                time: match (m.starts_at, m.ends_at) {
                    (Some(s), Some(e)) => format!(
                        "{}–{} ({} мин)",
                        s.format("%H:%M"),
                        e.format("%H:%M"),
                        model::minutes(Some(s), Some(e)).unwrap_or(0)
                    ),
                    (Some(s), None) => s.format("%H:%M").to_string(),
                    _ => String::new(),
                },
                format: model::format_label(&m.format),
                place: m.place,
                topic: m.topic,
                goal: m.goal,
                done: m.done,
                result: m.result,
                next_steps: m.next_steps,
                important: m.important,
                on_behalf: m.on_behalf,
            })
            .collect(),
    })
}

pub async fn meetings(org: OrgCtx, PairId(pair): PairId) -> AppResult<PairMeetingsPage> {
    let (row, access) = pair_for(&org, pair).await?;
    page(&org, &row, access, None, FormErrors::default()).await
}

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
    let form = read_form(&data);
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
            by: org.user.id,
        },
    )
    .await?;
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
    let what = if held_on > today {
        "Встреча запланирована."
    } else {
        "Встреча записана."
    };
    Ok(org.flash(&org.paths().meetings(row.id), what))
}
