//! PostgreSQL adapter: `es_events` (append-only) and `es_streams` (version, tombstone).
//!
//! Global order is `(tx_id, seq)`: readers only return events of transactions below the
//! oldest transaction still in flight (`pg_snapshot_xmin`), so writers commit in parallel
//! and a subscriber can never pass an event that commits late. See docs/adr/0001.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use futures::stream::BoxStream;
use sqlx::postgres::PgPool;
use sqlx::Row;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use uuid::Uuid;

mod append;
mod bulk;
mod checkpoint;
mod read;
mod signal;
mod tail;
mod verify;

pub use bulk::StreamAppend;
pub use checkpoint::Sealed;

use append::{
    at_stored_precision, chain, check_expected, insert_events, lock_head, save_head, ChainedEvent,
    StreamHead,
};
use read::{position, read_all, recorded_event, to_i64, to_u64, SELECT_EVENTS};
use signal::Signal;
use tail::{feed_subscription, Tail};

use crate::{
    AppendResult, EventStore, ExpectedVersion, NewEvent, Position, RecordedEvent, StoreError,
};

/// The NOTIFY channel appends signal on after their commit (`signal`); subscribers also
/// poll, for aborted transactions that held them back.
pub(super) const CHANNEL: &str = "es_events";
pub(super) const IDLE_POLL: Duration = Duration::from_millis(100);
/// How soon a subscriber looks again when committed events wait behind an older transaction.
pub(super) const HELD_BACK_POLL: Duration = Duration::from_millis(2);
pub(super) const SUBSCRIPTION_BATCH: usize = 512;

#[derive(Clone)]
pub struct PgEventStore {
    pool: PgPool,
    /// Started by the first subscriber; shared by every clone of this store.
    tail: Arc<OnceLock<Arc<Tail>>>,
    signal: Arc<Signal>,
}

impl PgEventStore {
    pub fn new(pool: PgPool) -> Self {
        Self {
            signal: Arc::new(Signal::new(pool.connect_options().as_ref().clone())),
            pool,
            tail: Arc::default(),
        }
    }

    /// The versions of the event-log migrations this binary embeds.
    pub fn migration_versions() -> Vec<i64> {
        sqlx::migrate!("./migrations")
            .iter()
            .map(|m| m.version)
            .collect()
    }

    /// Creates or upgrades the event-log tables.
    pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
        let mut migrator = sqlx::migrate!("./migrations");
        // The read-model migrations share the database and its migration table.
        migrator.set_ignore_missing(true);
        migrator.run(pool).await
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

#[async_trait]
impl EventStore for PgEventStore {
    async fn append(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> Result<AppendResult, StoreError> {
        if events.is_empty() {
            return Err(StoreError::EmptyAppend);
        }
        // A retried append is recognised when it fails: its stream has moved on (a wrong
        // expected version) or its event ids are taken. Looking first cost every append a
        // query (two per POST zaak).
        match self.try_append(stream, expected, &events).await {
            Err(wrong @ StoreError::WrongExpectedVersion { .. }) => {
                match self.already_appended(stream, &events).await? {
                    Some(done) => Ok(done),
                    None => Err(wrong),
                }
            }
            Err(StoreError::Postgres(e)) if is_unique_violation(&e, "es_events_event_id_key") => {
                // A concurrent retry of the same request won the race.
                self.already_appended(stream, &events)
                    .await?
                    .ok_or_else(|| StoreError::DuplicateEventId(stream.to_owned()))
            }
            Err(StoreError::Postgres(e))
                if is_unique_violation(&e, "es_streams_pkey")
                    || is_unique_violation(&e, "es_events_stream_revision_key") =>
            {
                if expected == ExpectedVersion::Any {
                    // Another writer created the stream first; `Any` accepts its new head.
                    return self.try_append(stream, expected, &events).await;
                }
                Err(StoreError::WrongExpectedVersion {
                    stream: stream.to_owned(),
                    expected,
                    actual: Some(0),
                })
            }
            other => other,
        }
    }

    async fn read_stream(&self, stream: &str, from: u64) -> Result<Vec<RecordedEvent>, StoreError> {
        self.read_stream_limited(stream, from, None).await
    }

    async fn read_stream_page(
        &self,
        stream: &str,
        from: u64,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.read_stream_limited(stream, from, Some(limit)).await
    }

    async fn stream_head(&self, stream: &str) -> Result<Option<Position>, StoreError> {
        // The last revision by the (stream, revision) index; a deleted stream has no events.
        let row = sqlx::query(
            "SELECT tx_id, seq FROM es_events WHERE stream = $1 ORDER BY revision DESC LIMIT 1",
        )
        .bind(stream)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(position).transpose()
    }

    async fn read_all(
        &self,
        after: Option<Position>,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        read_all(&self.pool, after, limit).await
    }

    fn subscribe_all(
        &self,
        after: Option<Position>,
    ) -> BoxStream<'static, Result<RecordedEvent, StoreError>> {
        let (tx, rx) = mpsc::channel(SUBSCRIPTION_BATCH);
        let tail = self
            .tail
            .get_or_init(|| Tail::start(self.pool.clone(), self.signal.local.clone()));
        tokio::spawn(feed_subscription(
            self.pool.clone(),
            tail.clone(),
            after,
            tx,
        ));
        Box::pin(ReceiverStream::new(rx))
    }

    async fn delete_stream(
        &self,
        stream: &str,
        expected: ExpectedVersion,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let head = lock_head(&mut tx, stream).await?;
        check_expected(stream, expected, head.version)?;
        sqlx::query("SELECT es_delete_stream($1)")
            .bind(stream)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl PgEventStore {
    /// The events of `stream` from revision `from` on, at most `limit` of them.
    async fn read_stream_limited(
        &self,
        stream: &str,
        from: u64,
        limit: Option<usize>,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let deleted: Option<bool> =
            sqlx::query_scalar("SELECT deleted FROM es_streams WHERE stream = $1")
                .bind(stream)
                .fetch_optional(&self.pool)
                .await?;
        if deleted == Some(true) {
            return Err(StoreError::StreamDeleted(stream.to_owned()));
        }
        // LIMIT NULL is no limit.
        let rows = sqlx::query(&format!(
            "{SELECT_EVENTS} WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3"
        ))
        .bind(stream)
        .bind(to_i64(from))
        .bind(limit.map(|l| i64::try_from(l).unwrap_or(i64::MAX)))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(recorded_event).collect()
    }

    async fn try_append(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: &[NewEvent],
    ) -> Result<AppendResult, StoreError> {
        let mut tx = self.pool.begin().await?;
        let head = lock_head(&mut tx, stream).await?;
        check_expected(stream, expected, head.version)?;
        let first = head.version.map_or(0, |v| v + 1);
        let events = at_stored_precision(events);
        let rows = chain(stream, first, &head.last_hash, &events);
        let last = rows.last().expect("append is not empty");
        // The head first: a concurrent creator of the stream fails here, on es_streams_pkey.
        save_head(&mut tx, stream, head.version.is_some(), last).await?;
        let position = insert_events(&mut tx, &rows).await?;
        self.commit_and_signal(tx).await?;
        Ok(AppendResult {
            next_expected_version: last.revision,
            position,
        })
    }

    /// The original result when every event id of `events` is already stored in `stream`
    /// (a retried append); an error when some are stored elsewhere or only some are stored.
    async fn already_appended(
        &self,
        stream: &str,
        events: &[NewEvent],
    ) -> Result<Option<AppendResult>, StoreError> {
        let ids: Vec<Uuid> = events.iter().map(|e| e.event_id).collect();
        let found = sqlx::query(
            "SELECT stream, revision, tx_id, seq FROM es_events WHERE event_id = ANY($1) \
             ORDER BY tx_id, seq",
        )
        .bind(&ids)
        .fetch_all(&self.pool)
        .await?;
        let Some(last) = found.last() else {
            return Ok(None);
        };
        let all_here = found.iter().all(|r| r.get::<String, _>("stream") == stream);
        if found.len() != events.len() || !all_here {
            return Err(StoreError::DuplicateEventId(stream.to_owned()));
        }
        Ok(Some(AppendResult {
            next_expected_version: to_u64(last.get("revision")),
            position: position(last)?,
        }))
    }
}

impl PgEventStore {
    /// Commits an append and tells the subscribers (see `signal`).
    async fn commit_and_signal(
        &self,
        tx: sqlx::Transaction<'_, sqlx::Postgres>,
    ) -> Result<(), StoreError> {
        tx.commit().await?;
        self.signal.committed();
        Ok(())
    }
}

fn is_unique_violation(e: &sqlx::Error, constraint: &str) -> bool {
    matches!(e, sqlx::Error::Database(d)
        if d.is_unique_violation() && d.constraint() == Some(constraint))
}
