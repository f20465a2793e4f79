//! Gauges read when `/metrics` is scraped: what the database knows (each projection's
//! checkpoint and lag, each abonnement's undelivered notifications) and what the process
//! knows (its connection pool, its resident memory). Two queries per scrape, each cheap:
//! index range scans from a checkpoint or over the pending deliveries.

use sqlx::{PgPool, Row};

use crate::AppState;

pub const CHECKPOINT: &str = "zaakstroom_projection_checkpoint_commit_position";
pub const LAG_EVENTS: &str = "zaakstroom_projection_lag_events";
pub const LAG_SECONDS: &str = "zaakstroom_projection_lag_seconds";
pub const WEBHOOK_PENDING: &str = "zaakstroom_webhook_pending";
pub const WEBHOOK_LAG: &str = "zaakstroom_webhook_lag_seconds";
pub const POOL: &str = "zaakstroom_db_pool_connections";
pub const POOL_MAX: &str = "zaakstroom_db_pool_max_connections";
/// Prometheus' conventional name, so standard process dashboards find it.
pub const RSS: &str = "process_resident_memory_bytes";

/// Events behind are counted up to this many (a projection rebuilding from the start of a
/// large log would otherwise make every scrape count the whole log).
const MAX_COUNTED: i64 = 1_000_000;

/// Sets every scrape-time gauge; what cannot be read now (the database away) keeps its
/// last value until it goes stale.
pub async fn update(state: &AppState) {
    pool(&state.pool);
    if let Some(rss) = resident_bytes() {
        metrics::gauge!(RSS).set(rss as f64);
    }
    let projections = state
        .health
        .projections
        .iter()
        .chain(&state.health.informational)
        .map(|n| (*n).to_owned())
        .collect::<Vec<_>>();
    let lag = if state.metrics.log_in_postgres {
        projection_lag(&state.pool, &projections)
            .await
            .map_err(Into::into)
    } else {
        projection_lag_through_store(state, &projections).await
    };
    if let Err(e) = lag {
        tracing::debug!(error = %e, "metrics: projection lag not read");
    }
    if let Err(e) = webhooks(&state.pool).await {
        tracing::debug!(error = %e, "metrics: webhook lag not read");
    }
}

fn pool(pool: &PgPool) {
    let size = pool.size() as f64;
    let idle = pool.num_idle() as f64;
    metrics::gauge!(POOL, "state" => "in_use").set((size - idle).max(0.0));
    metrics::gauge!(POOL, "state" => "idle").set(idle);
    metrics::gauge!(POOL_MAX).set(pool.options().get_max_connections() as f64);
}

/// The resident set size, from `/proc/self/status` (Linux; in kB there, so no page size
/// is needed). `None` elsewhere.
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// One query over `projection_checkpoints` and the log: per projection its checkpoint, the
/// events after it (counted on the log's primary key, up to [`MAX_COUNTED`]) and the age of
/// the first of them. A projection without a checkpoint is behind the whole log.
async fn projection_lag(pool: &PgPool, names: &[String]) -> Result<(), sqlx::Error> {
    let rows = sqlx::query(
        "SELECT n.name, c.commit_pos,
            (SELECT count(*) FROM (SELECT 1 FROM es_events e
               WHERE (e.tx_id, e.seq) > (coalesce(c.commit_pos, -1), coalesce(c.prepare_pos, -1))
               LIMIT $2) behind) AS behind,
            coalesce(extract(epoch FROM now() - (SELECT e.occurred_at FROM es_events e
               WHERE (e.tx_id, e.seq) > (coalesce(c.commit_pos, -1), coalesce(c.prepare_pos, -1))
               ORDER BY e.tx_id, e.seq LIMIT 1)), 0)::float8 AS lag
         FROM unnest($1::text[]) AS n(name)
         LEFT JOIN projection_checkpoints c ON c.name = n.name",
    )
    .bind(names)
    .bind(MAX_COUNTED)
    .fetch_all(pool)
    .await?;
    for row in rows {
        let name: String = row.try_get("name")?;
        let commit: Option<i64> = row.try_get("commit_pos")?;
        let behind: i64 = row.try_get("behind")?;
        let lag: f64 = row.try_get("lag")?;
        metrics::gauge!(CHECKPOINT, "projection" => name.clone()).set(commit.unwrap_or(0) as f64);
        metrics::gauge!(LAG_EVENTS, "projection" => name.clone()).set(behind as f64);
        metrics::gauge!(LAG_SECONDS, "projection" => name).set(lag.max(0.0));
    }
    Ok(())
}

/// With the log in KurrentDB: the checkpoints from PostgreSQL, and per projection the first
/// event after its checkpoint read through the store (as `/readyz` does). Events behind are
/// not counted there: KurrentDB positions are byte offsets, not counts.
async fn projection_lag_through_store(
    state: &AppState,
    names: &[String],
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    for name in names {
        let checkpoint = projections::runtime::checkpoint(&state.pool, name).await?;
        let next = state.commands.store().read_all(checkpoint, 1).await?;
        let lag = next.first().map_or(0.0, |e| {
            (chrono::Utc::now() - e.occurred_at())
                .to_std()
                .unwrap_or_default()
                .as_secs_f64()
        });
        let commit = checkpoint.map_or(0, |p| p.commit);
        metrics::gauge!(CHECKPOINT, "projection" => name.clone()).set(commit as f64);
        metrics::gauge!(LAG_SECONDS, "projection" => name.clone()).set(lag);
    }
    Ok(())
}

/// One query: per abonnement its undelivered deliveries and the age of the oldest (the
/// partial index of pending deliveries).
async fn webhooks(pool: &PgPool) -> Result<(), sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.uuid::text AS abonnement, count(d.id) AS pending,
            coalesce(extract(epoch FROM now() - min(d.occurred_at)), 0)::float8 AS lag
         FROM nrc_abonnementen a
         LEFT JOIN nrc_deliveries d ON d.abonnement = a.uuid AND d.state = 'pending'
         GROUP BY a.uuid",
    )
    .fetch_all(pool)
    .await?;
    for row in rows {
        let abonnement: String = row.try_get("abonnement")?;
        let pending: i64 = row.try_get("pending")?;
        let lag: f64 = row.try_get("lag")?;
        metrics::gauge!(WEBHOOK_PENDING, "abonnement" => abonnement.clone()).set(pending as f64);
        metrics::gauge!(WEBHOOK_LAG, "abonnement" => abonnement).set(lag.max(0.0));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_resident_set_size_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            let rss = super::resident_bytes().expect("VmRSS in /proc/self/status");
            assert!(rss > 1024 * 1024, "{rss}");
        }
    }
}
