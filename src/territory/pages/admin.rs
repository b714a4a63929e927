//! The platform administrator's territories (`/admin/territories`): regions and their
//! municipalities (organizations join them from the names in their settings, or the administrator
//! adds them here), how many schools each has, and its specialists — a new one gets an
//! invitation link to set a password.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use crate::auth::model::{normalize_email, valid_email};
use crate::error::{AppError, AppResult};
use crate::territory::repo;
use crate::web::ctx::{AuthUser, PageCtx};
use crate::web::forms::{Choice, trimmed};
use crate::web::{AppState, redirect_with_flash};

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AdminForm {
    pub action: String,
    pub email: String,
    pub name: String,
    pub region: String,
    pub unit: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "territory/admin.html")]
pub struct TerritoriesPage {
    pub ctx: PageCtx,
    pub units: Vec<repo::Unit>,
    pub regions: Vec<Choice>,
    pub all: Vec<Choice>,
}

fn require_admin(auth: &AuthUser) -> AppResult<()> {
    if auth.user.is_platform_admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn territories(
    State(state): State<AppState>,
    auth: AuthUser,
) -> AppResult<TerritoriesPage> {
    require_admin(&auth)?;
    let mut conn = state.pool.acquire().await?;
    let units = repo::units(&mut conn).await?;
    Ok(TerritoriesPage {
        ctx: auth.ctx.page("Территории"),
        regions: units
            .iter()
            .filter(|u| u.municipality.is_empty())
            .map(|u| Choice {
                value: u.id.to_string(),
                label: u.region.clone(),
                selected: false,
            })
            .collect(),
        all: units
            .iter()
            .map(|u| Choice {
                value: u.id.to_string(),
                label: if u.municipality.is_empty() {
                    format!("регион: {}", u.region)
                } else {
                    format!("муниципалитет: {}, {}", u.municipality, u.region)
                },
                selected: false,
            })
            .collect(),
        units,
    })
}

pub async fn change(
    State(state): State<AppState>,
    auth: AuthUser,
    crate::web::forms::Form(data): crate::web::forms::Form<AdminForm>,
) -> AppResult<Response> {
    require_admin(&auth)?;
    let flash = |kind: &str, text: &str| {
        Ok(redirect_with_flash(
            crate::paths::ADMIN_TERRITORIES,
            kind,
            text,
            auth.ctx.secure_cookies,
        ))
    };
    let name = trimmed(&data.name);
    let mut tx = state.pool.begin().await?;
    match data.action.clone().as_str() {
        "region" | "municipality" if name.is_empty() || name.chars().count() > 200 => {
            flash("error", "Введите название (до 200 знаков).")
        }
        "region" => {
            let added = repo::add_region(&mut tx, &name).await?;
            tx.commit().await?;
            if added {
                flash("success", "Регион добавлен.")
            } else {
                flash("error", "Такой регион уже есть.")
            }
        }
        "municipality" => {
            let Ok(region) = uuid::Uuid::parse_str(&data.region) else {
                return flash("error", "Выберите регион.");
            };
            let added = repo::add_municipality(&mut tx, region, &name).await?;
            tx.commit().await?;
            if added {
                flash("success", "Муниципалитет добавлен.")
            } else {
                flash("error", "Такой муниципалитет в регионе уже есть.")
            }
        }
        "specialist" => {
            let email = normalize_email(&data.email);
            let Ok(unit) = uuid::Uuid::parse_str(&data.unit) else {
                return flash("error", "Выберите регион или муниципалитет.");
            };
            if !valid_email(&email) || name.is_empty() {
                return flash(
                    "error",
                    "Введите ФИО и адрес электронной почты специалиста.",
                );
            }
            let (user, created) =
                crate::auth::find_or_create_user(&mut tx, &email, &name, false).await?;
            if !repo::add_specialist(&mut tx, user.id, unit).await? {
                return flash("error", "Этот человек уже специалист этой территории.");
            }
            let note = if created {
                let token =
                    crate::auth::create_invitation(&mut tx, user.id, None, Some(auth.user.id))
                        .await?;
                format!(
                    "Специалист добавлен. Ссылка-приглашение (действует 7 дней, показана только сейчас): {}/invite/{token}",
                    state.config.public_url
                )
            } else {
                "Специалист добавлен: он войдёт под своей учётной записью.".to_string()
            };
            tx.commit().await?;
            flash("success", &note)
        }
        _ => Err(AppError::NotFound),
    }
}
