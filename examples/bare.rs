//! The bare reference of `bash .ci/bench-pages` (issue 18): the same stack — axum, askama, sqlx
//! on the same PostgreSQL — with nothing of ours: no session, no layers, one indexed query of 100
//! rows rendered into a page of about 17.6 KB. «Наставник»'s busiest pages are measured against
//! it in the same run.
//!
//! `DATABASE_URL=postgres://… cargo run --release --example bare -- 127.0.0.1:18099`

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use sqlx::PgPool;

#[derive(Template)]
#[template(
    ext = "html",
    source = "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Список</title></head>
<body><h1>Список</h1><table><thead><tr><th>№</th><th>ФИО</th><th>Класс</th><th>Заметка</th></tr></thead><tbody>
{% for r in rows %}<tr><td>{{ r.0 }}</td><td>{{ r.1 }}</td><td>{{ r.2 }}</td><td>{{ r.3 }}</td></tr>
{% endfor %}</tbody></table></body></html>"
)]
struct Page {
    rows: Vec<(i64, String, String, String)>,
}

#[derive(serde::Deserialize)]
struct From {
    from: Option<i64>,
}

async fn page(State(pool): State<PgPool>, Query(q): Query<From>) -> Html<String> {
    let from = q.from.unwrap_or(1);
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, name, class_name, note FROM bare_items WHERE id >= $1 ORDER BY id LIMIT 100",
    )
    .bind(from)
    .fetch_all(&pool)
    .await
    .unwrap_or_default();
    Html(Page { rows }.render().unwrap_or_default())
}

#[tokio::main]
async fn main() {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let bind = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18099".into());
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(10)
        .connect(&url)
        .await
        .expect("database");
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS bare_items (id bigint PRIMARY KEY, name text NOT NULL,
                                                class_name text NOT NULL, note text NOT NULL);
         INSERT INTO bare_items
         SELECT g, 'Иванова Анна Сергеевна ' || g, (1 + g % 11) || 'А', 'заметка о человеке номер ' || g
           FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING;",
    )
    .execute(&pool)
    .await
    .expect("bare_items");
    let app = Router::new().route("/", get(page)).with_state(pool);
    let listener = tokio::net::TcpListener::bind(&bind).await.expect("bind");
    println!("bare reference on http://{bind}/");
    axum::serve(listener, app).await.expect("serve");
}
