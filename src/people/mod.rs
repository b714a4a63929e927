//! Bases of mentors and mentees: people, consents (152-ФЗ), the map of requests, import from
//! class lists, the XLSX export, enrolment in programs, mentor training, participant accounts.

pub mod enrol;
pub mod files;
pub mod handlers;
pub mod import;
pub mod model;
pub mod repo;
pub mod views;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::web::AppState;

/// The SQL condition «person `p` has a valid consent» (for other domains' queries).
pub fn valid_consent_sql() -> String {
    repo::valid_consent_sql()
}

/// Whether the person has a valid consent now (and their data is not erased).
pub async fn has_valid_consent(
    conn: &mut sqlx::PgConnection,
    org_id: uuid::Uuid,
    person_id: uuid::Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT EXISTS (SELECT 1 FROM people p WHERE p.org_id = $1 AND p.id = $2
                          AND p.anonymized_at IS NULL AND {})",
        repo::valid_consent_sql()
    )))
    .bind(org_id)
    .bind(person_id)
    .fetch_one(conn)
    .await
}

/// Links a person of `org_id` to an account that accepted the organization's invitation, if the
/// person has no account yet and still has their data (consent not withdrawn).
pub async fn link_account_if_free(
    conn: &mut sqlx::PgConnection,
    org_id: uuid::Uuid,
    person_id: uuid::Uuid,
    user_id: uuid::Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE people SET user_id = $3
          WHERE org_id = $1 AND id = $2 AND user_id IS NULL AND anonymized_at IS NULL",
    )
    .bind(org_id)
    .bind(person_id)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/o/{slug}/people", get(handlers::list))
        .route(
            "/o/{slug}/people/new",
            get(handlers::new_page).post(handlers::create),
        )
        .route("/o/{slug}/people/bulk", post(enrol::bulk))
        .route(
            "/o/{slug}/people/slips",
            get(enrol::slips_page).post(enrol::slips),
        )
        .route("/o/{slug}/people/export.xlsx", get(files::export))
        .route(
            "/o/{slug}/people/import",
            get(files::import_page)
                .post(files::upload)
                .layer(DefaultBodyLimit::max(import::MAX_BYTES + 256 * 1024)),
        )
        .route(
            "/o/{slug}/people/import/{id}",
            get(files::preview).post(files::confirm),
        )
        .route("/o/{slug}/people/{id}", get(handlers::card))
        .route(
            "/o/{slug}/people/{id}/edit",
            get(handlers::edit_page).post(handlers::update),
        )
        .route(
            "/o/{slug}/people/{id}/consents",
            post(handlers::add_consent),
        )
        .route(
            "/o/{slug}/people/{id}/consents/{consent}/withdraw",
            post(handlers::withdraw_consent),
        )
        .route(
            "/o/{slug}/people/{id}/requests",
            post(handlers::add_request),
        )
        .route("/o/{slug}/people/{id}/enrol", post(enrol::enrol_one))
        .route("/o/{slug}/people/{id}/account", post(enrol::account))
        .route(
            "/o/{slug}/programs/{id}/participants",
            get(enrol::participants),
        )
        .route(
            "/o/{slug}/programs/{id}/participants/status",
            post(enrol::set_status),
        )
        .route(
            "/o/{slug}/programs/{id}/participants/earlier",
            post(enrol::enrol_earlier),
        )
        .route(
            "/o/{slug}/programs/{id}/training",
            post(enrol::add_training),
        )
        .route(
            "/o/{slug}/programs/{id}/training/{session}",
            post(enrol::attendance),
        )
}
