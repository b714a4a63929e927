//! The command that reminds everyone who has not submitted a sending (ARCHITECTURE.md,
//! «Commands»): those with an account are told as they chose; people of the base without an
//! account get an e-mail at their card's address (saying how to fill the form, not linking a page
//! they cannot open); the representatives of children without an account, where asked. One press
//! is one event: twice in the same minute sends nothing twice. A curator acts.

use std::collections::HashSet;

use sqlx::PgConnection;
use uuid::Uuid;

use super::repo;
use crate::auth::model::Role;
use crate::error::AppError;
use crate::notifications::{Note, Teller};
use crate::tenancy::Actor;

/// Who a reminder reached: told in the app (as each chose), e-mailed without an account, and
/// how many have neither an account nor an address.
#[derive(Debug, PartialEq, Eq)]
pub struct Reminded {
    pub told: usize,
    pub mailed: usize,
    pub unreachable: usize,
}

/// Reminds those of the sending `id` who have not submitted.
pub async fn remind(
    conn: &mut PgConnection,
    by: &Actor<'_>,
    id: Uuid,
) -> Result<Reminded, AppError> {
    by.require(&mut *conn, &[Role::Curator]).await?;
    let assignment = repo::assignment(&mut *conn, by.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let cur = repo::current(&mut *conn, by.org.id, assignment.questionnaire_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let open: Vec<repo::Target> = repo::targets(&mut *conn, by.org.id, id)
        .await?
        .into_iter()
        .filter(|t| t.status != Some(crate::questionnaires::ResponseStatus::Submitted))
        .collect();
    let users: Vec<Uuid> = open.iter().filter_map(|t| t.user_id).collect();
    let form = by.paths().my_form(assignment.id);
    let mut paragraphs = vec![format!(
        "{} просит заполнить анкету «{}».",
        by.org.short_name, cur.title
    )];
    if let Some(d) = assignment.deadline {
        paragraphs.push(format!("Срок — до {}.", crate::web::forms::ru_date(d)));
    }
    paragraphs.push("Если вы уже начали, черновик сохранён — продолжите с того же места.".into());
    // Those with accounts are told as they chose (in the app, by e-mail, in the digest).
    let text = format!("Напоминание: заполните анкету «{}»", cur.title);
    let teller = Teller::by(by);
    let note = Note {
        kind: "reminders",
        text: &text,
        link: &form,
        details: &paragraphs,
    };
    let told = crate::notifications::tell(&mut *conn, teller, &users, note).await?;
    // People of the base without an account get an e-mail at the address in their card.
    let addresses = repo::unanswered_addresses(&mut *conn, by.org.id, assignment.id).await?;
    let subject = format!("Напоминание: анкета «{}»", cur.title);
    let offline = [
        paragraphs[0].clone(),
        "Чтобы заполнить её в системе «Наставник», попросите у куратора программы учётную \
         запись (ссылку или код входа). Можно заполнить и бумажную анкету — её внесёт куратор."
            .to_string(),
    ];
    // One press is one event: pressing twice in the same minute does not send twice.
    let pressed = chrono::Utc::now().format("%Y%m%d%H%M");
    // Representatives of children without an account, if the curator asked to tell them.
    let children: Vec<Uuid> = open
        .iter()
        .filter(|t| t.user_id.is_none())
        .map(|t| t.person_id)
        .collect();
    let guardians = crate::people::guardians(&mut *conn, by.org.id, &children, &[]).await?;
    let key = format!("remind:{}:{pressed}", assignment.id);
    crate::notifications::tell_guardians(&mut *conn, teller, &guardians, &key, note).await?;
    let mut mailed = 0;
    for (person, name, address) in &addresses {
        let key = format!("remind:{}:{person}:{pressed}", assignment.id);
        let queued = crate::notifications::mail::queue(
            &mut *conn,
            &crate::notifications::mail::Mail {
                org_id: Some(by.org.id),
                key: &key,
                kind: "reminders",
                to_address: address,
                to_name: name,
                subject: &subject,
                paragraphs: &offline,
                link: None,
                from_org: &by.org.short_name,
                unsubscribe: None,
                secret: false,
            },
        )
        .await?;
        mailed += usize::from(queued);
    }
    let reached: HashSet<Uuid> = addresses.iter().map(|a| a.0).collect();
    let unreachable = open
        .iter()
        .filter(|t| t.user_id.is_none() && !reached.contains(&t.person_id))
        .count();
    Ok(Reminded {
        told,
        mailed,
        unreachable,
    })
}
