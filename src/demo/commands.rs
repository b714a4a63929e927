//! What the demo does as a member of an organization, through the domains' commands: the same
//! rules as on the pages, the same audit entries and notifications.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::tenancy;

/// The commands the demo runs as a member of the organization `org_id` (the curator, the
/// director): the same rules as on the pages, the same audit entries.
pub(crate) async fn as_member<T>(
    conn: &mut PgConnection,
    (org_id, user): (Uuid, Uuid),
    run: impl AsyncFnOnce(
        &mut PgConnection,
        &crate::tenancy::Actor<'_>,
    ) -> Result<T, crate::web::forms::Refused>,
) -> anyhow::Result<T> {
    let org = tenancy::org_by_id(&mut *conn, org_id).await?;
    let by = crate::tenancy::Actor::new(&org, user, "");
    run(conn, &by)
        .await
        .map_err(|e| anyhow::anyhow!("the demo's command was refused: {e:?}"))
}

/// The curator's «лучшие наставники»: nominated with the reason, confirmed by the director when
/// `confirm`.
pub(super) async fn best_mentor(
    conn: &mut PgConnection,
    org_id: Uuid,
    (program, mentor, reason): (Uuid, Uuid, &str),
    (curator, director): (Uuid, Uuid),
    confirm: bool,
) -> anyhow::Result<()> {
    use crate::completion::commands::{BestStep, decide_best};
    let nominate = BestStep::Nominate(reason.to_string());
    as_member(conn, (org_id, curator), async |c, by| {
        decide_best(c, by, (program, mentor), nominate).await
    })
    .await?;
    if confirm {
        as_member(conn, (org_id, director), async |c, by| {
            decide_best(c, by, (program, mentor), BestStep::Confirm).await
        })
        .await?;
    }
    Ok(())
}

/// The curator's SWOT of the program.
pub(super) async fn swot(
    conn: &mut PgConnection,
    org_id: Uuid,
    (program, curator): (Uuid, Uuid),
    text: [&str; 4],
) -> anyhow::Result<()> {
    as_member(conn, (org_id, curator), async |c, by| {
        crate::monitoring::commands::save_swot(c, by, program, text).await
    })
    .await
}
