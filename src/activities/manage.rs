//! The commands on an activity's occurrences (ARCHITECTURE.md, «Commands»): marking attendance
//! (once it has started; those newly marked present are asked for feedback at once) and adding
//! the recording — its leaders' or a curator's —, moving, cancelling or restoring one date, and
//! cancelling or restoring the whole activity — a curator's. Each change bumps the calendar
//! SEQUENCE; today's reminders follow the new time. Also a person's calendar feed link and the
//! curator's settings of the mentors' rating.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Viewer, jobs, model, repo};
use crate::auth::model::Role;
use crate::error::AppError;
use crate::notifications::Teller;
use crate::tenancy::Actor;
use crate::web::forms::Refused;

/// The activity `id`, if the actor sees it (404) and leads it or is a curator (403); and whether
/// they are a curator.
async fn managed(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
) -> Result<(repo::Activity, bool), AppError> {
    let a = repo::one(&mut *conn, by.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    // The actor's roles, read once.
    let roles = crate::tenancy::member_roles(&mut *conn, by.org.id, by.user_id)
        .await?
        .unwrap_or_default();
    let curator = roles.contains(&Role::Curator);
    let staff = curator || roles.contains(&Role::Director);
    let viewer = Viewer::of(&mut *conn, by.org.id, by.user_id, staff).await?;
    if !viewer.sees(&a) {
        return Err(AppError::NotFound);
    }
    let leads = viewer
        .person_in(a.program_id)
        .is_some_and(|p| a.leaders.contains(&p));
    if leads || curator {
        Ok((a, curator))
    } else {
        Err(AppError::Forbidden)
    }
}

/// Marks who of the activity's audience was at the occurrence `on_date` (anyone else ticked is
/// ignored); returns how many were present.
pub async fn mark_attendance(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    (id, on_date): (Uuid, NaiveDate),
    present: &[Uuid],
) -> Result<usize, Refused> {
    let (a, _) = managed(&mut *conn, by, id).await?;
    let o = model::occurrence(&a.timing(), &a.exceptions, by.org.offset(), on_date)
        .ok_or(AppError::NotFound)?;
    if o.starts > Utc::now() {
        return Err(Refused::field(
            "present",
            "Отметить присутствие можно, когда занятие началось.",
        ));
    }
    let people: Vec<Uuid> = repo::audience(&mut *conn, by.org.id, &a)
        .await?
        .into_iter()
        .map(|p| p.0)
        .collect();
    let present: Vec<Uuid> = present
        .iter()
        .copied()
        .filter(|p| people.contains(p))
        .collect();
    repo::set_attendance(&mut *conn, by.org.id, a.id, on_date, &people, &present).await?;
    let teller = Teller::by(by);
    jobs::ask_feedback(&mut *conn, by.org, teller, (a.id, on_date), Utc::now()).await?;
    crate::audit::record(
        &mut *conn,
        by,
        "activity.attendance",
        None,
        &format!(
            "занятие {} {on_date}: присутствовали {}",
            a.id,
            present.len()
        ),
    )
    .await?;
    Ok(present.len())
}

/// Keeps the link to the recording (https://…, at most 500 characters, or none) and the
/// materials (at most 4,000 characters).
pub async fn save_recording(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
    (link, materials): (&str, &str),
) -> Result<(), Refused> {
    let (a, _) = managed(&mut *conn, by, id).await?;
    let (link, materials) = (link.trim(), materials.trim());
    let ok = link.is_empty()
        || ((link.starts_with("https://") || link.starts_with("http://"))
            && link.len() <= 500
            && !link.contains(char::is_whitespace));
    if !ok || materials.chars().count() > 4000 {
        return Err(Refused::field(
            "recording",
            "Ссылка на запись — вида https://…, материалы — до 4000 знаков.",
        ));
    }
    repo::set_recording(&mut *conn, by.org.id, a.id, (link, materials)).await?;
    Ok(())
}

/// A change of one date of an activity.
#[derive(Debug, Clone)]
pub enum DateChange {
    /// To a new start (`None`: the date and time typed did not read), with a reason.
    Move(Option<DateTime<Utc>>, String),
    Cancel(String),
    Restore,
}

/// A curator moves, cancels or restores the occurrence `on_date` (one the activity holds).
pub async fn change_date(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    (id, on_date): (Uuid, NaiveDate),
    change: &DateChange,
) -> Result<(), Refused> {
    let (a, curator) = managed(&mut *conn, by, id).await?;
    if !curator {
        return Err(AppError::Forbidden.into());
    }
    model::occurrence(&a.timing(), &a.exceptions, by.org.offset(), on_date)
        .ok_or(AppError::NotFound)?;
    let short = |r: &str| -> String { r.trim().chars().take(300).collect() };
    let (reason, exception) = match change {
        DateChange::Move(None, _) => {
            return Err(Refused::field(
                "date",
                "Укажите новую дату и время (ЧЧ:ММ).",
            ));
        }
        DateChange::Move(Some(at), r) => (short(r), Some(Some(*at))),
        DateChange::Cancel(r) => (short(r), Some(None)),
        DateChange::Restore => (String::new(), None),
    };
    let change = exception.map(|at| (at, reason.as_str()));
    repo::set_exception(&mut *conn, a.id, on_date, change).await?;
    jobs::queue_day(&mut *conn, by.org, Some(a.id), Utc::now()).await?;
    crate::audit::record(
        &mut *conn,
        by,
        "activity.date",
        None,
        &format!("занятие {} {on_date}", a.id),
    )
    .await?;
    Ok(())
}

/// A curator cancels the whole activity with a reason (or restores it); returns the date of its
/// first occurrence.
pub async fn cancel_all(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
    cancel: Option<&str>,
) -> Result<NaiveDate, Refused> {
    let (a, curator) = managed(&mut *conn, by, id).await?;
    if !curator {
        return Err(AppError::Forbidden.into());
    }
    let reason: String = cancel.unwrap_or("").trim().chars().take(300).collect();
    repo::set_cancelled(&mut *conn, by.org.id, a.id, cancel.is_some(), &reason).await?;
    crate::audit::record(
        &mut *conn,
        by,
        "activity.cancel",
        None,
        &format!("занятие {}", a.id),
    )
    .await?;
    Ok(by.org.local(a.starts_at).date_naive())
}

/// A calendar feed link of the actor (for one program they see, or for all): a new one (its
/// token, shown once; the earlier link stops) or none (`revoke`). 404 for a program they do not
/// see.
pub async fn set_feed(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    program: Option<Uuid>,
    revoke: bool,
) -> Result<Option<String>, Refused> {
    if let Some(p) = program {
        let staff = by
            .holds(&mut *conn, &[Role::Curator, Role::Director])
            .await?;
        let viewer = Viewer::of(&mut *conn, by.org.id, by.user_id, staff).await?;
        let exists = crate::programs::exists(&mut *conn, by.org.id, p).await?;
        if !exists || !(staff || viewer.programs().contains(&p)) {
            return Err(AppError::NotFound.into());
        }
    }
    if revoke {
        repo::set_feed(&mut *conn, by.org.id, by.user_id, program, None).await?;
        return Ok(None);
    }
    let token = crate::web::cookies::random_token();
    let digest = crate::web::cookies::digest(&token);
    repo::set_feed(&mut *conn, by.org.id, by.user_id, program, Some(&digest)).await?;
    crate::audit::record(&mut *conn, by, "calendar.link", None, "ссылка на календарь").await?;
    Ok(Some(token))
}

/// A curator's settings of the program's mentors' rating: public or not, anonymous or not, the
/// minimum of answers (1–100), comments public or not.
pub async fn set_rating(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    program_id: Uuid,
    (public, anonymous, comments_public): (bool, bool, bool),
    min_answers: &str,
) -> Result<(), Refused> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let Some(min) = min_answers
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|m| (1..=100).contains(m))
    else {
        return Err(Refused::field(
            "min_answers",
            "Минимум ответов — от 1 до 100.",
        ));
    };
    let settings = repo::RatingSettings {
        public,
        anonymous,
        min_answers: min,
        comments_public,
    };
    repo::set_rating_settings(&mut *conn, by.org.id, program_id, &settings).await?;
    Ok(())
}
