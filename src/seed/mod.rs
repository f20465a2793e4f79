//! `zaakstroom seed`: realistic data at municipal scale through the real write path's
//! storage. The catalogue and the bench client go through the APIs themselves (in
//! process); the zaken are decided by the domain and appended in bulk
//! ([`PgEventStore::append_batch`], one transaction per chunk), then the normal projections
//! catch up. Deterministic from `--seed`; resumable (zaken whose stream exists are skipped).
//! Klantinteracties alike: partijen (persoon, with the BSN of a seeded zaak's rol and its
//! identificator's claim), then a few actoren, then klantcontacten with a betrokkene that
//! was one of those partijen, some with an internetaak.

mod catalogue;
mod clients;
mod klantcontact;
mod partij;
mod rng;
mod zaak;

use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clap::Args;
use event_schemas::{Actor, EventMetadata, VersionedEvent};
use event_store::postgres::{PgEventStore, StreamAppend};
use event_store::{NewEvent, Position, StoreError};
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
    /// How many partijen (Klantinteracties; persoon with a BSN) to seed.
    #[arg(long, env = "ZAAKSTROOM_SEED_PARTIJEN", default_value_t = 100_000)]
    pub partijen: u64,
    /// How many klantcontacten to seed (each with a betrokkene that was a seeded partij).
    #[arg(
        long,
        env = "ZAAKSTROOM_SEED_KLANTCONTACTEN",
        default_value_t = 1_000_000
    )]
    pub klantcontacten: u64,
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
    #[error("the domain refused a seeded {what}: {reason}")]
    Refused { what: &'static str, reason: String },
    #[error("klantcontacten need partijen to be betrokken in: give --partijen")]
    NoPartijen,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Projection(#[from] ProjectionError),
    #[error(transparent)]
    Postgres(#[from] sqlx::Error),
}

/// How many objects of one kind a seed run wrote, and how many were there already.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub written: u64,
    pub skipped: u64,
}

/// What a seed run did, with its rates.
#[derive(Debug, Default)]
pub struct Report {
    pub zaken_written: u64,
    pub zaken_skipped: u64,
    pub partijen: Seeded,
    pub klantcontacten: Seeded,
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
            "seeded {} zaken ({} already there), {} partijen ({}), {} klantcontacten ({}): \
             appended {} events in {:.1?} ({:.0} events/s), \
             projected {} events in {:.1?} ({:.0} events/s)",
            self.zaken_written,
            self.zaken_skipped,
            self.partijen.written,
            self.partijen.skipped,
            self.klantcontacten.written,
            self.klantcontacten.skipped,
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
    if args.klantcontacten > 0 && args.partijen == 0 {
        return Err(SeedError::NoPartijen.into());
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
    let last = append(&store, &plan, args, &mut report).await?;
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

/// Appends the zaken, the partijen, the actoren and the klantcontacten; the position of the
/// last event appended.
async fn append(
    store: &PgEventStore,
    plan: &zaak::Plan<'_>,
    args: &SeedArgs,
    report: &mut Report,
) -> Result<Option<Position>, SeedError> {
    let chunk = args.chunk.max(1);
    let zaken = Kind {
        name: "zaken",
        count: args.zaken,
        chunk,
        stream: &|i| format!("zaak-{}", zaak::uuid(plan.seed, i)),
        generate: &|i| Ok(zaak::generate(plan, i)?.into()),
    };
    let (seeded, mut last) = append_all(store, &zaken, report).await?;
    (report.zaken_written, report.zaken_skipped) = (seeded.written, seeded.skipped);
    if args.partijen == 0 {
        return Ok(last);
    }
    let people = partij::Plan::new(plan, args.zaken, args.partijen)?;
    let partijen = Kind {
        name: "partijen",
        count: args.partijen,
        chunk: chunk * 4,
        stream: &|i| partij::stream(plan.seed, i),
        generate: &|i| people.generate(i),
    };
    let seeded;
    (seeded, last) = append_all(store, &partijen, report)
        .await
        .map(|(s, l)| (s, last.max(l)))?;
    report.partijen = seeded;
    let contacts = klantcontact::Plan {
        seed: plan.seed,
        tenant: plan.tenant,
        partijen: args.partijen,
        zaken: args.zaken,
    };
    let actoren = Kind {
        name: "actoren",
        count: klantcontact::ACTOREN,
        chunk,
        stream: &|i| contacts.actor_stream(i),
        generate: &|i| Ok(vec![contacts.actor(i)?]),
    };
    last = last.max(append_all(store, &actoren, report).await?.1);
    let klantcontacten = Kind {
        name: "klantcontacten",
        count: args.klantcontacten,
        chunk: chunk * 8,
        stream: &|i| contacts.stream(i),
        generate: &|i| contacts.generate(i),
    };
    let seeded;
    (seeded, last) = append_all(store, &klantcontacten, report)
        .await
        .map(|(s, l)| (s, last.max(l)))?;
    report.klantcontacten = seeded;
    Ok(last)
}

/// One kind of seeded object: object `i`'s stream (whose existence means it is there) and
/// everything appended for it (its stream, and claims or objects that come with it).
struct Kind<'a> {
    name: &'static str,
    count: u64,
    /// Objects per append transaction.
    chunk: u64,
    stream: &'a (dyn Fn(u64) -> String + Sync),
    generate: &'a (dyn Fn(u64) -> Result<Vec<StreamAppend>, SeedError> + Sync),
}

/// Appends the objects of `kind` in chunks, two transactions in flight; what was written
/// and the position of the last event.
async fn append_all(
    store: &PgEventStore,
    kind: &Kind<'_>,
    report: &mut Report,
) -> Result<(Seeded, Option<Position>), SeedError> {
    let template = format!(
        "{{bar:40}} {{pos}}/{{len}} {} ({{per_sec}}, eta {{eta}})",
        kind.name
    );
    let bar = ProgressBar::new(kind.count).with_style(
        ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let ranges = (0..kind.count)
        .step_by(kind.chunk as usize)
        .map(|start| start..(start + kind.chunk).min(kind.count));
    let mut chunks = futures::stream::iter(ranges)
        .map(|range| write_chunk(store, kind, range))
        .buffer_unordered(2);
    let (mut seeded, mut last) = (Seeded::default(), None);
    while let Some(done) = chunks.next().await {
        let done = done?;
        seeded.written += done.written;
        seeded.skipped += done.skipped;
        report.events_appended += done.events;
        last = last.max(done.position);
        bar.inc(done.written + done.skipped);
    }
    bar.finish_and_clear();
    Ok((seeded, last))
}

struct Chunk {
    written: u64,
    skipped: u64,
    events: u64,
    position: Option<Position>,
}

/// The objects of `range` whose stream does not exist yet, in one transaction.
async fn write_chunk(
    store: &PgEventStore,
    kind: &Kind<'_>,
    range: std::ops::Range<u64>,
) -> Result<Chunk, SeedError> {
    let streams: Vec<String> = range.clone().map(kind.stream).collect();
    let existing: Vec<String> =
        sqlx::query_scalar("SELECT stream FROM es_streams WHERE stream = ANY($1)")
            .bind(&streams)
            .fetch_all(store.pool())
            .await?;
    let mut appends = Vec::with_capacity(streams.len() * 2);
    let mut written = 0;
    for (i, stream) in range.zip(&streams) {
        if !existing.contains(stream) {
            appends.extend((kind.generate)(i)?);
            written += 1;
        }
    }
    let events = appends.iter().map(|a| a.events.len() as u64).sum();
    let position = match appends.is_empty() {
        true => None,
        false => Some(store.append_batch(&appends).await?),
    };
    Ok(Chunk {
        written,
        skipped: existing.len() as u64,
        events,
        position,
    })
}

/// The events of `commands` decided one after the other by aggregate `A` from nothing.
fn decided<A: domain::Aggregate>(
    what: &'static str,
    commands: Vec<A::Command>,
) -> Result<Vec<A::Event>, SeedError> {
    let mut state = A::State::default();
    let mut events = Vec::new();
    for command in commands {
        let new = A::decide(&state, command).map_err(|e| SeedError::Refused {
            what,
            reason: e.to_string(),
        })?;
        state = new.iter().fold(state, A::evolve);
        events.extend(new);
    }
    Ok(events)
}

/// An event stamped as the seed writes it: by the seed client, at `at`, with ids from `rng`.
fn envelope(
    rng: &mut rng::Rng,
    tenant: &str,
    at: DateTime<Utc>,
    event: &impl VersionedEvent,
) -> NewEvent {
    NewEvent {
        event_id: rng.event_id(at),
        event_type: event.event_type().into(),
        schema_version: event.schema_version(),
        payload: event.to_payload(),
        metadata: EventMetadata {
            occurred_at: at,
            actor: Actor {
                client_id: SEED_CLIENT.into(),
                user_id: "seed".into(),
                user_representation: "zaakstroom seed".into(),
                ..Default::default()
            },
            tenant: tenant.into(),
            correlation_id: rng.uuid(),
            causation_id: None,
            toelichting: String::new(),
            traceparent: None,
        },
    }
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
