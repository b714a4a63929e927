//! The pair health page of a program (`/programs/{program}/health`, and its XLSX): every agreed
//! pair with the order that fixed it, meetings held against its rhythm, the last meeting, the
//! average rating, the fit-check answers, the plan's progress and why it is at risk — worst
//! first, with filters. The curator and the director only. The curator sets a pair's rhythm here.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use axum::response::Response;
use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::meetings::{model, repo};
use crate::paths::ProgramPaths;
use crate::people::Side;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, choices, ru_date};
use crate::web::ids::PairId;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct HealthForm {
    pub every_days: String,
}

pub struct HealthLine {
    pub meetings: String,
    /// The mentor's journal across their pairs.
    pub journal: String,
    pub mentor: String,
    pub mentees: String,
    pub order: String,
    pub held: i64,
    pub expected: i64,
    pub planned: i64,
    pub rhythm: String,
    pub rhythms: Vec<Choice>,
    pub rhythm_action: String,
    pub last: String,
    pub rating: String,
    pub fits: String,
    pub plan: String,
    pub risks: Vec<String>,
    /// For sorting: how many reasons, then days since the last meeting.
    sort: (usize, i64),
}

const SHOWS: [(&str, &str); 4] = [
    ("all", "все пары"),
    ("risk", "только в зоне риска"),
    ("misfit", "«не подходим»"),
    ("no_order", "не закреплены приказом"),
];

#[derive(Template, WebTemplate)]
#[template(path = "meetings/health.html")]
pub struct HealthPage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub program_name: String,
    pub lines: Vec<HealthLine>,
    pub total: usize,
    pub at_risk: usize,
    pub shows: Vec<Choice>,
    pub q: String,
    pub xlsx: String,
    pub can_edit: bool,
}

/// Every agreed pair of the program with its health, worst first.
async fn lines(pc: &ProgramCtx) -> AppResult<Vec<HealthLine>> {
    let org = &pc.org;
    let today = org.org.today();
    let mut conn = org.conn().await?;
    let pairs: Vec<crate::pairing::PairRow> =
        crate::pairing::pairs_of_program(&mut conn, org.org.id, pc.program.id)
            .await?
            .into_iter()
            .filter(|p| p.status == crate::pairing::model::Status::Agreed)
            .collect();
    let ids: Vec<Uuid> = pairs.iter().map(|p| p.id).collect();
    let figures = repo::figures(&mut conn, &org.org, &ids, today).await?;
    crate::audit::viewed(
        &mut conn,
        org,
        "pairs.health",
        None,
        &format!("программа {}", pc.program.id),
    )
    .await?;
    drop(conn);
    let p = org.paths();
    let prog = p.in_program(pc.program.id);
    let mut out: Vec<HealthLine> = pairs
        .iter()
        .map(|pair| {
            let f = figures.iter().find(|f| f.pair_id == pair.id);
            let order = f.and_then(|f| f.fixed.as_ref());
            let every = pair.every_days.unwrap_or(model::DEFAULT_EVERY_DAYS);
            let agreed = f
                .map(|f| f.agreed)
                .unwrap_or_else(|| pair.created_at.date_naive());
            let fits: &[(Uuid, String)] = f.map(|f| f.fits.as_slice()).unwrap_or(&[]);
            let misfit = fits.iter().any(|x| x.1 == "no");
            let h = model::Health {
                start: order.map(|o| o.signed_on).unwrap_or(agreed),
                fixed: order.is_some(),
                held: f.map(|f| f.held).unwrap_or(0),
                last: f.and_then(|f| f.last),
                every_days: every,
                low_rating: f.is_some_and(|f| f.low_rating),
                misfit,
            };
            let risks = model::risks(&h, today);
            let name = |person: Uuid| pair.role_word_of(person);
            let side = |role: Side| pair.names_of(role);
            let plan = f.and_then(|f| crate::plans::plan_progress(&f.goals));
            let mentor_id = pair
                .members
                .iter()
                .find(|m| m.role == Side::Mentor)
                .map(|m| m.person_id)
                .unwrap_or_default();
            HealthLine {
                meetings: p.meetings(pair.id),
                journal: prog.mentor_journal(mentor_id),
                mentor: side(Side::Mentor),
                mentees: side(Side::Mentee),
                order: order.map(|o| o.label()).unwrap_or_default(),
                held: h.held,
                expected: model::expected(&h, today),
                planned: f.map(|f| f.planned).unwrap_or(0),
                rhythm: model::RHYTHMS
                    .iter()
                    .find(|r| r.0 == every.to_string())
                    .map(|r| r.1.to_string())
                    .unwrap_or_else(|| format!("раз в {every} дн.")),
                rhythms: choices(&model::RHYTHMS, &every.to_string()),
                rhythm_action: prog.pair_rhythm(pair.id),
                last: h.last.map(ru_date).unwrap_or_else(|| "—".into()),
                rating: f
                    .and_then(|f| f.rating)
                    .map(|r| format!("{r:.1}"))
                    .unwrap_or_else(|| "—".into()),
                fits: fits
                    .iter()
                    .map(|x| format!("{}: {}", name(x.0), model::Fit::label_of(&x.1)))
                    .collect::<Vec<_>>()
                    .join("; "),
                plan: plan.map(|n| format!("{n} %")).unwrap_or_else(|| "—".into()),
                sort: (risks.len(), (today - h.last.unwrap_or(h.start)).num_days()),
                risks,
            }
        })
        .collect();
    out.sort_by(|a, b| b.sort.cmp(&a.sort).then_with(|| a.mentor.cmp(&b.mentor)));
    Ok(out)
}

fn filtered(lines: Vec<HealthLine>, q: &HashMap<String, String>) -> Vec<HealthLine> {
    let show = q.get("show").map(String::as_str).unwrap_or("all");
    let needle = q
        .get("q")
        .map(|s| s.trim().to_lowercase())
        .unwrap_or_default();
    lines
        .into_iter()
        .filter(|l| match show {
            "risk" => !l.risks.is_empty(),
            "misfit" => l.fits.contains("не подходим"),
            "no_order" => l.order.is_empty(),
            _ => true,
        })
        .filter(|l| {
            needle.is_empty()
                || l.mentor.to_lowercase().contains(&needle)
                || l.mentees.to_lowercase().contains(&needle)
        })
        .collect()
}

pub async fn health(
    pc: ProgramCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<HealthPage> {
    let pc = pc.staff()?;
    let all = lines(&pc).await?;
    let total = all.len();
    let at_risk = all.iter().filter(|l| !l.risks.is_empty()).count();
    let org = &pc.org;
    let prog = org.paths().in_program(pc.program.id);
    let query = serde_urlencoded::to_string(&q).unwrap_or_default();
    Ok(HealthPage {
        ctx: org.page(format!("Здоровье пар — {}", pc.program.name), "programs"),
        program_name: pc.program.name.clone(),
        lines: filtered(all, &q),
        total,
        at_risk,
        shows: choices(&SHOWS, q.get("show").map(String::as_str).unwrap_or("all")),
        q: q.get("q").cloned().unwrap_or_default(),
        xlsx: format!("{}?{query}", prog.health_xlsx()),
        can_edit: org.has(Role::Curator),
        prog,
    })
}

pub async fn health_xlsx(
    pc: ProgramCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let pc = pc.staff()?;
    let rows: Vec<Vec<String>> = filtered(lines(&pc).await?, &q)
        .into_iter()
        .map(|l| {
            vec![
                l.mentor,
                l.mentees,
                l.order,
                l.held.to_string(),
                l.expected.to_string(),
                l.planned.to_string(),
                l.rhythm,
                l.last,
                l.rating,
                l.fits,
                l.plan,
                l.risks.join("; "),
            ]
        })
        .collect();
    let bytes = crate::web::blocking(move || {
        crate::web::xlsx::table(
            &[
                "Наставник",
                "Наставляемые",
                "Приказ",
                "Встреч проведено",
                "По плану к сегодня",
                "Запланировано",
                "Ритм",
                "Последняя встреча",
                "Средняя оценка",
                "Подходим?",
                "План, %",
                "Риск",
            ],
            &[
                28.0, 32.0, 26.0, 10.0, 10.0, 10.0, 16.0, 14.0, 10.0, 30.0, 8.0, 40.0,
            ],
            &rows,
        )
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?
    .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(crate::web::xlsx::download("pair-health.xlsx", bytes))
}

/// The curator sets how often a pair means to meet.
pub async fn set_rhythm(
    pc: ProgramCtx,
    PairId(pair): PairId,
    crate::web::forms::Form(data): crate::web::forms::Form<HealthForm>,
) -> AppResult<Response> {
    let pc = pc.staff()?.require_any(&[Role::Curator])?;
    let org = &pc.org;
    let back = org.paths().in_program(pc.program.id).health();
    let mut tx = org.begin().await?;
    let at = (pc.program.id, pair);
    match crate::meetings::set_rhythm(&mut tx, &org.actor(), at, &data.every_days).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(org.flash(&back, "Ритм встреч пары сохранён."))
        }
        Err(crate::web::forms::Refused::Invalid(e)) => Ok(org.flash_error(&back, &e.first())),
        Err(crate::web::forms::Refused::Failed(e)) => Err(e),
    }
}
