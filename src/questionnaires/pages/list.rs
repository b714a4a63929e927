//! «Анкеты»: the organization's questionnaires, creating one, copying a template.

use super::*;
use crate::questionnaires::builder;
use crate::web::forms::Refused;
use crate::web::ids::Id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ListForm {
    pub purpose: String,
    pub title: String,
}

pub async fn list(org: OrgCtx) -> AppResult<ListPage> {
    org.require_any(&READERS)?;
    let mut tx = org.begin().await?;
    repo::ensure_templates(&mut tx, org.org.id).await?;
    let items = repo::list(&mut tx, org.org.id).await?;
    tx.commit().await?;
    Ok(ListPage {
        ctx: org.page("Анкеты", "questionnaires"),
        items: items
            .into_iter()
            .map(|q| QLine {
                id: q.id.to_string(),
                title: q.title,
                purpose: model::purpose_label(&q.purpose),
                version: q.version,
                questions: q.questions,
                assignments: q.assignments,
                responses: q.responses,
                template: !q.template_code.is_empty(),
            })
            .collect(),
        purposes: purpose_opts("other"),
        can_edit: org.has(Role::Curator),
    })
}

pub async fn create(
    org: OrgCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<ListForm>,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let back = org.paths().questionnaires();
    let mut conn = org.conn().await?;
    let named = (data.title.as_str(), data.purpose.as_str());
    match builder::create(&mut conn, &org.actor(), named).await {
        Ok(id) => Ok(org.flash(
            &org.paths().questionnaire(id),
            "Анкета создана. Добавьте вопросы.",
        )),
        Err(Refused::Invalid(e)) => Ok(org.flash_error(&back, &e.first())),
        Err(Refused::Failed(e)) => Err(e),
    }
}

pub async fn copy(org: OrgCtx, Id(id): Id) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let mut conn = org.conn().await?;
    let new = builder::copy(&mut conn, &org.actor(), id)
        .await
        .map_err(Refused::into_error)?;
    Ok(org.flash(
        &org.paths().questionnaire(new),
        "Копия создана — её можно менять.",
    ))
}

pub struct QLine {
    pub id: String,
    pub title: String,
    pub purpose: &'static str,
    pub version: i32,
    pub questions: i64,
    pub assignments: i64,
    pub responses: i64,
    pub template: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaires/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub items: Vec<QLine>,
    pub purposes: Vec<Choice>,
    pub can_edit: bool,
}
