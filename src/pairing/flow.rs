//! The life of a pair or group: creating them from accepted proposals (one transaction, under a
//! program lock, with every rule re-checked), recording each member's answer, and what follows
//! (agreed, refused, back to the pool, notifications, audit).

use std::collections::{BTreeMap, HashMap, HashSet};

use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{self, Participant, Status};
use super::repo;
use crate::error::AppResult;
use crate::matching::score;
use crate::people::Side;
use crate::programs::ProgramRow;
use crate::tenancy::Actor;

/// The command that creates pairs and groups (mentor → mentees) after checking every rule again
/// inside the caller's transaction, under the program's lock (participants with a consent, places
/// left, not paired already, not forbidden together, the form's rule); on any problem nothing is
/// created and the problems are returned. The members are told; the caller commits.
pub async fn make_pairs(
    tx: &mut PgConnection,
    by: &Actor<'_>,
    program: &ProgramRow,
    groups: &BTreeMap<Uuid, Vec<Uuid>>,
    scheme: &str,
) -> AppResult<Result<usize, Vec<String>>> {
    repo::lock_program(&mut *tx, by.org.id, program.id).await?;
    let people = repo::participants(&mut *tx, by.org.id, program.id).await?;
    let settings = repo::settings(&mut *tx, by.org.id, program.id, &program.form_code).await?;
    let forbidden = repo::forbidden(&mut *tx, by.org.id, program.id).await?;
    let live = repo::live(&mut *tx, by.org.id, program.id).await?;
    let by_role: HashMap<(Uuid, Side), &Participant> =
        people.iter().map(|p| ((p.person_id, p.role), p)).collect();
    let mentor_of = |id: &Uuid| by_role.get(&(*id, Side::Mentor)).copied();
    let mentee_of = |id: &Uuid| by_role.get(&(*id, Side::Mentee)).copied();
    let mut used_places: HashMap<Uuid, usize> = HashMap::new();
    for (mentor, _) in &live {
        *used_places.entry(*mentor).or_default() += 1;
    }
    let paired: HashSet<Uuid> = live.iter().map(|l| l.1).collect();
    let rule = settings.rule(&program.form_code);
    let weights = settings.weights();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut plans = Vec::new();
    for (mentor_id, mentee_ids) in groups {
        let Some(t) = mentor_of(mentor_id) else {
            errors.push("Выбранный наставник не участвует в программе.".into());
            continue;
        };
        if !t.profile.consent {
            errors.push(format!(
                "{}: нет согласия на обработку персональных данных.",
                t.name
            ));
            continue;
        }
        let used = used_places.get(mentor_id).copied().unwrap_or(0);
        if used + mentee_ids.len() > t.capacity as usize {
            errors.push(format!(
                "{}: мест {}, уже занято {}, а выбрано ещё {}. Увеличьте число мест в «Весах и правилах» или выберите другого наставника.",
                t.name,
                t.capacity,
                used,
                mentee_ids.len()
            ));
            continue;
        }
        let mut scores = Vec::new();
        let mut lines = Vec::new();
        for e_id in mentee_ids {
            let Some(e) = mentee_of(e_id) else {
                errors.push("Выбранный наставляемый не участвует в программе.".into());
                continue;
            };
            if !seen.insert(*e_id) || paired.contains(e_id) {
                errors.push(format!("{}: уже в паре.", e.name));
                continue;
            }
            match score::score(
                &t.profile,
                &e.profile,
                rule,
                &weights,
                forbidden.contains(&(t.person_id, e.person_id)),
            ) {
                Ok(s) => {
                    scores.push(s.total);
                    lines.push(if mentee_ids.len() > 1 {
                        format!("{}: {}", e.name, score::explain(&s))
                    } else {
                        score::explain(&s)
                    });
                }
                Err(why) => errors.push(format!("{} и {}: {}.", t.name, e.name, why.label())),
            }
        }
        let answered = t.answered
            && mentee_ids
                .iter()
                .all(|e| mentee_of(e).is_some_and(|e| e.answered));
        let score = (answered && !scores.is_empty())
            .then(|| scores.iter().sum::<f64>() / scores.len() as f64);
        let explanation = if answered {
            lines.join("; ")
        } else {
            "не все участники заполнили анкеты — оценка по анкетам не рассчитана".into()
        };
        plans.push((*mentor_id, mentee_ids.clone(), score, explanation));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let mut notify: Vec<(Uuid, Vec<Uuid>)> = Vec::new();
    for (mentor, mentees, score, explanation) in &plans {
        let id = repo::create_pair(
            &mut *tx,
            by.org.id,
            &repo::NewPair {
                program_id: program.id,
                mentor: *mentor,
                mentees,
                scheme,
                score: *score,
                explanation,
                by: by.user_id,
            },
        )
        .await?;
        crate::failpoint::pause("pairs").await;
        for person in std::iter::once(mentor).chain(mentees.iter()) {
            crate::audit::record(
                &mut *tx,
                by,
                "pair.create",
                Some(*person),
                &format!("{} — {}", model::scheme_label(scheme), program.name),
            )
            .await?;
        }
        let users: Vec<Uuid> = std::iter::once(mentor_of(mentor))
            .chain(mentees.iter().map(&mentee_of))
            .filter_map(|p| p.and_then(|p| p.user_id))
            .collect();
        notify.push((id, users));
    }
    let text = format!(
        "Вам предложена пара в программе «{}». Посмотрите и ответьте, согласны ли вы.",
        program.name
    );
    for (id, users) in notify {
        let link = by.paths().my_pair(id);
        crate::notifications::tell(
            &mut *tx,
            crate::notifications::Teller::by(by),
            &users,
            crate::notifications::Note::new("pairs", &text, &link),
        )
        .await?;
    }
    Ok(Ok(plans.len()))
}

/// Records a member's answer (in their account or on paper), writes the audit entry, settles
/// the pair and tells those concerned. None when the pair is no longer waiting.
pub async fn record_answer(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    row: &mut repo::PairRow,
    person: Uuid,
    yes: bool,
    comment: &str,
    on_paper: bool,
) -> AppResult<Option<Status>> {
    let Some(status) = repo::answer(
        conn,
        by.org.id,
        &repo::Answer {
            pair_id: row.id,
            person_id: person,
            yes,
            comment,
            on_paper,
            by: by.user_id,
        },
    )
    .await?
    else {
        return Ok(None);
    };
    crate::audit::record(
        conn,
        by,
        "pair.answer",
        Some(person),
        &format!(
            "{}{} — {}",
            if yes {
                "согласие"
            } else {
                "отказ"
            },
            if on_paper { " (на бумаге)" } else { "" },
            row.program_name
        ),
    )
    .await?;
    if let Some(m) = row.members.iter_mut().find(|m| m.person_id == person) {
        m.comment = comment.to_string();
    }
    after_answer(conn, by, row, person, yes, status).await?;
    Ok(Some(status))
}

pub fn settled_message(status: Status) -> String {
    match status {
        Status::Agreed => "Все участники согласны: пара согласована.".into(),
        Status::Refused => {
            "Ответ записан. Пара не состоялась; наставляемый снова в списке для подбора.".into()
        }
        Status::Proposed => "Ответ записан; ждём ответа остальных участников.".into(),
        Status::Cancelled | Status::Completed => "Ответ записан.".into(),
    }
}

/// Tells the curator about a refusal or an agreement, and the members about the agreement.
pub async fn after_answer(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    row: &repo::PairRow,
    person: Uuid,
    yes: bool,
    status: Status,
) -> AppResult<()> {
    let curators = repo::curators(conn, by.org.id, row.program_id).await?;
    let link = by.paths().pairs(row.program_id);
    let who = row
        .members
        .iter()
        .find(|m| m.person_id == person)
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let others: Vec<String> = row
        .members
        .iter()
        .filter(|m| m.person_id != person)
        .map(|m| m.name.clone())
        .collect();
    if !yes {
        let comment = row
            .members
            .iter()
            .find(|m| m.person_id == person)
            .map(|m| m.comment.clone())
            .unwrap_or_default();
        let text = format!(
            "{who} не согласен(на) на пару с {} в программе «{}»{}. {}",
            others.join(", "),
            row.program_name,
            if comment.is_empty() {
                String::new()
            } else {
                format!(" ({comment})")
            },
            if status == Status::Refused {
                "Наставляемые вернулись в список для подбора."
            } else {
                "Наставляемый вернулся в список для подбора."
            }
        );
        crate::notifications::tell(
            conn,
            crate::notifications::Teller::by(by),
            &curators,
            crate::notifications::Note::new("pairs", &text, &link),
        )
        .await?;
    }
    if status == Status::Agreed {
        // The planned rhythm of meetings from the questionnaires (the curator may change it).
        let people = repo::participants(conn, by.org.id, row.program_id).await?;
        let answers = people
            .iter()
            .filter(|p| row.members.iter().any(|m| m.person_id == p.person_id))
            .filter_map(|p| p.profile.frequency.as_deref());
        if let Some(days) = super::model::rhythm_from_answers(answers) {
            repo::set_rhythm(conn, by.org.id, row.id, days).await?;
        }
        let members: Vec<Uuid> = row.members.iter().filter_map(|m| m.user_id).collect();
        let names: Vec<String> = row.members.iter().map(|m| m.name.clone()).collect();
        let text = format!(
            "Пара согласована в программе «{}»: {}.",
            row.program_name,
            names.join(", ")
        );
        let teller = crate::notifications::Teller::by(by);
        let note = |link| crate::notifications::Note {
            kind: "pairs",
            text: &text,
            link,
            details: &[],
        };
        crate::notifications::tell(conn, teller, &curators, note(&link)).await?;
        let mine = by.paths().my_pair(row.id);
        crate::notifications::tell(conn, teller, &members, note(&mine)).await?;
    }
    Ok(())
}

/// The program's pair `pair_id` (404 for a pair of another program or organization).
async fn program_pair(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    program_id: Uuid,
    pair_id: Uuid,
) -> Result<repo::PairRow, crate::error::AppError> {
    repo::pair(conn, by.org.id, pair_id)
        .await?
        .filter(|p| p.program_id == program_id)
        .ok_or(crate::error::AppError::NotFound)
}

/// A curator cancels a proposed or agreed pair of the program: its members are back in the list
/// for matching; audited for each member. A pair completed or cancelled before is refused.
pub async fn cancel(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    program: &ProgramRow,
    pair_id: Uuid,
) -> Result<(), crate::web::forms::Refused> {
    by.require(&mut *conn, &[crate::auth::model::Role::Curator])
        .await?;
    let row = program_pair(&mut *conn, by, program.id, pair_id).await?;
    if !repo::cancel(&mut *conn, by.org.id, row.id).await? {
        return Err(crate::web::forms::Refused::field(
            "pair",
            "Эта пара уже завершена или отменена.",
        ));
    }
    for m in &row.members {
        crate::audit::record(
            &mut *conn,
            by,
            "pair.cancel",
            Some(m.person_id),
            &program.name,
        )
        .await?;
    }
    Ok(())
}

/// A curator sets the form variant of a pair of the program (one of the program's variants, or
/// none): the influence report compares the variants.
pub async fn set_variant(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    program_id: Uuid,
    pair_id: Uuid,
    variant: Option<&str>,
) -> Result<(), crate::web::forms::Refused> {
    by.require(&mut *conn, &[crate::auth::model::Role::Curator])
        .await?;
    let row = program_pair(&mut *conn, by, program_id, pair_id).await?;
    if !repo::set_variant(&mut *conn, (by.org.id, program_id, row.id), variant).await? {
        return Err(crate::web::forms::Refused::field(
            "pair",
            "Этот вариант не выбран для программы.",
        ));
    }
    Ok(())
}

/// A curator forbids (or allows again) a mentor and a mentee of the program to be put together
/// («не ставить вместе»); 404 unless they are the program's mentor and mentee. Returns their
/// names.
pub async fn forbid(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    program_id: Uuid,
    (mentor, mentee): (Uuid, Uuid),
    on: bool,
) -> Result<(String, String), crate::web::forms::Refused> {
    by.require(&mut *conn, &[crate::auth::model::Role::Curator])
        .await?;
    let people = repo::participants(&mut *conn, by.org.id, program_id).await?;
    let name = |id: Uuid, role: Side| {
        people
            .iter()
            .find(|p| p.person_id == id && p.role == role)
            .map(|p| p.name.clone())
    };
    let (Some(t), Some(e)) = (name(mentor, Side::Mentor), name(mentee, Side::Mentee)) else {
        return Err(crate::error::AppError::NotFound.into());
    };
    let pair = (mentor, mentee);
    repo::set_forbidden(&mut *conn, by.org.id, program_id, pair, on, by.user_id).await?;
    Ok((t, e))
}
