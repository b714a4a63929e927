//! The program's pairs and groups: their status and each member's answer, a pair by hand
//! («предложение куратора»), a paper consent or refusal, cancelling.

use super::*;
use crate::people::Side;
use crate::web::ids::PairId;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PairsForm {
    pub answer: String,
    pub comment: String,
    pub mentee: Vec<String>,
    pub mentor: String,
    pub person: String,
    pub variant: String,
}

pub async fn pairs(
    pc: ProgramCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<PairsPage> {
    let ProgramCtx { org, program } = pc.require_any(&VIEWERS)?;
    let mut conn = org.conn().await?;
    crate::audit::record(
        &mut conn,
        &org,
        "pairs.view",
        None,
        &format!("программа {}", program.id),
    )
    .await?;
    let rows = repo::pairs_of_program(&mut conn, org.org.id, program.id).await?;
    let people = repo::participants(&mut conn, org.org.id, program.id).await?;
    let live = repo::live(&mut conn, org.org.id, program.id).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let fixed = crate::orders::fixed_of_pairs(&mut conn, org.org.id, &ids).await?;
    let variants = crate::programs::program_variants(&mut conn, org.org.id, program.id).await?;
    drop(conn);
    let can_edit = org.has(Role::Curator);
    let taken: HashSet<Uuid> = live.iter().map(|l| l.1).collect();
    let count = |s: Status| rows.iter().filter(|r| r.status == s).count();
    Ok(PairsPage {
        ctx: org.page(format!("Пары — {}", program.name), "programs"),
        prog: org.paths().in_program(program.id),
        program_name: program.name.clone(),
        can_edit,
        counts: Counts {
            proposed: count(Status::Proposed),
            agreed: count(Status::Agreed),
            refused: count(Status::Refused),
        },
        units: rows
            .iter()
            .map(|r| UnitView {
                order: fixed
                    .iter()
                    .find(|f| f.0 == r.id)
                    .map(|f| f.1.label())
                    .unwrap_or_default(),
                variants: if can_edit
                    && variants.len() > 1
                    && r.status != crate::pairing::model::Status::Refused
                {
                    variant_choices(&variants, r.variant.as_ref().map(|v| v.0.as_str()))
                } else {
                    Vec::new()
                },
                ..unit_view(r, None)
            })
            .collect(),
        mentors: people
            .iter()
            .filter(|p| p.role == Side::Mentor && p.profile.consent)
            .map(|p| {
                let used = live.iter().filter(|l| l.0 == p.person_id).count();
                Choice {
                    selected: false,
                    value: p.person_id.to_string(),
                    label: format!("{} — занято {} из {}", p.name, used, p.capacity),
                }
            })
            .collect(),
        mentees: people
            .iter()
            .filter(|p| {
                p.role == Side::Mentee && p.profile.consent && !taken.contains(&p.person_id)
            })
            .map(|p| Choice {
                selected: false,
                value: p.person_id.to_string(),
                label: if p.class_name.is_empty() {
                    p.name.clone()
                } else {
                    format!("{}, {}", p.name, p.class_name)
                },
            })
            .collect(),
        chosen_mentor: q.get("mentor").cloned().unwrap_or_default(),
        chosen_mentee: q.get("mentee").cloned().unwrap_or_default(),
    })
}

/// «Предложение куратора»: one pair (or a mentor with several mentees) made by hand.
pub async fn create_by_hand(
    pc: ProgramCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<PairsForm>,
) -> AppResult<Response> {
    let ProgramCtx { org, program } = pc.require_any(&EDITORS)?;
    let mentor = Uuid::parse_str(&data.mentor).ok();
    let mentees: Vec<Uuid> = data
        .mentee
        .clone()
        .iter()
        .filter_map(|s| Uuid::parse_str(s).ok())
        .collect();
    let back = |msg: &str| {
        org.flash_error(
            &org.paths()
                .in_program(program.id)
                .pairs_chosen(&data.mentor, &crate::web::forms::first(&data.mentee)),
            msg,
        )
    };
    let Some(mentor) = mentor else {
        return Ok(back("Выберите наставника."));
    };
    if mentees.is_empty() {
        return Ok(back("Выберите наставляемого."));
    }
    let groups: BTreeMap<Uuid, Vec<Uuid>> = [(mentor, mentees)].into_iter().collect();
    let mut tx = org.begin().await?;
    let made = make_pairs(&mut tx, &org.actor(), &program, &groups, "curator").await?;
    if made.is_ok() {
        tx.commit().await?;
    }
    match made {
        Ok(_) => Ok(org.flash(
            &org.paths().pairs(program.id),
            "Пара предложена; она станет согласованной, когда согласятся все её участники.",
        )),
        Err(errors) => Ok(back(&errors.join(" "))),
    }
}

/// A pair of the organization's program; 404 for a pair of another program or organization.
async fn program_pair(
    conn: &mut PgConnection,
    org: &OrgCtx,
    program: &ProgramRow,
    pair_raw: Uuid,
) -> AppResult<(ProgramRow, repo::PairRow)> {
    let program = program.clone();
    let row = repo::pair(conn, org.org.id, pair_raw)
        .await?
        .filter(|p| p.program_id == program.id)
        .ok_or(AppError::NotFound)?;
    Ok((program, row))
}

/// The curator records a consent (or refusal) given on paper.
pub async fn paper(
    pc: ProgramCtx,
    PairId(pair): PairId,
    crate::web::forms::Form(data): crate::web::forms::Form<PairsForm>,
) -> AppResult<Response> {
    let ProgramCtx { org, program } = pc.require_any(&EDITORS)?;
    let mut tx = org.begin().await?;
    let (program, row) = program_pair(&mut tx, &org, &program, pair).await?;
    let person = parse_id(&data.person)?;
    if !row.members.iter().any(|m| m.person_id == person) {
        return Err(AppError::NotFound);
    }
    let yes = data.answer != "no";
    let back = org.paths().pairs(program.id);
    let comment: String = trimmed(&data.comment).chars().take(1000).collect();
    let mut row = row;
    let Some(status) =
        record_answer(&mut tx, &org.actor(), &mut row, person, yes, &comment, true).await?
    else {
        return Ok(org.flash_error(&back, "Эта пара уже не ждёт ответов."));
    };
    tx.commit().await?;
    Ok(org.flash(&back, &settled_message(status)))
}

pub async fn cancel(pc: ProgramCtx, PairId(pair): PairId) -> AppResult<Response> {
    let ProgramCtx { org, program } = pc.require_any(&EDITORS)?;
    let back = org.paths().pairs(program.id);
    let mut tx = org.begin().await?;
    let answer = crate::pairing::cancel(&mut tx, &org.actor(), &program, pair).await;
    org.settled(tx, answer, &back, |_| {
        "Пара отменена; её участники снова в списке для подбора.".into()
    })
    .await
}

fn variant_choices(all: &[crate::programs::Variant], current: Option<&str>) -> Vec<Choice> {
    std::iter::once(Choice {
        value: String::new(),
        label: "вариант не указан".into(),
        selected: current.is_none(),
    })
    .chain(all.iter().map(|v| Choice {
        value: v.code.clone(),
        label: v.title.clone(),
        selected: current == Some(v.code.as_str()),
    }))
    .collect()
}

/// Sets the form variant of a pair («Успевающий – неуспевающий», …): the influence report
/// compares the variants.
pub async fn set_variant(
    pc: ProgramCtx,
    PairId(pair): PairId,
    crate::web::forms::Form(data): crate::web::forms::Form<PairsForm>,
) -> AppResult<Response> {
    let ProgramCtx { org, program } = pc.require_any(&EDITORS)?;
    let back = org.paths().pairs(program.id);
    let variant = Some(data.variant.as_str()).filter(|v| !v.is_empty());
    let mut tx = org.begin().await?;
    let answer =
        crate::pairing::set_variant(&mut tx, &org.actor(), program.id, pair, variant).await;
    org.settled(tx, answer, &back, |_| "Вариант формы пары сохранён.".into())
        .await
}

#[derive(Template, WebTemplate)]
#[template(path = "pairing/pairs.html")]
pub struct PairsPage {
    pub ctx: PageCtx,
    pub prog: crate::paths::ProgramPaths,
    pub program_name: String,
    pub can_edit: bool,
    pub units: Vec<UnitView>,
    pub mentors: Vec<Choice>,
    pub mentees: Vec<Choice>,
    pub chosen_mentor: String,
    pub chosen_mentee: String,
    pub counts: Counts,
}

/// How many pairs and groups of the program are in each state.
pub struct Counts {
    pub proposed: usize,
    pub agreed: usize,
    pub refused: usize,
}
