//! Saving the activity form (POST `/programs/{program}/activities/new` and `…/{id}/edit`): every
//! field checked — the format (a new one is added to the organization's list), links, date and
//! time on the organization's clock, duration, leaders or an expert, the audience, capacity, the
//! weekly repetition; a mistake brings the form back (422) with everything typed. Today's
//! reminders are queued at once; an edit bumps the calendar SEQUENCE.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveTime, Utc};
use uuid::Uuid;

use super::curator;
use super::form::{ActivityForm, page};
use crate::activities::{jobs, model, repo};
use crate::error::{AppError, AppResult};
use crate::programs::ProgramCtx;
use crate::web::forms::{FormErrors, parse_date, trimmed};
use crate::web::ids::Id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SaveForm {
    pub audience: String,
    pub capacity: String,
    pub class: Vec<String>,
    pub date: String,
    pub description: String,
    pub expert: String,
    pub format: String,
    pub leader: Vec<String>,
    pub level: String,
    pub link: String,
    pub materials: String,
    pub minutes: String,
    pub new_format: String,
    pub person: String,
    pub place: String,
    pub questionnaire: String,
    pub recording: String,
    pub repeat_day: Vec<String>,
    pub repeat_until: String,
    pub time: String,
    pub topic: String,
    pub topic_request: String,
}

fn read(data: &SaveForm) -> ActivityForm {
    ActivityForm {
        format: data.format.clone(),
        new_format: trimmed(&data.new_format),
        topic: trimmed(&data.topic),
        description: trimmed(&data.description),
        level: trimmed(&data.level),
        leaders: data.leader.clone(),
        expert: trimmed(&data.expert),
        date: trimmed(&data.date),
        time: trimmed(&data.time),
        minutes: trimmed(&data.minutes),
        place: trimmed(&data.place),
        link: trimmed(&data.link),
        audience: data.audience.clone(),
        classes: data.class.clone(),
        person: data.person.clone(),
        capacity: trimmed(&data.capacity),
        repeat_days: data.repeat_day.clone(),
        repeat_until: trimmed(&data.repeat_until),
        recording: trimmed(&data.recording),
        materials: trimmed(&data.materials),
        topic_request: data.topic_request.clone(),
        questionnaire: data.questionnaire.clone(),
    }
}

fn web_link(s: &str) -> bool {
    s.is_empty()
        || ((s.starts_with("https://") || s.starts_with("http://"))
            && !s.contains(char::is_whitespace))
}

/// Saves a new activity or an edit.
pub async fn save(pc: ProgramCtx, id: Option<Uuid>, data: SaveForm) -> AppResult<Response> {
    curator(&pc.org)?;
    let org = &pc.org;
    let form = read(&data);
    let mut errors = FormErrors::default();
    let mut conn = org.conn().await?;
    let own = repo::formats(&mut conn, org.org.id).await?;
    let questionnaires: Vec<Uuid> = crate::questionnaires::list(&mut conn, org.org.id)
        .await?
        .into_iter()
        .map(|q| q.id)
        .collect();
    let (people, _) = repo::program_people(&mut conn, org.org.id, pc.program.id).await?;
    if let Some(id) = id {
        repo::one(&mut conn, org.org.id, id)
            .await?
            .filter(|a| a.program_id == pc.program.id)
            .ok_or(AppError::NotFound)?;
    }
    drop(conn);
    let format = if form.format == "new" {
        if form.new_format.is_empty() {
            errors.add("new_format", "Впишите название формата.");
        }
        errors.limit("new_format", &form.new_format, 100);
        form.new_format.clone()
    } else if model::FORMATS.iter().any(|f| f.0 == form.format) || own.contains(&form.format) {
        form.format.clone()
    } else {
        errors.add("format", "Выберите формат.");
        String::new()
    };
    if form.topic.is_empty() {
        errors.add("topic", "Напишите тему.");
    }
    errors.limit("topic", &form.topic, 300);
    errors.limit("description", &form.description, 4000);
    errors.limit("level", &form.level, 100);
    errors.limit("expert", &form.expert, 300);
    errors.limit("place", &form.place, 300);
    errors.limit("materials", &form.materials, 4000);
    for (field, value) in [("link", &form.link), ("recording", &form.recording)] {
        errors.limit(field, value, 500);
        if !web_link(value) {
            errors.add(field, "Ссылка вида https://…");
        }
    }
    let date = parse_date(&form.date);
    let time = NaiveTime::parse_from_str(&form.time, "%H:%M").ok();
    if date.is_none() {
        errors.add("date", "Укажите дату.");
    }
    if time.is_none() {
        errors.add("time", "Время в виде ЧЧ:ММ, например 16:00.");
    }
    let minutes = form
        .minutes
        .parse::<i32>()
        .ok()
        .filter(|m| (5..=720).contains(m));
    if minutes.is_none() {
        errors.add("minutes", "Длительность — от 5 до 720 минут.");
    }
    let leaders: Vec<Uuid> = form
        .leaders
        .iter()
        .filter_map(|l| Uuid::parse_str(l).ok())
        .filter(|l| people.iter().any(|p| p.0 == *l && p.2 == "mentor"))
        .collect();
    if leaders.is_empty() && form.expert.is_empty() {
        errors.add(
            "leader",
            "Отметьте ведущего наставника или впишите приглашённого эксперта.",
        );
    }
    if !model::AUDIENCES.iter().any(|a| a.0 == form.audience) {
        errors.add("audience", "Выберите, для кого занятие.");
    }
    if form.audience == "classes" && form.classes.is_empty() {
        errors.add("audience", "Отметьте классы или группы.");
    }
    let person = Uuid::parse_str(&form.person)
        .ok()
        .filter(|p| people.iter().any(|x| x.0 == *p));
    if form.audience == "person" && person.is_none() {
        errors.add("person", "Выберите участника.");
    }
    let capacity = if form.capacity.is_empty() {
        None
    } else {
        let c = form
            .capacity
            .parse::<i32>()
            .ok()
            .filter(|c| (1..=10000).contains(c));
        if c.is_none() {
            errors.add("capacity", "Число мест — целое число от 1.");
        }
        c
    };
    let repeat_days: Vec<i16> = form
        .repeat_days
        .iter()
        .filter_map(|d| d.parse::<i16>().ok())
        .filter(|d| (1..=7).contains(d))
        .collect();
    let repeat_until = if repeat_days.is_empty() {
        None
    } else {
        let u = parse_date(&form.repeat_until);
        match (u, date) {
            (None, _) => errors.add("repeat_until", "Укажите, до какой даты повторять."),
            (Some(u), Some(d)) if u < d || u > d + Duration::days(366) => {
                errors.add("repeat_until", "Повторять можно до года от первой даты.")
            }
            _ => {}
        }
        u
    };
    let feedback_questionnaire = match form.questionnaire.as_str() {
        "" => None,
        raw => {
            let q = Uuid::parse_str(raw)
                .ok()
                .filter(|q| questionnaires.contains(q));
            if q.is_none() {
                errors.add("questionnaire", "Выберите анкету из списка.");
            }
            q
        }
    };
    let starts_at = date
        .zip(time)
        .and_then(|(d, t)| d.and_time(t).and_local_timezone(org.org.offset()).single())
        .map(|t| t.with_timezone(&Utc));
    let (Some(starts_at), Some(minutes)) = (starts_at.filter(|_| errors.is_empty()), minutes)
    else {
        let page = page(&pc, id, form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let classes = if form.audience == "classes" {
        form.classes.clone()
    } else {
        Vec::new()
    };
    let input = repo::Input {
        format: &format,
        topic: &form.topic,
        description: &form.description,
        level: &form.level,
        leaders: &leaders,
        expert: &form.expert,
        starts_at,
        minutes,
        place: &form.place,
        link: &form.link,
        audience: &form.audience,
        classes: &classes,
        person_id: person.filter(|_| form.audience == "person"),
        capacity,
        repeat_days: &repeat_days,
        repeat_until,
        recording: &form.recording,
        materials: &form.materials,
        feedback_questionnaire,
    };
    let mut tx = org.begin().await?;
    if form.format == "new" {
        repo::add_format(&mut tx, org.org.id, &format).await?;
    }
    let id = match id {
        Some(id) => {
            repo::update(&mut tx, org.org.id, id, &input).await?;
            id
        }
        None => {
            let id = repo::insert(&mut tx, org.org.id, pc.program.id, &input, org.user.id).await?;
            if let Ok(t) = Uuid::parse_str(&form.topic_request) {
                repo::link_topic(&mut tx, org.org.id, t, id).await?;
            }
            id
        }
    };
    crate::audit::record(
        &mut tx,
        org,
        "activity.save",
        None,
        &format!("занятие {id}"),
    )
    .await?;
    jobs::queue_day(&mut tx, &org.org, Some(id), Utc::now()).await?;
    tx.commit().await?;
    let first = org.org.local(starts_at).date_naive();
    Ok(org.flash(&org.paths().activity(id, first), "Занятие сохранено."))
}

pub async fn create(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<SaveForm>,
) -> AppResult<Response> {
    save(pc, None, data).await
}

pub async fn update(
    pc: ProgramCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<SaveForm>,
) -> AppResult<Response> {
    save(pc, Some(id), data).await
}
