//! The command that saves the activity form (`save_activity`, ARCHITECTURE.md «Commands»): a
//! curator's; every field checked — the format (a new one is added to the organization's list),
//! links, date and time on the organization's clock, duration, leaders (the program's mentors) or
//! an expert, the audience, capacity, the weekly repetition (up to a year), a feedback
//! questionnaire of the organization — then written and audited; today's reminders are queued at
//! once; an edit bumps the calendar SEQUENCE.

use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{jobs, model, repo};
use crate::auth::model::Role;
use crate::error::AppError;
use crate::people::Side;
use crate::tenancy::Actor;
use crate::web::forms::{FormErrors, Refused, parse_date};

/// The activity form as typed (trimmed), kept for the page to show again.
#[derive(Clone, Debug, Default)]
pub struct ActivityForm {
    pub format: String,
    pub new_format: String,
    pub topic: String,
    pub description: String,
    pub level: String,
    pub leaders: Vec<String>,
    pub expert: String,
    pub date: String,
    pub time: String,
    pub minutes: String,
    pub place: String,
    pub link: String,
    pub audience: String,
    pub classes: Vec<String>,
    pub person: String,
    pub capacity: String,
    pub repeat_days: Vec<String>,
    pub repeat_until: String,
    pub recording: String,
    pub materials: String,
    pub topic_request: String,
    /// A questionnaire for the attendees after each occurrence (empty: the 1–5 rating only).
    pub questionnaire: String,
}

fn web_link(s: &str) -> bool {
    s.is_empty()
        || ((s.starts_with("https://") || s.starts_with("http://"))
            && !s.contains(char::is_whitespace))
}

/// Saves a new activity of the program (`id` none) or an edit of one of its activities (404 for
/// another's); returns its id and the date of its first occurrence.
pub async fn save_activity(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    program_id: Uuid,
    id: Option<Uuid>,
    form: &ActivityForm,
) -> Result<(Uuid, NaiveDate), Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let mut errors = FormErrors::default();
    let own = repo::formats(&mut *conn, by.org.id).await?;
    let questionnaires: Vec<Uuid> = crate::questionnaires::list(&mut *conn, by.org.id)
        .await?
        .into_iter()
        .map(|q| q.id)
        .collect();
    let (people, _) = repo::program_people(&mut *conn, by.org.id, program_id).await?;
    if let Some(id) = id {
        repo::one(&mut *conn, by.org.id, id)
            .await?
            .filter(|a| a.program_id == program_id)
            .ok_or(AppError::NotFound)?;
    }
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
        .filter(|l| people.iter().any(|p| p.0 == *l && p.2 == Side::Mentor))
        .collect();
    if leaders.is_empty() && form.expert.is_empty() {
        errors.add(
            "leader",
            "Отметьте ведущего наставника или впишите приглашённого эксперта.",
        );
    }
    let audience = model::Audience::parse(&form.audience);
    if audience.is_none() {
        errors.add("audience", "Выберите, для кого занятие.");
    }
    if audience == Some(model::Audience::Classes) && form.classes.is_empty() {
        errors.add("audience", "Отметьте классы или группы.");
    }
    let person = Uuid::parse_str(&form.person)
        .ok()
        .filter(|p| people.iter().any(|x| x.0 == *p));
    if audience == Some(model::Audience::Person) && person.is_none() {
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
        .and_then(|(d, t)| d.and_time(t).and_local_timezone(by.org.offset()).single())
        .map(|t| t.with_timezone(&Utc));
    let (Some(starts_at), Some(minutes), Some(audience)) =
        (starts_at.filter(|_| errors.is_empty()), minutes, audience)
    else {
        return Err(errors.into());
    };
    let classes = if audience == model::Audience::Classes {
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
        audience,
        classes: &classes,
        person_id: person.filter(|_| audience == model::Audience::Person),
        capacity,
        repeat_days: &repeat_days,
        repeat_until,
        recording: &form.recording,
        materials: &form.materials,
        feedback_questionnaire,
    };
    if form.format == "new" {
        repo::add_format(&mut *conn, by.org.id, &format).await?;
    }
    let edit = id.is_some();
    let id = repo::save(&mut *conn, (by.org.id, program_id), id, &input, by.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !edit && let Ok(t) = Uuid::parse_str(&form.topic_request) {
        repo::link_topic(&mut *conn, by.org.id, t, id).await?;
    }
    crate::audit::record(
        &mut *conn,
        by,
        "activity.save",
        None,
        &format!("занятие {id}"),
    )
    .await?;
    jobs::queue_day(&mut *conn, by.org, Some(id), Utc::now()).await?;
    Ok((id, by.org.local(starts_at).date_naive()))
}
