//! Mentor Match: pairs from the wishes both sides stated after a group meeting (mutual first
//! choices, then deferred acceptance with capacities).

use super::*;

/// Mentor Match: pairs from the wishes both sides stated after a group meeting.
pub async fn mentor_match(pc: ProgramCtx) -> AppResult<ProposalPage> {
    let ProgramCtx { org, program } = pc;
    let page = mentor_match_page(&org, &program, Vec::new(), HashMap::new()).await?;
    crate::audit::read(
        &org.state.pool,
        &org,
        "matching.view",
        None,
        &format!("Mentor Match, программа {}", program.id),
    )
    .await?;
    Ok(page)
}

pub(super) async fn mentor_match_page(
    org: &OrgCtx,
    program: &ProgramRow,
    errors: Vec<String>,
    picks: HashMap<String, String>,
) -> AppResult<ProposalPage> {
    org.require_any(&VIEWERS)?;
    let started = std::time::Instant::now();
    let mut conn = org.conn().await?;
    let program = program.clone();
    let people = repo::participants(&mut conn, org.org.id, program.id).await?;
    let wishes = repo::wishes(&mut conn, org.org.id, program.id).await?;
    let fixed = repo::live(&mut conn, org.org.id, program.id).await?;
    let settings = repo::settings(&mut conn, org.org.id, program.id, &program.form_code).await?;
    drop(conn);
    let taken: HashSet<Uuid> = fixed.iter().map(|f| f.1).collect();
    let (mentors, all_mentees) = split(&people);
    let mentees: Vec<&Participant> = all_mentees
        .iter()
        .copied()
        .filter(|e| !taken.contains(&e.person_id) && e.profile.consent)
        .collect();
    let caps: Vec<u32> = mentors
        .iter()
        .map(|t| {
            let used = fixed.iter().filter(|f| f.0 == t.person_id).count() as u32;
            if t.profile.consent {
                t.capacity.saturating_sub(used)
            } else {
                0
            }
        })
        .collect();
    let got = model::mentor_match(&mentors, &mentees, &wishes, &caps);
    let rule = settings.rule(&program.form_code);
    let weights = settings.weights();
    let matched: HashSet<usize> = got.iter().map(|g| g.0).collect();
    let pairs: Vec<PairView> = got
        .iter()
        .map(|&(i, k, mutual, both)| {
            let s = score::score(
                &mentors[k].profile,
                &mentees[i].profile,
                rule,
                &weights,
                false,
            )
            .ok();
            let e = mentees[i];
            let mentor_id = mentors[k].person_id.to_string();
            let chosen = picks
                .get(&e.person_id.to_string())
                .cloned()
                .unwrap_or(mentor_id.clone());
            PairView {
                mentor_id: mentor_id.clone(),
                mentor: mentors[k].name.clone(),
                mentee_id: e.person_id.to_string(),
                mentee: e.name.clone(),
                mentee_class: e.class_name.clone(),
                score: s.as_ref().map(|s| pct(s.total)).unwrap_or(0),
                explanation: s.as_ref().map(score::explain).unwrap_or_default(),
                parts: s.as_ref().map(parts_view).unwrap_or_default(),
                choices: vec![
                    Choice {
                        selected: chosen == mentor_id,
                        label: mentors[k].name.clone(),
                        value: mentor_id,
                    },
                    Choice {
                        selected: chosen.is_empty(),
                        value: String::new(),
                        label: "— не принимать —".into(),
                    },
                ],
                badge: if mutual {
                    "взаимный первый выбор"
                } else if both {
                    "пожелания совпали"
                } else {
                    "устойчивое распределение"
                },
            }
        })
        .collect();
    let unpaired = mentees
        .iter()
        .enumerate()
        .filter(|(i, _)| !matched.contains(i))
        .map(|(_, e)| UnpairedView {
            name: e.name.clone(),
            reason: if wishes.get(&e.person_id).is_none_or(|w| w.is_empty()) {
                "не указал(а), с кем хотел(а) бы работать".into()
            } else {
                "выбранные наставники заняты или не выбрали его (её)".into()
            },
            alternatives: Vec::new(),
        })
        .collect();
    let mutual = got.iter().filter(|g| g.2).count();
    Ok(ProposalPage {
        ctx: org.page(format!("Mentor Match — {}", program.name), "programs"),
        prog: org.paths().in_program(program.id),
        program_name: program.name,
        can_edit: org.has(Role::Curator),
        scheme: "mentor_match",
        objective: objective_code(settings.objective),
        min_score: settings.min_score,
        weights_line: String::new(),
        default_line: String::new(),
        total: String::new(),
        average: 0,
        pairs,
        unpaired,
        mentors: mentors.len(),
        mentees: all_mentees.len(),
        fixed: taken.len(),
        millis: started.elapsed().as_millis(),
        errors,
        mutual,
        wishes: wishes.len(),
    })
}
