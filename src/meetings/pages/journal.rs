//! The mentor's journal (журнал наставника): of one pair as XLSX, and of one mentor across their
//! pairs of a program (`/programs/{program}/journal/{person}`) as a print-ready page and XLSX —
//! дата, вид встречи, тема и содержание, форма, результат, длительность, подпись (blank, for the
//! printout). The mentor sees their own; the curator and the director every mentor's.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::Response;

use super::pair_for;
use crate::error::{AppError, AppResult};
use crate::meetings::{model, repo};
use crate::people::Side;
use crate::programs::ProgramCtx;
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::forms::ru_date;
use crate::web::ids::{PairId, PersonId};

/// «Тема и содержание» as the journal keeps it.
pub(super) fn journal_content(m: &repo::Meeting) -> String {
    let text = [m.topic.as_str(), m.goal.as_str(), m.done.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(". ");
    if m.cancelled {
        format!("{text} (отменена: {})", m.cancel_reason)
    } else {
        text
    }
}

/// The journal's columns.
const COLUMNS: [&str; 7] = [
    "Дата",
    "Вид встречи",
    "Тема и содержание",
    "Форма",
    "Результат",
    "Длительность",
    "Подпись",
];

/// One row of the journal, in the order of [`COLUMNS`].
fn journal_row(m: &repo::Meeting) -> Vec<String> {
    vec![
        ru_date(m.held_on),
        m.kind.label().to_string(),
        journal_content(m),
        m.format.label().to_string(),
        m.result.clone(),
        model::minutes(m.starts_at, m.ends_at)
            .map(|n| format!("{n} мин"))
            .unwrap_or_default(),
        String::new(),
    ]
}

async fn xlsx(
    name: &str,
    head: Vec<&'static str>,
    widths: Vec<f64>,
    rows: Vec<Vec<String>>,
) -> AppResult<Response> {
    let bytes = crate::web::blocking(move || crate::web::xlsx::table(&head, &widths, &rows))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(crate::web::xlsx::download(name, bytes))
}

/// The journal as XLSX: дата, вид встречи, тема и содержание, форма, результат, длительность,
/// подпись (blank, for the printout).
pub async fn journal_xlsx(org: OrgCtx, PairId(pair): PairId) -> AppResult<Response> {
    let (row, _) = pair_for(&org, pair).await?;
    let mut conn = org.conn().await?;
    let meetings = repo::of_pair(&mut conn, org.org.id, row.id).await?;
    crate::audit::record(
        &mut conn,
        &org,
        "export",
        None,
        &format!("журнал встреч пары {}", row.id),
    )
    .await?;
    drop(conn);
    let rows: Vec<Vec<String>> = meetings.iter().rev().map(journal_row).collect();
    xlsx(
        "journal.xlsx",
        COLUMNS.to_vec(),
        vec![12.0, 24.0, 50.0, 12.0, 40.0, 14.0, 16.0],
        rows,
    )
    .await
}

pub struct JournalLine {
    pub mentees: String,
    pub cells: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/mentor_journal.html")]
pub struct MentorJournalPage {
    pub ctx: PageCtx,
    pub title: String,
    pub program_name: String,
    pub lines: Vec<JournalLine>,
    pub xlsx: String,
    pub columns: [&'static str; 7],
}

/// The mentor's meetings in the program, for the mentor themself or the staff (else 404).
async fn mentor_meetings(
    pc: &ProgramCtx,
    mentor: uuid::Uuid,
) -> AppResult<(String, Vec<(repo::Meeting, String)>)> {
    let org = &pc.org;
    let mut conn = org.conn().await?;
    let pairs = crate::pairing::pairs_of_program(&mut conn, org.org.id, pc.program.id).await?;
    let me = pairs
        .iter()
        .flat_map(|p| p.members.iter())
        .find(|m| m.person_id == mentor && m.role == Side::Mentor)
        .ok_or(AppError::NotFound)?;
    if !org.is_staff() && me.user_id != Some(org.user.id) {
        return Err(AppError::NotFound);
    }
    let name = me.name.clone();
    let meetings = repo::of_mentor(&mut conn, org.org.id, pc.program.id, mentor).await?;
    crate::audit::record(
        &mut conn,
        org,
        "meetings.view",
        None,
        &format!("журнал наставника {mentor}"),
    )
    .await?;
    Ok((name, meetings))
}

pub async fn mentor_journal(
    pc: ProgramCtx,
    PersonId(mentor): PersonId,
) -> AppResult<MentorJournalPage> {
    let (name, meetings) = mentor_meetings(&pc, mentor).await?;
    let org = &pc.org;
    Ok(MentorJournalPage {
        ctx: org.page(format!("Журнал наставника — {name}"), "programs"),
        title: format!("Журнал наставника: {name}"),
        program_name: pc.program.name.clone(),
        lines: meetings
            .iter()
            .map(|(m, mentees)| JournalLine {
                mentees: mentees.clone(),
                cells: journal_row(m),
            })
            .collect(),
        xlsx: org
            .paths()
            .in_program(pc.program.id)
            .mentor_journal_xlsx(mentor),
        columns: COLUMNS,
    })
}

pub async fn mentor_journal_xlsx(
    pc: ProgramCtx,
    PersonId(mentor): PersonId,
) -> AppResult<Response> {
    let (_, meetings) = mentor_meetings(&pc, mentor).await?;
    let rows: Vec<Vec<String>> = meetings
        .iter()
        .map(|(m, mentees)| {
            let mut row = vec![mentees.clone()];
            row.extend(journal_row(m));
            row
        })
        .collect();
    let mut head = vec!["Наставляемые"];
    head.extend(COLUMNS);
    xlsx(
        "mentor-journal.xlsx",
        head,
        vec![26.0, 12.0, 24.0, 50.0, 12.0, 40.0, 14.0, 16.0],
        rows,
    )
    .await
}
