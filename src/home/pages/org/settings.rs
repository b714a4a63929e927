//! «Организация»: the organization's names, kind, place, the numbers of students and teachers
//! (the denominators of the 70 % indicators) and the forms of mentorship it runs.

use super::*;

pub async fn settings(org: OrgCtx) -> AppResult<SettingsPage> {
    org.require_any(&STAFF)?;
    let mut conn = org.conn().await?;
    let codes = crate::programs::org_form_codes(&mut conn, org.org.id).await?;
    let (site, intro, regulation, curator) = tenancy::documents(&mut conn, org.org.id).await?;
    Ok(SettingsPage {
        ctx: org.page("Организация", "settings"),
        slug: org.org.slug.clone(),
        forms: form_choices(&org.state, &codes).await?,
        form: OrgForm {
            site_section_url: site,
            doc_intro_order: intro,
            doc_regulation: regulation,
            doc_curator_order: curator,
            place_fixed: true,
            ..org_form_from(&org.org, codes)
        },
        errors: FormErrors::default(),
        kinds: crate::web::forms::coded(&KINDS),
    })
}

pub async fn save_settings(
    org: OrgCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<super::TenancyForm>,
) -> AppResult<Response> {
    let mut form = read_org_form(&data);
    let mut tx = org.begin().await?;
    match crate::accounts::orgs::save_settings(&mut tx, &org.actor(), &form).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(org.flash(
                &org.paths().settings(),
                "Сведения об организации сохранены.",
            ))
        }
        Err(Refused::Invalid(errors)) => {
            drop(tx);
            // The territory is shown as it is, whatever the form said.
            form.region = org.org.region.clone();
            form.municipality = org.org.municipality.clone();
            form.place_fixed = true;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                SettingsPage {
                    ctx: org.page("Организация", "settings"),
                    slug: org.org.slug.clone(),
                    forms: form_choices(&org.state, &form.forms).await?,
                    form,
                    errors,
                    kinds: crate::web::forms::coded(&KINDS),
                },
            )
                .into_response())
        }
        Err(Refused::Failed(e)) => Err(e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "tenancy/settings.html")]
pub struct SettingsPage {
    pub ctx: PageCtx,
    pub slug: String,
    pub form: OrgForm,
    pub errors: FormErrors,
    pub kinds: Vec<crate::web::forms::Coded>,
    pub forms: Vec<FormChoice>,
}
