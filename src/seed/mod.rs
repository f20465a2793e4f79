//! `zaakstroom seed`: realistic data at municipal scale through the real write path's
//! storage. The catalogue and the bench client go through the APIs themselves (in
//! process); the zaken are decided by the domain and appended in bulk
//! ([`PgEventStore::append_batch`], one transaction per chunk), then the normal projections
//! catch up. Deterministic from `--seed`; resumable (zaken whose stream exists are skipped).

mod catalogue;
mod clients;
mod rng;
mod zaak;

use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Args;
use event_store::postgres::PgEventStore;
use event_store::{Position, StoreError};
use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use projections::render::Urls;
use projections::ProjectionError;
use sqlx::PgPool;

use crate::Config;

/// The temporary superuser client the seed writes the catalogue as (its secret is removed
/// when the seed is done); also the actor of every seeded zaak event.
pub const SEED_CLIENT: &str = "zaakstroom-seed";
const PROJECTION_BATCH: usize = 2_000;

#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    /// How many zaken to seed.
    #[arg(long, env = "ZAAKSTROOM_SEED_ZAKEN", default_value_t = 1_000_000)]
    pub zaken: u64,
    /// The seed of every random choice: the same seed gives the same zaken.
    #[arg(long, env = "ZAAKSTROOM_SEED", default_value_t = 1)]
    pub seed: u64,
    /// How many published zaaktypen the catalogue holds.
    #[arg(long, env = "ZAAKSTROOM_SEED_ZAAKTYPEN", default_value_t = 100)]
    pub zaaktypen: usize,
    /// Zaken per append transaction (ADR 0001: keep transactions short).
    #[arg(long, env = "ZAAKSTROOM_SEED_CHUNK", default_value_t = 250)]
    pub chunk: u64,
    /// The non-superuser client every benchmark scenario uses.
    #[arg(
        long,
        env = "ZAAKSTROOM_BENCH_CLIENT",
        default_value = "zaakstroom-bench"
    )]
    pub bench_client: String,
    #[arg(
        long,
        env = "ZAAKSTROOM_BENCH_SECRET",
        default_value = "zaakstroom-bench-secret",
        hide_env_values = true,
        hide_default_value = true
    )]
    pub bench_secret: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the seed writes to the PostgreSQL event log: unset EVENTSTORE_URL")]
    NotPostgres,
    #[error("a request to the in-process API failed: {0}")]
    Request(String),
    #[error("{what} answered {status}: {body}")]
    Api {
        what: String,
        status: axum::http::StatusCode,
        body: String,
    },
    #[error("seed catalogue: {0}")]
    Catalogue(String),
    #[error("setting up the clients: {0}")]
    Setup(String),
    #[error("the domain refused a seeded zaak: {0}")]
    Domain(#[from] domain::zaak::ZaakError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Projection(#[from] ProjectionError),
    #[error(transparent)]
    Postgres(#[from] sqlx::Error),
}

/// What a seed run did, with its rates.
#[derive(Debug, Default)]
pub struct Report {
    pub zaken_written: u64,
    pub zaken_skipped: u64,
    pub events_appended: u64,
    pub append_time: Duration,
    pub events_projected: u64,
    pub projection_time: Duration,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rate = |n: u64, d: Duration| n as f64 / d.as_secs_f64().max(1e-9);
        write!(
            f,
            "seeded {} zaken ({} already there): appended {} events in {:.1?} ({:.0} events/s), \
             projected {} events in {:.1?} ({:.0} events/s)",
            self.zaken_written,
            self.zaken_skipped,
            self.events_appended,
            self.append_time,
            rate(self.events_appended, self.append_time),
            self.events_projected,
            self.projection_time,
            rate(self.events_projected, self.projection_time),
        )
    }
}

pub async fn seed(config: &Config, args: &SeedArgs) -> anyhow::Result<Report> {
    if config.eventstore_url.is_some() {
        return Err(SeedError::NotPostgres.into());
    }
    let pool = crate::migrate(config).await?;
    let store = PgEventStore::new(pool.clone());
    let urls = Urls::new(&config.public_url);
    let catalogue = clients::prepare(config, &pool, &urls, args).await?;
    let head_before = log_head(&pool).await?;
    let plan = zaak::Plan {
        seed: args.seed,
        catalogue: &catalogue,
        urls: &urls,
        tenant: &config.tenant,
    };
    let mut report = Report::default();
    let started = Instant::now();
    let last = append_zaken(&store, &plan, args, &mut report).await?;
    report.append_time = started.elapsed();
    let started = Instant::now();
    let bar = spinner("projecting")?;
    let read_models = crate::read_models(&urls);
    let locks = crate::rebuild::lock(&pool, &read_models).await?;
    let (projected, _) =
        crate::rebuild::catch_up(&pool, &store, &read_models, PROJECTION_BATCH, last, &bar)
            .await
            .context("projecting the seeded events")?;
    bar.finish_and_clear();
    drop(locks);
    report.events_projected = projected;
    report.projection_time = started.elapsed();
    if let Some(last) = last {
        skip_notifications(&pool, head_before, last).await?;
    }
    sqlx::query("SELECT setval('zaak_identificatie_seq', greatest((SELECT last_value FROM zaak_identificatie_seq), $1))")
        .bind(i64::try_from(args.zaken).unwrap_or(i64::MAX))
        .execute(&pool)
        .await?;
    Ok(report)
}

/// Appends the zaken in chunks, two transactions in flight; the position of the last.
async fn append_zaken(
    store: &PgEventStore,
    plan: &zaak::Plan<'_>,
    args: &SeedArgs,
    report: &mut Report,
) -> Result<Option<Position>, SeedError> {
    let bar = ProgressBar::new(args.zaken).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} zaken ({per_sec}, eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let chunk = args.chunk.max(1);
    let ranges = (0..args.zaken)
        .step_by(chunk as usize)
        .map(|start| start..(start + chunk).min(args.zaken));
    let mut chunks = futures::stream::iter(ranges)
        .map(|range| write_chunk(store, plan, range))
        .buffer_unordered(2);
    let mut last = None;
    while let Some(done) = chunks.next().await {
        let done = done?;
        report.zaken_written += done.written;
        report.zaken_skipped += done.skipped;
        report.events_appended += done.events;
        last = last.max(done.position);
        bar.inc(done.written + done.skipped);
    }
    bar.finish_and_clear();
    Ok(last)
}

struct Chunk {
    written: u64,
    skipped: u64,
    events: u64,
    position: Option<Position>,
}

/// The zaken of `range` whose stream does not exist yet, in one transaction.
async fn write_chunk(
    store: &PgEventStore,
    plan: &zaak::Plan<'_>,
    range: std::ops::Range<u64>,
) -> Result<Chunk, SeedError> {
    let streams: Vec<String> = range
        .clone()
        .map(|i| format!("zaak-{}", zaak::uuid(plan.seed, i)))
        .collect();
    let existing: Vec<String> =
        sqlx::query_scalar("SELECT stream FROM es_streams WHERE stream = ANY($1)")
            .bind(&streams)
            .fetch_all(store.pool())
            .await?;
    let mut appends = Vec::with_capacity(streams.len() * 2);
    for (i, stream) in range.clone().zip(&streams) {
        if !existing.contains(stream) {
            appends.extend(zaak::generate(plan, i)?);
        }
    }
    let events = appends.iter().map(|a| a.events.len() as u64).sum();
    let position = match appends.is_empty() {
        true => None,
        false => Some(store.append_batch(&appends).await?),
    };
    Ok(Chunk {
        written: (appends.len() / 2) as u64,
        skipped: existing.len() as u64,
        events,
        position,
    })
}

/// The position of the newest event in the log.
async fn log_head(pool: &PgPool) -> Result<Option<Position>, sqlx::Error> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT tx_id, seq FROM es_events ORDER BY tx_id DESC, seq DESC LIMIT 1")
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(c, p)| Position {
        commit: c as u64,
        prepare: p as u64,
    }))
}

/// Seeded history is not announced on NATS: when the notifier had published everything
/// before the seed began (or never ran), its checkpoint moves past the seeded events.
async fn skip_notifications(
    pool: &PgPool,
    head_before: Option<Position>,
    last: Position,
) -> Result<(), sqlx::Error> {
    let notifier = projections::notifier::NAME;
    let current = projections::runtime::checkpoint(pool, notifier).await?;
    if current.is_some() && current < head_before {
        tracing::warn!("the notifier is behind; it will also publish the seeded events");
        return Ok(());
    }
    let mut conn = pool.acquire().await?;
    projections::runtime::save_checkpoint(&mut conn, notifier, last).await?;
    Ok(())
}

fn spinner(message: &'static str) -> anyhow::Result<ProgressBar> {
    let bar = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} {msg} {pos} events ({per_sec})")
            .context("progress style")?,
    );
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(200));
    Ok(bar)
}
