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
        .filter(|t| t.status.as_deref() == Some("submitted"))
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
        status: match t.status.as_deref() {
            Some("submitted") => "ответил(а)",
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
            .filter(|t| t.status.as_deref() == Some("draft"))
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
            .filter(|t| t.status.as_deref() != Some("submitted"))
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
    let l = load_results(&org, id).await?;
    let users: Vec<Uuid> = l
        .targets
        .iter()
        .filter(|t| t.status.as_deref() != Some("submitted"))
        .filter_map(|t| t.user_id)
        .collect();
    let form = org.paths().my_form(l.assignment.id);
    let mut paragraphs = vec![format!(
        "{} просит заполнить анкету «{}».",
        org.org.short_name, l.cur.title
    )];
    if let Some(d) = l.assignment.deadline {
        paragraphs.push(format!("Срок — до {}.", crate::web::forms::ru_date(d)));
    }
    paragraphs.push("Если вы уже начали, черновик сохранён — продолжите с того же места.".into());
    let mut tx = org.begin().await?;
    // Those with accounts are told as they chose (in the app, by e-mail, in the digest).
    let text = format!("Напоминание: заполните анкету «{}»", l.cur.title);
    let teller = crate::notifications::Teller::of(&org);
    let note = crate::notifications::Note {
        kind: "reminders",
        text: &text,
        link: &form,
        details: &paragraphs,
    };
    let n = crate::notifications::tell(&mut tx, teller, &users, note).await?;
    // People of the base without an account get an e-mail at the address in their card.
    let addresses = repo::unanswered_addresses(&mut tx, org.org.id, l.assignment.id).await?;
    // They have no account: the e-mail says how to fill the form instead of linking to a page
    // they cannot open.
    let subject = format!("Напоминание: анкета «{}»", l.cur.title);
    let offline = [
        paragraphs[0].clone(),
        "Чтобы заполнить её в системе «Наставник», попросите у куратора программы учётную \
         запись (ссылку или код входа). Можно заполнить и бумажную анкету — её внесёт куратор."
            .to_string(),
    ];
    // One press is one event: pressing twice in the same minute does not send twice.
    let pressed = chrono::Utc::now().format("%Y%m%d%H%M");
    // Representatives of children without an account, if the curator asked to tell them.
    let children: Vec<Uuid> = l
        .targets
        .iter()
        .filter(|t| t.status.as_deref() != Some("submitted") && t.user_id.is_none())
        .map(|t| t.person_id)
        .collect();
    let guardians = crate::people::guardians(&mut tx, org.org.id, &children, &[]).await?;
    let key = format!("remind:{}:{pressed}", l.assignment.id);
    crate::notifications::tell_guardians(&mut tx, teller, &guardians, &key, note).await?;
    let mut mailed = 0;
    for (person, name, address) in &addresses {
        let key = format!("remind:{}:{person}:{pressed}", l.assignment.id);
        let queued = crate::notifications::mail::queue(
            &mut tx,
            &crate::notifications::mail::Mail {
                org_id: Some(org.org.id),
                key: &key,
                kind: "reminders",
                to_address: address,
                to_name: name,
                subject: &subject,
                paragraphs: &offline,
                link: None,
                from_org: &org.org.short_name,
                unsubscribe: None,
                secret: false,
            },
        )
        .await?;
        mailed += usize::from(queued);
    }
    tx.commit().await?;
    let reached: std::collections::HashSet<Uuid> = addresses.iter().map(|a| a.0).collect();
    let without = l
        .targets
        .iter()
        .filter(|t| t.status.as_deref() != Some("submitted") && t.user_id.is_none())
        .filter(|t| !reached.contains(&t.person_id))
        .count();
    let mut msg = format!(
        "Напоминание отправлено: в системе {n}, по почте тем, у кого нет учётной записи, — {mailed}."
    );
    if without > 0 {
        msg.push_str(&format!(
            " У {without} нет ни учётной записи, ни адреса — напомните лично или заполните с бумажной анкеты."
        ));
    }
    Ok(org.flash(&org.paths().assignment(l.assignment.id), &msg))
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
