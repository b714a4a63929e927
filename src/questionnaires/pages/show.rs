//! A questionnaire in the builder: its sections and questions with versions, renaming, and
//! giving it to a program's mentors or mentees (the consent rule applies).

use super::*;
use crate::questionnaires::builder;
use crate::web::forms::Refused;
use crate::web::ids::Id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ShowForm {
    pub audience: String,
    pub deadline: String,
    pub people: Vec<String>,
    pub program: String,
    pub purpose: String,
    pub title: String,
}

pub(super) fn question_details(q: &Question) -> String {
    let mut d = Vec::new();
    match q.kind() {
        Kind::Single | Kind::Multiple => {
            d.push(format!("варианты: {}", q.options.join(" · ")));
            if q.max_choices > 0 {
                d.push(format!("не больше {}", q.max_choices));
            }
        }
        Kind::Scale => d.push(format!(
            "1–{} ({} … {})",
            if q.scale_max == 10 { 10 } else { 5 },
            q.min_label,
            q.max_label
        )),
        Kind::Number => d.push(format!(
            "от {} до {}",
            q.min.map(model::fmt_num).unwrap_or_else(|| "—".into()),
            q.max.map(model::fmt_num).unwrap_or_else(|| "—".into())
        )),
        Kind::RankPeople => d.push(format!(
            "до {} человек",
            if q.rank_max == 0 { 3 } else { q.rank_max }
        )),
        _ => {}
    }
    if !q.matching_key.is_empty() {
        d.push(format!("ключ подбора: {}", q.matching_key));
    }
    d.join("; ")
}

/// Days of the week, from Monday.
pub(super) const WEEKDAY_NAMES: [&str; 7] = [
    "понедельник",
    "вторник",
    "среда",
    "четверг",
    "пятница",
    "суббота",
    "воскресенье",
];

pub(super) async fn show_page(
    org: &OrgCtx,
    cur: repo::Current,
    edit: Option<QuestionForm>,
    error: String,
) -> AppResult<ShowPage> {
    let mut conn = org.conn().await?;
    let assignments = repo::assignments_of(&mut conn, org.org.id, cur.id).await?;
    let programs = crate::programs::programs(&mut conn, org.org.id).await?;
    let schedules =
        super::super::schedules::of_questionnaire(&mut conn, org.org.id, cur.id).await?;
    let sections = cur
        .def
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| SectionView {
            index: i,
            title: s.title.clone(),
            questions: s
                .questions
                .iter()
                .enumerate()
                .map(|(j, q)| QView {
                    key: q.key.clone(),
                    kind: q.kind().label(),
                    text: q.text.clone(),
                    help: q.help.clone(),
                    required: q.required,
                    details: question_details(q),
                    first: i == 0 && j == 0,
                    last: i + 1 == cur.def.sections.len() && j + 1 == s.questions.len(),
                })
                .collect(),
        })
        .collect();
    Ok(ShowPage {
        ctx: org.page(cur.title.clone(), "questionnaires"),
        id: cur.id.to_string(),
        title: cur.title.clone(),
        purposes: purpose_opts(&cur.purpose),
        purpose: model::purpose_label(&cur.purpose).to_string(),
        version: cur.version,
        answered: cur.answered,
        sections,
        kinds: Kind::ALL
            .iter()
            .map(|k| Choice {
                value: k.code().into(),
                label: k.label().into(),
                selected: false,
            })
            .collect(),
        programs: programs
            .into_iter()
            .map(|p| Choice {
                value: p.id.to_string(),
                label: p.name,
                selected: false,
            })
            .collect(),
        assignments: assignments
            .into_iter()
            .map(|a| AssignmentLine {
                id: a.id.to_string(),
                who: audience_label(&a),
                deadline: a
                    .deadline
                    .map(ru_date)
                    .unwrap_or_else(|| "без срока".into()),
                submitted: a.submitted,
                targets: a.targets,
            })
            .collect(),
        schedules: schedules
            .iter()
            .map(|s| crate::web::view::LinkLine {
                url: org.paths().questionnaire_schedule_delete(cur.id, s.id),
                title: format!(
                    "«{}», {} — каждую неделю: {}, ответить за {} дн.",
                    s.program_name,
                    if s.audience == "mentors" {
                        "наставникам"
                    } else {
                        "наставляемым"
                    },
                    WEEKDAY_NAMES[(s.weekday.clamp(1, 7) - 1) as usize],
                    s.days_to_answer
                ),
                note: s
                    .last_given
                    .map(|d| format!("последний раз выдана {}", ru_date(d)))
                    .unwrap_or_default(),
            })
            .collect(),
        weekdays: WEEKDAY_NAMES
            .iter()
            .enumerate()
            .map(|(i, w)| Choice {
                value: (i + 1).to_string(),
                label: w.to_string(),
                selected: i == 4,
            })
            .collect(),
        can_edit: org.has(Role::Curator),
        edit,
        error,
    })
}

pub async fn show(org: OrgCtx, Id(id): Id) -> AppResult<ShowPage> {
    org.require_any(&READERS)?;
    let cur = load(&org, id).await?;
    show_page(&org, cur, None, String::new()).await
}

pub async fn rename(
    org: OrgCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<ShowForm>,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let back = org.paths().questionnaire(id);
    let mut conn = org.conn().await?;
    let named = (data.title.as_str(), data.purpose.as_str());
    let answer = builder::rename(&mut conn, &org.actor(), id, named).await;
    org.told(answer, &back, |_| "Название сохранено.".into())
}

pub async fn assign(
    org: OrgCtx,
    Id(id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<ShowForm>,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let back = org.paths().questionnaire(id);
    let giving = builder::Giving {
        audience: data.audience,
        program: Uuid::parse_str(&data.program).ok(),
        people: crate::web::forms::uuids(&data.people),
        deadline: data.deadline,
    };
    let mut tx = org.begin().await?;
    match builder::give_to(&mut tx, &org.actor(), id, &giving).await {
        Ok(given) => {
            tx.commit().await?;
            let mut msg = format!("Анкета выдана: {} человек.", given.given);
            if given.refused > 0 {
                msg.push_str(&format!(
                    " Не выдана {} — нет действующего согласия на обработку персональных данных.",
                    given.refused
                ));
            }
            Ok(org.flash(&org.paths().assignment(given.sending), &msg))
        }
        Err(Refused::Invalid(e)) => Ok(org.flash_error(&back, &e.first())),
        Err(Refused::Failed(e)) => Err(e),
    }
}

pub struct QView {
    pub key: String,
    pub kind: &'static str,
    pub text: String,
    pub help: String,
    pub required: bool,
    pub details: String,
    pub first: bool,
    pub last: bool,
}

pub struct SectionView {
    pub index: usize,
    pub title: String,
    pub questions: Vec<QView>,
}

pub struct AssignmentLine {
    pub id: String,
    pub who: String,
    pub deadline: String,
    pub submitted: i64,
    pub targets: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaires/show.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub id: String,
    pub title: String,
    pub purpose: String,
    pub purposes: Vec<Choice>,
    pub version: i32,
    pub answered: bool,
    pub sections: Vec<SectionView>,
    pub kinds: Vec<Choice>,
    pub programs: Vec<Choice>,
    pub assignments: Vec<AssignmentLine>,
    /// Given on a schedule: (what, where to delete it).
    pub schedules: Vec<crate::web::view::LinkLine>,
    pub weekdays: Vec<Choice>,
    pub can_edit: bool,
    /// The question being edited (key) and its form values, if any.
    pub edit: Option<QuestionForm>,
    pub error: String,
}
