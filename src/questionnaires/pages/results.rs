//! Results of an assignment: the response rate, who has not answered (with a reminder),
//! per-question summaries with SVG bars, histograms and the availability heat map.

use super::*;
use crate::web::ids::Id;

pub(super) const BAR_MAX: u32 = 358;

pub(super) const ROW: u32 = 34;

pub(super) fn bars(rows: &[(String, usize, u32)]) -> Vec<Bar> {
    let top = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    rows.iter()
        .enumerate()
        .map(|(i, (label, count, share))| Bar {
            label: label.clone(),
            count: *count,
            share: *share,
            width: (*count as u32 * BAR_MAX) / top as u32 + 2,
            y: i as u32 * ROW,
        })
        .collect()
}

pub async fn results(org: OrgCtx, Id(id): Id) -> AppResult<ResultsPage> {
    let l = load_results(&org, id).await?;
    crate::audit::read(
        &org.state.pool,
        &org,
        "results.view",
        None,
        &format!("анкета {id}"),
    )
    .await?;
    let submitted: Vec<&repo::Target> = l
        .targets
        .iter()
        .filter(|t| t.status == Some(crate::questionnaires::ResponseStatus::Submitted))
        .collect();
    let answers: Vec<&Raw> = submitted
        .iter()
        .filter_map(|t| t.answers.as_ref().map(|a| &a.0))
        .collect();
    let older_versions = submitted
        .iter()
        .filter(|t| t.version_id != Some(l.cur.version_id))
        .count();
    let names = |id: &str| l.names.get(id).cloned().unwrap_or_else(|| "—".into());
    let summaries = l
        .cur
        .def
        .questions()
        .map(|q| {
            let s = model::summarize(q, &answers, &names);
            let mut out = QSummary {
                text: q.text.clone(),
                kind: q.kind().code(),
                answered: 0,
                bars: Vec::new(),
                svg_height: 0,
                mean: String::new(),
                median: String::new(),
                texts: Vec::new(),
                more_texts: 0,
                grid: Vec::new(),
            };
            match s {
                Summary::Counts { answered, rows } => {
                    out.answered = answered;
                    out.bars = bars(&rows);
                }
                Summary::Numbers {
                    answered,
                    mean,
                    median,
                    histogram,
                } => {
                    out.answered = answered;
                    out.mean = format!("{:.1}", mean).replace('.', ",");
                    out.median = model::fmt_num(median);
                    let total = answered.max(1);
                    let rows: Vec<(String, usize, u32)> = histogram
                        .into_iter()
                        .map(|(l, n)| {
                            let s = ((n * 100 + total / 2) / total) as u32;
                            (l, n, s)
                        })
                        .collect();
                    out.bars = bars(&rows);
                }
                Summary::Texts { answered, texts } => {
                    out.answered = answered;
                    out.more_texts = texts.len().saturating_sub(50);
                    out.texts = texts.into_iter().take(50).collect();
                }
                Summary::Grid { answered, cells } => {
                    out.answered = answered;
                    let top = cells.iter().flatten().copied().max().unwrap_or(0).max(1);
                    out.grid = DAYS
                        .iter()
                        .zip(cells)
                        .map(|((_, dl), row)| HeatRow {
                            day: dl,
                            cells: row
                                .into_iter()
                                .map(|n| HeatCell {
                                    count: n,
                                    level: (n * 4).div_ceil(top) as u32,
                                })
                                .collect(),
                        })
                        .collect();
                }
            }
            out.svg_height = out.bars.len() as u32 * ROW;
            out
        })
        .collect();
    let row = |t: &repo::Target| PersonRow {
        person_id: t.person_id.to_string(),
        name: target_name(t),
        class_name: t.class_name.clone(),
        status: match t.status {
            Some(crate::questionnaires::ResponseStatus::Submitted) => "ответил(а)",
            Some(_) => "черновик",
            None => "не начинал(а)",
        },
        on_behalf: t.on_behalf.unwrap_or(false),
    };
    let targets = l.targets.len();
    Ok(ResultsPage {
        ctx: org.page(format!("Результаты — {}", l.cur.title), "questionnaires"),
        id: l.assignment.id.to_string(),
        questionnaire_id: l.cur.id.to_string(),
        title: l.cur.title.clone(),
        who: audience_label(&l.assignment),
        deadline: l
            .assignment
            .deadline
            .map(ru_date)
            .unwrap_or_else(|| "без срока".into()),
        targets,
        submitted: submitted.len(),
        drafts: l
            .targets
            .iter()
            .filter(|t| t.status == Some(crate::questionnaires::ResponseStatus::Draft))
            .count(),
        rate: (submitted.len() * 100 + targets / 2)
            .checked_div(targets)
            .unwrap_or(0) as u32,
        summaries,
        people: l
            .targets
            .iter()
            .filter(|t| t.status.is_some())
            .map(row)
            .collect(),
        missing: l
            .targets
            .iter()
            .filter(|t| t.status != Some(crate::questionnaires::ResponseStatus::Submitted))
            .map(row)
            .collect(),
        older_versions,
        can_edit: org.has(Role::Curator),
    })
}

/// «Напомнить»: an in-app notification to those with accounts and an e-mail (through the outbox)
/// to those with an address, who have not sent the form yet.
pub async fn remind(org: OrgCtx, Id(id): Id) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let mut tx = org.begin().await?;
    let r = crate::questionnaires::remind::remind(&mut tx, &org.actor(), id).await?;
    tx.commit().await?;
    let mut msg = format!(
        "Напоминание отправлено: в системе {}, по почте тем, у кого нет учётной записи, — {}.",
        r.told, r.mailed
    );
    if r.unreachable > 0 {
        msg.push_str(&format!(
            " У {} нет ни учётной записи, ни адреса — напомните лично или заполните с бумажной анкеты.",
            r.unreachable
        ));
    }
    Ok(org.flash(&org.paths().assignment(id), &msg))
}

pub struct Bar {
    pub label: String,
    pub count: usize,
    pub share: u32,
    pub width: u32,
    pub y: u32,
}

pub struct QSummary {
    pub text: String,
    pub kind: &'static str,
    pub answered: usize,
    pub bars: Vec<Bar>,
    pub svg_height: u32,
    pub mean: String,
    pub median: String,
    pub texts: Vec<String>,
    pub more_texts: usize,
    pub grid: Vec<HeatRow>,
}

pub struct PersonRow {
    pub person_id: String,
    pub name: String,
    pub class_name: String,
    pub status: &'static str,
    pub on_behalf: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaires/results.html")]
pub struct ResultsPage {
    pub ctx: PageCtx,
    pub id: String,
    pub questionnaire_id: String,
    pub title: String,
    pub who: String,
    pub deadline: String,
    pub targets: usize,
    pub submitted: usize,
    pub drafts: usize,
    pub rate: u32,
    pub summaries: Vec<QSummary>,
    pub people: Vec<PersonRow>,
    pub missing: Vec<PersonRow>,
    pub older_versions: usize,
    pub can_edit: bool,
}

/// A day of the availability heat map.
pub struct HeatRow {
    pub day: &'static str,
    pub cells: Vec<HeatCell>,
}

/// How many chose this part of the day, and its shade (0–4).
pub struct HeatCell {
    pub count: usize,
    pub level: u32,
}
