//! The matching and pairs pages, one file each: the proposal («Подобрать пары») with accepting
//! and «не ставить вместе», Mentor Match, the weights and rules, the program's pairs (by hand,
//! paper consent, cancel) and the participant's own pair. Below: the view types and builders
//! those pages share; every page file takes them with `use super::*`.

pub mod mentor_match;
pub mod mine;
pub mod pairs;
pub mod proposal;
pub mod settings;

use std::collections::{BTreeMap, HashMap, HashSet};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use sqlx::PgConnection;
use uuid::Uuid;

use super::flow::*;
use super::model::{self, Participant, Settings, Status, pct};
use super::repo;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::matching::Objective;
use crate::matching::score::{self, CRITERIA, Rule, Weights};
use crate::people::Side;
use crate::programs::{ProgramCtx, ProgramRow};
use crate::tenancy::OrgCtx;
use crate::web::forms::{Choice, FormData, ru_date, trimmed, with_status};
use crate::web::{PageCtx, parse_id};

const EDITORS: [Role; 1] = [Role::Curator];

const VIEWERS: [Role; 2] = [Role::Curator, Role::Director];

fn criterion_label(code: &str) -> &'static str {
    CRITERIA
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

fn parts_view(s: &score::Scored) -> Vec<PartView> {
    s.parts
        .iter()
        .map(|(code, v, _)| PartView {
            label: criterion_label(code),
            percent: pct(*v),
        })
        .collect()
}

fn weights_line(s: &Settings) -> String {
    CRITERIA
        .iter()
        .filter_map(|(c, l)| {
            s.weights
                .get(*c)
                .filter(|v| **v > 0)
                .map(|v| format!("{l} {v}"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn objective_code(o: Objective) -> &'static str {
    match o {
        Objective::Quality => "quality",
        Objective::Coverage => "coverage",
    }
}

fn split(people: &[Participant]) -> (Vec<&Participant>, Vec<&Participant>) {
    (
        people.iter().filter(|p| p.role == Side::Mentor).collect(),
        people.iter().filter(|p| p.role == Side::Mentee).collect(),
    )
}

fn choices_for(
    alternatives: &[(usize, f64)],
    proposed: usize,
    mentors: &[&Participant],
    picked: Option<&String>,
) -> Vec<Choice> {
    let mut order: Vec<(usize, Option<f64>)> = vec![(
        proposed,
        alternatives.iter().find(|a| a.0 == proposed).map(|a| a.1),
    )];
    for (k, s) in alternatives.iter().take(10) {
        if *k != proposed {
            order.push((*k, Some(*s)));
        }
    }
    let default = mentors[proposed].person_id.to_string();
    let chosen = picked.cloned().unwrap_or(default);
    let mut out: Vec<Choice> = order
        .into_iter()
        .map(|(k, s)| {
            let value = mentors[k].person_id.to_string();
            Choice {
                selected: value == chosen,
                label: match s {
                    Some(s) => format!("{} — {} %", mentors[k].name, pct(s)),
                    None => mentors[k].name.clone(),
                },
                value,
            }
        })
        .collect();
    out.push(Choice {
        selected: chosen.is_empty(),
        value: String::new(),
        label: "— не принимать —".into(),
    });
    out
}

fn answer_label(m: &repo::MemberRow) -> &'static str {
    match m.answer.as_deref() {
        Some("yes") if m.on_paper => "согласие на бумаге",
        Some("yes") => "согласен(на)",
        Some("no") if m.on_paper => "отказ на бумаге",
        Some("no") => "не согласен(на)",
        _ => "ждём ответа",
    }
}

fn member_view(m: &repo::MemberRow) -> MemberView {
    MemberView {
        person_id: m.person_id.to_string(),
        name: m.name.clone(),
        class_name: m.class_name.clone(),
        role_label: if m.role == Side::Mentor {
            "наставник"
        } else {
            "наставляемый"
        },
        answer_label: answer_label(m),
        answered: m.answer.is_some(),
        on_paper: m.on_paper,
        comment: m.comment.clone(),
    }
}

fn unit_view(p: &repo::PairRow, me: Option<Uuid>) -> UnitView {
    let mine = p
        .members
        .iter()
        .find(|m| Some(m.user_id) == Some(me) && me.is_some());
    UnitView {
        id: p.id.to_string(),
        status: p.status,
        scheme_label: model::scheme_label(&p.scheme),
        score: p
            .score
            .map(|s| format!("{} %", pct(s as f64)))
            .unwrap_or_default(),
        explanation: p.explanation.clone(),
        created: ru_date(p.created_at.date_naive()),
        group: p.members.iter().filter(|m| m.role == Side::Mentee).count() > 1,
        members: p.members.iter().map(member_view).collect(),
        program_name: p.program_name.clone(),
        my_answer: mine.map(answer_label).unwrap_or(""),
        waiting_for_me: p.status == crate::pairing::model::Status::Proposed
            && mine.is_some_and(|m| m.answer.is_none()),
        order: String::new(),
        variant: p.variant.as_ref().map(|v| v.1.clone()).unwrap_or_default(),
        variants: Vec::new(),
    }
}

pub struct PartView {
    pub label: &'static str,
    pub percent: u32,
}

pub struct PairView {
    pub mentor_id: String,
    pub mentor: String,
    pub mentee_id: String,
    pub mentee: String,
    pub mentee_class: String,
    pub score: u32,
    pub explanation: String,
    pub parts: Vec<PartView>,
    /// The mentor choice for this mentee: proposed, alternatives, «не принимать».
    pub choices: Vec<Choice>,
    /// Mentor Match: «взаимный первый выбор» / «пожелания совпали» / «устойчивое распределение».
    pub badge: &'static str,
}

pub struct UnpairedView {
    pub name: String,
    pub reason: String,
    /// The best other mentors (name, score in %).
    pub alternatives: Vec<crate::web::view::Prop>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pairing/proposal.html")]
pub struct ProposalPage {
    pub ctx: PageCtx,
    pub prog: crate::paths::ProgramPaths,
    pub program_name: String,
    pub can_edit: bool,
    /// "questionnaires" or "mentor_match".
    pub scheme: &'static str,
    pub objective: &'static str,
    pub min_score: u32,
    pub weights_line: String,
    pub default_line: String,
    pub pairs: Vec<PairView>,
    pub unpaired: Vec<UnpairedView>,
    pub total: String,
    pub average: u32,
    pub mentors: usize,
    pub mentees: usize,
    pub fixed: usize,
    pub millis: u128,
    pub errors: Vec<String>,
    pub mutual: usize,
    pub wishes: usize,
}

pub struct MemberView {
    pub person_id: String,
    pub name: String,
    pub class_name: String,
    pub role_label: &'static str,
    pub answer_label: &'static str,
    pub answered: bool,
    pub on_paper: bool,
    pub comment: String,
}

pub struct UnitView {
    pub id: String,
    pub status: Status,
    pub scheme_label: &'static str,
    pub score: String,
    pub explanation: String,
    pub created: String,
    pub members: Vec<MemberView>,
    pub group: bool,
    pub program_name: String,
    pub my_answer: &'static str,
    pub waiting_for_me: bool,
    /// «приказ № 45-од от 01.09.2026» once an approved order fixes the pair.
    pub order: String,
    /// The form variant («Лидер – пассивный») or empty.
    pub variant: String,
    /// The program's variants to choose from (the pairs page, for curators; else empty).
    pub variants: Vec<Choice>,
}
