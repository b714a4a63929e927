//! Giving a questionnaire to people: an assignment with its targets, only those with a valid
//! consent (the rest counted as refused), each notified.

use uuid::Uuid;

use super::repo;
use crate::error::AppResult;
use crate::notifications::Teller;
use crate::tenancy::{OrgCtx, Organization};

/// Gives the questionnaire to the candidates who have a valid consent (the consent rule) and
/// notifies those with accounts. Returns (assignment, given, refused), or None if nobody qualifies.
pub async fn give(
    conn: &mut sqlx::PgConnection,
    org: &OrgCtx,
    cur: &repo::Current,
    program: Option<Uuid>,
    audience: &str,
    candidates: Vec<Uuid>,
    deadline: Option<chrono::NaiveDate>,
) -> AppResult<Option<(Uuid, usize, usize)>> {
    let by = (Teller::of(org), org.user.id);
    give_as(
        conn,
        &org.org,
        by,
        cur,
        (program, audience),
        candidates,
        deadline,
    )
    .await
}

/// [`give`] outside a request (the scheduled questionnaires): as the user `by`.
pub async fn give_as(
    conn: &mut sqlx::PgConnection,
    org: &Organization,
    (teller, by): (Teller<'_>, Uuid),
    cur: &repo::Current,
    (program, audience): (Option<Uuid>, &str),
    candidates: Vec<Uuid>,
    deadline: Option<chrono::NaiveDate>,
) -> AppResult<Option<(Uuid, usize, usize)>> {
    let mut allowed = Vec::new();
    let mut refused = 0;
    for pid in candidates {
        match crate::people::participation(&mut *conn, org.id, pid).await? {
            Some((_, None)) => allowed.push(pid),
            Some((_, Some(_))) => refused += 1,
            None => {}
        }
    }
    if allowed.is_empty() {
        return Ok(None);
    }
    let aid = repo::create_assignment(
        &mut *conn,
        org.id,
        &crate::questionnaires::NewAssignment {
            questionnaire_id: cur.id,
            program_id: program,
            audience,
            deadline,
            by,
            people: &allowed,
        },
    )
    .await?;
    let users: Vec<Uuid> = crate::people::cards(&mut *conn, org.id, &allowed)
        .await?
        .into_values()
        .filter_map(|c| c.user_id)
        .collect();
    let text = format!("Новая анкета: «{}»", cur.title);
    let link = crate::paths::Paths::of(&org.slug).my_form(aid);
    crate::notifications::tell(
        &mut *conn,
        teller,
        &users,
        crate::notifications::Note::new("surveys", &text, &link),
    )
    .await?;
    Ok(Some((aid, allowed.len(), refused)))
}
