//! «Веса и правила»: the weights of the criteria, the form's rule, the objective, the minimum
//! score, each mentor's places and the list of «не ставить вместе».

use super::*;
use crate::people::Side;

fn rule_kind(form_code: &str) -> (&'static str, i32) {
    match Weights::rule_for(form_code) {
        Rule::GradeGap(g) => ("grade", g),
        Rule::Experience { gap, .. } => ("experience", gap),
        Rule::Career => ("career", 0),
        Rule::None => ("none", 0),
    }
}

/// The settings form's own fields (the weights `w.<criterion>` and the mentors' places
/// `cap.<person>` are named at run time and read from the pairs as sent).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub objective: String,
    pub min_score: String,
    pub rule_gap: String,
    pub same_subject: String,
    pub version: String,
}

async fn settings_page(
    org: &OrgCtx,
    program: &ProgramRow,
    input: Option<(&SettingsForm, &FormData, Vec<String>)>,
) -> AppResult<SettingsPage> {
    org.require_any(&VIEWERS)?;
    let mut conn = org.conn().await?;
    let program = program.clone();
    let s = repo::settings(&mut conn, org.org.id, program.id, &program.form_code).await?;
    let people = repo::participants(&mut conn, org.org.id, program.id).await?;
    let forbidden = repo::forbidden(&mut conn, org.org.id, program.id).await?;
    let form_title = crate::programs::form(&mut conn, &program.form_code)
        .await?
        .map(|f| f.title)
        .unwrap_or_default();
    drop(conn);
    let d = Settings::defaults(&program.form_code);
    let (kind, rule_default) = rule_kind(&program.form_code);
    let get = |name: &str, saved: String| match &input {
        Some((_, data, _)) => data.get(name),
        None => saved,
    };
    let name = |id: Uuid, role: Side| {
        people
            .iter()
            .find(|p| p.person_id == id && p.role == role)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let mut forbidden: Vec<Choice> = forbidden
        .iter()
        .map(|(t, e)| Choice {
            value: format!("{t}:{e}"),
            label: format!("{} и {}", name(*t, Side::Mentor), name(*e, Side::Mentee)),
            selected: false,
        })
        .collect();
    forbidden.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(SettingsPage {
        ctx: org.page(format!("Веса и правила — {}", program.name), "programs"),
        prog: org.paths().in_program(program.id),
        program_name: program.name.clone(),
        form_title,
        rows: CRITERIA
            .iter()
            .map(|(code, label)| SettingRow {
                code,
                label,
                value: match &input {
                    Some((_, data, _)) => {
                        data.get(&format!("w.{code}")).trim().parse().unwrap_or(0)
                    }
                    None => s.weights.get(*code).copied().unwrap_or(0),
                },
                default: d.weights.get(*code).copied().unwrap_or(0),
            })
            .collect(),
        objective: if get("objective", objective_code(s.objective).into()) == "coverage" {
            "coverage"
        } else {
            "quality"
        },
        min_score: get("min_score", s.min_score.to_string()),
        rule_kind: kind,
        rule_gap: get(
            "rule_gap",
            s.rule_gap.map(|g| g.to_string()).unwrap_or_default(),
        ),
        rule_default,
        same_subject: match &input {
            Some((f, _, _)) => f.same_subject == "1",
            None => s.same_subject,
        },
        version: match &input {
            Some((f, _, _)) => crate::web::forms::int(&f.version),
            None => s.version,
        },
        capacities: people
            .iter()
            .filter(|p| p.role == Side::Mentor)
            .map(|p| CapacityRow {
                person_id: p.person_id.to_string(),
                name: p.name.clone(),
                capacity: match &input {
                    Some((_, data, _)) => data
                        .get(&format!("cap.{}", p.person_id))
                        .trim()
                        .parse()
                        .unwrap_or(p.capacity),
                    None => p.capacity,
                },
                answered: p.answered,
            })
            .collect(),
        forbidden,
        errors: input.map(|i| i.2).unwrap_or_default(),
    })
}

pub async fn settings(pc: ProgramCtx) -> AppResult<SettingsPage> {
    let ProgramCtx { org, program } = pc;
    settings_page(&org, &program, None).await
}

pub async fn save_settings(
    pc: ProgramCtx,
    crate::web::forms::FormAnd(form, data): crate::web::forms::FormAnd<SettingsForm>,
) -> AppResult<Response> {
    let ProgramCtx { org, program } = pc.require_any(&EDITORS)?;
    let input = super::super::settings::SettingsInput {
        weights: CRITERIA
            .iter()
            .map(|(code, _)| (code.to_string(), data.get(&format!("w.{code}"))))
            .collect(),
        objective: form.objective.clone(),
        min_score: form.min_score.clone(),
        rule_gap: form.rule_gap.clone(),
        same_subject: form.same_subject == "1",
        version: form.version.clone(),
        places: data
            .0
            .iter()
            .filter_map(|(k, v)| {
                let id = k.strip_prefix("cap.")?.parse::<Uuid>().ok()?;
                Some((id, v.clone()))
            })
            .collect(),
    };
    let mut tx = org.begin().await?;
    use super::super::settings::SettingsSaved;
    match super::super::settings::save_settings(&mut tx, &org.actor(), program.id, &input).await? {
        SettingsSaved::Saved => {
            tx.commit().await?;
            Ok(org.flash(
                &org.paths().matching(program.id),
                "Веса и правила сохранены; пары подобраны с ними заново.",
            ))
        }
        SettingsSaved::Invalid(errors) => {
            drop(tx);
            let page = settings_page(&org, &program, Some((&form, &data, errors))).await?;
            Ok(with_status(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        SettingsSaved::Conflict => {
            drop(tx);
            let mut page = settings_page(&org,
                &program,
                Some((
                    &form,
                    &data,
                    vec!["Пока вы редактировали, настройки сохранил кто-то другой. Ваши значения остались в форме; сохраните ещё раз, чтобы записать их.".into()],
                )),
            )
            .await?;
            let mut conn = org.conn().await?;
            page.version = repo::settings(&mut conn, org.org.id, program.id, &program.form_code)
                .await?
                .version;
            Ok(with_status(StatusCode::CONFLICT, page))
        }
    }
}

pub struct SettingRow {
    pub code: &'static str,
    pub label: &'static str,
    pub value: u32,
    pub default: u32,
}

pub struct CapacityRow {
    pub person_id: String,
    pub name: String,
    pub capacity: u32,
    pub answered: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pairing/settings.html")]
pub struct SettingsPage {
    pub ctx: PageCtx,
    pub prog: crate::paths::ProgramPaths,
    pub program_name: String,
    pub form_title: String,
    pub rows: Vec<SettingRow>,
    pub objective: &'static str,
    pub min_score: String,
    pub rule_kind: &'static str,
    pub rule_gap: String,
    pub rule_default: i32,
    pub same_subject: bool,
    pub version: i32,
    pub capacities: Vec<CapacityRow>,
    pub forbidden: Vec<Choice>,
    pub errors: Vec<String>,
}
