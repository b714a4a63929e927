//! The commands of a curator's questionnaires (ARCHITECTURE.md, «Commands»): a new one (a title
//! within 200 characters and a purpose), a copy, a new title; giving one to a program's mentors
//! or mentees or to chosen people (the consent rule: no one without a valid consent gets it), and
//! giving it on a schedule. A curator acts; a questionnaire of another organization is 404.

use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{self, Definition, Section};
use super::{repo, schedules};
use crate::auth::model::Role;
use crate::error::AppError;
use crate::notifications::Teller;
use crate::people::Side;
use crate::tenancy::Actor;
use crate::web::forms::{Refused, parse_date, too_long};

/// The questionnaire `id` of the actor's organization, the actor a curator.
pub(crate) async fn editable(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
) -> Result<repo::Current, Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    Ok(repo::current(&mut *conn, by.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?)
}

/// A title and a purpose, checked (`missing`: what to say when either is missing).
fn named<'a>(title: &'a str, purpose: &str, missing: &str) -> Result<&'a str, Refused> {
    let title = title.trim();
    if title.is_empty() || !model::PURPOSES.iter().any(|(c, _)| *c == purpose) {
        return Err(Refused::field("title", missing));
    }
    let n = title.chars().count();
    if n > 200 {
        return Err(Refused::field(
            "title",
            format!("Название анкеты: {}", too_long(200, n)),
        ));
    }
    Ok(title)
}

/// A new questionnaire with one empty section; returns its id.
pub async fn create(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    (title, purpose): (&str, &str),
) -> Result<Uuid, Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let title = named(
        title,
        purpose,
        "Введите название и выберите назначение анкеты.",
    )?;
    let def = Definition {
        sections: vec![Section {
            title: "Вопросы".into(),
            questions: Vec::new(),
        }],
    };
    Ok(repo::create(&mut *conn, by.org.id, title, purpose, "", &def).await?)
}

/// A copy of the questionnaire `id` («… (копия)»), free to change; returns its id.
pub async fn copy(conn: &mut PgConnection, by: &Actor<'_>, id: Uuid) -> Result<Uuid, Refused> {
    let cur = editable(&mut *conn, by, id).await?;
    let title = format!("{} (копия)", cur.title);
    Ok(repo::create(&mut *conn, by.org.id, &title, &cur.purpose, "", &cur.def).await?)
}

/// A new title and purpose of the questionnaire `id`.
pub async fn rename(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
    (title, purpose): (&str, &str),
) -> Result<(), Refused> {
    let cur = editable(&mut *conn, by, id).await?;
    let title = named(title, purpose, "Введите название и выберите назначение.")?;
    repo::rename(&mut *conn, by.org.id, cur.id, title, purpose).await?;
    Ok(())
}

/// To whom a questionnaire is given: a program's `mentors` or `mentees`, or chosen `people`.
#[derive(Debug, Clone, Default)]
pub struct Giving {
    pub audience: String,
    pub program: Option<Uuid>,
    pub people: Vec<Uuid>,
    /// The deadline as typed (empty: none).
    pub deadline: String,
}

/// A sending made: its id, how many got it, how many were refused for want of a valid consent.
#[derive(Debug, PartialEq, Eq)]
pub struct Given {
    /// The questionnaire's title.
    pub title: String,
    pub sending: Uuid,
    pub given: usize,
    pub refused: usize,
}

/// Gives the questionnaire `id` as `giving` says.
pub async fn give_to(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
    giving: &Giving,
) -> Result<Given, Refused> {
    let cur = editable(&mut *conn, by, id).await?;
    let deadline = match giving.deadline.trim() {
        "" => None,
        s => match parse_date(s) {
            Some(d) => Some(d),
            None => return Err(Refused::field("deadline", "Проверьте срок (ДД.ММ.ГГГГ).")),
        },
    };
    let program = match giving.program {
        Some(pid) => Some(
            crate::programs::program(&mut *conn, by.org.id, pid)
                .await?
                .ok_or(AppError::NotFound)?
                .id,
        ),
        None => None,
    };
    let audience = giving.audience.as_str();
    let candidates: Vec<Uuid> = match (audience, program) {
        ("mentors" | "mentees", Some(p)) => {
            let role = if audience == "mentors" {
                Side::Mentor
            } else {
                Side::Mentee
            };
            crate::participants::participants(&mut *conn, by.org.id, p)
                .await?
                .into_iter()
                .filter(|x| x.role == role && !x.anonymized)
                .map(|x| x.person_id)
                .collect()
        }
        ("people", _) => crate::people::own_ids(&mut *conn, by.org.id, &giving.people).await?,
        _ => {
            return Err(Refused::field(
                "audience",
                "Выберите программу и кому дать анкету.",
            ));
        }
    };
    let teller = (Teller::by(by), by.user_id);
    let given = super::give_as(
        &mut *conn,
        by.org,
        teller,
        &cur,
        (program, audience),
        candidates,
        deadline,
    )
    .await?;
    let Some((sending, given, refused)) = given else {
        return Err(Refused::field(
            "audience",
            if audience == "people" {
                "Анкета не выдана: ни у кого из отмеченных нет действующего согласия на обработку персональных данных."
            } else {
                "Некому дать анкету: нет участников с действующим согласием на обработку персональных данных."
            },
        ));
    };
    Ok(Given {
        title: cur.title.clone(),
        sending,
        given,
        refused,
    })
}

/// A schedule as the form sends it: a program's `mentors` or `mentees`, a day of the week
/// (1–7), days to answer (1–14).
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    pub audience: String,
    pub program: Option<Uuid>,
    pub weekday: i32,
    pub days_to_answer: i32,
}

/// Gives the questionnaire `id` on a schedule: on the morning of the day, by the job.
pub async fn add_schedule(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
    s: &Schedule,
) -> Result<(), Refused> {
    let cur = editable(&mut *conn, by, id).await?;
    if !["mentors", "mentees"].contains(&s.audience.as_str())
        || !(1..=7).contains(&s.weekday)
        || !(1..=14).contains(&s.days_to_answer)
    {
        return Err(Refused::field(
            "audience",
            "Выберите, кому, день недели и срок ответа (1–14 дней).",
        ));
    }
    let Some(pid) = s.program else {
        return Err(Refused::field("program", "Выберите программу."));
    };
    let program = crate::programs::program(&mut *conn, by.org.id, pid)
        .await?
        .ok_or(AppError::NotFound)?;
    let new = schedules::NewSchedule {
        questionnaire_id: cur.id,
        program_id: program.id,
        audience: s.audience.clone(),
        weekday: s.weekday as i16,
        days_to_answer: s.days_to_answer,
        by: by.user_id,
    };
    schedules::add(&mut *conn, by.org.id, &new).await?;
    Ok(())
}

/// Stops the schedule `schedule` of the questionnaire `id` (404 when there is none).
pub async fn delete_schedule(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
    schedule: Uuid,
) -> Result<(), Refused> {
    let cur = editable(&mut *conn, by, id).await?;
    if !schedules::delete(&mut *conn, by.org.id, cur.id, schedule).await? {
        return Err(AppError::NotFound.into());
    }
    Ok(())
}
