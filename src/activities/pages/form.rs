//! Planning or changing an activity (`/programs/{program}/activities/new`, `…/{id}/edit`): format
//! (built-in or the organization's own, a new one added here), topic, description, level,
//! leaders or an invited expert, date, start and duration on the organization's clock, place or
//! video link, audience (the program, mentees, mentors, chosen classes, one person), capacity,
//! weekly repetition until a date, recording and materials. A mistake brings the form back with
//! everything typed. A change bumps the calendar SEQUENCE.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use chrono::Duration;
use uuid::Uuid;

use super::curator;
use crate::activities::{model, repo};
use crate::error::{AppError, AppResult};
use crate::paths::ProgramPaths;
use crate::people::Side;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, FormErrors};
use crate::web::ids::Id;

pub use crate::activities::save::ActivityForm;

pub struct Check {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "activities/form.html")]
pub struct ActivityFormPage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub title: String,
    pub action: String,
    pub form: ActivityForm,
    pub errors: FormErrors,
    pub formats: Vec<Choice>,
    pub levels: Vec<String>,
    pub audiences: Vec<Choice>,
    pub leaders: Vec<Check>,
    pub classes: Vec<Check>,
    pub people: Vec<Choice>,
    pub weekdays: Vec<Check>,
    pub zone: String,
    pub questionnaires: Vec<Choice>,
}

pub(super) async fn page(
    pc: &ProgramCtx,
    editing: Option<Uuid>,
    form: ActivityForm,
    errors: FormErrors,
) -> AppResult<ActivityFormPage> {
    let org = &pc.org;
    let mut conn = org.conn().await?;
    let own = repo::formats(&mut conn, org.org.id).await?;
    let (people, classes) = repo::program_people(&mut conn, org.org.id, pc.program.id).await?;
    let questionnaires = crate::questionnaires::list(&mut conn, org.org.id).await?;
    drop(conn);
    let prog = org.paths().in_program(pc.program.id);
    let mut formats: Vec<Choice> = model::FORMATS
        .iter()
        .map(|f| Choice {
            value: f.0.into(),
            label: f.1.into(),
            selected: form.format == f.0,
        })
        .collect();
    formats.extend(own.iter().map(|l| Choice {
        value: l.clone(),
        label: l.clone(),
        selected: form.format == *l,
    }));
    formats.push(Choice {
        value: "new".into(),
        label: "другой формат (впишите ниже)…".into(),
        selected: form.format == "new",
    });
    let check = |value: String, label: String, list: &[String]| Check {
        checked: list.contains(&value),
        value,
        label,
    };
    Ok(ActivityFormPage {
        ctx: org.page("Занятие", "programs"),
        title: if editing.is_some() {
            "Изменить занятие".into()
        } else {
            "Запланировать занятие".into()
        },
        action: match editing {
            Some(id) => prog.activity_edit(id),
            None => prog.activity_new(),
        },
        formats,
        levels: model::LEVELS.iter().map(|l| l.1.to_string()).collect(),
        audiences: crate::web::forms::choices(&model::Audience::table(), &form.audience),
        leaders: people
            .iter()
            .filter(|p| p.2 == Side::Mentor)
            .map(|p| check(p.0.to_string(), p.1.clone(), &form.leaders))
            .collect(),
        classes: classes
            .into_iter()
            .map(|c| check(c.clone(), c, &form.classes))
            .collect(),
        people: people
            .iter()
            .map(|p| Choice {
                value: p.0.to_string(),
                label: format!(
                    "{} ({})",
                    p.1,
                    if p.2 == Side::Mentor {
                        "наставник"
                    } else {
                        "наставляемый"
                    }
                ),
                selected: form.person == p.0.to_string(),
            })
            .collect(),
        weekdays: model::WEEKDAYS
            .iter()
            .map(|w| check(w.0.to_string(), w.1.to_string(), &form.repeat_days))
            .collect(),
        zone: crate::tenancy::model::ZONES
            .iter()
            .find(|z| z.0 == org.org.time_zone)
            .map(|z| z.1.to_string())
            .unwrap_or_default(),
        questionnaires: questionnaires
            .into_iter()
            .map(|q| Choice {
                selected: form.questionnaire == q.id.to_string(),
                value: q.id.to_string(),
                label: q.title,
            })
            .collect(),
        form,
        errors,
        prog,
    })
}

pub async fn new_page(
    pc: ProgramCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<ActivityFormPage> {
    curator(&pc.org)?;
    let today = pc.org.org.today();
    let mut form = ActivityForm {
        format: "webinar".into(),
        date: (today + Duration::days(7)).to_string(),
        time: "16:00".into(),
        minutes: "60".into(),
        audience: "all".into(),
        ..Default::default()
    };
    // From a topic request: its text is the topic.
    if let Some(t) = q.get("topic").and_then(|t| Uuid::parse_str(t).ok()) {
        let mut conn = pc.org.conn().await?;
        if let Some(topic) = repo::topics(&mut conn, pc.org.org.id, pc.program.id)
            .await?
            .into_iter()
            .find(|x| x.id == t)
        {
            form.topic = topic.text.chars().take(300).collect();
            form.topic_request = t.to_string();
        }
    }
    page(&pc, None, form, FormErrors::default()).await
}

pub async fn edit_page(pc: ProgramCtx, Id(id): Id) -> AppResult<ActivityFormPage> {
    curator(&pc.org)?;
    let mut conn = pc.org.conn().await?;
    let a = repo::one(&mut conn, pc.org.org.id, id)
        .await?
        .filter(|a| a.program_id == pc.program.id)
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let local = pc.org.org.local(a.starts_at);
    let form = ActivityForm {
        format: a.format.clone(),
        topic: a.topic.clone(),
        description: a.description.clone(),
        level: a.level.clone(),
        leaders: a.leaders.iter().map(Uuid::to_string).collect(),
        expert: a.expert.clone(),
        date: local.date_naive().to_string(),
        time: local.format("%H:%M").to_string(),
        minutes: a.minutes.to_string(),
        place: a.place.clone(),
        link: a.link.clone(),
        audience: a.audience.code().into(),
        classes: a.classes.clone(),
        person: a.person_id.map(|p| p.to_string()).unwrap_or_default(),
        capacity: a.capacity.map(|c| c.to_string()).unwrap_or_default(),
        repeat_days: a.repeat_days.iter().map(i16::to_string).collect(),
        repeat_until: a.repeat_until.map(|d| d.to_string()).unwrap_or_default(),
        recording: a.recording.clone(),
        materials: a.materials.clone(),
        questionnaire: a
            .feedback_questionnaire
            .map(|q| q.to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    page(&pc, Some(id), form, FormErrors::default()).await
}
