use std::fmt;

use chrono::{DateTime, Utc};
use event_schemas::envelope::Envelope;
pub use event_schemas::EventMetadata;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A place in the global order. Compared as `(commit, prepare)`, like EventStoreDB's `$all`
/// position; the PostgreSQL adapter uses (transaction id, sequence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Position {
    pub commit: u64,
    pub prepare: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.commit, self.prepare)
    }
}

/// What the writer believes about the stream's current version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedVersion {
    /// No check.
    Any,
    /// The stream must not exist (claim streams use this).
    NoStream,
    /// The stream must exist.
    StreamExists,
    /// The revision of the stream's last event must be exactly this.
    Exact(u64),
}

impl fmt::Display for ExpectedVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Any => f.write_str("any"),
            Self::NoStream => f.write_str("no stream"),
            Self::StreamExists => f.write_str("stream exists"),
            Self::Exact(v) => write!(f, "revision {v}"),
        }
    }
}

/// An event to append; its id is chosen by the writer so a retry can be recognised.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u16,
    pub payload: serde_json::Value,
    pub metadata: EventMetadata,
}

/// A stored event with everything the store knows about it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedEvent {
    pub event_id: Uuid,
    pub stream: String,
    pub revision: u64,
    pub position: Position,
    pub event_type: String,
    pub schema_version: u16,
    pub payload: serde_json::Value,
    pub metadata: EventMetadata,
    pub prev_hash: String,
    pub hash: String,
}

impl RecordedEvent {
    /// The aggregate type: the stream name up to its first dash.
    pub fn category(&self) -> &str {
        self.stream.split('-').next().unwrap_or_default()
    }

    pub fn occurred_at(&self) -> DateTime<Utc> {
        self.metadata.occurred_at
    }

    pub fn envelope(&self) -> Envelope {
        Envelope {
            event_id: self.event_id,
            event_type: self.event_type.clone(),
            schema_version: self.schema_version,
            stream: self.stream.clone(),
            revision: self.revision,
            metadata: self.metadata.clone(),
            prev_hash: self.prev_hash.clone(),
            hash: self.hash.clone(),
            payload: self.payload.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppendResult {
    /// Revision of the last event of the stream after the append.
    pub next_expected_version: u64,
    /// Global position of the last appended event.
    pub position: Position,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("wrong expected version on {stream}: expected {expected}, actual {actual:?}")]
    WrongExpectedVersion {
        stream: String,
        expected: ExpectedVersion,
        /// Revision of the stream's last event; `None` when the stream does not exist.
        actual: Option<u64>,
    },
    #[error("stream {0} was deleted")]
    StreamDeleted(String),
    #[error("event ids already stored elsewhere than this append would put them, in {0}")]
    DuplicateEventId(String),
    #[error("an append needs at least one event")]
    EmptyAppend,
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] sqlx::Error),
    #[error("KurrentDB: {0}")]
    Kurrent(#[from] kurrentdb::Error),
    #[error("invalid KurrentDB connection string: {0}")]
    InvalidConnectionString(String),
    #[error("stored event is not readable: {0}")]
    Corrupt(String),
}
