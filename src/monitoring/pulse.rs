//! The mid-program pulse (`program_pulse`, `pulse_sent`): for the programs that turned it on,
//! the satisfaction questionnaires go to the members of each agreed pair 30 days after the order
//! that fixed it (or its agreement), then every 60 days — once a day at most.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::error::AppResult;
use crate::notifications::Teller;
use crate::programs::ProgramStatus;
use crate::questionnaires::schedules::{any_curator, give_template, satisfaction_forms};
use crate::tenancy::Organization;

/// Whether a pair's pulse is due `days` after its order (or agreement): on day 30, then every 60.
pub fn pulse_due(days: i64) -> bool {
    days == 30 || (days > 30 && (days - 30) % 60 == 0)
}

/// The pulse of today: the pairs of the active programs with the pulse on (pairing), since
/// their order (orders) or agreement, asked in the name of the program's curator (programs) or
/// any curator (tenancy). Returns how many pairs were asked.
pub async fn pulse(
    conn: &mut PgConnection,
    org: &Organization,
    teller: Teller<'_>,
    today: NaiveDate,
) -> AppResult<usize> {
    let on: HashSet<Uuid> = sqlx::query_scalar!(
        "SELECT program_id FROM program_pulse WHERE org_id = $1 AND enabled",
        org.id,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    if on.is_empty() {
        return Ok(0);
    }
    let curators: HashMap<Uuid, Option<Uuid>> = crate::programs::programs(&mut *conn, org.id)
        .await?
        .into_iter()
        .filter(|g| on.contains(&g.id) && g.status == ProgramStatus::Active)
        .map(|g| (g.id, g.curator_user_id))
        .collect();
    let programs: Vec<Uuid> = curators.keys().copied().collect();
    let pairs = crate::pairing::agreed_in(&mut *conn, org.id, &programs, None).await?;
    let ids: Vec<Uuid> = pairs.iter().map(|p| p.id).collect();
    let fixed: HashMap<Uuid, NaiveDate> = crate::orders::fixed_of_pairs(&mut *conn, org.id, &ids)
        .await?
        .into_iter()
        .map(|(pair, f)| (pair, f.signed_on))
        .collect();
    let any = any_curator(&mut *conn, org.id).await?;
    let mut asked = 0;
    let mut forms = None;
    for pair in pairs {
        let since = fixed
            .get(&pair.id)
            .copied()
            .unwrap_or(pair.agreed_on(org.offset()));
        let by = curators.get(&pair.program_id).copied().flatten().or(any);
        let (Some(by), true) = (by, pulse_due((today - since).num_days())) else {
            continue;
        };
        let first = sqlx::query!(
            "INSERT INTO pulse_sent (pair_id, org_id, on_date) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            pair.id,
            org.id,
            today,
        )
        .execute(&mut *conn)
        .await?
        .rows_affected()
            == 1;
        if !first {
            continue;
        }
        if forms.is_none() {
            forms = Some(satisfaction_forms(conn, org.id).await?);
        }
        let Some([mentors_form, mentees_form]) = &forms else {
            continue;
        };
        let deadline = today + Duration::days(5);
        let to = (Some(pair.program_id), "people");
        for (form, people) in [
            (mentors_form, vec![pair.mentor_id]),
            (mentees_form, pair.mentees),
        ] {
            if let Some(form) = form {
                give_template(conn, org, (teller, by), form, to, people, deadline).await?;
            }
        }
        asked += 1;
    }
    Ok(asked)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_pulse_is_on_day_30_then_every_60() {
        let due: Vec<i64> = (0..260).filter(|d| super::pulse_due(*d)).collect();
        assert_eq!(due, [30, 90, 150, 210]);
    }
}
