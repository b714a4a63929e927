//! Enrolling one person in a program from their card.

use super::*;
use crate::people::Side;
use crate::web::ids::Id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct EnrolForm {
    pub program: String,
    pub role: String,
}

pub async fn enrol_one(
    org: OrgCtx,
    Id(person_id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<EnrolForm>,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let program = {
        let pid = parse_id(&data.program)?;
        let mut conn = org.conn().await?;
        crate::programs::program(&mut conn, org.org.id, pid)
            .await?
            .ok_or(AppError::NotFound)?
    };
    let role = Side::of_form(&data.role);
    let mut tx = org.begin().await?;
    if crate::people::person(&mut tx, org.org.id, person_id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let (n, refused) =
        crate::participants::enrol_people(&mut tx, &org.actor(), program.id, &[person_id], role)
            .await?;
    tx.commit().await?;
    let back = org.paths().person(person_id);
    Ok(match (n, refused.first()) {
        (_, Some(why)) => org.flash_error(&back, &format!("Нельзя включить в программу. {why}")),
        (0, None) => org.flash(&back, "Уже участвует в этой программе в этой роли."),
        _ => org.flash(
            &back,
            &format!(
                "Включён(а) в программу «{}» ({}).",
                program.name,
                role.label()
            ),
        ),
    })
}
