//! Health for orchestrators (Kubernetes probes): `/healthz` says the process answers;
//! `/readyz` says whether this instance can serve correct answers now, as JSON with each
//! check: PostgreSQL reachable, every migration the binary embeds applied, the read models
//! and process manager no further behind the log than a bound, and NATS connected when
//! this process notifies (a notifier without NATS is knowingly degraded, not unready: its
//! events wait in the log and go out when NATS is back). 503 when not ready.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::AppState;

/// What readiness checks, set up by whoever composes the application.
#[derive(Clone, Default)]
pub struct Health {
    /// The projections the API's answers depend on (read models, process manager).
    pub projections: Vec<&'static str>,
    /// Projections reported but not required (the notifier).
    pub informational: Vec<&'static str>,
    /// Every migration version the binary embeds.
    pub migrations: Vec<i64>,
    /// The NATS connection of this process's notifier, when it has one.
    pub nats: Option<async_nats::Client>,
    /// How old the oldest event a required projection has not applied may be.
    pub max_lag: Duration,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(live))
        .route("/readyz", get(ready))
}

async fn live() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

async fn ready(State(s): State<AppState>) -> Response {
    let health = &s.health;
    let mut ready = true;
    let database = sqlx::query_scalar::<_, i32>("SELECT 1")
        .fetch_one(&s.pool)
        .await
        .map(|_| json!({"status": "ok"}))
        .unwrap_or_else(|e| {
            ready = false;
            json!({"status": "failing", "error": e.to_string()})
        });
    let migrations = match migrations(&s).await {
        Ok(missing) if missing.is_empty() => json!({"status": "ok"}),
        Ok(missing) => {
            ready = false;
            json!({"status": "failing", "missing": missing})
        }
        Err(e) => {
            ready = false;
            json!({"status": "failing", "error": e})
        }
    };
    let mut projections = serde_json::Map::new();
    for (name, required) in health
        .projections
        .iter()
        .map(|n| (n, true))
        .chain(health.informational.iter().map(|n| (n, false)))
    {
        let check = match lag(&s, name).await {
            Ok(None) => json!({"status": "ok", "lagSeconds": 0}),
            Ok(Some(lag)) if lag <= health.max_lag || !required => {
                json!({"status": if required { "ok" } else { "informational" }, "lagSeconds": lag.as_secs_f64()})
            }
            Ok(Some(lag)) => {
                ready = false;
                json!({"status": "failing", "lagSeconds": lag.as_secs_f64(),
                    "maxLagSeconds": health.max_lag.as_secs_f64()})
            }
            Err(e) => {
                ready &= !required;
                json!({"status": "failing", "error": e})
            }
        };
        projections.insert((*name).to_owned(), check);
    }
    let nats = match &health.nats {
        None => json!({"status": "not used by this process"}),
        Some(client) => match client.connection_state() {
            async_nats::connection::State::Connected => json!({"status": "ok"}),
            state => json!({"status": "degraded", "state": state.to_string(),
                "detail": "notifications wait in the event log until NATS is back"}),
        },
    };
    let body = json!({
        "status": if ready { "ready" } else { "not ready" },
        "checks": {"database": database, "migrations": migrations,
            "projections": projections, "nats": nats},
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}

/// The embedded migrations the database has not applied successfully.
async fn migrations(s: &AppState) -> Result<Vec<i64>, String> {
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(&s.pool)
            .await
            .map_err(|e| e.to_string())?;
    Ok(s.health
        .migrations
        .iter()
        .filter(|v| !applied.contains(v))
        .copied()
        .collect())
}

/// How long ago the oldest event projection `name` has not applied happened (`None`: it is
/// at the head of the log).
async fn lag(s: &AppState, name: &str) -> Result<Option<Duration>, String> {
    let checkpoint = projections::runtime::checkpoint(&s.pool, name)
        .await
        .map_err(|e| e.to_string())?;
    let next = s
        .commands
        .store()
        .read_all(checkpoint, 1)
        .await
        .map_err(|e| e.to_string())?;
    Ok(next.first().map(|e| {
        (chrono::Utc::now() - e.occurred_at())
            .to_std()
            .unwrap_or_default()
    }))
}
