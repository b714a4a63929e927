//! One occurrence of an activity (`/o/{slug}/activities/{id}/{date}`): what, when on the
//! organization's clock, where (the video link), who leads, for whom, places left; cancelled or
//! moved shown as such; the recording and materials. A participant of its audience signs up or
//! leaves before it starts and rates it after it if they attended; leaders and curators get the
//! attendance list and the tools (`manage`). 404 for anyone outside its audience.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::Response;
use chrono::Utc;

use super::{OccurrenceKey, visible_activity};
use crate::activities::{model, repo};
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::forms::ru_date;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OccurrenceForm {
    pub action: String,
    pub comment: String,
    pub rating: String,
}

pub struct Person {
    pub id: String,
    pub name: String,
    pub signed_up: bool,
    pub present: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "activities/occurrence.html")]
pub struct OccurrencePage {
    pub ctx: PageCtx,
    pub title: String,
    pub format: String,
    pub program: String,
    pub schedule: String,
    pub when: String,
    pub repeat: String,
    pub status: String,
    pub place: String,
    pub link: String,
    pub leaders: String,
    pub level: String,
    pub audience: &'static str,
    pub places: String,
    pub description: String,
    pub recording: String,
    pub materials: String,
    pub ics: String,
    pub action: String,
    /// The viewer may sign up / is signed up.
    pub can_join: bool,
    pub joined: bool,
    pub full: bool,
    /// The viewer attended and may rate (after it ended).
    pub can_rate: bool,
    pub my_rating: String,
    /// Leaders and curators: attendance and the tools.
    pub can_manage: bool,
    pub is_curator: bool,
    pub ended: bool,
    pub cancelled: bool,
    pub series: bool,
    pub whole_cancelled: bool,
    pub people: Vec<Person>,
    pub rating: String,
    pub comments: Vec<String>,
    /// The answers to the feedback questionnaire (staff).
    pub forms: Vec<String>,
    pub edit: String,
    pub base: String,
    pub whole: String,
    /// Where the occurrence's forms post.
    pub signup: String,
    pub rate: String,
    pub attendance: String,
    pub recording_action: String,
    pub change: String,
    pub move_date: String,
    pub move_time: String,
}

pub async fn occurrence(org: OrgCtx, key: OccurrenceKey) -> AppResult<OccurrencePage> {
    let (a, viewer) = visible_activity(&org, key.id).await?;
    let o = model::occurrence(&a.timing(), &a.exceptions, org.org.offset(), key.on_date)
        .ok_or(AppError::NotFound)?;
    let mut conn = org.conn().await?;
    let signups = repo::signups(&mut conn, org.org.id, a.id, key.on_date).await?;
    let leaders = repo::names(&mut conn, org.org.id, &a.leaders).await?;
    let feedback = repo::feedback(&mut conn, a.id, key.on_date).await?;
    let reason = repo::exception_reason(&mut conn, a.id, key.on_date).await?;
    let forms = repo::feedback_forms(&mut conn, a.id, key.on_date).await?;
    let me = viewer.person_in(a.program_id);
    let is_leader = me.is_some_and(|p| a.leaders.contains(&p));
    let can_manage = is_leader || org.has(Role::Curator);
    let audience = if can_manage {
        repo::audience(&mut conn, org.org.id, &a).await?
    } else {
        Vec::new()
    };
    drop(conn);
    let now = Utc::now();
    let mine = me.and_then(|p| signups.iter().find(|s| s.person_id == p));
    let taken = signups.iter().filter(|s| s.signed_up).count();
    let full = a.capacity.is_some_and(|c| taken >= c as usize);
    let ended = o.ends <= now;
    let attended = mine.is_some_and(|s| s.attended == Some(true));
    let my_rating = me
        .and_then(|p| feedback.iter().find(|f| f.0 == p))
        .map(|f| f.1.to_string())
        .unwrap_or_default();
    let starts = org.org.local(o.starts);
    let ends = org.org.local(o.ends);
    let p = org.paths();
    let base = p.activity(a.id, key.on_date);
    let status = match (o.cancelled, o.moved, a.cancelled) {
        (true, _, true) => format!("Занятие отменено. {}", a.cancel_reason),
        (true, _, false) => format!(
            "Это занятие отменено. {}",
            reason.clone().unwrap_or_default()
        ),
        (false, true, _) => format!(
            "Перенесено с {}. {}",
            ru_date(key.on_date),
            reason.clone().unwrap_or_default()
        ),
        _ => String::new(),
    };
    let ratings: Vec<i16> = feedback.iter().map(|f| f.1).collect();
    Ok(OccurrencePage {
        ctx: org.page(a.topic.clone(), "programs"),
        title: a.topic.clone(),
        format: model::format_label(&a.format),
        program: a.program_name.clone(),
        schedule: p.in_program(a.program_id).activities(),
        when: format!(
            "{}, {}–{}",
            super::day_label(starts.date_naive()),
            starts.format("%H:%M"),
            ends.format("%H:%M")
        ),
        repeat: model::repeat_label(&a.timing()),
        status: status.trim().to_string(),
        place: a.place.clone(),
        link: a.link.clone(),
        leaders: leaders
            .iter()
            .map(|l| l.1.clone())
            .chain((!a.expert.is_empty()).then(|| format!("{} (приглашённый эксперт)", a.expert)))
            .collect::<Vec<_>>()
            .join(", "),
        level: a.level.clone(),
        audience: a.audience.label(),
        places: match a.capacity {
            Some(c) => format!("записались {taken} из {c}"),
            None => format!("записались {taken}"),
        },
        description: a.description.clone(),
        recording: a.recording.clone(),
        materials: a.materials.clone(),
        ics: p.activity_ics(a.id),
        can_join: me.is_some() && !is_leader && !o.cancelled && o.starts > now,
        joined: mine.is_some_and(|s| s.signed_up),
        full,
        can_rate: attended && ended && !o.cancelled,
        my_rating,
        can_manage,
        is_curator: org.has(Role::Curator),
        ended,
        cancelled: o.cancelled,
        series: !a.repeat_days.is_empty(),
        whole_cancelled: a.cancelled,
        people: audience
            .iter()
            .map(|(id, name)| {
                let s = signups.iter().find(|s| s.person_id == *id);
                Person {
                    id: id.to_string(),
                    name: name.clone(),
                    signed_up: s.is_some_and(|s| s.signed_up),
                    present: s.is_some_and(|s| s.attended.unwrap_or(s.signed_up)),
                }
            })
            .collect(),
        rating: if ratings.is_empty() {
            String::new()
        } else {
            format!(
                "{:.1} из 5 (ответов: {})",
                ratings.iter().map(|r| f64::from(*r)).sum::<f64>() / ratings.len() as f64,
                ratings.len()
            )
        },
        comments: feedback
            .iter()
            .filter(|f| !f.2.is_empty())
            .map(|f| f.2.clone())
            .collect(),
        forms: if org.is_staff() {
            forms.iter().map(|f| p.assignment(f)).collect()
        } else {
            Vec::new()
        },
        edit: p.in_program(a.program_id).activity_edit(a.id),
        whole: p.activity_cancel(a.id),
        signup: p.activity_signup(a.id, key.on_date),
        rate: p.activity_feedback(a.id, key.on_date),
        attendance: p.activity_attendance(a.id, key.on_date),
        recording_action: p.activity_recording(a.id, key.on_date),
        change: p.activity_change(a.id, key.on_date),
        action: base.clone(),
        move_date: key.on_date.to_string(),
        move_time: starts.format("%H:%M").to_string(),
        base,
    })
}

/// Sign up (`join`) or leave before it starts.
pub async fn signup(
    org: OrgCtx,
    key: OccurrenceKey,
    crate::web::forms::Form(data): crate::web::forms::Form<OccurrenceForm>,
) -> AppResult<Response> {
    use crate::activities::{Place, SignUp};
    let back = org.paths().activity(key.id, key.on_date);
    let place = if data.action == "leave" {
        Place::Give
    } else {
        Place::Take
    };
    let mut tx = org.begin().await?;
    let done =
        crate::activities::sign_up(&mut tx, &org.actor(), key.id, key.on_date, place).await?;
    tx.commit().await?;
    Ok(match done {
        SignUp::SignedUp => org.flash(&back, "Вы записаны. Напомним за час до начала."),
        SignUp::Left => org.flash(&back, "Вы отменили запись."),
        SignUp::NotUpcoming => {
            org.flash_error(&back, "Записаться можно только на предстоящее занятие.")
        }
        SignUp::Full => org.flash_error(&back, "Мест больше нет."),
    })
}

/// A participant who attended rates it after it ended (1–5, a comment).
pub async fn feedback(
    org: OrgCtx,
    key: OccurrenceKey,
    crate::web::forms::Form(data): crate::web::forms::Form<OccurrenceForm>,
) -> AppResult<Response> {
    let back = org.paths().activity(key.id, key.on_date);
    let typed = (data.rating.as_str(), data.comment.as_str());
    let mut tx = org.begin().await?;
    match crate::activities::rate(&mut tx, &org.actor(), (key.id, key.on_date), typed).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(org.flash(&back, "Спасибо за отзыв!"))
        }
        Err(crate::web::forms::Refused::Invalid(e)) => Ok(org.flash_error(&back, &e.first())),
        Err(crate::web::forms::Refused::Failed(e)) => Err(e),
    }
}
