//! «Участники программы»: mentors and mentees with their statuses (one by one or in bulk),
//! mentors of earlier programs, the mentor training plan with attendance.

use super::*;
use crate::people::Side;
use crate::web::forms::Refused;
use crate::web::ids::SessionId;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ParticipantsForm {
    pub held_on: String,
    pub ids: Vec<String>,
    pub present: Vec<String>,
    pub role: String,
    pub status: String,
    pub topic: String,
}

pub async fn participants(pc: ProgramCtx) -> AppResult<ParticipantsPage> {
    let ProgramCtx { org, program } = pc.require_any(&[Role::Curator, Role::Director])?;
    let mut conn = org.conn().await?;
    crate::audit::record(
        &mut conn,
        &org,
        "participants.view",
        None,
        &format!("программа {}", program.id),
    )
    .await?;
    let list = repo::participants(&mut conn, org.org.id, program.id).await?;
    let sessions = repo::training_sessions(&mut conn, org.org.id, program.id).await?;
    let earlier = repo::earlier_mentors(&mut conn, org.org.id, program.id).await?;
    let names: HashMap<Uuid, String> = list
        .iter()
        .map(|p| {
            (
                p.person_id,
                model::display_name(
                    p.number,
                    &p.last_name,
                    &p.first_name,
                    &p.middle_name,
                    p.anonymized,
                ),
            )
        })
        .collect();
    let line = |p: &repo::Participant| ParticipantLine {
        enrolment_id: p.enrolment_id.to_string(),
        person_id: p.person_id.to_string(),
        name: names.get(&p.person_id).cloned().unwrap_or_default(),
        class_name: p.class_name.clone(),
        status: p.status,
        attended: p.attended,
    };
    Ok(ParticipantsPage {
        ctx: org.page(format!("Участники — {}", program.name), "programs"),
        prog: org.paths().in_program(program.id),
        program_name: program.name.clone(),
        mentors: list
            .iter()
            .filter(|p| p.role == Side::Mentor)
            .map(line)
            .collect(),
        mentees: list
            .iter()
            .filter(|p| p.role == Side::Mentee)
            .map(line)
            .collect(),
        mentor_statuses: crate::web::forms::coded(&EnrolmentStatus::ladder_table(Side::Mentor)),
        mentee_statuses: crate::web::forms::coded(&EnrolmentStatus::ladder_table(Side::Mentee)),
        trainings_total: sessions.len(),
        trainings: sessions
            .into_iter()
            .map(|s| TrainingLine {
                id: s.id.to_string(),
                date: ru_date(s.held_on),
                topic: s.topic,
                count: s.attendees.len(),
                attendees: s.attendees.iter().map(|a| a.to_string()).collect(),
            })
            .collect(),
        earlier: earlier
            .into_iter()
            .map(|(id, name, program, ready)| EarlierMentor {
                id: id.to_string(),
                name,
                program,
                ready,
            })
            .collect(),
        can_edit: org.has(Role::Curator),
        today: org.org.today().to_string(),
    })
}

/// The first message of a refusal (a flash names one thing at a time): `order` names the fields
/// in the order the form asks for them.
fn first_message(errors: &crate::web::forms::FormErrors, order: &[&str]) -> String {
    order
        .iter()
        .find(|f| errors.has(f))
        .map(|f| errors.get(f).to_string())
        .unwrap_or_default()
}

pub async fn set_status(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<ParticipantsForm>,
) -> AppResult<Response> {
    let ProgramCtx { org, program } = pc.require_any(&EDITORS)?;
    let back = org.paths().participants(program.id);
    let role = Side::of_form(&data.role);
    let selected = crate::web::forms::uuids(&data.ids);
    let mut conn = org.conn().await?;
    let set = crate::participants::set_status(
        &mut conn,
        &org.actor(),
        program.id,
        &selected,
        role,
        &data.status,
    )
    .await;
    match set {
        Ok(n) => Ok(org.flash(
            &back,
            &format!(
                "Статус «{}» у {n} участников.",
                EnrolmentStatus::label_of(&data.status)
            ),
        )),
        Err(Refused::Invalid(e)) => {
            Ok(org.flash_error(&back, &first_message(&e, &["status", "ids"])))
        }
        Err(Refused::Failed(e)) => Err(e),
    }
}

pub async fn enrol_earlier(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<ParticipantsForm>,
) -> AppResult<Response> {
    let ProgramCtx { org, program } = pc.require_any(&EDITORS)?;
    let back = org.paths().participants(program.id);
    let mut tx = org.begin().await?;
    let people =
        crate::people::own_ids(&mut tx, org.org.id, &crate::web::forms::uuids(&data.ids)).await?;
    let (n, refused) =
        crate::participants::enrol_people(&mut tx, &org.actor(), program.id, &people, Side::Mentor)
            .await?;
    tx.commit().await?;
    let (ok, msg) = crate::participants::enrol_message(n, &refused);
    Ok(if ok {
        org.flash(&back, &msg)
    } else {
        org.flash_error(&back, &msg)
    })
}

pub async fn add_training(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<ParticipantsForm>,
) -> AppResult<Response> {
    let ProgramCtx { org, program } = pc.require_any(&EDITORS)?;
    let back = org.paths().in_program(program.id).training_anchor();
    let mut conn = org.conn().await?;
    let planned = crate::participants::plan_training(
        &mut conn,
        &org.actor(),
        program.id,
        &data.held_on,
        &data.topic,
    )
    .await;
    match planned {
        Ok(()) => Ok(org.flash(&back, "Занятие добавлено в план обучения наставников.")),
        Err(Refused::Invalid(e)) => {
            Ok(org.flash_error(&back, &first_message(&e, &["held_on", "topic"])))
        }
        Err(Refused::Failed(e)) => Err(e),
    }
}

pub async fn attendance(
    pc: ProgramCtx,
    SessionId(session): SessionId,
    crate::web::forms::Form(data): crate::web::forms::Form<ParticipantsForm>,
) -> AppResult<Response> {
    let ProgramCtx { org, program } = pc.require_any(&EDITORS)?;
    let mut conn = org.conn().await?;
    let present = crate::web::forms::uuids(&data.present);
    crate::participants::mark_training(&mut conn, &org.actor(), (program.id, session), &present)
        .await
        .map_err(Refused::into_error)?;
    Ok(org.flash(
        &org.paths().in_program(program.id).training_anchor(),
        "Посещаемость сохранена.",
    ))
}

pub struct ParticipantLine {
    pub enrolment_id: String,
    pub person_id: String,
    pub name: String,
    pub class_name: String,
    pub status: EnrolmentStatus,
    pub attended: i64,
}

pub struct TrainingLine {
    pub id: String,
    pub date: String,
    pub topic: String,
    pub attendees: Vec<String>,
    pub count: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "participants/participants.html")]
pub struct ParticipantsPage {
    pub ctx: PageCtx,
    pub prog: crate::paths::ProgramPaths,
    pub program_name: String,
    pub mentors: Vec<ParticipantLine>,
    pub mentees: Vec<ParticipantLine>,
    pub mentor_statuses: Vec<crate::web::forms::Coded>,
    pub mentee_statuses: Vec<crate::web::forms::Coded>,
    pub trainings: Vec<TrainingLine>,
    pub earlier: Vec<EarlierMentor>,
    pub can_edit: bool,
    pub today: String,
    pub trainings_total: usize,
}

/// A mentor of an earlier program who could mentor in this one.
pub struct EarlierMentor {
    pub id: String,
    pub name: String,
    pub program: String,
    /// Said «готов продолжить» when their pair completed.
    pub ready: bool,
}
