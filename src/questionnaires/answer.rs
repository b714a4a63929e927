//! The command that keeps a person's answers (`answer`): a draft, a first submission, or a change
//! of a submitted answer («Изменить ответ»). Its rules hold whoever calls it: nothing is kept
//! after the deadline or for a person without a valid consent at this very moment; a submitted
//! answer is final — a draft or a second submission never replaces it, only a change asked for
//! on purpose does, and that change is audited (the previous answer stays in the history);
//! answers that do not pass the questions' rules are kept as a draft and refused with the
//! problems beside the questions.

use uuid::Uuid;

use crate::error::AppError;
use crate::tenancy::Actor;

use super::model::{self, Definition, Problems, Raw};
use super::repo::{self, Assignment, ResponseInput};

/// How the answers are sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sending {
    /// Kept as a draft (the autosave, «Сохранить черновик»).
    Draft,
    /// Sent.
    Submit,
    /// A submitted answer changed on purpose («Изменить ответ»).
    Change,
}

/// Whose answers to which questionnaire, as the page resolved them.
pub struct Target<'a> {
    pub assignment: &'a Assignment,
    pub person_id: Uuid,
    pub version_id: Uuid,
    pub def: &'a Definition,
    /// The people a «person» question may name.
    pub people: &'a [Uuid],
    /// Filled by the curator from a paper form.
    pub on_behalf: bool,
}

/// What became of the answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answered {
    /// The draft is kept.
    Draft,
    /// A draft sent after the submission: the submitted answer stays, the draft is not kept.
    DraftAfterSubmission,
    Submitted,
    Changed,
}

/// Why the answers were not taken.
#[derive(Debug)]
pub enum NotTaken {
    /// The deadline has passed.
    Closed,
    /// No valid consent: nothing is kept.
    NoConsent,
    /// Submitted already (another tab, the curator): nothing replaced.
    Submitted,
    /// The answers break the questions' rules: kept as a draft, the problems beside the questions.
    Invalid(Problems),
    Failed(AppError),
}

impl From<sqlx::Error> for NotTaken {
    fn from(e: sqlx::Error) -> Self {
        NotTaken::Failed(e.into())
    }
}

/// Whether the assignment's deadline has passed.
pub fn closed(a: &Assignment) -> bool {
    a.deadline.map(|d| d < model::today()).unwrap_or(false)
}

/// Keeps `raw` as `sending` says (see the module's rules). On [`NotTaken::Invalid`] the draft
/// was written: the caller commits.
pub async fn answer(
    tx: &mut sqlx::PgConnection,
    by: &Actor<'_>,
    target: &Target<'_>,
    raw: &Raw,
    sending: Sending,
) -> Result<Answered, NotTaken> {
    if closed(target.assignment) {
        return Err(NotTaken::Closed);
    }
    let org_id = by.org.id;
    if !crate::people::has_valid_consent(tx, org_id, target.person_id).await? {
        return Err(NotTaken::NoConsent);
    }
    let draft = ResponseInput {
        assignment_id: target.assignment.id,
        person_id: target.person_id,
        version_id: target.version_id,
        answers: raw,
        submit: false,
        on_behalf: target.on_behalf,
    };
    if sending == Sending::Draft {
        return Ok(if repo::save_response(tx, org_id, &draft).await? {
            Answered::Draft
        } else {
            Answered::DraftAfterSubmission
        });
    }
    let submitted = repo::response(tx, org_id, target.assignment.id, target.person_id)
        .await?
        .is_some_and(|r| r.status == crate::questionnaires::ResponseStatus::Submitted);
    let change = submitted && sending == Sending::Change;
    if submitted && !change {
        return Err(NotTaken::Submitted);
    }
    let people: Vec<String> = target.people.iter().map(Uuid::to_string).collect();
    let problems = model::validate(target.def, raw, &people);
    if !problems.is_empty() {
        // Everything typed is kept as a draft (a submitted answer stays as it is).
        repo::save_response(tx, org_id, &draft).await?;
        return Err(NotTaken::Invalid(problems));
    }
    let input = ResponseInput {
        submit: true,
        ..draft
    };
    if change {
        if !repo::change_response(tx, org_id, &input, by.user_id).await? {
            return Err(NotTaken::Submitted);
        }
        let how = if target.on_behalf {
            "со слов, куратором"
        } else {
            "автором"
        };
        crate::audit::record(
            tx,
            by,
            "response.change",
            Some(target.person_id),
            &format!("анкета {}, изменено {how}", target.assignment.id),
        )
        .await?;
        Ok(Answered::Changed)
    } else if repo::save_response(tx, org_id, &input).await? {
        Ok(Answered::Submitted)
    } else {
        Err(NotTaken::Submitted)
    }
}
