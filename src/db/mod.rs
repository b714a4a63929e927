//! The database: the pool, migrations, and the managed local PostgreSQL (embedded default).

pub mod backup;
pub mod cache;
pub mod embedded;
pub mod forget;

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};

pub const DATABASE_NAME: &str = "nastavnik";

/// The migrations, embedded in the binary (`migrations/`); `lib.rs` hands it on as
/// `nastavnik::MIGRATOR` for the tests.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How long a request waits for a connection before it answers «сервис временно недоступен».
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_millis(2500);

/// The application's pool. Its connections plan each prepared statement once
/// (`plan_cache_mode = force_generic_plan`): the pages' statements filter by organization and id
/// through indexes, where a generic plan is as good as a custom one, and planning them anew on
/// every execution cost more than running them (0.1–0.9 ms against 0.01 ms, issue 18).
pub async fn pool(options: PgConnectOptions, max: u32) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(max)
        .min_connections(1)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options.options([("plan_cache_mode", "force_generic_plan")]))
        .await
}

/// Creates `database` on the server of `admin` if it does not exist yet.
pub async fn ensure_database(admin: PgConnectOptions, database: &str) -> Result<(), sqlx::Error> {
    let mut conn = PgConnection::connect_with(&admin).await?;
    let exists: bool = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS "v!""#,
        database,
    )
    .fetch_one(&mut conn)
    .await?;
    if !exists {
        let ident = database.replace('"', "\"\"");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{ident}\"")))
            .execute(&mut conn)
            .await?;
    }
    conn.close().await
}

pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}
