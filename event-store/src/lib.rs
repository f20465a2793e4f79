//! The event-store port and its adapters.
//!
//! Commands append through [`EventStore`]; projections read the whole log through it. Two
//! adapters give the same semantics, proven by one contract suite (`tests/contract.rs`, live
//! subscriptions in `tests/subscriptions.rs`):
//! [`postgres::PgEventStore`] (the single-box default) and [`kurrent::KurrentEventStore`]
//! (EventStoreDB / KurrentDB through the official `kurrentdb` client).

pub mod kurrent;
pub mod metered;
pub mod postgres;
pub mod testing;
mod types;
pub mod verify;

pub use types::*;

use async_trait::async_trait;
use futures::stream::BoxStream;

/// Append-only, per-stream optimistic concurrency, one global order over all streams.
#[async_trait]
pub trait EventStore: Send + Sync + 'static {
    /// Appends `events` to `stream` if its version is `expected`. Appending events whose ids
    /// were already appended to this stream in the same place returns the original result
    /// and stores nothing (a retried request).
    async fn append(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> Result<AppendResult, StoreError>;

    /// All events of one stream, from revision `from` on, in revision order. A stream that
    /// does not exist reads as empty.
    async fn read_stream(&self, stream: &str, from: u64) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Up to `limit` events of one stream, from revision `from` on, in revision order: a
    /// bounded [`read_stream`](Self::read_stream), for readers that stop early (time travel
    /// reads on from a snapshot only until the instant it asks about).
    async fn read_stream_page(
        &self,
        stream: &str,
        from: u64,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// The position of the last event of `stream` (`None`: no such stream, or a deleted
    /// one), without reading its events: what read-your-writes waits for after another writer's change.
    async fn stream_head(&self, stream: &str) -> Result<Option<Position>, StoreError>;

    /// Up to `limit` events of the whole log after `after` (`None`: from the start), in the
    /// global order. Never returns an event and later one that sorts before it.
    async fn read_all(
        &self,
        after: Option<Position>,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Catch-up then live: every event after `after`, in the global order, exactly once.
    /// The stream ends only with an error (e.g. the connection is lost).
    fn subscribe_all(
        &self,
        after: Option<Position>,
    ) -> BoxStream<'static, Result<RecordedEvent, StoreError>>;

    /// Deletes a stream for good (destruction under archiefwet / AVG): its events are gone
    /// and the name can never be appended to again.
    async fn delete_stream(
        &self,
        stream: &str,
        expected: ExpectedVersion,
    ) -> Result<(), StoreError>;
}
