//! EventStoreDB / KurrentDB adapter on the official `kurrentdb` client.
//!
//! Mapping: our `ExpectedVersion` is the client's `StreamState`; our event ids are the
//! server's event ids (so the server's own idempotency applies); the payload is the event's
//! JSON data and the rest of the envelope (schema version, actor, tenant, correlation,
//! hashes) is its custom metadata; our `Position` is `$all`'s (commit, prepare).
//! System events (`$`-prefixed types or streams) are never returned.

use futures::stream::BoxStream;
use kurrentdb::{
    AppendToStreamOptions, Client, ClientSettings, CurrentRevision, EventData, ReadAllOptions,
    ReadStreamOptions, ResolvedEvent, StreamPosition, StreamState, SubscribeToAllOptions,
    SubscriptionFilter, TombstoneStreamOptions,
};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use crate::{
    AppendResult, EventMetadata, EventStore, ExpectedVersion, NewEvent, Position, RecordedEvent,
    StoreError,
};
use event_schemas::envelope::HashInput;

#[derive(Clone)]
pub struct KurrentEventStore {
    client: Client,
}

/// What travels in an event's custom metadata besides the payload.
#[derive(Serialize, Deserialize)]
struct StoredMetadata {
    schema_version: u16,
    #[serde(flatten)]
    envelope: EventMetadata,
    prev_hash: String,
    hash: String,
}

impl KurrentEventStore {
    /// Connects with a connection string such as `esdb://127.0.0.1:2113?tls=false`.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let settings: ClientSettings =
            url.parse()
                .map_err(|e: kurrentdb::ClientSettingsParseError| {
                    StoreError::InvalidConnectionString(e.to_string())
                })?;
        let client = Client::new(settings)
            .map_err(|e| StoreError::InvalidConnectionString(e.to_string()))?;
        Ok(Self { client })
    }

    /// Revision and hash of the stream's last event; `None` when it does not exist.
    async fn head(&self, stream: &str) -> Result<Option<(u64, String)>, StoreError> {
        Ok(self.last_event(stream).await?.map(|e| (e.revision, e.hash)))
    }

    async fn last_event(&self, stream: &str) -> Result<Option<RecordedEvent>, StoreError> {
        let options = ReadStreamOptions::default()
            .backwards()
            .position(StreamPosition::End)
            .max_count(1);
        let mut read = self.client.read_stream(stream, &options).await?;
        match read.next().await {
            Ok(Some(e)) => Ok(Some(recorded(&e)?)),
            Ok(None) | Err(kurrentdb::Error::ResourceNotFound) => Ok(None),
            Err(kurrentdb::Error::ResourceDeleted) => Err(StoreError::StreamDeleted(stream.into())),
            Err(e) => Err(e.into()),
        }
    }
}

fn stream_state(expected: ExpectedVersion, head: Option<u64>) -> StreamState {
    match expected {
        // Pin `Any` to what we read, so a concurrent writer cannot break the hash chain.
        ExpectedVersion::Any => head.map_or(StreamState::NoStream, StreamState::StreamRevision),
        ExpectedVersion::NoStream => StreamState::NoStream,
        ExpectedVersion::StreamExists => StreamState::StreamExists,
        ExpectedVersion::Exact(v) => StreamState::StreamRevision(v),
    }
}

fn store_error(stream: &str, expected: ExpectedVersion, e: kurrentdb::Error) -> StoreError {
    match e {
        kurrentdb::Error::WrongExpectedVersion { current, .. } => {
            StoreError::WrongExpectedVersion {
                stream: stream.to_owned(),
                expected,
                actual: match current {
                    CurrentRevision::Current(v) => Some(v),
                    CurrentRevision::NoStream => None,
                },
            }
        }
        kurrentdb::Error::ResourceDeleted => StoreError::StreamDeleted(stream.to_owned()),
        other => StoreError::Kurrent(other),
    }
}

/// The events as the client sends them, hashes chained from the stream's current head.
fn event_data(
    stream: &str,
    head: Option<(u64, String)>,
    events: &[NewEvent],
) -> Result<Vec<EventData>, StoreError> {
    let (mut revision, mut prev) = head.map_or((0, String::new()), |(r, h)| (r + 1, h));
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let hash = HashInput {
            prev_hash: &prev,
            event_id: e.event_id,
            stream,
            revision,
            event_type: &e.event_type,
            schema_version: e.schema_version,
            metadata: &e.metadata,
            payload: &e.payload,
        }
        .hash();
        let meta = StoredMetadata {
            schema_version: e.schema_version,
            envelope: e.metadata.clone(),
            prev_hash: std::mem::replace(&mut prev, hash.clone()),
            hash,
        };
        let data = EventData::json(&e.event_type, &e.payload)
            .and_then(|d| d.id(e.event_id).metadata_as_json(&meta))
            .map_err(|err| StoreError::Corrupt(format!("encoding an event: {err}")))?;
        out.push(data);
        revision += 1;
    }
    Ok(out)
}

/// Our event from a resolved client event.
fn recorded(resolved: &ResolvedEvent) -> Result<RecordedEvent, StoreError> {
    let e = resolved.get_original_event();
    let meta: StoredMetadata = serde_json::from_slice(&e.custom_metadata)
        .map_err(|err| StoreError::Corrupt(format!("metadata of {}: {err}", e.id)))?;
    let payload = serde_json::from_slice(&e.data)
        .map_err(|err| StoreError::Corrupt(format!("data of {}: {err}", e.id)))?;
    Ok(RecordedEvent {
        event_id: e.id,
        stream: e.stream_id().to_owned(),
        revision: e.revision,
        position: Position {
            commit: e.position.commit,
            prepare: e.position.prepare,
        },
        event_type: e.event_type.clone(),
        schema_version: meta.schema_version,
        payload,
        metadata: meta.envelope,
        prev_hash: meta.prev_hash,
        hash: meta.hash,
    })
}

fn is_system(resolved: &ResolvedEvent) -> bool {
    let e = resolved.get_original_event();
    e.event_type.starts_with('$') || e.stream_id().starts_with('$')
}

fn to_client(p: Position) -> kurrentdb::Position {
    kurrentdb::Position {
        commit: p.commit,
        prepare: p.prepare,
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
        let head = self.head(stream).await?;
        let state = stream_state(expected, head.as_ref().map(|(r, _)| *r));
        let data = event_data(stream, head, &events)?;
        let options = AppendToStreamOptions::default().stream_state(state);
        let written = self
            .client
            .append_to_stream(stream, &options, data)
            .await
            .map_err(|e| store_error(stream, expected, e))?;
        Ok(AppendResult {
            next_expected_version: written.next_expected_version,
            position: Position {
                commit: written.position.commit,
                prepare: written.position.prepare,
            },
        })
    }

    async fn read_stream(&self, stream: &str, from: u64) -> Result<Vec<RecordedEvent>, StoreError> {
        let options = ReadStreamOptions::default()
            .forwards()
            .position(StreamPosition::Position(from))
            .max_count(usize::MAX);
        let mut read = self.client.read_stream(stream, &options).await?;
        let mut out = Vec::new();
        loop {
            match read.next().await {
                Ok(Some(e)) => out.push(recorded(&e)?),
                Ok(None) | Err(kurrentdb::Error::ResourceNotFound) => return Ok(out),
                Err(kurrentdb::Error::ResourceDeleted) => {
                    return Err(StoreError::StreamDeleted(stream.into()))
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    async fn stream_head(&self, stream: &str) -> Result<Option<Position>, StoreError> {
        match self.last_event(stream).await {
            Err(StoreError::StreamDeleted(_)) => Ok(None),
            other => Ok(other?.map(|e| e.position)),
        }
    }

    async fn read_all(
        &self,
        after: Option<Position>,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let start = after.map_or(StreamPosition::Start, |p| {
            StreamPosition::Position(to_client(p))
        });
        let filter = SubscriptionFilter::on_event_type().exclude_system_events();
        // Reading $all from a position includes the event at it: ask one more and skip it.
        let options = ReadAllOptions::default()
            .forwards()
            .position(start)
            .filter(filter)
            .max_count(limit.saturating_add(1));
        let mut read = self.client.read_all(&options).await?;
        let mut out = Vec::with_capacity(limit);
        while let Some(e) = read.next().await? {
            if is_system(&e) {
                continue;
            }
            let event = recorded(&e)?;
            if Some(event.position) > after && out.len() < limit {
                out.push(event);
            }
        }
        Ok(out)
    }

    fn subscribe_all(
        &self,
        after: Option<Position>,
    ) -> BoxStream<'static, Result<RecordedEvent, StoreError>> {
        let (tx, rx) = mpsc::channel(512);
        let client = self.client.clone();
        tokio::spawn(async move {
            let start = after.map_or(StreamPosition::Start, |p| {
                StreamPosition::Position(to_client(p))
            });
            let options = SubscribeToAllOptions::default()
                .position(start)
                .filter(SubscriptionFilter::on_event_type().exclude_system_events());
            let mut subscription = client.subscribe_to_all(&options).await;
            loop {
                let next = match subscription.next().await {
                    Ok(e) if is_system(&e) => continue,
                    Ok(e) => recorded(&e),
                    Err(e) => Err(e.into()),
                };
                let failed = next.is_err();
                if tx.send(next).await.is_err() || failed {
                    return;
                }
            }
        });
        Box::pin(ReceiverStream::new(rx))
    }

    async fn delete_stream(
        &self,
        stream: &str,
        expected: ExpectedVersion,
    ) -> Result<(), StoreError> {
        let head = self.head(stream).await?.map(|(r, _)| r);
        let options = TombstoneStreamOptions::default().stream_state(stream_state(expected, head));
        self.client
            .tombstone_stream(stream, &options)
            .await
            .map_err(|e| store_error(stream, expected, e))?;
        Ok(())
    }
}
