use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};

use super::repo;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::matching::score::{self, Weights};
use crate::matching::{Edge, Objective, flow};
use crate::web::{AppState, OrgCtx, PageCtx, parse_id};

pub struct PartView {
    pub label: &'static str,
    pub percent: u32,
}

pub struct PairView {
    pub mentor: String,
    pub mentee: String,
    pub mentee_class: String,
    pub score: u32,
    pub explanation: String,
    pub parts: Vec<PartView>,
}

pub struct UnpairedView {
    pub name: String,
    pub reason: String,
    pub alternatives: Vec<(String, u32)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pairing/proposal.html")]
pub struct ProposalPage {
    pub ctx: PageCtx,
    pub program_url: String,
    pub program_name: String,
    pub objective: String,
    pub min_score: u32,
    pub pairs: Vec<PairView>,
    pub unpaired: Vec<UnpairedView>,
    pub total: String,
    pub average: u32,
    pub mentors: usize,
    pub mentees: usize,
    pub millis: u128,
    pub alternatives: Vec<(String, Vec<(String, u32)>)>,
}

/// «Подобрать пары»: the proposal for the program, with explanations and alternatives.
pub async fn proposal(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<ProposalPage> {
    org.require_any(&[Role::Curator, Role::Director])?;
    let started = std::time::Instant::now();
    let pid = parse_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let program = crate::programs::repo::program(&mut conn, org.org.id, pid)
        .await?
        .ok_or(AppError::NotFound)?;
    let people = repo::participants(&mut conn, org.org.id, pid).await?;
    drop(conn);
    let objective = if q.get("objective").map(|s| s.as_str()) == Some("coverage") {
        Objective::Coverage
    } else {
        Objective::Quality
    };
    let min_score = q
        .get("min")
        .and_then(|s| s.parse::<u32>().ok())
        .unwrap_or(30)
        .min(100);
    let weights = Weights::for_form(&program.form_code);
    let rule = Weights::rule_for(&program.form_code);
    let mentors: Vec<&repo::Participant> = people.iter().filter(|p| p.role == "mentor").collect();
    let mentees: Vec<&repo::Participant> = people.iter().filter(|p| p.role == "mentee").collect();
    // Score every candidate pair; keep the parts for the explanation.
    let mut scored: HashMap<(usize, usize), score::Scored> = HashMap::new();
    let mut edges = Vec::new();
    for (i, e) in mentees.iter().enumerate() {
        for (m, t) in mentors.iter().enumerate() {
            if !t.answered || !e.answered {
                continue;
            }
            if let Ok(s) = score::score(&t.profile, &e.profile, rule, &weights, false) {
                if s.total * 100.0 >= min_score as f64 {
                    edges.push(Edge {
                        mentee: i,
                        mentor: m,
                        score: s.total,
                    });
                }
                scored.insert((i, m), s);
            }
        }
    }
    let caps = vec![1u32; mentors.len()];
    let mentor_of = flow::assign(mentees.len(), &caps, &edges, &[], objective);
    let pct = |v: f64| (v * 100.0).round() as u32;
    let mut pairs = Vec::new();
    let mut unpaired = Vec::new();
    let mut total = 0.0;
    let mut alternatives = Vec::new();
    for (i, e) in mentees.iter().enumerate() {
        let mut alts: Vec<(usize, f64)> = scored
            .iter()
            .filter(|((a, _), _)| *a == i)
            .map(|((_, m), s)| (*m, s.total))
            .collect();
        alts.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let top: Vec<(String, u32)> = alts
            .iter()
            .take(5)
            .map(|(m, s)| (mentors[*m].name.clone(), pct(*s)))
            .collect();
        match mentor_of[i] {
            Some(m) => {
                let s = &scored[&(i, m)];
                total += s.total;
                pairs.push(PairView {
                    mentor: mentors[m].name.clone(),
                    mentee: e.name.clone(),
                    mentee_class: e.class_name.clone(),
                    score: pct(s.total),
                    explanation: score::explain(s),
                    parts: s
                        .parts
                        .iter()
                        .map(|(code, v, _)| PartView {
                            label: score::CRITERIA
                                .iter()
                                .find(|(c, _)| c == code)
                                .map(|(_, l)| *l)
                                .unwrap_or(""),
                            percent: pct(*v),
                        })
                        .collect(),
                });
            }
            None => {
                let reason = if !e.profile.consent {
                    "нет согласия на обработку персональных данных".to_string()
                } else if !e.answered {
                    "нет ответов на анкету наставляемого".to_string()
                } else if alts.is_empty() {
                    "нет наставников с заполненной анкетой и согласием".to_string()
                } else if alts.first().map(|a| pct(a.1) < min_score).unwrap_or(true) {
                    format!("нет кандидата с оценкой от {min_score} %")
                } else {
                    "подходящие наставники заняты в лучших для программы парах".to_string()
                };
                unpaired.push(UnpairedView {
                    name: e.name.clone(),
                    reason,
                    alternatives: top.clone(),
                });
            }
        }
        if !top.is_empty() {
            alternatives.push((e.name.clone(), top));
        }
    }
    Ok(ProposalPage {
        ctx: org.page(format!("Подбор пар — {}", program.name), "programs"),
        program_url: org.url(&format!("/programs/{}", program.id)),
        program_name: program.name,
        objective: if objective == Objective::Coverage {
            "coverage".into()
        } else {
            "quality".into()
        },
        min_score,
        average: if pairs.is_empty() {
            0
        } else {
            pct(total / pairs.len() as f64)
        },
        total: format!("{:.2}", total).replace('.', ","),
        pairs,
        unpaired,
        mentors: mentors.len(),
        mentees: mentees.len(),
        millis: started.elapsed().as_millis(),
        alternatives,
    })
}
