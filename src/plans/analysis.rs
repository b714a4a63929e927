//! The command that saves the analysis part of a mentee's plan (`save_analysis`): the
//! self-analysis, the joint analysis, strengths and growth zones (each within 4,000 characters),
//! the priority sphere and the stages of the plan — saved as a whole, what changed written into
//! the plan's history.

use serde::Deserialize;
use uuid::Uuid;

use crate::plans::{model, repo};
use crate::tenancy::Actor;
use crate::web::forms::{FormErrors, Refused};

/// The analysis part of the plan as the form sends it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnalysisForm {
    pub self_analysis: String,
    pub joint_analysis: String,
    pub strengths: String,
    pub growth_zones: String,
    pub sphere: String,
    pub stages: String,
}

/// Saves the analysis of `person`'s plan in `pair` (made empty on first use) by `actor`; the
/// fields that changed go into the plan's history.
pub async fn save_analysis(
    tx: &mut sqlx::PgConnection,
    actor: &Actor<'_>,
    (pair, person): (Uuid, Uuid),
    form: &AnalysisForm,
) -> Result<(), Refused> {
    let fields = [
        &form.self_analysis,
        &form.joint_analysis,
        &form.strengths,
        &form.growth_zones,
    ]
    .map(|f| f.trim().to_string());
    let (sphere, stages) = (&form.sphere, &form.stages);
    let mut errors = FormErrors::default();
    for (name, value) in [
        "self_analysis",
        "joint_analysis",
        "strengths",
        "growth_zones",
    ]
    .iter()
    .zip(&fields)
    {
        errors.limit(name, value, 4000);
    }
    if !sphere.is_empty() && model::Sphere::parse(sphere).is_none() {
        errors.add("sphere", "Выберите сферу из списка.");
    }
    if !model::STAGE_MODELS.iter().any(|x| x.0 == *stages) {
        errors.add("stages", "Выберите этапы.");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let plan = repo::plan_of(tx, actor.org.id, pair, person).await?;
    let before = [
        &plan.self_analysis,
        &plan.joint_analysis,
        &plan.strengths,
        &plan.growth_zones,
    ];
    let labels = [
        "самоанализ",
        "совместный анализ",
        "сильные стороны",
        "зоны роста",
    ];
    let mut changed: Vec<String> = labels
        .iter()
        .zip(before.iter().zip(&fields))
        .filter(|(_, (b, a))| **b != *a)
        .map(|(l, _)| l.to_string())
        .collect();
    if plan.sphere != *sphere {
        changed.push(format!(
            "приоритетная сфера: {}",
            model::Sphere::label_of(sphere)
        ));
    }
    if plan.stages != *stages {
        changed.push("этапы плана".into());
    }
    repo::save_analysis(
        tx,
        actor.org.id,
        plan.id,
        &repo::Analysis {
            self_analysis: &fields[0],
            joint_analysis: &fields[1],
            strengths: &fields[2],
            growth_zones: &fields[3],
            sphere,
            stages,
        },
    )
    .await?;
    if !changed.is_empty() {
        let what = format!("Изменено: {}", changed.join(", "));
        repo::note(tx, actor.org.id, plan.id, actor.user_id, &what).await?;
    }
    Ok(())
}
