//! The erasure of a person across the domains (ARCHITECTURE.md, «Erasure»): withdrawing the last
//! consent forgets the person in every domain's tables, each through its own
//! `forget::forget_person`, in one transaction. It sits in this layer because the person's rows
//! live in domains standing above `people`. The list below is both the calls and the declarations
//! a test compares with the schema, so a domain cannot be declared and not called.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::erasure::{Forgets, FreeText};

macro_rules! domains {
    ($($d:ident),+ $(,)?) => {
        /// What every domain's erasure covers.
        pub const ALL: &[&Forgets] = &[$(&crate::$d::forget::ERASURE),+];

        async fn forget_everywhere(
            conn: &mut PgConnection,
            f: &crate::erasure::Forgotten,
        ) -> Result<(), sqlx::Error> {
            $(crate::$d::forget::forget_person(&mut *conn, f).await?;)+
            Ok(())
        }
    };
}

// The person's own row goes last (what others typed is scrubbed by the forms read first);
// notifications and memberships before the account they belong to.
domains!(
    questionnaires,
    participants,
    pairing,
    orders,
    meetings,
    plans,
    activities,
    completion,
    monitoring,
    recruitment,
    programs,
    territory,
    notifications,
    audit,
    jobs,
    db,
    tenancy,
    auth,
    people,
);

/// Forgets the person `id` of `org_id` everywhere: their own records are cleared or deleted, what
/// others typed about them names «Участник №N», their account (if theirs alone) is disabled and
/// de-personalised, or (if anyone else's too) only loses this participant's link and roles.
/// Runs inside the caller's transaction; a person not in the organization is left alone.
pub async fn forget_person(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<(), sqlx::Error> {
    let Some(mut f) = crate::people::forget::begin(&mut *conn, org_id, id).await? else {
        return Ok(());
    };
    if let Some(uid) = f.user_id {
        f.account_shared = crate::tenancy::account_is_shared(&mut *conn, org_id, uid).await?;
    }
    forget_everywhere(conn, &f).await
}

/// What [`withdraw_consent`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Withdrawn {
    /// Another consent of the person is still valid.
    StillValid,
    /// That was the last valid consent: the person is forgotten everywhere.
    Erased,
}

/// A curator withdraws the consent `consent` of the person `person` (dated today on the school's
/// clock); with no valid consent left, the person is forgotten everywhere ([`forget_person`]).
/// Audited. 404 for a consent that is not the person's or was withdrawn before.
pub async fn withdraw_consent(
    conn: &mut PgConnection,
    by: &crate::tenancy::Actor<'_>,
    person: Uuid,
    consent: Uuid,
) -> Result<Withdrawn, crate::web::forms::Refused> {
    by.require(&mut *conn, &[crate::auth::model::Role::Curator])
        .await?;
    let org_id = by.org.id;
    if !crate::people::withdraw_consent(&mut *conn, org_id, person, consent, by.today()).await? {
        return Err(crate::error::AppError::NotFound.into());
    }
    let still_valid = crate::people::has_valid_consent(&mut *conn, org_id, person).await?;
    if !still_valid {
        forget_person(&mut *conn, org_id, person).await?;
    }
    let details = if still_valid {
        ""
    } else {
        "персональные данные удалены"
    };
    crate::audit::record(&mut *conn, by, "consent.withdraw", Some(person), details).await?;
    Ok(if still_valid {
        Withdrawn::StillValid
    } else {
        Withdrawn::Erased
    })
}

/// The tables that refer to a person, each with its domain and what the erasure does there.
pub fn person_tables() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    ALL.iter()
        .flat_map(|d| d.tables.iter().map(move |(t, w)| (d.domain, *t, *w)))
}

/// Every declared free-text column group.
pub fn free_text() -> impl Iterator<Item = &'static FreeText> {
    ALL.iter().flat_map(|d| d.free_text.iter())
}

/// Every declared coded text column: (table, column, why).
pub fn coded() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    ALL.iter().flat_map(|d| d.coded.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The owner of each table, as `.ci/tables` declares it.
    fn owners() -> std::collections::HashMap<&'static str, &'static str> {
        include_str!("../../.ci/tables")
            .lines()
            .filter_map(|l| {
                let mut w = l.split('#').next()?.split_whitespace();
                Some((w.next()?, w.next()?))
            })
            .collect()
    }

    /// A domain declares, and so forgets, only its own tables; every column is declared once.
    #[test]
    fn each_domain_forgets_only_its_own_tables() {
        let owner = owners();
        let mut seen = std::collections::HashSet::new();
        for d in ALL {
            let tables = d
                .tables
                .iter()
                .map(|(t, _)| *t)
                .chain(d.free_text.iter().map(|f| f.table))
                .chain(d.coded.iter().map(|(t, _, _)| *t));
            for t in tables {
                assert_eq!(
                    owner.get(t),
                    Some(&d.domain),
                    "{t} is declared by {}",
                    d.domain
                );
            }
            for f in d.free_text {
                for c in f.columns {
                    assert!(seen.insert((f.table, *c)), "{}.{c} twice", f.table);
                }
            }
            for (t, c, _) in d.coded {
                assert!(seen.insert((*t, *c)), "{t}.{c} twice");
            }
        }
        let domains: std::collections::HashSet<_> = ALL.iter().map(|d| d.domain).collect();
        assert_eq!(domains.len(), ALL.len(), "a domain listed twice");
    }
}
