//! Table statistics and dead rows, for a PostgreSQL whose autovacuum does not keep them.
//!
//! With `autovacuum = off` (as on the benchmark machine) no table is ever analysed: the
//! planner then guesses, and at a million zaken it guessed a sequential scan of 4 million
//! part rows for every projected batch (BENCHMARKS.md). The rules are autovacuum's own
//! defaults: analyse when more rows changed since the last analysis than 50 + 10 % of the
//! table, vacuum when more than 50 + 20 % of it are dead rows.

use std::time::{Duration, Instant};

use sqlx::PgPool;

/// What one pass did: the tables analysed and those vacuumed (and analysed).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub analyzed: Vec<String>,
    pub vacuumed: Vec<String>,
}

/// Whether PostgreSQL's own autovacuum runs.
pub async fn autovacuum_on(pool: &PgPool) -> Result<bool, sqlx::Error> {
    let setting: String = sqlx::query_scalar("SELECT current_setting('autovacuum')")
        .fetch_one(pool)
        .await?;
    Ok(setting == "on")
}

/// Analyses every table of this database whose statistics are stale, and with `vacuum`
/// also vacuums those with too many dead rows. One table at a time, each on its own.
pub async fn pass(pool: &PgPool, vacuum: bool) -> Result<Pass, sqlx::Error> {
    let stale: Vec<(String, bool, bool)> = sqlx::query_as(
        "SELECT format('%I.%I', schemaname, relname),
                n_mod_since_analyze > 50 + 0.1 * n_live_tup,
                n_dead_tup > 50 + 0.2 * n_live_tup
         FROM pg_stat_user_tables
         WHERE n_mod_since_analyze > 50 + 0.1 * n_live_tup
            OR n_dead_tup > 50 + 0.2 * n_live_tup
         ORDER BY relname",
    )
    .fetch_all(pool)
    .await?;
    let mut done = Pass::default();
    for (table, analyze, dead) in stale {
        let started = Instant::now();
        if vacuum && dead {
            sqlx::raw_sql(&format!("VACUUM (ANALYZE) {table}"))
                .execute(pool)
                .await?;
            done.vacuumed.push(table.clone());
        } else if analyze {
            sqlx::raw_sql(&format!("ANALYZE {table}"))
                .execute(pool)
                .await?;
            done.analyzed.push(table.clone());
        } else {
            continue;
        }
        tracing::info!(%table, seconds = started.elapsed().as_secs_f64(), vacuum = vacuum && dead, "table maintenance");
    }
    Ok(done)
}

/// Keeps statistics and dead rows in check every `every` for as long as it runs, when the
/// server's autovacuum is off; returns at once when it is on.
pub async fn run(pool: PgPool, every: Duration) {
    match autovacuum_on(&pool).await {
        Ok(true) => return,
        Ok(false) => tracing::warn!(
            "PostgreSQL's autovacuum is off: this process analyses and vacuums the tables itself"
        ),
        Err(e) => tracing::warn!(error = %e, "could not read the autovacuum setting"),
    }
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        if let Err(e) = pass(&pool, true).await {
            tracing::warn!(error = %e, "table maintenance failed; trying again later");
        }
    }
}
