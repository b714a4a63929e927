//! What runs by itself for activities (kinds in `schedule.rs`): the Monday plan of the week to
//! every participant, the reminder an hour before an occurrence to those signed up, and the
//! feedback request to those who attended when it ends. The morning job queues the day's
//! reminders and requests; creating or changing an activity queues today's at once.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Viewer, model, repo, schedule};
use crate::notifications::{Note, Teller};
use crate::tenancy::Organization;

pub const REMIND_JOB: &str = "activity.remind";
pub const ENDED_JOB: &str = "activity.ended";
pub const WEEKLY_JOB: &str = "weekly_plan";

fn when(org: &Organization, t: DateTime<Utc>) -> String {
    org.local(t).format("%d.%m %H:%M").to_string()
}

/// Queues the reminders and feedback requests of the occurrences starting in [now, now + 1 day)
/// of the organization (or of one activity).
pub async fn queue_day(
    conn: &mut PgConnection,
    org: &Organization,
    only: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let programs: Vec<Uuid> = crate::programs::running_names(&mut *conn, org.id)
        .await?
        .into_iter()
        .map(|p| p.0)
        .collect();
    let list = repo::in_programs(conn, org.id, &programs, now, now + Duration::days(1)).await?;
    for a in list.iter().filter(|a| only.is_none_or(|id| id == a.id)) {
        for o in model::occurrences(
            &a.timing(),
            &a.exceptions,
            org.offset(),
            now,
            now + Duration::days(1),
        ) {
            if o.cancelled {
                continue;
            }
            let payload = serde_json::json!({"id": a.id, "date": o.on_date});
            let stamp = o.starts.timestamp();
            for (kind, at) in [
                (REMIND_JOB, (o.starts - Duration::hours(1)).max(now)),
                (ENDED_JOB, o.ends),
            ] {
                crate::jobs::enqueue(
                    conn,
                    &crate::jobs::NewJob {
                        kind,
                        payload: payload.clone(),
                        org_id: Some(org.id),
                        unique_key: Some(&format!("{kind}:{}:{}:{stamp}", a.id, o.on_date)),
                        run_at: at,
                    },
                )
                .await?;
            }
        }
    }
    Ok(())
}

/// The occurrence a job is about, if it still takes place as queued.
async fn current(
    conn: &mut PgConnection,
    org: &Organization,
    id: Uuid,
    on_date: NaiveDate,
) -> Result<Option<(repo::Activity, model::Occurrence)>, sqlx::Error> {
    let Some(a) = repo::one(conn, org.id, id).await? else {
        return Ok(None);
    };
    let o = model::occurrence(&a.timing(), &a.exceptions, org.offset(), on_date);
    Ok(o.filter(|o| !o.cancelled).map(|o| (a, o)))
}

/// An hour before: those signed up are reminded (in-app and e-mail by their choice).
pub async fn remind(
    conn: &mut PgConnection,
    org: &Organization,
    teller: Teller<'_>,
    (id, on_date): (Uuid, NaiveDate),
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let Some((a, o)) = current(conn, org, id, on_date).await? else {
        return Ok(());
    };
    // Moved since: the job of the new time reminds.
    if o.starts <= now || o.starts - now > Duration::minutes(65) {
        return Ok(());
    }
    let key = format!("{id}:{on_date}:{}", o.starts.timestamp());
    if !crate::jobs::once(conn, Some(org.id), REMIND_JOB, &key).await? {
        return Ok(());
    }
    let users: Vec<Uuid> = repo::signups(conn, org.id, id, on_date)
        .await?
        .into_iter()
        .filter(|s| s.signed_up)
        .filter_map(|s| s.user_id)
        .collect();
    let text = format!(
        "Через час: {} «{}» ({}){}",
        model::format_label(&a.format),
        a.topic,
        when(org, o.starts),
        if a.link.is_empty() {
            String::new()
        } else {
            format!(", ссылка: {}", a.link)
        }
    );
    let link = crate::paths::Paths::of(&org.slug).activity(id, on_date);
    let note = Note::new("reminders", &text, &link);
    crate::notifications::tell(conn, teller, &users, note).await?;
    Ok(())
}

/// When it ends: those who attended are asked to rate it (again for those marked later, from
/// the attendance form).
pub async fn ask_feedback(
    conn: &mut PgConnection,
    org: &Organization,
    teller: Teller<'_>,
    (id, on_date): (Uuid, NaiveDate),
    now: DateTime<Utc>,
) -> crate::error::AppResult<()> {
    let Some((a, o)) = current(conn, org, id, on_date).await? else {
        return Ok(());
    };
    if o.ends > now {
        return Ok(());
    }
    let asked = repo::ask_attendees(conn, id, on_date).await?;
    let users: Vec<Uuid> = asked.iter().filter_map(|p| p.1).collect();
    // The questionnaire the curator picked goes to them too (an assignment kept with the
    // occurrence, so its answers link to the activity and its leaders).
    if let (Some(q), Some(by)) = (a.feedback_questionnaire, a.created_by)
        && !asked.is_empty()
        && let Some(cur) = crate::questionnaires::current(conn, org.id, q).await?
    {
        let people: Vec<Uuid> = asked.iter().map(|p| p.0).collect();
        let deadline = org.local(now).date_naive() + Duration::days(3);
        let given = crate::questionnaires::give_as(
            conn,
            org,
            (teller, by),
            &cur,
            (Some(a.program_id), "people"),
            people,
            Some(deadline),
        )
        .await?;
        if let Some((assignment, _, _)) = given {
            repo::add_feedback_form(conn, id, on_date, assignment).await?;
        }
    }
    let text = format!(
        "Оцените занятие «{}» ({}): как прошло, что было полезно?",
        a.topic,
        when(org, o.starts)
    );
    let link = crate::paths::Paths::of(&org.slug).activity(id, on_date);
    let note = Note::new("surveys", &text, &link);
    crate::notifications::tell(conn, teller, &users, note).await?;
    Ok(())
}

/// Monday morning: each participant's plan of the week (only those who have something in it).
pub async fn weekly_plan(
    conn: &mut PgConnection,
    org: &Organization,
    teller: Teller<'_>,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    // One pass: every participant's enrolments and the week's occurrences of the programs, then
    // each user's plan from them (no query per user).
    let running: Vec<Uuid> = crate::programs::running_names(&mut *conn, org.id)
        .await?
        .into_iter()
        .map(|p| p.0)
        .collect();
    let enrolled = crate::participants::enrolments_in(&mut *conn, org.id, &running).await?;
    let mut people: Vec<Uuid> = enrolled.iter().map(|e| e.1).collect();
    people.sort();
    people.dedup();
    let cards = crate::people::cards(&mut *conn, org.id, &people).await?;
    let mut rows: Vec<(Uuid, Uuid, crate::people::Side, Uuid, String)> = enrolled
        .into_iter()
        .filter_map(|(program, person, role)| {
            let card = cards.get(&person)?;
            Some((
                card.user_id?,
                program,
                role,
                person,
                card.class_name.clone(),
            ))
        })
        .collect();
    rows.sort_by_key(|r| r.0);
    let mut by_user: Vec<(Uuid, Vec<repo::Enrolment>)> = Vec::new();
    for (user, program_id, role, person_id, class_name) in rows {
        let e = repo::Enrolment {
            program_id,
            role,
            person_id,
            class_name,
        };
        match by_user.last_mut() {
            Some((u, list)) if *u == user => list.push(e),
            _ => by_user.push((user, vec![e])),
        }
    }
    let mut programs: Vec<Uuid> = by_user
        .iter()
        .flat_map(|(_, l)| l.iter().map(|e| e.program_id))
        .collect();
    programs.sort();
    programs.dedup();
    let everyone = Viewer {
        staff: true,
        enrolments: Vec::new(),
    };
    let slots = schedule(
        conn,
        org,
        &everyone,
        &programs,
        (now, now + Duration::days(7)),
    )
    .await?;
    let paths = crate::paths::Paths::of(&org.slug);
    let mut told = 0;
    for (user, enrolments) in by_user {
        let week: Vec<&super::Slot> = slots
            .iter()
            .filter(|s| super::visible(&s.activity, &enrolments))
            .collect();
        let lines: Vec<String> = week
            .iter()
            .map(|s| {
                format!(
                    "{} — {} «{}»{}",
                    when(org, s.occurrence.starts),
                    model::format_label(&s.activity.format),
                    s.activity.topic,
                    if s.occurrence.cancelled {
                        " (отменено)"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        let text = format!("План на неделю: занятий — {}", lines.len());
        let link = paths.home();
        let note = Note {
            kind: "reminders",
            text: &text,
            link: &link,
            details: &lines,
        };
        crate::notifications::tell(conn, teller, &[user], note).await?;
        told += 1;
    }
    Ok(told)
}
