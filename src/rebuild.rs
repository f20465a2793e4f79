//! `zaakstroom rebuild`: empty the read models and replay the whole log into them.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use projections::render::Urls;
use projections::runtime::{self, ProjectionLock};

use crate::Config;

const BATCH: usize = 1_000;

/// Rebuilds every read model (not the notifier: replaying it would notify again) in one
/// pass over the log. Holds each projection's lock, so a running projector waits meanwhile.
pub async fn rebuild(config: &Config) -> anyhow::Result<u64> {
    let pool = crate::migrate(config).await?;
    let store = crate::event_store(config, &pool).await?;
    let read_models = crate::read_models(&Urls::new(&config.public_url));
    let mut locks = Vec::with_capacity(read_models.len());
    for projection in &read_models {
        locks.push(ProjectionLock::acquire(&pool, projection.name()).await?);
        runtime::reset(&pool, projection.as_ref()).await?;
    }
    let bar = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} {msg} {pos} events ({per_sec})")
            .context("progress style")?,
    );
    bar.set_message("rebuilding read models");
    bar.enable_steady_tick(Duration::from_millis(200));
    let started = Instant::now();
    let (mut after, mut total) = (None, 0u64);
    loop {
        let batch = store.read_all(after, BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.position);
        for projection in &read_models {
            runtime::apply_batch(&pool, projection.as_ref(), &batch).await?;
        }
        total += batch.len() as u64;
        bar.set_position(total);
    }
    bar.finish_with_message(format!("rebuilt read models in {:.1?}", started.elapsed()));
    drop(locks);
    Ok(total)
}
