//! A pair's completion (`/o/{slug}/pairs/{pair}/complete`): the curator or the pair's mentor
//! records the end — date, early or not (with the reason), what was achieved and links, whether
//! the goals were reached, the decision to continue with a new topic or stop — and it is written
//! back into the bases (each member's enrolment, the mentee's status). Then each side writes their
//! final report (отчёт наставника, отчёт наставляемого), printable with what the product knows:
//! meetings held, goals and their progress, the results. The pair's history stays readable.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::completion::{model, repo};
use crate::error::{AppError, AppResult};
use crate::pairing::{PairRow, Relation};
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, FormErrors, choices, label_of, parse_date, ru_date, trimmed};
use crate::web::ids::PairId;

#[derive(Clone, Debug, Default)]
pub struct CompleteForm {
    pub ended_on: String,
    pub early: bool,
    pub early_reason: String,
    pub results: String,
    pub links: String,
    pub goals_reached: String,
    pub decision: String,
    pub mentor_report: String,
    /// The mentor is ready to continue after this program.
    pub ready: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "completion/complete.html")]
pub struct CompletePage {
    pub ctx: PageCtx,
    pub title: String,
    pub action: String,
    pub report_action: String,
    pub meetings: String,
    pub mentor: String,
    pub mentees: String,
    pub agreed: String,
    /// What the product knows: «встреч проведено: 12; целей: 3, достигнуто 1, прогресс 60 %».
    pub known: String,
    /// Not completed yet and the viewer may complete it.
    pub can_complete: bool,
    pub completed: bool,
    pub form: CompleteForm,
    pub errors: FormErrors,
    pub goals: Vec<Choice>,
    pub decisions: Vec<Choice>,
    pub reasons: Vec<Choice>,
    /// After completion: the results in words.
    pub ended: String,
    pub outcome: String,
    pub results: String,
    pub links: String,
    pub mentor_report: String,
    pub mentee_report: String,
    /// Which report the viewer writes: "mentor", "mentee" or empty.
    pub my_side: &'static str,
}

fn names(row: &PairRow, role: &str) -> String {
    row.members
        .iter()
        .filter(|m| m.role == role)
        .map(|m| m.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

async fn page(
    org: &OrgCtx,
    row: &PairRow,
    relation: Relation,
    form: Option<CompleteForm>,
    errors: FormErrors,
) -> AppResult<CompletePage> {
    let mut conn = org.conn().await?;
    let today = org.org.today();
    let figures = crate::meetings::figures(&mut conn, org.org.id, &[row.id], today).await?;
    let goals = crate::plans::progress_of_pairs(&mut conn, org.org.id, &[row.id]).await?;
    let results = repo::of_pair(&mut conn, org.org.id, row.id).await?;
    drop(conn);
    let f = figures.first();
    let goal_list: Vec<(String, i16)> = goals.into_iter().flat_map(|g| g.goals).collect();
    let known = format!(
        "Встреч проведено: {}{}; целей в плане: {}, достигнуто: {}, прогресс: {}.",
        f.map(|f| f.held).unwrap_or(0),
        f.and_then(|f| f.last)
            .map(|d| format!(" (последняя — {})", ru_date(d)))
            .unwrap_or_default(),
        goal_list.len(),
        goal_list.iter().filter(|g| g.0 == "done").count(),
        crate::plans::plan_progress(&goal_list)
            .map(|p| format!("{p} %"))
            .unwrap_or_else(|| "—".into())
    );
    let may = matches!(relation, Relation::Mentor(_) | Relation::Curator);
    let form = form.unwrap_or_else(|| CompleteForm {
        ended_on: today.to_string(),
        goals_reached: "mostly".into(),
        decision: "stop".into(),
        early_reason: "other".into(),
        ready: true,
        ..Default::default()
    });
    let agreed = f.map(|f| ru_date(f.agreed)).unwrap_or_default();
    Ok(CompletePage {
        ctx: org.page("Завершение пары", "programs"),
        title: format!(
            "Завершение: {} — {}",
            names(row, "mentor"),
            names(row, "mentee")
        ),
        action: org.paths().complete(row.id),
        report_action: org.paths().complete_report(row.id),
        meetings: org.paths().meetings(row.id),
        mentor: names(row, "mentor"),
        mentees: names(row, "mentee"),
        known,
        can_complete: row.status == crate::pairing::model::Status::Agreed && may,
        completed: results.is_some(),
        goals: choices(&model::GOALS, &form.goals_reached),
        decisions: choices(&model::DECISIONS, &form.decision),
        reasons: choices(&model::EARLY_REASONS, &form.early_reason),
        ended: results
            .as_ref()
            .map(|r| {
                format!(
                    "{} – {}{}",
                    agreed,
                    ru_date(r.ended_on),
                    if r.early {
                        format!(
                            ", досрочно: {}",
                            label_of(&model::EARLY_REASONS, &r.early_reason)
                        )
                    } else {
                        String::new()
                    }
                )
            })
            .unwrap_or_default(),
        outcome: results
            .as_ref()
            .map(|r| {
                format!(
                    "Цели достигнуты: {}. Решение: {}.",
                    label_of(&model::GOALS, &r.goals_reached),
                    label_of(&model::DECISIONS, &r.decision)
                )
            })
            .unwrap_or_default(),
        results: results
            .as_ref()
            .map(|r| r.results.clone())
            .unwrap_or_default(),
        links: results
            .as_ref()
            .map(|r| r.links.clone())
            .unwrap_or_default(),
        mentor_report: results
            .as_ref()
            .map(|r| r.mentor_report.clone())
            .unwrap_or_default(),
        mentee_report: results
            .as_ref()
            .map(|r| r.mentee_report.clone())
            .unwrap_or_default(),
        my_side: match relation {
            Relation::Mentor(_) => "mentor",
            Relation::Mentee(_) => "mentee",
            _ => "",
        },
        agreed,
        form,
        errors,
    })
}

pub async fn complete_page(org: OrgCtx, PairId(pair): PairId) -> AppResult<CompletePage> {
    let (row, relation) = crate::pairing::agreed_pair_for(&org, pair).await?;
    page(&org, &row, relation, None, FormErrors::default()).await
}

pub async fn complete(
    org: OrgCtx,
    PairId(pair): PairId,
    crate::web::forms::Form(data): crate::web::forms::Form<super::CompleteFields>,
) -> AppResult<Response> {
    let (row, relation) = crate::pairing::agreed_pair_for(&org, pair).await?;
    if !matches!(relation, Relation::Mentor(_) | Relation::Curator) {
        return Err(AppError::Forbidden);
    }
    let back = org.paths().complete(row.id);
    if row.status != crate::pairing::model::Status::Agreed {
        return Ok(org.flash_error(&back, "Пара уже завершена."));
    }
    let form = CompleteForm {
        ended_on: trimmed(&data.ended_on),
        early: data.early == "1",
        early_reason: data.early_reason.clone(),
        results: trimmed(&data.results),
        links: trimmed(&data.links),
        goals_reached: data.goals_reached.clone(),
        decision: data.decision.clone(),
        mentor_report: trimmed(&data.mentor_report),
        ready: data.ready == "1",
    };
    let mut errors = FormErrors::default();
    let today = org.org.today();
    let ended = parse_date(&form.ended_on);
    match ended {
        None => errors.add("ended_on", "Укажите дату завершения."),
        Some(d) if d > today => errors.add("ended_on", "Дата завершения — не позже сегодняшней."),
        _ => {}
    }
    if !model::GOALS.iter().any(|g| g.0 == form.goals_reached) {
        errors.add("goals_reached", "Выберите, достигнуты ли цели.");
    }
    if !model::DECISIONS.iter().any(|g| g.0 == form.decision) {
        errors.add("decision", "Выберите решение.");
    }
    if form.early
        && !model::EARLY_REASONS
            .iter()
            .any(|g| g.0 == form.early_reason)
    {
        errors.add("early_reason", "Выберите причину досрочного завершения.");
    }
    if form.results.is_empty() && !form.early {
        errors.add(
            "results",
            "Опишите результаты: проект, учебные, творческие, спортивные или другие.",
        );
    }
    errors.limit("results", &form.results, 4000);
    errors.limit("links", &form.links, 2000);
    errors.limit("mentor_report", &form.mentor_report, 4000);
    let Some(ended_on) = ended.filter(|_| errors.is_empty()) else {
        let page = page(&org, &row, relation, Some(form), errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let mut tx = org.begin().await?;
    if !crate::pairing::complete_pair(&mut tx, org.org.id, row.id).await? {
        return Ok(org.flash_error(&back, "Пара уже завершена."));
    }
    repo::insert(
        &mut tx,
        org.org.id,
        row.id,
        &repo::Results {
            ended_on,
            early: form.early,
            early_reason: if form.early {
                form.early_reason.clone()
            } else {
                String::new()
            },
            results: form.results.clone(),
            links: form.links.clone(),
            goals_reached: form.goals_reached.clone(),
            decision: form.decision.clone(),
            mentor_report: if matches!(relation, Relation::Mentor(_)) {
                form.mentor_report.clone()
            } else {
                String::new()
            },
            mentee_report: String::new(),
        },
        org.user.id,
    )
    .await?;
    // Into the bases: each member's enrolment keeps the pair's outcome; the mentee is done, or
    // back in the base for a pair with a new topic.
    let figures = crate::meetings::figures(&mut tx, org.org.id, &[row.id], today).await?;
    let from = figures
        .first()
        .map(|f| ru_date(f.agreed))
        .unwrap_or_default();
    let to = ru_date(ended_on);
    let goals = label_of(&model::GOALS, &form.goals_reached);
    let early = form
        .early
        .then(|| label_of(&model::EARLY_REASONS, &form.early_reason));
    for m in &row.members {
        let others: Vec<String> = row
            .members
            .iter()
            .filter(|o| o.person_id != m.person_id)
            .map(|o| o.name.clone())
            .collect();
        let line = model::history_line(
            &others.join(", "),
            (&from, &to),
            &form.results,
            goals,
            early,
        );
        let status = match (m.role.as_str(), form.decision.as_str()) {
            ("mentee", "stop") => Some("finished"),
            ("mentee", _) => Some("in_base"),
            _ => None,
        };
        crate::participants::add_results(
            &mut tx,
            org.org.id,
            (row.program_id, m.person_id),
            &line,
            status,
        )
        .await?;
    }
    for m in row.members.iter().filter(|m| m.role == "mentor") {
        crate::participants::set_ready_to_continue(
            &mut tx,
            org.org.id,
            (row.program_id, m.person_id),
            form.ready,
        )
        .await?;
    }
    // The final assessment of each other: the built-in satisfaction questionnaires to the
    // mentor and to the mentees (the consent rule applies).
    crate::questionnaires::ensure_templates(&mut tx, org.org.id).await?;
    for (code, role) in [
        ("satisfaction_mentors", "mentor"),
        ("satisfaction_mentees", "mentee"),
    ] {
        let people: Vec<uuid::Uuid> = row
            .members
            .iter()
            .filter(|m| m.role == role)
            .map(|m| m.person_id)
            .collect();
        if let Some(cur) = crate::questionnaires::template(&mut tx, org.org.id, code).await? {
            crate::questionnaires::give(
                &mut tx,
                &org,
                &cur,
                Some(row.program_id),
                "people",
                people,
                Some(today + chrono::Duration::days(7)),
            )
            .await?;
        }
    }
    crate::audit::record(
        &mut tx,
        &org,
        "pair.complete",
        None,
        &format!("пара {}", row.id),
    )
    .await?;
    let users: Vec<uuid::Uuid> = row
        .members
        .iter()
        .filter_map(|m| m.user_id)
        .filter(|u| *u != org.user.id)
        .collect();
    let text = format!(
        "Пара завершена в программе «{}». Напишите итоговый отчёт.",
        row.program_name
    );
    let note = crate::notifications::Note {
        kind: "pairs",
        text: &text,
        link: &back,
        details: &[],
    };
    crate::notifications::tell(
        &mut tx,
        crate::notifications::Teller::of(&org),
        &users,
        note,
    )
    .await?;
    tx.commit().await?;
    Ok(org.flash(&back, "Пара завершена; результаты записаны в базу."))
}

/// A member writes their final report after the completion.
pub async fn report(
    org: OrgCtx,
    PairId(pair): PairId,
    crate::web::forms::Form(data): crate::web::forms::Form<super::CompleteFields>,
) -> AppResult<Response> {
    let (row, relation) = crate::pairing::agreed_pair_for(&org, pair).await?;
    let mentor = match relation {
        Relation::Mentor(_) => true,
        Relation::Mentee(_) => false,
        _ => return Err(AppError::Forbidden),
    };
    let back = org.paths().complete(row.id);
    let text = trimmed(&data.report);
    if text.is_empty() || text.chars().count() > 4000 {
        return Ok(org.flash_error(&back, "Напишите отчёт (до 4000 знаков)."));
    }
    let mut tx = org.begin().await?;
    if !repo::set_report(&mut tx, org.org.id, row.id, mentor, &text).await? {
        return Ok(org.flash_error(&back, "Отчёт пишется после завершения пары."));
    }
    tx.commit().await?;
    Ok(org.flash(&back, "Отчёт сохранён."))
}
