//! Test support shared by the workspace's integration tests: a fresh PostgreSQL database per
//! test on the server DATABASE_URL names (default: this machine's 127.0.0.1:5432).
//!
//! When the server cannot be reached the caller gets `None` and should skip, unless
//! REQUIRE_INFRA is set (as in CI), in which case this panics so nothing is silently skipped.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgPool};

pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

fn require_infra() -> bool {
    std::env::var("REQUIRE_INFRA").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Skips (returns `None` after saying so) or panics when a required service is missing.
pub fn unavailable<T>(what: &str, err: impl std::fmt::Display) -> Option<T> {
    if require_infra() {
        panic!("{what} is required (REQUIRE_INFRA is set) but not reachable: {err}");
    }
    eprintln!("SKIPPED: {what} not reachable ({err}); set REQUIRE_INFRA=1 to fail instead");
    None
}

/// The URL of a new, empty database created for one test, on the server DATABASE_URL names.
pub async fn fresh_database_url() -> Option<String> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.into());
    let options = fresh_database().await?;
    let name = options.get_database().unwrap_or_default().to_owned();
    let (base, query) = url
        .split_once('?')
        .map_or((url.as_str(), None), |(b, q)| (b, Some(q)));
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    Some(match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    })
}

/// Connection options of a new, empty database created for one test.
pub async fn fresh_database() -> Option<PgConnectOptions> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.into());
    let admin: PgConnectOptions = match url.parse() {
        Ok(o) => o,
        Err(e) => return unavailable("PostgreSQL (DATABASE_URL)", e),
    };
    let mut conn = match admin.connect().await {
        Ok(c) => c,
        Err(e) => return unavailable("PostgreSQL", e),
    };
    let name = format!("zs_test_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create a test database");
    let _ = conn.close().await;
    Some(admin.database(&name))
}

/// A pool on a fresh database with the event-log tables in place.
pub async fn fresh_event_store_pool() -> Option<PgPool> {
    let options = fresh_database().await?;
    let pool = PgPoolOptions::new()
        .max_connections(20)
        .connect_with(options)
        .await
        .expect("connect to the test database");
    crate::postgres::PgEventStore::migrate(&pool)
        .await
        .expect("migrate the event log");
    Some(pool)
}

/// An event to append in tests: payload `{"n": n}`, a fresh id, tenant `tenant-a`.
pub fn new_event(n: usize) -> crate::NewEvent {
    use event_schemas::{Actor, EventMetadata};
    crate::NewEvent {
        event_id: uuid::Uuid::now_v7(),
        event_type: "Tested".into(),
        schema_version: 1,
        payload: serde_json::json!({ "n": n }),
        metadata: EventMetadata {
            occurred_at: chrono::Utc::now(),
            actor: Actor {
                client_id: "contract".into(),
                user_id: "u1".into(),
                user_representation: "User One".into(),
                ..Default::default()
            },
            tenant: "tenant-a".into(),
            correlation_id: uuid::Uuid::now_v7(),
            causation_id: None,
            toelichting: String::new(),
            traceparent: None,
        },
    }
}

/// Runs `sql` past the log's append-only trigger, as someone holding the database's
/// superuser could: how the verify tests tamper with stored rows.
pub async fn tamper(pool: &PgPool, sql: &str) {
    let mut conn = pool.acquire().await.expect("a connection");
    let mut tx = conn.begin().await.expect("a transaction");
    sqlx::query("SET LOCAL session_replication_role = replica")
        .execute(&mut *tx)
        .await
        .expect("triggers off (needs a superuser)");
    sqlx::raw_sql(sql).execute(&mut *tx).await.expect(sql);
    tx.commit().await.expect("commit the tampering");
}

/// SQL that rewrites one stream's `events` (all of them, in order) from the second on as
/// `change` makes them, every hash recomputed and the stream's head with them: a rewrite
/// nothing inside the database shows. Run it with [`tamper`].
pub fn consistent_rewrite(
    events: &[crate::RecordedEvent],
    change: impl Fn(&mut crate::RecordedEvent),
) -> String {
    let quote = |s: &str| s.replace('\'', "''");
    let mut prev = events[0].hash.clone();
    let mut sql = String::new();
    for event in &events[1..] {
        let mut e = event.clone();
        change(&mut e);
        e.prev_hash = prev;
        e.hash = crate::verify::chain::event_hash(&e);
        sql += &format!(
            "UPDATE es_events SET payload = '{}', toelichting = '{}', prev_hash = '{}', hash = '{}' \
             WHERE stream = '{}' AND revision = {};\n",
            quote(&e.payload.to_string()),
            quote(&e.metadata.toelichting),
            e.prev_hash,
            e.hash,
            quote(&e.stream),
            e.revision
        );
        prev = e.hash;
    }
    sql + &format!(
        "UPDATE es_streams SET last_hash = '{prev}' WHERE stream = '{}';",
        quote(&events[0].stream)
    )
}
