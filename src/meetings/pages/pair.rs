//! A pair's meetings (`/o/{slug}/pairs/{pair}/meetings`): the list as the journal keeps it, and
//! the short form that logs one from a phone — date, type (the next one suggested), topic,
//! result; details optional. The mentor logs, the curator may log «со слов наставника», the
//! mentee and the director read; anyone else gets 404. An «важно» meeting tells the curators.

use crate::error::AppResult;
use crate::meetings::{model, repo};
use crate::pairing::PairRow;
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, FormErrors, choices, ru_date};
use crate::web::ids::PairId;
use askama::Template;
use askama_web::WebTemplate;

use super::{Access, journal::journal_content, pair_for};
use crate::people::Side;

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
    pub cancelled: bool,
    pub cancel_reason: String,
    /// The mentor's private note (empty for a mentee).
    pub private_note: String,
    /// The group's mentees who were absent.
    pub absent: String,
    /// «дата|тема»: lets the page drop a draft once it is saved.
    pub sign: String,
}

pub use crate::meetings::MeetingForm;

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
    /// A group's mentees, checked when present (the attendance part of the form).
    pub attendance: Vec<Choice>,
    /// The draft's key in the browser.
    pub draft: String,
    pub xlsx: String,
    pub plan: String,
    /// «Пара закреплена: приказ № … от …» once an approved order fixes it.
    pub order: String,
    /// The pair's completion, results and final reports.
    pub complete: String,
    /// The journal of the pair's mentor across their pairs of the program.
    pub mentor_journal: String,
    /// The mentor or the staff (the mentee does not open the mentor's journal).
    pub access_journal: bool,
    /// The diary (not for the director: it is the pair's and the curator's).
    pub diary: Option<String>,
}

pub(super) async fn page(
    org: &OrgCtx,
    row: &PairRow,
    access: Access,
    form: Option<MeetingForm>,
    errors: FormErrors,
) -> AppResult<PairMeetingsPage> {
    let mut conn = org.conn().await?;
    let meetings = repo::of_pair(&mut conn, org.org.id, row.id).await?;
    let feedback = repo::feedback_of_pair(&mut conn, org.org.id, row.id).await?;
    let absences = repo::absences_of_pair(&mut conn, org.org.id, row.id).await?;
    let order = crate::orders::fixed_of_pairs(&mut conn, org.org.id, &[row.id])
        .await?
        .pop()
        .map(|f| format!("Пара закреплена: {}.", f.1.label()))
        .unwrap_or_default();
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
    let viewer_is_mentee = row
        .members
        .iter()
        .any(|m| m.user_id == Some(org.user.id) && m.role == Side::Mentee);
    let name_of = |person: uuid::Uuid| {
        row.members
            .iter()
            .find(|m| m.person_id == person)
            .map(|m| m.name.clone())
            .unwrap_or_default()
    };
    let role_of = |person: uuid::Uuid| row.role_word_of(person);
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
        .map(|m| m.kind.code().to_string())
        .collect();
    let form = form.unwrap_or_else(|| MeetingForm {
        held_on: today.to_string(),
        kind: model::next_kind(&held).into(),
        format: "offline".into(),
        ..Default::default()
    });
    let names = |role: Side| {
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
            names(Side::Mentor).join(", "),
            names(Side::Mentee).join(", ")
        ),
        members: row
            .members
            .iter()
            .map(|m| {
                format!(
                    "{} ({})",
                    m.name,
                    if m.role == Side::Mentor {
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
        complete: org.paths().complete(row.id),
        order,
        access_journal: !viewer_is_mentee,
        mentor_journal: row
            .members
            .iter()
            .find(|m| m.role == Side::Mentor)
            .map(|m| {
                org.paths()
                    .in_program(row.program_id)
                    .mentor_journal(m.person_id)
            })
            .unwrap_or_default(),
        diary: (access != Access::Read || me.is_some()).then(|| org.paths().diary(row.id)),
        attendance: if names(Side::Mentee).len() > 1 {
            row.members
                .iter()
                .filter(|m| m.role == Side::Mentee)
                .map(|m| Choice {
                    value: m.person_id.to_string(),
                    label: m.name.clone(),
                    selected: !form.absent.contains(&m.person_id.to_string()),
                })
                .collect()
        } else {
            Vec::new()
        },
        draft: format!("meeting-{}-{}", row.id, org.user.id),
        kinds: choices(&model::MeetingKind::table(), &form.kind),
        formats: choices(&model::MeetingFormat::table(), &form.format),
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
                            .map(|x| format!(", {}", model::Fit::label_of(x)))
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
                    && !m.cancelled
                    && me.is_some_and(|p| {
                        !feedback
                            .iter()
                            .any(|f| f.meeting_id == m.id && f.person_id == p)
                    }),
                asks_fit: model::asks_fit(m.kind.code(), m.held_on, &my_fits),
                feedback_action: org.paths().meeting_feedback(row.id, m.id),
                content: journal_content(&m),
                sign: format!("{}|{}", m.held_on, m.topic),
                minutes: model::minutes(m.starts_at, m.ends_at)
                    .map(|n| format!("{n} мин"))
                    .unwrap_or_default(),
                date: ru_date(m.held_on),
                planned: m.held_on > today,
                kind: m.kind.label(),
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
                format: m.format.label(),
                place: m.place,
                topic: m.topic,
                goal: m.goal,
                done: m.done,
                result: m.result,
                next_steps: m.next_steps,
                important: m.important,
                on_behalf: m.on_behalf,
                cancelled: m.cancelled,
                cancel_reason: m.cancel_reason,
                private_note: if viewer_is_mentee {
                    String::new()
                } else {
                    m.private_note
                },
                absent: absences
                    .iter()
                    .filter(|a| a.0 == m.id)
                    .map(|a| name_of(a.1))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
    })
}

pub async fn meetings(org: OrgCtx, PairId(pair): PairId) -> AppResult<PairMeetingsPage> {
    let (row, access) = pair_for(&org, pair).await?;
    page(&org, &row, access, None, FormErrors::default()).await
}
