//! The commands of recruitment (ARCHITECTURE.md, «Commands»): applying by a program's link —
//! in one step for someone signed in who is in the organization's base, with a name, a class or
//! position and a contact for anyone else; throttled per contact and per network address; never
//! creating an account — and the curator's decision on an application, which declines it with a
//! reason or accepts it into the base and the program.

use sqlx::PgConnection;
use uuid::Uuid;

use super::{model, repo};
use crate::auth::model::Role;
use crate::error::AppError;
use crate::notifications::{Note, Teller};
use crate::people::Side;
use crate::tenancy::{Actor, Organization};
use crate::web::forms::{FormErrors, Refused};

/// A program's application link, as its token finds it.
pub struct Link {
    pub org: Organization,
    pub program_id: Uuid,
    pub program: String,
    pub role: Side,
    /// The program is not finished: applications are taken.
    pub open: bool,
}

/// The link of `token` (a token of more than 64 characters is no token).
pub async fn link(conn: &mut PgConnection, token: &str) -> Result<Option<Link>, sqlx::Error> {
    if token.len() > 64 {
        return Ok(None);
    }
    let Some((org_id, program_id, program, role, status)) =
        repo::by_token(&mut *conn, token).await?
    else {
        return Ok(None);
    };
    let org = crate::tenancy::org_by_id(&mut *conn, org_id).await?;
    Ok(Some(Link {
        org,
        program_id,
        program,
        role,
        open: status != crate::programs::ProgramStatus::Finished,
    }))
}

/// Someone signed in who is in the organization's base: their account, person and name.
#[derive(Debug, Clone)]
pub struct Applicant {
    pub user_id: Uuid,
    pub person_id: Uuid,
    pub name: String,
}

/// The account's person in the organization's base, if any.
pub async fn applicant(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Applicant>, sqlx::Error> {
    Ok(crate::people::linked_person(conn, org_id, user_id)
        .await?
        .map(|(person_id, name)| Applicant {
            user_id,
            person_id,
            name,
        }))
}

/// The application form as typed (trimmed).
#[derive(Clone, Debug, Default)]
pub struct ApplyForm {
    pub full_name: String,
    pub class_or_position: String,
    pub contact: String,
    pub motivation: String,
}

/// Takes an application by `link` (open) from `who` (signed in and in the base) or from anyone
/// with the form's name, class or position and contact; `source` is the digest of the network
/// address the throttle counts. The organization's curators are told.
pub async fn apply(
    conn: &mut PgConnection,
    (link, base_url): (&Link, &str),
    who: Option<&Applicant>,
    form: &ApplyForm,
    source: &str,
) -> Result<(), Refused> {
    if !link.open {
        return Err(AppError::NotFound.into());
    }
    let mut errors = FormErrors::default();
    if who.is_none() {
        if model::split_name(&form.full_name).is_none() {
            errors.add("full_name", "Напишите фамилию и имя.");
        }
        if form.class_or_position.is_empty() {
            errors.add("class_or_position", "Напишите класс, группу или должность.");
        }
        if !model::contact_ok(&form.contact) {
            errors.add("contact", "Электронная почта или телефон (10–15 цифр).");
        }
        errors.limit("full_name", &form.full_name, 200);
        errors.limit("class_or_position", &form.class_or_position, 100);
        errors.limit("contact", &form.contact, 200);
    }
    errors.limit("motivation", &form.motivation, 2000);
    let contact = if who.is_some() {
        String::new()
    } else {
        form.contact.to_lowercase()
    };
    let (by_contact, by_source) = repo::recent(&mut *conn, &contact, source).await?;
    if by_contact >= model::PER_CONTACT_PER_DAY || by_source >= model::PER_SOURCE_PER_HOUR {
        errors.add(
            "contact",
            "Слишком много заявок отсюда. Попробуйте завтра или обратитесь к куратору.",
        );
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    repo::insert(
        &mut *conn,
        link.org.id,
        &repo::NewApplication {
            program_id: link.program_id,
            role: link.role,
            user_id: who.map(|w| w.user_id),
            person_id: who.map(|w| w.person_id),
            full_name: who.map(|w| w.name.as_str()).unwrap_or(&form.full_name),
            class_or_position: &form.class_or_position,
            contact: &contact,
            motivation: &form.motivation,
            source,
        },
    )
    .await?;
    let curators: Vec<Uuid> =
        crate::tenancy::members_with_role(&mut *conn, link.org.id, Role::Curator)
            .await?
            .into_iter()
            .map(|c| c.0)
            .collect();
    let text = format!(
        "Новая заявка в программу «{}» ({})",
        link.program,
        if link.role == Side::Mentor {
            "наставник"
        } else {
            "наставляемый"
        }
    );
    let to = crate::paths::Paths::of(&link.org.slug)
        .in_program(link.program_id)
        .applications();
    let note = Note::new("pairs", &text, &to);
    crate::notifications::tell(
        &mut *conn,
        Teller::new(&link.org, base_url),
        &curators,
        note,
    )
    .await?;
    Ok(())
}

/// The curator's decision on an application.
#[derive(Debug, Clone)]
pub enum Decision {
    /// Declined with a reason (at most 500 characters) the applicant is told.
    Decline { reason: String },
    /// Accepted into the base (as `kind` — pupil, student, teacher, partner, other — when the
    /// applicant is not in it yet) and the program.
    Accept { kind: String },
}

/// What [`decide`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Decided {
    Declined,
    /// Accepted: the person in the base and in the program.
    Accepted(Uuid),
    /// Decided before: nothing changed.
    AlreadyDecided,
}

/// A curator decides on the application `id` of the program `(id, name)`.
pub async fn decide(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    (program_id, program_name): (Uuid, &str),
    id: Uuid,
    decision: &Decision,
) -> Result<Decided, Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let a = repo::one(&mut *conn, by.org.id, program_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if a.status != model::ApplicationStatus::New {
        return Ok(Decided::AlreadyDecided);
    }
    let mut errors = FormErrors::default();
    let kind = match decision {
        Decision::Decline { reason } => {
            let reason = reason.trim();
            if reason.is_empty() || reason.chars().count() > 500 {
                errors.add("reason", "Напишите причину отказа (до 500 знаков).");
                return Err(errors.into());
            }
            repo::decide(
                &mut *conn,
                by.org.id,
                id,
                (model::ApplicationStatus::Declined, reason),
                None,
                by.user_id,
            )
            .await?;
            if let Some(u) = a.user_id {
                let text = format!("Заявка в программу «{program_name}» отклонена: {reason}");
                let home = by.paths().home();
                let note = Note::new("pairs", &text, &home);
                crate::notifications::tell(&mut *conn, Teller::by(by), &[u], note).await?;
            }
            crate::audit::record(
                &mut *conn,
                by,
                "application.decline",
                a.person_id,
                &format!("заявка {id}"),
            )
            .await?;
            return Ok(Decided::Declined);
        }
        Decision::Accept { kind } => kind,
    };
    let person = match a.person_id {
        Some(p) => p,
        None => {
            if !["pupil", "student", "teacher", "partner", "other"].contains(&kind.as_str()) {
                errors.add("kind", "Выберите, кто это: ученик, студент, педагог…");
                return Err(errors.into());
            }
            let Some((last, first, middle)) = model::split_name(&a.full_name) else {
                errors.add("kind", "В заявке нет фамилии и имени.");
                return Err(errors.into());
            };
            let learner = crate::people::model::is_learner(kind);
            let email = a.contact.contains('@');
            let (class_name, position) = if learner {
                (a.class_or_position.clone(), String::new())
            } else {
                (String::new(), a.class_or_position.clone())
            };
            let input = crate::people::PersonInput {
                last_name: last,
                first_name: first,
                middle_name: middle,
                kind: kind.clone(),
                class_name,
                position,
                email: if email {
                    a.contact.clone()
                } else {
                    String::new()
                },
                phone: if email {
                    String::new()
                } else {
                    a.contact.clone()
                },
                notes: format!("Заявка в программу «{program_name}»"),
                in_mentor_base: a.role == Side::Mentor,
                in_mentee_base: a.role == Side::Mentee,
                ..Default::default()
            };
            crate::people::insert(&mut *conn, by.org.id, &input).await?
        }
    };
    crate::participants::enrol(&mut *conn, by.org.id, program_id, person, a.role).await?;
    repo::decide(
        &mut *conn,
        by.org.id,
        id,
        (model::ApplicationStatus::Accepted, ""),
        Some(person),
        by.user_id,
    )
    .await?;
    crate::audit::record(
        &mut *conn,
        by,
        "application.accept",
        Some(person),
        &format!("заявка {id}"),
    )
    .await?;
    Ok(Decided::Accepted(person))
}
