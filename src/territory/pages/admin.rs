//! The platform administrator's territories (`/admin/territories`): regions and their
//! municipalities (organizations join them from the names in their settings, or the administrator
//! adds them here), how many schools each has, and its specialists — a new one gets an
//! invitation link to set a password.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use crate::error::{AppError, AppResult};
use crate::territory::commands::{Change, Changed};
use crate::territory::repo;
use crate::web::ctx::{AuthUser, PageCtx};
use crate::web::forms::{Choice, Refused};
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
    let id = |raw: &str| uuid::Uuid::parse_str(raw).ok();
    let change = match data.action.as_str() {
        "region" => Change::Region { name: data.name },
        "municipality" => Change::Municipality {
            region: id(&data.region),
            name: data.name,
        },
        "specialist" => Change::Specialist {
            unit: id(&data.unit),
            name: data.name,
            email: data.email,
        },
        _ => return Err(AppError::NotFound),
    };
    let mut tx = state.pool.begin().await?;
    match crate::territory::commands::change(&mut tx, &auth.user, &change).await {
        Ok(done) => {
            tx.commit().await?;
            let note = match done {
                Changed::Region => "Регион добавлен.".to_string(),
                Changed::Municipality => "Муниципалитет добавлен.".to_string(),
                Changed::Specialist(Some(token)) => format!(
                    "Специалист добавлен. Ссылка-приглашение (действует 7 дней, показана только сейчас): {}/invite/{token}",
                    state.config.public_url
                ),
                Changed::Specialist(None) => {
                    "Специалист добавлен: он войдёт под своей учётной записью.".to_string()
                }
            };
            flash("success", &note)
        }
        Err(Refused::Invalid(e)) => flash("error", &e.first()),
        Err(Refused::Failed(e)) => Err(e),
    }
}
