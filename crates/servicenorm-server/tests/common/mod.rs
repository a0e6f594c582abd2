//! What the integration tests share: a fresh database per test, and
//! tokens made the way `servicenorm token create` makes them.
#![allow(dead_code, clippy::unwrap_used)]

use jiff::Timestamp;

/// A fresh database: a new PostgreSQL database when `SERVICENORM_TEST_POSTGRES`
/// names a server (as in `.ci/run`), else a SQLite file in `dir`.
pub async fn fresh_database(dir: &std::path::Path) -> String {
    let Ok(server) = std::env::var("SERVICENORM_TEST_POSTGRES") else {
        return format!("sqlite:{}", dir.join("servicenorm.db").display());
    };
    static SWEPT: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    SWEPT.get_or_init(|| sweep(&server)).await;
    static COUNT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "servicenorm_api_{}_{}_{}",
        std::process::id(),
        Timestamp::now().as_second(),
        COUNT.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    servicenorm_storage::Store::create_postgres_database(&server, &name)
        .await
        .unwrap()
}

/// Drops the databases of earlier test processes that have ended: a test
/// keeps its database to the end (its server may still run), so each run
/// clears what the runs before it left. A database of a process that still
/// runs (a test beside this one) is left alone.
async fn sweep(server: &str) {
    let pool = sqlx::PgPool::connect(server).await.unwrap();
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE datname LIKE 'servicenorm\\_api\\_%'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    for name in names {
        let pid = name.split('_').nth(2).unwrap_or_default();
        if !pid.is_empty() && !std::path::Path::new("/proc").join(pid).exists() {
            servicenorm_storage::Store::drop_postgres_database(server, &name)
                .await
                .unwrap();
        }
    }
}

/// Makes a token the way `servicenorm token create` does.
pub async fn make_token(url: &str, name: &str, scope: &str) -> String {
    let store = servicenorm_storage::Store::connect(url).await.unwrap();
    let new = servicenorm_server::auth::new_token().unwrap();
    let actor = servicenorm_storage::Actor::new("test", "test");
    store
        .create_token(name, &new.hash, scope, &actor, Timestamp::now())
        .await
        .unwrap();
    store.close().await;
    new.token
}
pub mod smtp;
