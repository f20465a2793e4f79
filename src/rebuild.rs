//! `zaakstroom rebuild`: empty the read models and replay the whole log into them; and the
//! catch-up loop it shares with `zaakstroom seed`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use event_store::{EventStore, Position};
use indicatif::{ProgressBar, ProgressStyle};
use projections::maintenance;
use projections::render::Urls;
use projections::runtime::{self, ProjectionLock};
use projections::{Projection, ProjectionError};
use sqlx::PgPool;

use crate::Config;

const BATCH: usize = 1_000;
/// How often a catch-up refreshes table statistics where autovacuum is off.
const ANALYZE_EVERY: Duration = Duration::from_secs(30);

/// Rebuilds every read model (not the notifier: replaying it would notify again) in one
/// pass over the log. Holds each projection's lock, so a running projector waits meanwhile.
pub async fn rebuild(config: &Config) -> anyhow::Result<u64> {
    let pool = crate::migrate(config).await?;
    let store = crate::event_store(config, &pool).await?;
    let read_models = crate::read_models(&Urls::new(&config.public_url));
    let locks = lock(&pool, &read_models).await?;
    for projection in &read_models {
        runtime::reset(&pool, projection.as_ref()).await?;
    }
    let bar = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} {msg} {pos} events ({per_sec})")
            .context("progress style")?,
    );
    bar.set_message("rebuilding read models");
    bar.enable_steady_tick(Duration::from_millis(200));
    let started = Instant::now();
    let (total, _) = catch_up(&pool, store.as_ref(), &read_models, BATCH, None, &bar).await?;
    bar.finish_with_message(format!("rebuilt read models in {:.1?}", started.elapsed()));
    drop(locks);
    Ok(total)
}

/// Each projection's lock: while held, no projector runs them.
pub(crate) async fn lock(
    pool: &PgPool,
    read_models: &[Arc<dyn Projection>],
) -> Result<Vec<ProjectionLock>, sqlx::Error> {
    let mut locks = Vec::with_capacity(read_models.len());
    for projection in read_models {
        locks.push(ProjectionLock::acquire(pool, projection.name()).await?);
    }
    Ok(locks)
}

/// Brings `read_models` up to the end of the log (at least up to `until`, waiting for it to
/// become readable), each from its own checkpoint, in batches of `batch` events read once
/// for all of them. The caller holds their locks. The events read and the last position.
///
/// The next batch is read while the current one is applied, and the read models apply a
/// batch side by side (each in its own transaction): they share nothing. A read model that
/// handles none of a batch's events opens no transaction for it; its checkpoint is written
/// at the end (replaying what it ignored after a crash costs a read, nothing else).
pub(crate) async fn catch_up(
    pool: &PgPool,
    store: &dyn EventStore,
    read_models: &[Arc<dyn Projection>],
    batch: usize,
    until: Option<Position>,
    bar: &ProgressBar,
) -> Result<(u64, Option<Position>), ProjectionError> {
    let mut checkpoints = Vec::with_capacity(read_models.len());
    for projection in read_models {
        checkpoints.push(runtime::checkpoint(pool, projection.name()).await?);
    }
    let mut after = checkpoints.iter().min().copied().flatten();
    let mut total = 0u64;
    let mut spent = vec![Duration::ZERO; read_models.len() + 1];
    // Where autovacuum is off, the growing tables' statistics are refreshed as they fill:
    // without them the planner guessed sequential scans within minutes (BENCHMARKS.md).
    let maintain = !maintenance::autovacuum_on(pool).await?;
    let mut analyzed = Instant::now();
    let reading = Instant::now();
    let mut events = store.read_all(after, batch).await?;
    spent[0] += reading.elapsed();
    loop {
        let Some(last) = events.last().map(|e| e.position) else {
            if until.is_some_and(|u| after < Some(u)) {
                // An older transaction elsewhere still hides the end (ADR 0001).
                tokio::time::sleep(Duration::from_millis(20)).await;
                events = store.read_all(after, batch).await?;
                continue;
            }
            break;
        };
        after = Some(last);
        let applying = read_models
            .iter()
            .zip(&mut checkpoints)
            .map(|(p, checkpoint)| {
                let from = checkpoint.map_or(0, |c| events.partition_point(|e| e.position <= c));
                let ours = &events[from..];
                async move {
                    let started = Instant::now();
                    if ours.iter().any(|e| p.handles(e)) {
                        runtime::apply_batch(pool, p.as_ref(), ours).await?;
                        *checkpoint = Some(last);
                    }
                    Ok::<_, ProjectionError>(started.elapsed())
                }
            });
        let reading = async {
            let started = Instant::now();
            let next = store.read_all(after, batch).await;
            (next, started.elapsed())
        };
        let (applied, (next, read_time)) =
            futures::join!(futures::future::try_join_all(applying), reading);
        for (total_time, time) in spent[1..].iter_mut().zip(applied?) {
            *total_time += time;
        }
        spent[0] += read_time;
        total += events.len() as u64;
        bar.set_position(total);
        events = next?;
        if maintain && analyzed.elapsed() >= ANALYZE_EVERY {
            maintenance::pass(pool, false).await?;
            analyzed = Instant::now();
        }
    }
    if let Some(end) = after {
        let mut conn = pool.acquire().await?;
        for (projection, checkpoint) in read_models.iter().zip(&checkpoints) {
            if *checkpoint < Some(end) {
                runtime::save_checkpoint(&mut conn, projection.name(), end).await?;
            }
        }
    }
    // Statistics for what was filled; dead rows (a rebuild's reset) are left to the
    // projector's own maintenance, which vacuums them within its first minute.
    if maintain {
        maintenance::pass(pool, false).await?;
    }
    let names = std::iter::once("reading the log").chain(read_models.iter().map(|p| p.name()));
    for (name, time) in names.zip(spent) {
        tracing::info!(step = name, seconds = time.as_secs_f64(), "catch-up time");
    }
    Ok((total, after))
}
