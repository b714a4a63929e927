//! Certificates and letters for mentors (`/programs/{program}/certificates`): the curator (or the
//! director) picks a грамота or a благодарственное письмо, the wording and the date, ticks the
//! mentors — one or the whole list — and prints them, one A4 landscape sheet each: the
//! organization, the title, the mentor's name, the wording with the program, the date and the
//! director's signature line.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, RawQuery};

use crate::auth::model::Role;
use crate::error::AppResult;
use crate::paths::ProgramPaths;
use crate::people::Side;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, choices, parse_date, ru_date};

pub const KINDS: [(&str, &str); 2] = [
    ("gramota", "Грамота"),
    ("letter", "Благодарственное письмо"),
];

fn default_text(kind: &str, program: &str) -> String {
    if kind == "letter" {
        format!(
            "Выражаем искреннюю благодарность за активное участие в программе наставничества «{program}», внимание и поддержку наставляемых."
        )
    } else {
        format!(
            "Награждается за высокие результаты в программе наставничества «{program}» и вклад в развитие наставляемых."
        )
    }
}

pub struct MentorChoice {
    pub id: String,
    pub name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "completion/certificates.html")]
pub struct CertificatesPage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub program_name: String,
    pub kinds: Vec<Choice>,
    pub text: String,
    pub date: String,
    pub mentors: Vec<MentorChoice>,
}

/// The program's mentors: (person, «Фамилия Имя Отчество»).
async fn mentors(pc: &ProgramCtx) -> AppResult<Vec<(uuid::Uuid, String)>> {
    let mut conn = pc.org.conn().await?;
    let list = crate::participants::participants(&mut conn, pc.org.org.id, pc.program.id).await?;
    Ok(list
        .into_iter()
        .filter(|p| p.role == Side::Mentor && !p.anonymized)
        .map(|p| {
            let name = [p.last_name, p.first_name, p.middle_name]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            (p.person_id, name)
        })
        .collect())
}

pub async fn certificates(
    pc: ProgramCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<CertificatesPage> {
    pc.org.require_staff()?;
    let kind = q
        .get("kind")
        .map(String::as_str)
        .filter(|k| *k == "letter")
        .unwrap_or("gramota");
    Ok(CertificatesPage {
        ctx: pc
            .org
            .page(format!("Грамоты — {}", pc.program.name), "programs"),
        prog: pc.org.paths().in_program(pc.program.id),
        program_name: pc.program.name.clone(),
        kinds: choices(&KINDS, kind),
        text: default_text(kind, &pc.program.name),
        date: pc.org.org.today().to_string(),
        mentors: mentors(&pc)
            .await?
            .into_iter()
            .map(|(id, name)| MentorChoice {
                id: id.to_string(),
                name,
            })
            .collect(),
    })
}

pub struct Sheet {
    pub name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "completion/certificates_print.html")]
pub struct PrintPage {
    pub ctx: PageCtx,
    pub org_name: String,
    pub title: &'static str,
    pub lead: &'static str,
    pub text: String,
    pub date: String,
    pub director: String,
    pub sheets: Vec<Sheet>,
}

pub async fn print(pc: ProgramCtx, RawQuery(raw): RawQuery) -> AppResult<PrintPage> {
    pc.org.require_staff()?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|p| p.0 == k)
            .map(|p| p.1.trim().to_string())
            .unwrap_or_default()
    };
    let chosen: Vec<String> = pairs
        .iter()
        .filter(|p| p.0 == "mentor")
        .map(|p| p.1.clone())
        .collect();
    let kind = if get("kind") == "letter" {
        "letter"
    } else {
        "gramota"
    };
    let text: String = {
        let t = get("text");
        if t.is_empty() {
            default_text(kind, &pc.program.name)
        } else {
            t.chars().take(600).collect()
        }
    };
    let date = parse_date(&get("date")).unwrap_or_else(|| pc.org.org.today());
    let all = mentors(&pc).await?;
    let sheets: Vec<Sheet> = all
        .into_iter()
        .filter(|(id, _)| chosen.contains(&id.to_string()))
        .map(|(_, name)| Sheet { name })
        .collect();
    let mut conn = pc.org.conn().await?;
    let director = crate::tenancy::members_with_role(&mut conn, pc.org.org.id, Role::Director)
        .await?
        .into_iter()
        .next()
        .map(|d| d.1)
        .unwrap_or_default();
    Ok(PrintPage {
        ctx: pc.org.page("Печать грамот", "programs"),
        org_name: pc.org.org.full_name.clone(),
        title: if kind == "letter" {
            "БЛАГОДАРСТВЕННОЕ ПИСЬМО"
        } else {
            "ГРАМОТА"
        },
        lead: if kind == "letter" {
            "Уважаемый(ая)"
        } else {
            "награждается"
        },
        text,
        date: ru_date(date),
        director,
        sheets,
    })
}
