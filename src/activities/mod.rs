//! Group activities of a program — вебинары, Q&A, пробные собеседования, мастер-классы, the
//! festive event … — one-off or weekly with moved and cancelled dates (`model`), sign-ups,
//! attendance and feedback, topic requests, the mentors' rating; the schedule (the program's and
//! each person's week and month), calendar feeds at secret links (`ics`), and the jobs: the
//! Monday plan, the reminder an hour before, the feedback request when an activity ends
//! (`jobs`). Other domains use the functions below.

pub mod forget;
pub mod ics;
pub mod jobs;
pub mod manage;
pub mod model;
pub mod pages;
pub mod rating;
pub mod repo;
pub mod save;
pub mod signup;
pub mod view;

use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::tenancy::Organization;
use model::Occurrence;
pub use rating::{MentorLine, mentor_lines};
use repo::{Activity, Enrolment};
pub use repo::{RatingSettings, rating_settings, unrated_of_user};
pub use signup::{Place, SignUp, propose_topic, rate, sign_up};
pub use view::{SlotView, slot_view};

/// Whether a participant (their enrolments) is in an activity's audience; leaders always are.
pub fn visible(a: &Activity, enrolments: &[Enrolment]) -> bool {
    enrolments
        .iter()
        .filter(|e| e.program_id == a.program_id)
        .any(|e| a.is_for(e.role, &e.class_name, e.person_id))
}

/// One occurrence on a schedule.
#[derive(Clone, Debug)]
pub struct Slot {
    pub activity: Activity,
    pub occurrence: Occurrence,
}

/// Who is looking at a schedule.
pub struct Viewer {
    /// Curators and directors see every activity of the organization.
    pub staff: bool,
    pub enrolments: Vec<Enrolment>,
}

impl Viewer {
    pub async fn of(
        conn: &mut PgConnection,
        org_id: Uuid,
        user_id: Uuid,
        staff: bool,
    ) -> Result<Self, sqlx::Error> {
        Ok(Viewer {
            staff,
            enrolments: repo::enrolments_of_user(conn, org_id, user_id).await?,
        })
    }

    /// A viewer with no people here (a curator or director who takes part in no program).
    pub fn without_people(staff: bool) -> Self {
        Viewer {
            staff,
            enrolments: Vec::new(),
        }
    }

    pub fn programs(&self) -> Vec<Uuid> {
        let mut p: Vec<Uuid> = self.enrolments.iter().map(|e| e.program_id).collect();
        p.sort();
        p.dedup();
        p
    }

    pub fn sees(&self, a: &Activity) -> bool {
        self.staff || visible(a, &self.enrolments)
    }

    /// The viewer's person in the activity's program.
    pub fn person_in(&self, program: Uuid) -> Option<Uuid> {
        self.enrolments
            .iter()
            .find(|e| e.program_id == program)
            .map(|e| e.person_id)
    }
}

/// The occurrences in [from, to) of the programs given that the viewer sees, by start.
pub async fn schedule(
    conn: &mut PgConnection,
    org: &Organization,
    viewer: &Viewer,
    programs: &[Uuid],
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Result<Vec<Slot>, sqlx::Error> {
    let list = repo::in_programs(conn, org.id, programs, from, to).await?;
    let offset = org.offset();
    let mut out: Vec<Slot> = list
        .into_iter()
        .filter(|a| viewer.sees(a))
        .flat_map(|a| {
            model::occurrences(&a.timing(), &a.exceptions, offset, from, to)
                .into_iter()
                .map(move |o| Slot {
                    activity: a.clone(),
                    occurrence: o,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort_by_key(|s| s.occurrence.starts);
    Ok(out)
}

/// The user's week ahead (every program they take part in; staff: all programs): for the home
/// page.
/// The coming week's activities `viewer` sees; `active`: for staff, the organization's programs
/// that are not finished (the home page has them already).
pub async fn week_for_user(
    conn: &mut PgConnection,
    org: &Organization,
    viewer: &Viewer,
    active: Vec<Uuid>,
    now: DateTime<Utc>,
) -> Result<Vec<Slot>, sqlx::Error> {
    let programs = if viewer.staff {
        active
    } else {
        viewer.programs()
    };
    schedule(conn, org, viewer, &programs, (now, now + Duration::days(7))).await
}

/// A calendar feed (RFC 5545): the activities the user sees in their programs (or in one
/// program) as events and series, their planned pair meetings, and — for curators — the open
/// roadmap tasks as all-day events. Past month and what lies ahead.
pub async fn feed(
    conn: &mut PgConnection,
    org: &Organization,
    (user_id, roles): (Uuid, &[crate::auth::model::Role]),
    program: Option<Uuid>,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    use crate::auth::model::Role;
    use ics::{FeedEvent, When};
    let staff = roles.contains(&Role::Curator) || roles.contains(&Role::Director);
    let viewer = Viewer::of(conn, org.id, user_id, staff).await?;
    let programs: Vec<Uuid> = match program {
        Some(p) => vec![p],
        None if staff => crate::programs::running_names(&mut *conn, org.id)
            .await?
            .into_iter()
            .map(|p| p.0)
            .collect(),
        None => viewer.programs(),
    };
    let paths = crate::paths::Paths::of(&org.slug);
    let from = now - Duration::days(31);
    let list = repo::in_programs(conn, org.id, &programs, from, now + Duration::days(400)).await?;
    let mut events: Vec<FeedEvent> = list
        .into_iter()
        .filter(|a| viewer.sees(a))
        .map(|a| {
            let first = a.starts_at.with_timezone(&org.offset()).date_naive();
            FeedEvent {
                uid: format!("activity-{}@nastavnik", a.id),
                sequence: a.sequence.max(0) as u32,
                summary: format!("{}: {}", model::format_label(&a.format), a.topic),
                description: [a.description.as_str(), a.program_name.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join("\n"),
                location: if a.link.is_empty() {
                    a.place.clone()
                } else {
                    a.link.clone()
                },
                url: format!("{base_url}{}", paths.activity(a.id, first)),
                updated: a.updated_at,
                when: When::Timed {
                    timing: a.timing(),
                    exceptions: a.exceptions.clone(),
                    offset: org.offset(),
                },
            }
        })
        .collect();
    if program.is_none() {
        let meetings =
            crate::meetings::planned_for_user(conn, org.id, user_id, from.date_naive()).await?;
        for (id, pair, day, starts, ends, kind, topic, cancelled) in meetings {
            let summary = format!("{}: {topic}", crate::meetings::model::kind_label(&kind));
            let timing = starts.and_then(|s| {
                let at = day.and_time(s).and_local_timezone(org.offset()).single()?;
                let minutes = ends
                    .map(|e| (e - s).num_minutes() as i32)
                    .filter(|m| *m > 0)
                    .unwrap_or(60);
                Some(model::Timing {
                    starts_at: at.with_timezone(&Utc),
                    minutes,
                    repeat_days: Vec::new(),
                    repeat_until: None,
                    cancelled,
                })
            });
            events.push(FeedEvent {
                uid: format!("meeting-{id}@nastavnik"),
                sequence: 0,
                summary,
                description: String::new(),
                location: String::new(),
                url: format!("{base_url}{}", paths.meetings(pair)),
                updated: now,
                when: match timing {
                    Some(timing) => When::Timed {
                        timing,
                        exceptions: Vec::new(),
                        offset: org.offset(),
                    },
                    None => When::Day(day),
                },
            });
        }
        if roles.contains(&Role::Curator) {
            for t in crate::programs::roadmap::open_from(conn, org.id, from.date_naive()).await? {
                events.push(FeedEvent {
                    uid: format!("task-{}@nastavnik", t.id),
                    sequence: 0,
                    summary: format!("Задача {} «{}» ({})", t.code, t.title, t.program_name),
                    description: String::new(),
                    location: String::new(),
                    url: format!("{base_url}{}", paths.task(t.program_id, t.id)),
                    updated: now,
                    when: When::Day(t.due_on),
                });
            }
        }
    }
    let name = match program {
        Some(_) => format!("{} — расписание программы", org.short_name),
        None => format!("{} — Наставник", org.short_name),
    };
    Ok(ics::calendar(&name, &events, now))
}

/// A program's activities that have taken place by `now`: (held, cancelled) occurrences.
pub async fn occurrence_counts(
    conn: &mut PgConnection,
    org: &Organization,
    program: Uuid,
    now: DateTime<Utc>,
) -> Result<(usize, usize), sqlx::Error> {
    let from = now - Duration::days(3660);
    let list = repo::in_programs(conn, org.id, &[program], from, now).await?;
    let occ: Vec<model::Occurrence> = list
        .iter()
        .flat_map(|a| model::occurrences(&a.timing(), &a.exceptions, org.offset(), from, now))
        .collect();
    let cancelled = occ.iter().filter(|o| o.cancelled).count();
    Ok((occ.len() - cancelled, cancelled))
}

/// One occurrence of an activity in a period, for reports.
#[derive(Clone, Debug)]
pub struct HeldOccurrence {
    pub activity_id: Uuid,
    pub program_id: Uuid,
    pub program_name: String,
    pub topic: String,
    pub format: String,
    /// The leading mentors (people).
    pub leaders: Vec<Uuid>,
    pub on_date: chrono::NaiveDate,
    pub starts: DateTime<Utc>,
    pub minutes: i32,
    pub cancelled: bool,
}

/// Every occurrence of the programs' activities between two instants (moved and cancelled ones
/// included, flagged).
pub async fn occurrences_between(
    conn: &mut PgConnection,
    org: &Organization,
    programs: &[Uuid],
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Result<Vec<HeldOccurrence>, sqlx::Error> {
    let list = repo::in_programs(conn, org.id, programs, from, to).await?;
    let mut out = Vec::new();
    for a in &list {
        for o in model::occurrences(&a.timing(), &a.exceptions, org.offset(), from, to) {
            out.push(HeldOccurrence {
                activity_id: a.id,
                program_id: a.program_id,
                program_name: a.program_name.clone(),
                topic: a.topic.clone(),
                format: a.format.clone(),
                leaders: a.leaders.clone(),
                on_date: o.on_date,
                starts: o.starts,
                minutes: a.minutes,
                cancelled: o.cancelled || a.cancelled,
            });
        }
    }
    out.sort_by_key(|o| o.starts);
    Ok(out)
}
