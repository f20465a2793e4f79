//! EventStoreDB / KurrentDB adapter on the official `kurrentdb` client.
//!
//! Mapping: our `ExpectedVersion` is the client's `StreamState`, pinned to the stream's
//! head as the leader has it (`append.rs`); our event ids are the server's event ids; the
//! payload is the event's JSON data and the rest of the envelope (schema version, actor,
//! tenant, correlation, hashes) its custom metadata (`decode.rs`); our `Position` is
//! `$all`'s (commit, prepare); a deleted stream is a tombstoned one.
//!
//! The log as `read_all` and `subscribe_all` see it is `$all` filtered on the server to our
//! streams (their name prefixes: `event_schemas::CATEGORIES`), without the events of
//! deleted streams (`tombstones.rs`) and without events that lack our envelope (skipped
//! with a warning and counted, [`KurrentEventStore::foreign_events_skipped`]).
//! See ARCHITECTURE.md (Storage) for what is and is not guaranteed next to PostgreSQL.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::stream::BoxStream;
use kurrentdb::{Client, ClientSettings, StreamState, SubscriptionFilter, TombstoneStreamOptions};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

mod append;
mod connection;
mod decode;
mod errors;
mod read;
mod retry;
mod subscribe;
mod tombstones;

use connection::Connection;
use decode::{decode, Decoded, Raw};
use errors::{connection_string_error, password_of, write_error};
use tombstones::Tombstones;

use crate::{
    AppendResult, EventStore, ExpectedVersion, NewEvent, Position, RecordedEvent, StoreError,
};

#[derive(Clone)]
pub struct KurrentEventStore {
    conn: Arc<Connection>,
    /// Our streams' name prefixes (`zaak-`, `besluit-`, ...).
    prefixes: Arc<[String]>,
    tombstones: Arc<Tombstones>,
    foreign: Arc<AtomicU64>,
}

impl KurrentEventStore {
    /// Connects with a connection string such as `esdb://127.0.0.1:2113?tls=false`; reads
    /// the streams of `event_schemas::CATEGORIES`.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let settings: ClientSettings = url.parse().map_err(|e| connection_string_error(url, &e))?;
        let client = Client::new(settings.clone()).map_err(|e| {
            let mut message = e.to_string();
            if let Some(password) = password_of(url) {
                message = message.replace(password, "***");
            }
            StoreError::InvalidConnectionString(message)
        })?;
        let prefixes = event_schemas::CATEGORIES.iter().map(|c| format!("{c}-"));
        Ok(Self::with_connection(
            Arc::new(Connection::new(settings, client)),
            prefixes,
        ))
    }

    /// The same server, reading only streams whose names start with one of `prefixes`
    /// (tests give each store a prefix of its own).
    pub fn with_stream_prefixes(self, prefixes: impl IntoIterator<Item = String>) -> Self {
        Self::with_connection(self.conn, prefixes)
    }

    fn with_connection(conn: Arc<Connection>, prefixes: impl IntoIterator<Item = String>) -> Self {
        let prefixes: Arc<[String]> = prefixes.into_iter().collect();
        assert!(
            !prefixes.is_empty(),
            "a store reads at least one stream prefix"
        );
        Self {
            conn,
            tombstones: Arc::new(Tombstones::new(prefixes.clone())),
            prefixes,
            foreign: Arc::default(),
        }
    }

    /// How many events in our streams this store skipped because they are not ours.
    pub fn foreign_events_skipped(&self) -> u64 {
        self.foreign.load(Ordering::Relaxed)
    }

    /// `$all` as the server should filter it for us: our streams only (no `$` stream, no
    /// other application's), so a page is only short at the end of the log.
    fn filter(&self) -> SubscriptionFilter {
        self.prefixes
            .iter()
            .fold(SubscriptionFilter::on_stream_name(), |f, p| f.add_prefix(p))
    }

    /// An event of `$all` as the reader gets it: ours, or nothing (a tombstone, an event of
    /// a deleted stream, or a foreign event, which is counted and logged).
    fn accept(&self, raw: &Raw<'_>) -> Result<Option<RecordedEvent>, StoreError> {
        if raw.event_type != decode::TOMBSTONE && self.tombstones.contains(raw.stream) {
            return Ok(None);
        }
        match decode(raw)? {
            Decoded::Ours(e) => Ok(Some(e)),
            Decoded::Tombstone(stream) => {
                self.tombstones.insert(&stream);
                Ok(None)
            }
            Decoded::Foreign(reason) => {
                let skipped = self.foreign.fetch_add(1, Ordering::Relaxed) + 1;
                tracing::warn!(
                    event_id = %raw.id,
                    stream = raw.stream,
                    event_type = raw.event_type,
                    position = %raw.position,
                    %reason,
                    skipped,
                    "KurrentDB: skipping an event that is not ours"
                );
                Ok(None)
            }
        }
    }

    async fn read_all_page(
        &self,
        after: Option<Position>,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        self.tombstones.refresh(&self.conn, Duration::ZERO).await?;
        let mut out = Vec::with_capacity(limit);
        let mut cursor = after;
        loop {
            // Reading $all from a position includes the event at it: ask one more.
            let ask = limit - out.len() + 1;
            let page = read::all(
                &self.conn,
                self.filter(),
                cursor,
                ask,
                false,
                read::READ_DEADLINE,
            )
            .await?;
            for e in &page {
                let raw = Raw::of(e);
                if Some(raw.position) <= cursor {
                    continue;
                }
                cursor = Some(raw.position);
                if let Some(event) = self.accept(&raw)? {
                    out.push(event);
                    if out.len() == limit {
                        return Ok(out);
                    }
                }
            }
            // Skipped events leave the page short: read on, unless the log ended.
            if page.len() < ask {
                return Ok(out);
            }
        }
    }
}

#[async_trait::async_trait]
impl EventStore for KurrentEventStore {
    async fn append(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> Result<AppendResult, StoreError> {
        if events.is_empty() {
            return Err(StoreError::EmptyAppend);
        }
        self.append_events(stream, expected, &events).await
    }

    async fn read_stream(&self, stream: &str, from: u64) -> Result<Vec<RecordedEvent>, StoreError> {
        read::stream(&self.conn, stream, from, usize::MAX).await
    }

    async fn read_stream_page(
        &self,
        stream: &str,
        from: u64,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        read::stream(&self.conn, stream, from, limit).await
    }

    async fn stream_head(&self, stream: &str) -> Result<Option<Position>, StoreError> {
        match read::tail(&self.conn, stream, 1).await {
            Ok(tail) => Ok(tail.last().map(|e| e.position)),
            Err(StoreError::StreamDeleted(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn read_all(
        &self,
        after: Option<Position>,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.read_all_page(after, limit).await
    }

    fn subscribe_all(
        &self,
        after: Option<Position>,
    ) -> BoxStream<'static, Result<RecordedEvent, StoreError>> {
        let (tx, rx) = mpsc::channel(512);
        tokio::spawn(subscribe::feed(self.clone(), after, tx));
        Box::pin(ReceiverStream::new(rx))
    }

    /// A tombstone: the stream's events are unreadable at once and gone from `$all` for
    /// this adapter's readers; a scavenge removes them from disk (ARCHITECTURE.md).
    async fn delete_stream(
        &self,
        stream: &str,
        expected: ExpectedVersion,
    ) -> Result<(), StoreError> {
        let state = match expected {
            ExpectedVersion::Any => StreamState::Any,
            ExpectedVersion::NoStream => StreamState::NoStream,
            ExpectedVersion::StreamExists => StreamState::StreamExists,
            ExpectedVersion::Exact(v) => StreamState::StreamRevision(v),
        };
        let options = TombstoneStreamOptions::default()
            .stream_state(state)
            .requires_leader(true);
        let mut attempts = 0;
        let options = &options;
        let deleted = self
            .conn
            .run("tombstone a stream", |client| {
                attempts += 1;
                async move { client.tombstone_stream(stream, options).await }
            })
            .await;
        match deleted {
            Ok(_) => {}
            // An earlier attempt whose answer was lost did it.
            Err(kurrentdb::Error::ResourceDeleted) if attempts > 1 => {}
            Err(e) => return Err(write_error(stream, expected, e)),
        }
        self.tombstones.insert(stream);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store whose client never connects (nothing listens): `accept` does not use it.
    fn store() -> KurrentEventStore {
        let settings: ClientSettings = "esdb://127.0.0.1:9?tls=false".parse().unwrap();
        let client = Client::new(settings.clone()).unwrap();
        let conn = Arc::new(Connection::new(settings, client));
        KurrentEventStore::with_connection(conn, ["zaak-".to_owned()])
    }

    fn raw<'a>(stream: &'a str, event_type: &'a str, meta: &'a [u8]) -> Raw<'a> {
        Raw {
            id: uuid::Uuid::now_v7(),
            stream,
            revision: 0,
            position: Position {
                commit: 1,
                prepare: 1,
            },
            event_type,
            data: b"{}",
            custom_metadata: meta,
        }
    }

    fn envelope() -> Vec<u8> {
        let mut meta = serde_json::to_value(crate::testing::new_event(0).metadata).unwrap();
        meta["schema_version"] = 1.into();
        meta["prev_hash"] = "".into();
        meta["hash"] = "h".into();
        serde_json::to_vec(&meta).unwrap()
    }

    #[tokio::test]
    async fn a_foreign_event_is_skipped_and_counted_not_an_error() {
        let store = store();
        let skipped = store.accept(&raw("zaak-1", "Renamed", b"")).unwrap();
        assert!(skipped.is_none());
        assert_eq!(store.foreign_events_skipped(), 1);
        let meta = envelope();
        let ours = store.accept(&raw("zaak-1", "Tested", &meta)).unwrap();
        assert_eq!(ours.map(|e| e.stream), Some("zaak-1".to_owned()));
        assert_eq!(store.foreign_events_skipped(), 1);
    }

    #[tokio::test]
    async fn events_of_a_tombstoned_stream_are_skipped_once_its_tombstone_is_known() {
        let store = store();
        let meta = envelope();
        assert!(store
            .accept(&raw("zaak-2", "Tested", &meta))
            .unwrap()
            .is_some());
        let tombstone = store
            .accept(&raw("zaak-2", decode::TOMBSTONE, b""))
            .unwrap();
        assert!(tombstone.is_none());
        assert!(store
            .accept(&raw("zaak-2", "Tested", &meta))
            .unwrap()
            .is_none());
        assert!(store
            .accept(&raw("zaak-3", "Tested", &meta))
            .unwrap()
            .is_some());
        assert_eq!(
            store.foreign_events_skipped(),
            0,
            "a tombstone is not foreign"
        );
    }
}
