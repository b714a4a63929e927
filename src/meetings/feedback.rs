//! The command that records a member's feedback on a held meeting (`rate`): a rating 1–5, a
//! comment and, when the fit check is asked (after the trial meeting, or after «пока не ясно»),
//! whether they fit; «не подходим» tells the curators at once and gives them the task to review
//! the pair.

use serde::Deserialize;
use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::AppError;
use crate::meetings::{model, repo};
use crate::notifications::{Note, Teller};
use crate::pairing::{MemberRow, PairRow};
use crate::tenancy::Actor;
use crate::web::forms::{FormErrors, Refused};

/// The feedback form as the browser sends it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct FeedbackForm {
    pub rating: String,
    pub comment: String,
    pub fit: String,
    /// Where to go back: "home", or the pair's meetings.
    pub back: String,
}

/// Records the feedback of `me` (a member of `pair`) on `meeting`. Refused with a message under
/// `rating` for a meeting still ahead or a rating outside 1–5; 404 when the meeting is not this
/// pair's.
pub async fn rate(
    tx: &mut sqlx::PgConnection,
    actor: &Actor<'_>,
    pair: &PairRow,
    me: &MemberRow,
    meeting: Uuid,
    form: &FeedbackForm,
) -> Result<(), Refused> {
    let (kind, held_on) = repo::meeting_of_pair(tx, actor.org.id, pair.id, meeting)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::default();
    if held_on > actor.today() {
        errors.add("rating", "Оценить можно встречу, которая уже прошла.");
        return Err(errors.into());
    }
    let Some(rating) = form
        .rating
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|r| (1..=5).contains(r))
    else {
        errors.add("rating", "Выберите оценку от 1 до 5.");
        return Err(errors.into());
    };
    let answers = repo::fits_of(tx, actor.org.id, pair.id, me.person_id).await?;
    let asked = model::asks_fit(&kind, held_on, &answers);
    let fit = model::Fit::parse(&form.fit)
        .filter(|_| asked)
        .map(model::Fit::code);
    let comment: String = form.comment.trim().chars().take(1000).collect();
    repo::give_feedback(
        tx,
        actor.org.id,
        meeting,
        me.person_id,
        rating,
        fit,
        &comment,
    )
    .await?;
    if fit == Some("no") {
        let curators: Vec<Uuid> =
            crate::tenancy::members_with_role(tx, actor.org.id, Role::Curator)
                .await?
                .into_iter()
                .map(|c| c.0)
                .collect();
        let text = format!(
            "{} считает, что пара в программе «{}» не подходит (после пробной встречи). Посмотрите пару.",
            me.name, pair.program_name
        );
        let health = actor.paths().in_program(pair.program_id).health();
        let note = Note::new("pairs", &text, &health);
        let teller = Teller::by(actor);
        crate::notifications::tell(tx, teller, &curators, note).await?;
        // The curator's task: review the pair and, if they agree, end it by an amending order
        // (the mentee returns to matching).
        let names: Vec<&str> = pair.members.iter().map(|m| m.name.as_str()).collect();
        let title = format!(
            "Рассмотреть пару «{}»: {} ответил(а) «не подходим»",
            names.join(" — "),
            me.name
        );
        crate::programs::roadmap::add_curator_task(
            tx,
            actor.org.id,
            pair.program_id,
            &title,
            actor.today() + chrono::Duration::days(3),
            actor.user_id,
        )
        .await?;
    }
    Ok(())
}
