//! The commands of the territories (ARCHITECTURE.md, «Commands»): the platform administrator's
//! list of regions and municipalities and their specialists, and a territory's recount of its
//! schools' figures for a period.

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

use super::repo;
use crate::auth::model::{normalize_email, valid_email};
use crate::error::AppError;
use crate::web::ctx::User;
use crate::web::forms::Refused;

/// A change to the territories, as the administrator's forms send it.
#[derive(Debug, Clone)]
pub enum Change {
    Region {
        name: String,
    },
    Municipality {
        region: Option<Uuid>,
        name: String,
    },
    /// A specialist of a region or a municipality (`unit`), by name and e-mail.
    Specialist {
        unit: Option<Uuid>,
        name: String,
        email: String,
    },
}

/// What [`change`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Changed {
    Region,
    Municipality,
    /// The specialist; a new account's invitation token (shown once), if one was made.
    Specialist(Option<String>),
}

/// Adds a region, a municipality or a specialist (the platform administrator only).
pub async fn change(
    conn: &mut PgConnection,
    by: &User,
    change: &Change,
) -> Result<Changed, Refused> {
    if !by.is_platform_admin {
        return Err(AppError::Forbidden.into());
    }
    let named = |name: &str| !name.is_empty() && name.chars().count() <= 200;
    match change {
        Change::Region { name } | Change::Municipality { name, .. } if !named(name.trim()) => {
            Err(Refused::field("name", "Введите название (до 200 знаков)."))
        }
        Change::Region { name } => {
            if !repo::add_region(&mut *conn, name.trim()).await? {
                return Err(Refused::field("name", "Такой регион уже есть."));
            }
            Ok(Changed::Region)
        }
        Change::Municipality { region, name } => {
            let Some(region) = region else {
                return Err(Refused::field("name", "Выберите регион."));
            };
            if !repo::add_municipality(&mut *conn, *region, name.trim()).await? {
                return Err(Refused::field(
                    "name",
                    "Такой муниципалитет в регионе уже есть.",
                ));
            }
            Ok(Changed::Municipality)
        }
        Change::Specialist { unit, name, email } => {
            let (name, email) = (name.trim(), normalize_email(email));
            let Some(unit) = unit else {
                return Err(Refused::field("name", "Выберите регион или муниципалитет."));
            };
            if !valid_email(&email) || name.is_empty() {
                return Err(Refused::field(
                    "name",
                    "Введите ФИО и адрес электронной почты специалиста.",
                ));
            }
            let (user, created) =
                crate::auth::find_or_create_user(&mut *conn, &email, name, false).await?;
            if !repo::add_specialist(&mut *conn, user.id, *unit).await? {
                return Err(Refused::field(
                    "name",
                    "Этот человек уже специалист этой территории.",
                ));
            }
            let token = if created {
                Some(crate::auth::create_invitation(&mut *conn, user.id, None, Some(by.id)).await?)
            } else {
                None
            };
            Ok(Changed::Specialist(token))
        }
    }
}

/// Counts again the figures of every school of the territory for the period; returns how many
/// schools.
pub async fn recount(
    conn: &mut PgConnection,
    scope: &super::Scope,
    period: &crate::reports::model::Period,
    today: NaiveDate,
) -> Result<usize, sqlx::Error> {
    let ids: Vec<Uuid> = repo::schools(&mut *conn, scope)
        .await?
        .iter()
        .map(|s| s.id)
        .collect();
    repo::refresh(&mut *conn, &ids, period, today).await?;
    Ok(ids.len())
}
