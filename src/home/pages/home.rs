//! The organization's home page, by role: programs with progress for staff, and for everyone
//! their own programs, questionnaires, pairs and notifications.

use std::sync::LazyLock;

use askama::Template;
use askama_web::WebTemplate;
use sqlx::PgConnection;

use crate::auth::model::Role;
use crate::db::cache::OrgCache;
use crate::error::AppResult;
use crate::programs::{ProgramStatus, percent};
use crate::tenancy::OrgCtx;
use crate::tenancy::model::{Organization, kind_label};
use crate::web::PageCtx;
use crate::web::forms::ru_date;

/// The organization's count of members and the titles of its forms of mentoring, kept until its
/// data changes ([`crate::db::cache`]).
#[derive(Clone)]
struct OrgSummary {
    members: usize,
    forms: Vec<String>,
}

static SUMMARIES: LazyLock<OrgCache<(), OrgSummary>> = LazyLock::new(|| OrgCache::new(1024));

async fn summary(conn: &mut PgConnection, org: &OrgCtx) -> AppResult<OrgSummary> {
    Ok(OrgSummary {
        members: crate::tenancy::member_count(&mut *conn, org.org.id).await? as usize,
        forms: crate::programs::org_forms(&mut *conn, org.org.id)
            .await?
            .into_iter()
            .map(|(_, title)| title)
            .collect(),
    })
}

pub async fn home(org: OrgCtx) -> AppResult<HomePage> {
    let mut conn = org.conn().await?;
    let mut programs =
        crate::programs::programs_kept(&org.state.pool, org.org.id, org.data_version)
            .await?
            .to_vec();
    // Pairs, meetings, questionnaires to fill and activities to rate belong to the user's people
    // here: a curator or director who takes part in no program has none, and is not asked for them.
    let me = org.is_participant();
    // The user's enrolments here: the programs they see and the activities meant for them.
    let viewer = if me {
        crate::activities::Viewer::of(&mut conn, org.org.id, org.user.id, org.is_staff()).await?
    } else {
        crate::activities::Viewer::without_people(org.is_staff())
    };
    if !org.is_staff() {
        let mine = viewer.programs();
        programs.retain(|p| mine.contains(&p.id));
    }
    let OrgSummary { members, forms } = SUMMARIES
        .get_or(org.org.id, org.data_version, (), summary(&mut conn, &org))
        .await?;
    let members = if org.is_staff() { members } else { 0 };
    let my_forms = if me {
        crate::questionnaires::mine(&mut conn, org.org.id, org.user.id).await?
    } else {
        Vec::new()
    }
    .into_iter()
    .map(|m| {
        let done = m.status == Some(crate::questionnaires::ResponseStatus::Submitted);
        MyForm {
            url: org.paths().my_form(m.assignment_id),
            title: m.title,
            program: m.program_name.unwrap_or_default(),
            deadline: m.deadline.map(ru_date).unwrap_or_default(),
            status: match m.status {
                Some(crate::questionnaires::ResponseStatus::Submitted) => "отправлена",
                Some(_) => "черновик",
                None => "не начата",
            },
            done,
        }
    })
    .collect();
    let my_pairs = if me {
        crate::pairing::home_lines(&mut conn, &org).await?
    } else {
        Vec::new()
    };
    let today = org.org.today();
    // Pair meetings are those of the user's agreed pairs: without one there are none to show
    // (the list holds the latest 50 pairs; a longer one is looked through by the queries).
    let meets = my_pairs.len() >= 50 || my_pairs.iter().any(|p| p.agreed);
    let meetings = if meets {
        crate::meetings::upcoming_for_user(&mut conn, org.org.id, org.user.id, today).await?
    } else {
        Vec::new()
    }
    .into_iter()
    .map(|m| MeetingLine {
        url: org.paths().meetings(m.pair_id),
        when: format!(
            "{}{}",
            if m.held_on == today {
                "сегодня".to_string()
            } else {
                ru_date(m.held_on)
            },
            m.starts_at
                .map(|t| format!(", {}", t.format("%H:%M")))
                .unwrap_or_default()
        ),
        kind: m.kind.label(),
        topic: m.topic,
    })
    .collect();
    let week = crate::activities::week_for_user(
        &mut conn,
        &org.org,
        &viewer,
        programs
            .iter()
            .filter(|p| p.status != ProgramStatus::Finished)
            .map(|p| p.id)
            .collect(),
        chrono::Utc::now(),
    )
    .await?
    .iter()
    .map(|s| crate::activities::slot_view(&org, s))
    .collect();
    let activities_to_rate = if me {
        crate::activities::unrated_of_user(
            &mut conn,
            org.org.id,
            org.user.id,
            today - chrono::Duration::days(14),
        )
        .await?
    } else {
        Vec::new()
    }
    .into_iter()
    .map(|(id, day, topic)| crate::web::view::LinkLine {
        url: org.paths().activity(id, day),
        title: topic,
        note: ru_date(day),
    })
    .collect();
    let to_rate = if meets {
        crate::meetings::unrated_for_user(&mut conn, org.org.id, org.user.id, today, 14).await?
    } else {
        Vec::new()
    }
    .into_iter()
    .map(|m| RateLine {
        // The trial meeting also asks «подходим?»: that is answered on the pair's page.
        one_tap: m.kind != crate::meetings::model::MeetingKind::Trial,
        url: org.paths().meetings(m.pair_id),
        action: org.paths().meeting_feedback(m.pair_id, m.meeting_id),
        when: ru_date(m.held_on),
        kind: m.kind.label(),
        topic: m.topic,
    })
    .collect();
    let orders = if org.has(Role::Director) {
        crate::orders::drafts_of_org(&mut conn, org.org.id)
            .await?
            .into_iter()
            .map(|(program, name, id)| NotificationLine {
                text: format!("Проект приказа о закреплении пар — «{name}»"),
                url: org.paths().in_program(program).order(id),
            })
            .collect()
    } else {
        Vec::new()
    };
    // The list shows the unread ones, which the bell has already counted.
    let notifications = if org.unread > 0 {
        crate::notifications::notifications(&mut conn, org.org.id, org.user.id).await?
    } else {
        Vec::new()
    }
    .into_iter()
    .map(|(id, text, _)| NotificationLine {
        text,
        url: org.paths().notification(id),
    })
    .collect();
    let o: &Organization = &org.org;
    Ok(HomePage {
        ctx: org.page(o.short_name.clone(), "home"),
        full_name: o.full_name.clone(),
        kind_label: kind_label(&o.kind),
        municipality: o.municipality.clone(),
        region: o.region.clone(),
        is_staff: org.is_staff(),
        is_curator: org.has(Role::Curator),
        programs: programs
            .into_iter()
            .map(|p| ProgramLine {
                id: p.id.to_string(),
                status: p.status,
                percent: percent(p.tasks_done, p.tasks_total),
                overdue: p.tasks_overdue,
                name: p.name,
                form_title: p.form_title,
            })
            .collect(),
        members,
        students_count: o.students_count,
        teachers_count: o.teachers_count,
        forms,
        my_forms,
        my_pairs,
        meetings,
        to_rate,
        activities_to_rate,
        orders,
        week,
        calendar: org.paths().calendar(),
        notifications,
    })
}

/// A held meeting waiting for the user's rating (one tap on the home page).
pub struct RateLine {
    pub one_tap: bool,
    pub url: String,
    pub action: String,
    pub when: String,
    pub kind: &'static str,
    pub topic: String,
}

pub struct ProgramLine {
    pub id: String,
    pub name: String,
    pub form_title: String,
    pub status: ProgramStatus,
    pub percent: i64,
    pub overdue: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "home/home.html")]
pub struct HomePage {
    pub ctx: PageCtx,
    pub full_name: String,
    pub kind_label: &'static str,
    pub municipality: String,
    pub region: String,
    pub is_staff: bool,
    pub is_curator: bool,
    pub programs: Vec<ProgramLine>,
    pub to_rate: Vec<RateLine>,
    /// Activities the user attended and has not rated.
    pub activities_to_rate: Vec<crate::web::view::LinkLine>,
    /// The week ahead of activities.
    pub week: Vec<crate::activities::SlotView>,
    pub calendar: String,
    /// Drafts of orders waiting for the director.
    pub orders: Vec<NotificationLine>,
    pub members: usize,
    pub students_count: i32,
    pub teachers_count: i32,
    pub forms: Vec<String>,
    /// «Мои анкеты»: (link, title, program, deadline, status label, done).
    pub my_forms: Vec<MyForm>,
    /// (link, program: partners, status, waiting for my answer)
    pub my_pairs: Vec<crate::pairing::PairLine>,
    /// The user's planned meetings, soonest first.
    pub meetings: Vec<MeetingLine>,
    pub notifications: Vec<NotificationLine>,
}

/// A questionnaire of «Мои анкеты».
pub struct MyForm {
    pub url: String,
    pub title: String,
    pub program: String,
    pub deadline: String,
    pub status: &'static str,
    pub done: bool,
}

/// An unread notification and the page it opens.
pub struct NotificationLine {
    pub text: String,
    pub url: String,
}

pub struct MeetingLine {
    pub url: String,
    pub when: String,
    pub kind: &'static str,
    pub topic: String,
}
