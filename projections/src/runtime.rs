//! The projection runtime: one active instance per projection (advisory lock), catch-up
//! then live, events applied in batches, checkpoint written in the batch's transaction.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use event_store::{EventStore, Position, RecordedEvent, StoreError};
use futures::StreamExt;
use sqlx::postgres::PgConnection;
use sqlx::{Connection, PgPool, Row};
use tokio::sync::watch;
use tracing::Instrument;

/// A consumer of the whole log. `apply` must be idempotent per event (a crash between a
/// side effect and the commit replays the batch), and must not wait on anything slow after
/// its first write: an open transaction id holds back every subscriber (ADR 0001).
#[async_trait]
pub trait Projection: Send + Sync + 'static {
    /// Unique and stable: names the checkpoint and the lock.
    fn name(&self) -> &'static str;

    /// Applies a batch of events inside `tx`, which also commits the checkpoint.
    async fn apply(
        &self,
        tx: &mut PgConnection,
        batch: &[RecordedEvent],
    ) -> Result<(), ProjectionError>;

    /// Removes everything this projection wrote, for a rebuild from the start.
    async fn reset(&self, tx: &mut PgConnection) -> Result<(), ProjectionError>;

    /// Whether `event` can change what this projection wrote. A live batch of none such
    /// opens no transaction: its checkpoint is written later (with the next batch that
    /// matters, or after [`DEFERRED_CHECKPOINT`]), since every transaction that writes holds
    /// back the log's readers (ADR 0001) and one per projection per write added up.
    fn handles(&self, _event: &RecordedEvent) -> bool {
        true
    }
}

/// How long a live runner keeps the checkpoint of batches its projection ignores in memory
/// before writing it (other processes read it for read-your-writes; a restart re-reads at
/// most this much of the log, and ignores it again).
pub const DEFERRED_CHECKPOINT: Duration = Duration::from_secs(1);

#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Postgres(#[from] sqlx::Error),
    #[error(transparent)]
    Decode(#[from] event_schemas::DecodeError),
    #[error("publishing to NATS: {0}")]
    Nats(String),
    #[error("a process manager's command failed: {0}")]
    Command(String),
    #[error("the event subscription ended")]
    SubscriptionEnded,
}

pub const BATCH_SIZE: usize = 500;
const MAX_BACKOFF: Duration = Duration::from_secs(5);

pub struct Runner {
    pool: PgPool,
    store: Arc<dyn EventStore>,
    projection: Arc<dyn Projection>,
    progress: watch::Sender<Option<Position>>,
    /// The last attempt failed (and was logged at WARN); cleared by the next applied batch.
    failing: AtomicBool,
}

impl Runner {
    pub fn new(pool: PgPool, store: Arc<dyn EventStore>, projection: Arc<dyn Projection>) -> Self {
        Self {
            pool,
            store,
            projection,
            progress: watch::Sender::new(None),
            failing: AtomicBool::new(false),
        }
    }

    /// The checkpoint as this runner advances it, for read-your-writes in this process.
    pub fn progress(&self) -> watch::Receiver<Option<Position>> {
        self.progress.subscribe()
    }

    /// Runs until the task is dropped: waits for the lock, then follows the log, and after
    /// any failure resumes from the last committed checkpoint.
    pub async fn run(self) {
        let name = self.projection.name();
        let mut backoff = Duration::from_millis(100);
        loop {
            match self.run_once().await {
                Ok(()) => backoff = Duration::from_millis(100),
                Err(e) => {
                    // Once per outage at WARN (NATS or PostgreSQL away fails every retry);
                    // the retries at DEBUG until a batch goes through again.
                    if self.failing.swap(true, Ordering::AcqRel) {
                        tracing::debug!(projection = name, error = %e, ?backoff, "projection still failing; retrying");
                    } else {
                        tracing::warn!(projection = name, error = %e, "projection stopped; retrying until it recovers (further failures at debug level)");
                    }
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }

    async fn run_once(&self) -> Result<(), ProjectionError> {
        let _lock = ProjectionLock::acquire(&self.pool, self.projection.name()).await?;
        let start = checkpoint(&self.pool, self.projection.name()).await?;
        self.progress.send_replace(start);
        tracing::info!(
            projection = self.projection.name(),
            ?start,
            "projection running"
        );
        let mut events = self.store.subscribe_all(start).ready_chunks(BATCH_SIZE);
        // The position of ignored batches not written yet, and since when.
        let mut deferred: Option<(Position, Instant)> = None;
        loop {
            let next = match deferred {
                Some((_, since)) => {
                    let flush_at = tokio::time::Instant::from_std(since + DEFERRED_CHECKPOINT);
                    tokio::time::timeout_at(flush_at, events.next()).await
                }
                None => Ok(events.next().await),
            };
            let chunk = match next {
                Ok(Some(chunk)) => chunk,
                Ok(None) => return Err(ProjectionError::SubscriptionEnded),
                Err(_elapsed) => {
                    if let Some((position, _)) = deferred.take() {
                        self.write_checkpoint(position).await?;
                    }
                    continue;
                }
            };
            let batch = chunk.into_iter().collect::<Result<Vec<_>, _>>()?;
            let Some(last) = batch.last().map(|e| e.position) else {
                continue;
            };
            if batch.iter().any(|e| self.projection.handles(e)) {
                apply_batch(&self.pool, self.projection.as_ref(), &batch).await?;
                deferred = None;
                if self.failing.swap(false, Ordering::AcqRel) {
                    tracing::info!(projection = self.projection.name(), "projection recovered");
                }
            } else {
                let since = deferred.map_or_else(Instant::now, |(_, since)| since);
                if since.elapsed() >= DEFERRED_CHECKPOINT {
                    self.write_checkpoint(last).await?;
                    deferred = None;
                } else {
                    deferred = Some((last, since));
                }
            }
            self.progress.send_replace(Some(last));
        }
    }

    async fn write_checkpoint(&self, position: Position) -> Result<(), ProjectionError> {
        let mut conn = self.pool.acquire().await?;
        save_checkpoint(&mut conn, self.projection.name(), position).await?;
        Ok(())
    }
}

/// Applies `batch` and moves the checkpoint past it, in one transaction. Traced (when
/// OpenTelemetry records) as a span in the trace of the request that wrote the events, or
/// linked to each of theirs (`trace::follow`).
pub async fn apply_batch(
    pool: &PgPool,
    projection: &dyn Projection,
    batch: &[RecordedEvent],
) -> Result<(), ProjectionError> {
    let Some(last) = batch.last() else {
        return Ok(());
    };
    let name = projection.name();
    let span = tracing::debug_span!(
        "projection batch",
        otel.name = %format_args!("project {name}"),
        projection = name,
        events = batch.len(),
        otel.status_code = tracing::field::Empty,
    );
    crate::trace::follow(
        &span,
        batch
            .iter()
            .filter_map(|e| e.metadata.traceparent.as_deref()),
    );
    let applied = apply_in_transaction(pool, projection, batch, last.position)
        .instrument(span.clone())
        .await;
    if applied.is_err() {
        span.record("otel.status_code", "error");
    }
    applied
}

async fn apply_in_transaction(
    pool: &PgPool,
    projection: &dyn Projection,
    batch: &[RecordedEvent],
    last: Position,
) -> Result<(), ProjectionError> {
    // A read model is derived data and its checkpoint commits with its rows: a commit lost
    // in a PostgreSQL crash is applied again from the (synchronously committed) log, so it
    // need not wait for its WAL flush. That flush was one of the three fsyncs every
    // POST waited for (BENCHMARKS.md). Sent with the BEGIN, in one round trip.
    let mut tx = pool
        .begin_with("BEGIN; SET LOCAL synchronous_commit = off")
        .await?;
    projection.apply(&mut tx, batch).await?;
    save_checkpoint(&mut tx, projection.name(), last).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn checkpoint(pool: &PgPool, name: &str) -> Result<Option<Position>, sqlx::Error> {
    let row =
        sqlx::query("SELECT commit_pos, prepare_pos FROM projection_checkpoints WHERE name = $1")
            .bind(name)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|r| Position {
        commit: r.get::<i64, _>("commit_pos") as u64,
        prepare: r.get::<i64, _>("prepare_pos") as u64,
    }))
}

/// Moves `name`'s checkpoint to `position` (in the caller's transaction or connection).
pub async fn save_checkpoint(
    tx: &mut PgConnection,
    name: &str,
    position: Position,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO projection_checkpoints (name, commit_pos, prepare_pos) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET commit_pos = $2, prepare_pos = $3, updated_at = now()",
    )
    .bind(name)
    .bind(position.commit as i64)
    .bind(position.prepare as i64)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Empties a projection and its checkpoint in one transaction; it then starts from 0.
pub async fn reset(pool: &PgPool, projection: &dyn Projection) -> Result<(), ProjectionError> {
    let mut tx = pool.begin().await?;
    projection.reset(&mut tx).await?;
    sqlx::query("DELETE FROM projection_checkpoints WHERE name = $1")
        .bind(projection.name())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A session-level advisory lock held on its own connection: while it lives, no other
/// process runs this projection. Dropping it closes the connection and frees the lock.
pub struct ProjectionLock {
    _conn: PgConnection,
}

impl ProjectionLock {
    pub async fn acquire(pool: &PgPool, name: &str) -> Result<Self, sqlx::Error> {
        let mut conn = PgConnection::connect_with(&pool.connect_options()).await?;
        let mut waited = false;
        loop {
            let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtext($1))")
                .bind(format!("zaakstroom.projection.{name}"))
                .fetch_one(&mut conn)
                .await?;
            if got {
                return Ok(Self { _conn: conn });
            }
            if !waited {
                tracing::info!(
                    projection = name,
                    "another instance runs this projection; standing by"
                );
                waited = true;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}
