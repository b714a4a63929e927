//! Logging with `tracing`: pretty or JSON, every line of a request carrying its request id.

use axum::http::Request;
use tracing::Span;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

use crate::config::{Config, LogFormat};

pub fn init(config: &Config) {
    let filter: Targets = config
        .log
        .parse()
        .unwrap_or_else(|_| Targets::new().with_default(tracing::Level::INFO));
    let registry = tracing_subscriber::registry().with(filter);
    let result = match config.log_format {
        LogFormat::Json => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_span_list(false),
            )
            .try_init(),
        LogFormat::Pretty => registry
            .with(tracing_subscriber::fmt::layer().with_target(false))
            .try_init(),
    };
    let _ = result;
}

pub fn make_span<B>(req: &Request<B>) -> Span {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %req.method(),
        path = %req.uri().path(),
    )
}
