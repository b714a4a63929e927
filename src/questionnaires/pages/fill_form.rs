//! What the fill page shows: the assignment and the person answering, the sections with every
//! question's current answer and error, the deadline.

use super::*;

pub(super) struct FillCtx {
    pub(super) assignment: repo::Assignment,
    pub(super) person_id: Uuid,
    pub(super) person_name: String,
    pub(super) cur: repo::Current,
    pub(super) people: Vec<(Uuid, String)>,
    pub(super) response: Option<repo::Response>,
}

pub(super) async fn fill_ctx(
    org: &OrgCtx,
    assignment_id: Uuid,
    person_id: Uuid,
) -> AppResult<FillCtx> {
    let mut conn = org.conn().await?;
    let assignment = repo::assignment(&mut conn, org.org.id, assignment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !repo::is_target(&mut conn, org.org.id, assignment_id, person_id).await? {
        return Err(AppError::NotFound);
    }
    let p = crate::people::person(&mut conn, org.org.id, person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let cur = repo::current(&mut conn, org.org.id, assignment.questionnaire_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let people = match assignment.program_id {
        Some(pid) => repo::other_side(&mut conn, org.org.id, pid, person_id).await?,
        None => Vec::new(),
    };
    let response = repo::response(&mut conn, org.org.id, assignment_id, person_id).await?;
    Ok(FillCtx {
        person_name: display_name(
            p.number,
            &p.last_name,
            &p.first_name,
            &p.middle_name,
            p.anonymized_at.is_some(),
        ),
        assignment,
        person_id,
        cur,
        people,
        response,
    })
}

pub(super) use crate::questionnaires::closed;

pub(super) fn fill_sections(
    def: &Definition,
    raw: &Raw,
    problems: &model::Problems,
    people: &[(Uuid, String)],
) -> Vec<FillSection> {
    def.sections
        .iter()
        .map(|s| FillSection {
            title: s.title.clone(),
            questions: s
                .questions
                .iter()
                .map(|q| {
                    let values = raw.get(&q.key).cloned().unwrap_or_default();
                    let first = values.first().cloned().unwrap_or_default();
                    let options = match q.kind() {
                        Kind::Single | Kind::Multiple => q
                            .options
                            .iter()
                            .map(|o| Choice {
                                value: o.clone(),
                                label: o.clone(),
                                selected: values.contains(o),
                            })
                            .collect(),
                        Kind::Scale => (1..=if q.scale_max == 10 { 10 } else { 5 })
                            .map(|n: u32| Choice {
                                value: n.to_string(),
                                label: n.to_string(),
                                selected: first == n.to_string(),
                            })
                            .collect(),
                        Kind::YesNo => vec![
                            Choice {
                                value: "yes".into(),
                                label: "да".into(),
                                selected: first == "yes",
                            },
                            Choice {
                                value: "no".into(),
                                label: "нет".into(),
                                selected: first == "no",
                            },
                        ],
                        _ => Vec::new(),
                    };
                    let grid = if q.kind() == Kind::Availability {
                        DAYS.iter()
                            .map(|(d, dl)| GridRow {
                                day: dl,
                                cells: PARTS
                                    .iter()
                                    .map(|(p, pl)| {
                                        let value = format!("{d}-{p}");
                                        Choice {
                                            selected: values.contains(&value),
                                            value,
                                            label: pl.to_string(),
                                        }
                                    })
                                    .collect(),
                            })
                            .collect()
                    } else {
                        Vec::new()
                    };
                    let ranks = if q.kind() == Kind::RankPeople {
                        let n = if q.rank_max == 0 { 3 } else { q.rank_max } as usize;
                        (0..n)
                            .map(|i| {
                                let chosen = values.get(i).cloned().unwrap_or_default();
                                people
                                    .iter()
                                    .map(|(id, name)| Choice {
                                        value: id.to_string(),
                                        label: name.clone(),
                                        selected: chosen == id.to_string(),
                                    })
                                    .collect()
                            })
                            .collect()
                    } else {
                        Vec::new()
                    };
                    FillQuestion {
                        key: q.key.clone(),
                        kind: q.kind().code(),
                        text: q.text.clone(),
                        help: q.help.clone(),
                        required: q.required,
                        error: problems.get(&q.key).cloned().unwrap_or_default(),
                        options,
                        value: first,
                        min_label: q.min_label.clone(),
                        max_label: q.max_label.clone(),
                        min: q.min.map(model::fmt_num).unwrap_or_default(),
                        max: q.max.map(model::fmt_num).unwrap_or_default(),
                        grid,
                        ranks,
                    }
                })
                .collect(),
        })
        .collect()
}

/// Where the fill page is: the organization's base URL, where «назад» leads, and whether the
/// curator fills a paper form on someone's behalf.
pub(super) struct FillWhere<'a> {
    pub(super) base: &'a str,
    pub(super) back: String,
    pub(super) on_behalf: bool,
}

pub(super) fn fill_page(
    org: &OrgCtx,
    c: &FillCtx,
    raw: &Raw,
    problems: &model::Problems,
    FillWhere {
        base,
        back,
        on_behalf,
    }: FillWhere<'_>,
    note: String,
) -> FillPage {
    FillPage {
        ctx: org.page(
            c.cur.title.clone(),
            if on_behalf { "questionnaires" } else { "home" },
        ),
        title: c.cur.title.clone(),
        person: c.person_name.clone(),
        action: base.to_string(),
        draft_action: if on_behalf {
            org.paths().fill_for_draft(c.assignment.id, c.person_id)
        } else {
            org.paths().my_form_draft(c.assignment.id)
        },
        back,
        sections: fill_sections(&c.cur.def, raw, problems, &c.people),
        deadline: c.assignment.deadline.map(ru_date).unwrap_or_default(),
        closed: closed(&c.assignment),
        submitted: c
            .response
            .as_ref()
            .map(|r| r.status == crate::questionnaires::ResponseStatus::Submitted)
            .unwrap_or(false),
        on_behalf,
        has_errors: !problems.is_empty(),
        saved_note: note,
        conflict: false,
    }
}

/// Who fills: the participant (`/my/forms/{a}`) or the curator on behalf (`/assignments/{a}/fill/{p}`).
pub(super) async fn resolve(
    org: &OrgCtx,
    aid: Uuid,
    person: Option<Uuid>,
) -> AppResult<(FillCtx, String, String, bool)> {
    match person {
        None => {
            let mut conn = org.conn().await?;
            let pid = repo::my_person(&mut conn, org.org.id, aid, org.user.id)
                .await?
                .ok_or(AppError::NotFound)?;
            drop(conn);
            let c = fill_ctx(org, aid, pid).await?;
            Ok((c, org.paths().my_form(aid), org.paths().home(), false))
        }
        Some(pid) => {
            org.require_any(&EDITORS)?;
            let c = fill_ctx(org, aid, pid).await?;
            Ok((
                c,
                org.paths().fill_for(aid, pid),
                org.paths().assignment(aid),
                true,
            ))
        }
    }
}

pub(super) fn stored_raw(c: &FillCtx) -> Raw {
    c.response
        .as_ref()
        .map(|r| r.answers.0.clone())
        .unwrap_or_default()
}

/// A day of the availability grid: its label and its cells (value «mon-morning», the part of
/// the day, ticked or not).
pub struct GridRow {
    pub day: &'static str,
    pub cells: Vec<Choice>,
}

/// One question on the fill form.
pub struct FillQuestion {
    pub key: String,
    pub kind: &'static str,
    pub text: String,
    pub help: String,
    pub required: bool,
    pub error: String,
    /// Options with their checked state (choices), or the scale's points.
    pub options: Vec<Choice>,
    pub value: String,
    pub min_label: String,
    pub max_label: String,
    pub min: String,
    pub max: String,
    /// Availability grid: a row per day.
    pub grid: Vec<GridRow>,
    /// Ranked choice: one select per place, each with the people and the chosen one.
    pub ranks: Vec<Vec<Choice>>,
}

pub struct FillSection {
    pub title: String,
    pub questions: Vec<FillQuestion>,
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaires/fill.html")]
pub struct FillPage {
    pub ctx: PageCtx,
    pub title: String,
    pub person: String,
    pub action: String,
    pub draft_action: String,
    pub back: String,
    pub sections: Vec<FillSection>,
    pub deadline: String,
    pub closed: bool,
    pub submitted: bool,
    pub on_behalf: bool,
    pub has_errors: bool,
    pub saved_note: String,
    /// A submission over an answer submitted meanwhile: nothing was replaced.
    pub conflict: bool,
}
