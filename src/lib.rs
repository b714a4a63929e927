//! «Наставник»: mentorship programs for Russian schools and colleges.
//!
//! `app(state)` builds the router used by `main` and by the tests.

pub mod accounts;
pub mod activities;
pub mod audit;
pub mod auth;
pub mod codes;
pub mod completion;
pub mod config;
pub mod db;
pub mod demo;
pub mod erasure;
pub mod error;
pub mod failpoint;
pub mod home;
pub mod jobs;
pub mod matching;
pub mod meetings;
pub mod monitoring;
pub mod notifications;
pub mod orders;
pub mod pairing;
pub mod participants;
pub mod paths;
pub mod people;
pub mod plans;
pub mod programs;
pub mod questionnaires;
pub mod recruitment;
pub mod reports;
pub mod routes;
pub mod schedule;
pub mod telemetry;
pub mod tenancy;
pub mod territory;
pub mod web;

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sqlx::PgPool;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::error::ErrorPage;
use crate::web::{AppState, PageCtx, RequestCtx};

pub use db::MIGRATOR;

pub fn state(pool: PgPool, config: Config) -> AppState {
    // Connected on first use: a replica that is down does not stop the start.
    let read_pool = config.database_read_url.as_ref().and_then(|url| {
        let opts: sqlx::postgres::PgConnectOptions = url.parse().ok()?;
        Some(
            sqlx::postgres::PgPoolOptions::new()
                .max_connections(10)
                .acquire_timeout(std::time::Duration::from_secs(1))
                .connect_lazy_with(opts.options([("plan_cache_mode", "force_generic_plan")])),
        )
    });
    AppState {
        pool,
        read_pool,
        hashing: Arc::new(tokio::sync::Semaphore::new(config.hash_concurrency)),
        work: Arc::new(tokio::sync::Semaphore::new(2)),
        metrics: Arc::new(web::metrics::Metrics::default()),
        config: Arc::new(config),
    }
}

/// gzip or brotli, as the client accepts, for text over 1 KB (pages, CSS, JS, SVG, calendars);
/// not for what is compressed already (XLSX and DOCX are zip files, images) or streamed. Level 4:
/// most of the gain of the higher levels at a fraction of their CPU.
fn compression() -> CompressionLayer<impl Predicate> {
    let predicate = SizeAbove::new(1024)
        .and(NotForContentType::GRPC)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::SSE)
        .and(NotForContentType::const_new(
            "application/vnd.openxmlformats",
        ))
        .and(NotForContentType::const_new("application/zip"));
    CompressionLayer::new()
        .quality(tower_http::CompressionLevel::Precise(4))
        .compress_when(predicate)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    ctx: PageCtx,
    status: u16,
    heading: &'static str,
    message: String,
    request_id: String,
}

/// Renders the Russian error page (with the request id) for responses marked by `AppError`.
async fn error_pages(req: Request, next: Next) -> Response {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let ctx = req.extensions().get::<RequestCtx>().cloned();
    let is_htmx = req.headers().contains_key("hx-request");
    let mut resp = next.run(req).await;
    let Some(page) = resp.extensions_mut().remove::<ErrorPage>() else {
        return resp;
    };
    let status = resp.status();
    if is_htmx {
        return (status, page.message).into_response();
    }
    let mut ctx = ctx.map(|c| c.page(page.title)).unwrap_or_else(|| PageCtx {
        title: page.title.to_string(),
        user_name: None,
        is_admin: false,
        org_slug: String::new(),
        org_name: String::new(),
        roles_label: String::new(),
        nav: Vec::new(),
        active: "",
        csrf: String::new(),
        flash: None,
        unread: 0,
    });
    ctx.flash = None;
    let body = ErrorTemplate {
        ctx,
        status: status.as_u16(),
        heading: page.title,
        message: page.message,
        request_id,
    }
    .render()
    .unwrap_or_else(|_| "Ошибка".to_string());
    let mut out = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response();
    // Keep cookies the inner layers set (e.g. the anonymous CSRF cookie) and when to retry.
    for name in [header::SET_COOKIE, header::RETRY_AFTER] {
        for v in resp.headers().get_all(&name) {
            out.headers_mut().append(name.clone(), v.clone());
        }
    }
    out
}

async fn healthz(State(state): State<AppState>) -> Response {
    match sqlx::query_scalar!(r#"SELECT 1 AS "v!""#,)
        .fetch_one(&state.pool)
        .await
    {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                format!("database unavailable: {e}"),
            )
                .into_response()
        }
    }
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; \
                   object-src 'none'";

/// The router of the separate metrics address (`NASTAVNIK_METRICS_BIND`).
pub fn metrics_app(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(web::metrics::metrics_handler))
        .with_state(state)
}

pub fn app(state: AppState) -> Router {
    let pages = routes::pages()
        .layer(middleware::from_fn(web::csrf::csrf_layer))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            tenancy::session::session_layer,
        ));

    let x_request_id = HeaderName::from_static("x-request-id");
    let hsts = state.config.hsts;
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(web::metrics::metrics_with_token))
        .route("/static/{*path}", get(web::assets::asset))
        .merge(pages)
        .layer(
            ServiceBuilder::new()
                .layer(compression())
                .layer(SetRequestIdLayer::new(
                    x_request_id.clone(),
                    MakeRequestUuid,
                ))
                .layer(TraceLayer::new_for_http().make_span_with(telemetry::make_span))
                .layer(PropagateRequestIdLayer::new(x_request_id))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(CSP),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("DENY"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    HeaderName::from_static("permissions-policy"),
                    HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    HeaderName::from_static("cross-origin-opener-policy"),
                    HeaderValue::from_static("same-origin"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("no-store"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::STRICT_TRANSPORT_SECURITY,
                    move |_: &Response| {
                        hsts.then(|| {
                            HeaderValue::from_static("max-age=31536000; includeSubDomains")
                        })
                    },
                ))
                .layer(middleware::from_fn(error_pages))
                .layer(middleware::from_fn(web::guard::clean_request))
                .layer(middleware::from_fn_with_state(
                    state.clone(),
                    web::metrics::metrics_layer,
                )),
        )
        .with_state(state)
}
