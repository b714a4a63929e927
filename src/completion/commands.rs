//! The commands of stage 7 (ARCHITECTURE.md, «Commands»): completing a pair, a member's final
//! report, closing a program, «лучшие наставники», a case of the library. Each checks who acts,
//! validates, writes, tells and audits inside the caller's transaction; the pages parse a form,
//! call one of them and render what it answers.

use chrono::Duration;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{model, repo};
use crate::auth::model::Role;
use crate::error::AppError;
use crate::notifications::{Note, Teller};
use crate::pairing::model::Status;
use crate::pairing::{PairRow, Relation};
use crate::people::Side;
use crate::tenancy::Actor;
use crate::web::forms::{FormErrors, Refused, parse_date, ru_date};

/// The completion form as typed (trimmed), kept for the page to show again when refused.
#[derive(Clone, Debug, Default)]
pub struct CompleteForm {
    pub ended_on: String,
    pub early: bool,
    pub early_reason: String,
    pub results: String,
    pub links: String,
    pub goals_reached: String,
    pub decision: String,
    pub mentor_report: String,
    /// The mentor is ready to continue after this program.
    pub ready: bool,
}

impl CompleteForm {
    /// The end date and the choices, or the fields refused with their messages (`today` on the
    /// school's clock).
    fn check(&self, today: chrono::NaiveDate) -> Result<Checked, FormErrors> {
        let mut errors = FormErrors::default();
        let ended = parse_date(&self.ended_on);
        match ended {
            None => errors.add("ended_on", "Укажите дату завершения."),
            Some(d) if d > today => {
                errors.add("ended_on", "Дата завершения — не позже сегодняшней.")
            }
            _ => {}
        }
        let reached = model::Reached::parse(&self.goals_reached);
        if reached.is_none() {
            errors.add("goals_reached", "Выберите, достигнуты ли цели.");
        }
        let decision = model::Decision::parse(&self.decision);
        if decision.is_none() {
            errors.add("decision", "Выберите решение.");
        }
        let early_reason = model::EarlyReason::parse(&self.early_reason).filter(|_| self.early);
        if self.early && early_reason.is_none() {
            errors.add("early_reason", "Выберите причину досрочного завершения.");
        }
        if self.results.is_empty() && !self.early {
            errors.add(
                "results",
                "Опишите результаты: проект, учебные, творческие, спортивные или другие.",
            );
        }
        errors.limit("results", &self.results, 4000);
        errors.limit("links", &self.links, 2000);
        errors.limit("mentor_report", &self.mentor_report, 4000);
        match (ended, reached, decision) {
            (Some(ended_on), Some(reached), Some(decision)) if errors.is_empty() => Ok(Checked {
                ended_on,
                reached,
                decision,
                early_reason,
            }),
            _ => Err(errors),
        }
    }
}

/// A completion form that holds: its end date and its choices.
struct Checked {
    ended_on: chrono::NaiveDate,
    reached: model::Reached,
    decision: model::Decision,
    early_reason: Option<model::EarlyReason>,
}

/// What [`complete`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Completion {
    Completed,
    /// The pair was completed (or cancelled) before: nothing changed.
    AlreadyDone,
}

/// Completes an agreed pair (its mentor or a curator, `relation` as `pairing::agreed_pair_for`
/// gave it): the results are recorded, written back into each member's enrolment (the mentee is
/// done, or back in the base for a new topic), the satisfaction questionnaires go to the members,
/// the others are told to write their reports, and it is audited.
pub async fn complete(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    pair: &PairRow,
    relation: Relation,
    form: &CompleteForm,
) -> Result<Completion, Refused> {
    if !matches!(relation, Relation::Mentor(_) | Relation::Curator) {
        return Err(AppError::Forbidden.into());
    }
    if pair.status != Status::Agreed {
        return Ok(Completion::AlreadyDone);
    }
    let today = by.today();
    let checked = form.check(today)?;
    let ended_on = checked.ended_on;
    if !crate::pairing::complete_pair(&mut *conn, by.org.id, pair.id).await? {
        return Ok(Completion::AlreadyDone);
    }
    let results = repo::Results {
        ended_on,
        early: form.early,
        early_reason: checked.early_reason,
        results: form.results.clone(),
        links: form.links.clone(),
        goals_reached: checked.reached,
        decision: checked.decision,
        mentor_report: if matches!(relation, Relation::Mentor(_)) {
            form.mentor_report.clone()
        } else {
            String::new()
        },
        mentee_report: String::new(),
    };
    repo::insert(&mut *conn, by.org.id, pair.id, &results, by.user_id).await?;
    // Into the bases: each member's enrolment keeps the pair's outcome.
    let figures = crate::meetings::figures(&mut *conn, by.org, &[pair.id], today).await?;
    let from = figures
        .first()
        .map(|f| ru_date(f.agreed))
        .unwrap_or_default();
    let to = ru_date(ended_on);
    let goals = checked.reached.label();
    let early = checked.early_reason.map(model::EarlyReason::label);
    for m in &pair.members {
        let others: Vec<String> = pair
            .members
            .iter()
            .filter(|o| o.person_id != m.person_id)
            .map(|o| o.name.clone())
            .collect();
        let line = model::history_line(
            &others.join(", "),
            (&from, &to),
            &form.results,
            goals,
            early,
        );
        let status = match (m.role, checked.decision) {
            (Side::Mentee, model::Decision::Stop) => {
                Some(crate::participants::EnrolmentStatus::Finished)
            }
            (Side::Mentee, _) => Some(crate::participants::EnrolmentStatus::InBase),
            _ => None,
        };
        crate::participants::add_results(
            &mut *conn,
            by.org.id,
            (pair.program_id, m.person_id),
            &line,
            status,
        )
        .await?;
    }
    for m in pair.members.iter().filter(|m| m.role == Side::Mentor) {
        crate::participants::set_ready_to_continue(
            &mut *conn,
            by.org.id,
            (pair.program_id, m.person_id),
            form.ready,
        )
        .await?;
    }
    // The final assessment of each other: the built-in satisfaction questionnaires to the
    // mentor and to the mentees (the consent rule applies).
    let teller = Teller::by(by);
    crate::questionnaires::ensure_templates(&mut *conn, by.org.id).await?;
    for (code, role) in [
        ("satisfaction_mentors", Side::Mentor),
        ("satisfaction_mentees", Side::Mentee),
    ] {
        let people: Vec<Uuid> = pair
            .members
            .iter()
            .filter(|m| m.role == role)
            .map(|m| m.person_id)
            .collect();
        if let Some(cur) = crate::questionnaires::template(&mut *conn, by.org.id, code).await? {
            crate::questionnaires::give_as(
                &mut *conn,
                by.org,
                (teller, by.user_id),
                &cur,
                (Some(pair.program_id), "people"),
                people,
                Some(today + Duration::days(7)),
            )
            .await?;
        }
    }
    crate::audit::record(
        &mut *conn,
        by,
        "pair.complete",
        None,
        &format!("пара {}", pair.id),
    )
    .await?;
    let users: Vec<Uuid> = pair
        .members
        .iter()
        .filter_map(|m| m.user_id)
        .filter(|u| *u != by.user_id)
        .collect();
    let text = format!(
        "Пара завершена в программе «{}». Напишите итоговый отчёт.",
        pair.program_name
    );
    let link = by.paths().complete(pair.id);
    let note = Note::new("pairs", &text, &link);
    crate::notifications::tell(&mut *conn, teller, &users, note).await?;
    Ok(Completion::Completed)
}

/// A member's final report on their completed pair (the mentor's or the mentee's side, as the
/// relation says; anyone else is refused): at most 4,000 characters, not empty.
pub async fn write_report(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    pair: &PairRow,
    relation: Relation,
    text: &str,
) -> Result<(), Refused> {
    let mentor = match relation {
        Relation::Mentor(_) => true,
        Relation::Mentee(_) => false,
        _ => return Err(AppError::Forbidden.into()),
    };
    let text = text.trim();
    let mut errors = FormErrors::default();
    if text.is_empty() || text.chars().count() > 4000 {
        errors.add("report", "Напишите отчёт (до 4000 знаков).");
        return Err(errors.into());
    }
    if !repo::set_report(&mut *conn, by.org.id, pair.id, mentor, text).await? {
        errors.add("report", "Отчёт пишется после завершения пары.");
        return Err(errors.into());
    }
    Ok(())
}

/// What [`close_program`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Closing {
    Closed,
    /// Pairs still proposed or agreed: none is left behind.
    PairsOpen(i64),
    AlreadyFinished,
}

/// Closes a program (a curator): once every pair is completed or cancelled, the program is
/// finished and its participants get the satisfaction questionnaires — once, whether the morning
/// job of its last day or this comes first.
pub async fn close_program(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    program_id: Uuid,
) -> Result<Closing, Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let open = crate::pairing::open_pairs(&mut *conn, by.org.id, program_id).await?;
    if open > 0 {
        return Ok(Closing::PairsOpen(open));
    }
    if !crate::programs::finish(&mut *conn, by.org.id, program_id).await? {
        return Ok(Closing::AlreadyFinished);
    }
    let first = crate::jobs::once(
        &mut *conn,
        Some(by.org.id),
        crate::questionnaires::schedules::SATISFACTION_ONCE,
        &program_id.to_string(),
    )
    .await?;
    if first {
        crate::questionnaires::ensure_templates(&mut *conn, by.org.id).await?;
        let people = crate::participants::participants(&mut *conn, by.org.id, program_id).await?;
        for (code, audience, role) in [
            ("satisfaction_mentors", "mentors", Side::Mentor),
            ("satisfaction_mentees", "mentees", Side::Mentee),
        ] {
            let ids: Vec<Uuid> = people
                .iter()
                .filter(|p| p.role == role && !p.anonymized)
                .map(|p| p.person_id)
                .collect();
            if let Some(cur) = crate::questionnaires::template(&mut *conn, by.org.id, code).await? {
                crate::questionnaires::give_as(
                    &mut *conn,
                    by.org,
                    (Teller::by(by), by.user_id),
                    &cur,
                    (Some(program_id), audience),
                    ids,
                    Some(by.today() + Duration::days(7)),
                )
                .await?;
            }
        }
    }
    crate::audit::record(
        &mut *conn,
        by,
        "program.close",
        None,
        &format!("программа {program_id}"),
    )
    .await?;
    Ok(Closing::Closed)
}

/// A step of «лучшие наставники».
#[derive(Debug, Clone)]
pub enum BestStep {
    /// The curator puts a mentor forward, saying why (at most 1,000 characters).
    Nominate(String),
    /// The curator takes it back.
    Withdraw,
    /// The director confirms the nomination.
    Confirm,
}

/// A curator nominates (or withdraws) a mentor of the program as a best mentor, the director
/// confirms; a person who is not the program's mentor is 404.
pub async fn decide_best(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    (program_id, person): (Uuid, Uuid),
    step: BestStep,
) -> Result<(), Refused> {
    if !crate::participants::is_enrolled(&mut *conn, by.org.id, (program_id, person), Side::Mentor)
        .await?
    {
        return Err(AppError::NotFound.into());
    }
    let mut errors = FormErrors::default();
    match step {
        BestStep::Nominate(reason) => {
            by.require(&mut *conn, &[Role::Curator]).await?;
            let reason = reason.trim();
            if reason.is_empty() || reason.chars().count() > 1000 {
                errors.add("reason", "Напишите, за что (до 1000 знаков).");
                return Err(errors.into());
            }
            repo::nominate(
                &mut *conn,
                by.org.id,
                (program_id, person),
                reason,
                by.user_id,
            )
            .await?;
        }
        BestStep::Withdraw => {
            by.require(&mut *conn, &[Role::Curator]).await?;
            repo::decide_best(&mut *conn, by.org.id, (program_id, person), None).await?;
        }
        BestStep::Confirm => {
            by.require(&mut *conn, &[Role::Director]).await?;
            if !repo::decide_best(
                &mut *conn,
                by.org.id,
                (program_id, person),
                Some(by.user_id),
            )
            .await?
            {
                errors.add("mentor", "Нечего подтверждать.");
                return Err(errors.into());
            }
        }
    }
    crate::audit::record(
        &mut *conn,
        by,
        "best.mentor",
        Some(person),
        &format!("программа {program_id}"),
    )
    .await?;
    Ok(())
}

/// A case refused: the messages, and the organization's people the text names (shown as a list).
#[derive(Debug)]
pub struct CaseRefused {
    pub refused: Refused,
    pub names: Vec<String>,
}

impl<E: Into<Refused>> From<E> for CaseRefused {
    fn from(e: E) -> Self {
        CaseRefused {
            refused: e.into(),
            names: Vec::new(),
        }
    }
}

/// Saves a case of the library (a curator; `case.id` nil for a new one). It is published only
/// with the consent of the people it mentions, and beyond the school only once the text was
/// checked for the organization's people's names (`names_confirmed`: the curator confirmed each
/// named person agrees). Returns the case's id.
pub async fn save_case(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    case: &mut repo::Case,
    names_confirmed: bool,
) -> Result<Uuid, CaseRefused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    if !case.id.is_nil() && repo::case(&mut *conn, by.org.id, case.id).await?.is_none() {
        return Err(AppError::NotFound.into());
    }
    if let Some(pid) = case.program_id
        && crate::programs::program(&mut *conn, by.org.id, pid)
            .await?
            .is_none()
    {
        return Err(AppError::NotFound.into());
    }
    let mut errors = FormErrors::default();
    if case.title.is_empty() {
        errors.add("title", "Назовите кейс.");
    }
    errors.limit("title", &case.title, 200);
    for (f, v) in [
        ("problem", &case.problem),
        ("done", &case.done),
        ("result", &case.result),
        ("quotes", &case.quotes),
    ] {
        errors.limit(f, v, 6000);
    }
    if case.published && !case.consented {
        errors.add(
            "published",
            "Опубликовать можно только с согласия упомянутых в кейсе людей.",
        );
    }
    // Before it goes beyond the school: the organization's people named in the text.
    let mut names = Vec::new();
    if case.published && errors.is_empty() {
        let text = [
            &case.title,
            &case.problem,
            &case.done,
            &case.result,
            &case.quotes,
        ]
        .map(|s| s.as_str())
        .join("\n");
        names = repo::names_in_text(&mut *conn, by.org.id, &text).await?;
        if !names.is_empty() && !names_confirmed {
            errors.add(
                "published",
                "В тексте названы люди организации (список ниже). Уберите имена из текста или \
                 подтвердите, что каждый из них (или его законный представитель) согласен на \
                 публикацию.",
            );
        }
    }
    case.names_checked = case.published && errors.is_empty();
    if !errors.is_empty() {
        return Err(CaseRefused {
            refused: errors.into(),
            names,
        });
    }
    let id = repo::save_case(&mut *conn, by.org.id, case, by.user_id).await?;
    crate::audit::record(&mut *conn, by, "case.save", None, &format!("кейс {id}")).await?;
    Ok(id)
}
