//! Prometheus metrics: requests by route and status, a latency histogram, pool usage.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;

const BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        if let Ok(mut r) = self.requests.lock() {
            *r.entry((method.to_string(), route.to_string(), status))
                .or_default() += 1;
        }
        if let Ok(mut l) = self.latency.lock() {
            let h = l.entry(route.to_string()).or_default();
            for (i, b) in BUCKETS.iter().enumerate() {
                if seconds <= *b {
                    h.counts[i] += 1;
                }
            }
            h.count += 1;
            h.sum += seconds;
        }
    }

    pub fn render(&self, pool_size: u32, pool_idle: usize, pool_max: u32) -> String {
        let mut out = String::new();
        out.push_str("# HELP nastavnik_http_requests_total HTTP requests by route and status.\n");
        out.push_str("# TYPE nastavnik_http_requests_total counter\n");
        if let Ok(r) = self.requests.lock() {
            for ((method, route, status), n) in r.iter() {
                let _ = writeln!(
                    out,
                    "nastavnik_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP nastavnik_http_request_duration_seconds Request latency.\n");
        out.push_str("# TYPE nastavnik_http_request_duration_seconds histogram\n");
        if let Ok(l) = self.latency.lock() {
            for (route, h) in l.iter() {
                for (i, b) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "nastavnik_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{b}\"}} {}",
                        h.counts[i]
                    );
                }
                let _ = writeln!(
                    out,
                    "nastavnik_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "nastavnik_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "nastavnik_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP nastavnik_db_pool_connections Pool connections by state."
        );
        let _ = writeln!(out, "# TYPE nastavnik_db_pool_connections gauge");
        let _ = writeln!(
            out,
            "nastavnik_db_pool_connections{{state=\"open\"}} {pool_size}"
        );
        let _ = writeln!(
            out,
            "nastavnik_db_pool_connections{{state=\"idle\"}} {pool_idle}"
        );
        let _ = writeln!(
            out,
            "nastavnik_db_pool_connections{{state=\"max\"}} {pool_max}"
        );
        out.push_str(
            "# HELP nastavnik_postgres_restarts_total Restarts of the embedded PostgreSQL after it died.\n",
        );
        out.push_str("# TYPE nastavnik_postgres_restarts_total counter\n");
        let _ = writeln!(
            out,
            "nastavnik_postgres_restarts_total {}",
            crate::db::embedded::RESTARTS.load(std::sync::atomic::Ordering::Relaxed)
        );
        out
    }
}

pub async fn metrics_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = req.method().to_string();
    let resp = next.run(req).await;
    state.metrics.observe(
        &method,
        &route,
        resp.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    resp
}

/// `/metrics` on the main address: only with `Authorization: Bearer <NASTAVNIK_METRICS_TOKEN>`;
/// otherwise (or with no token configured) it does not exist there.
pub async fn metrics_with_token(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Response {
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    match &state.config.metrics_token {
        Some(t) if super::cookies::digest(t) == super::cookies::digest(given) => {
            metrics_handler(State(state)).await.into_response()
        }
        _ => crate::error::AppError::NotFound.into_response(),
    }
}

/// `/metrics` on the separate metrics address (`NASTAVNIK_METRICS_BIND`).
pub async fn metrics_handler(State(state): State<AppState>) -> impl IntoResponse {
    let pool = &state.pool;
    let body = state.metrics.render(
        pool.size(),
        pool.num_idle(),
        pool.options().get_max_connections(),
    );
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
}
