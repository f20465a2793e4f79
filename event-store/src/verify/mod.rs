//! Verifiable history: every stream's hash chain, the stream table's heads, the global
//! order within each stream, and signed checkpoints of the heads (`zaakstroom verify`,
//! `zaakstroom checkpoint`). The pure parts live here; reading the log is the adapter's
//! (`postgres::verify`). docs/hash-chain.md defines what is hashed and what is checked.

pub mod chain;
pub mod checkpoint;
pub mod merkle;
pub mod port;

use std::fmt;

use crate::Position;

/// A place where the log is not what its hashes say it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub stream: String,
    /// The revision the fault was found at (`None`: the stream as a whole).
    pub revision: Option<u64>,
    /// The global position of the event found there, when there is one.
    pub position: Option<Position>,
    pub kind: FaultKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// The stream skips from `expected` to `found`: events were removed (or the first
    /// events of the stream are missing).
    MissingRevisions { expected: u64, found: u64 },
    /// The event's `prev_hash` is not the hash of the event before it.
    BrokenLink {
        prev_hash: String,
        previous_hash: String,
    },
    /// The event's stored hash is not the one its content gives: edited after it was written.
    HashMismatch { stored: String, recomputed: String },
    /// The event stands before its predecessor in the global log (positions swapped).
    OutOfOrder { previous_position: Position },
    /// A stored event that cannot be read (its envelope does not decode).
    Unreadable(String),
    /// Events of a stream the stream table does not know.
    NoHead,
    /// The stream table names a head with no events behind it.
    HeadWithoutEvents { version: u64 },
    /// Events of a stream the stream table says was deleted.
    EventsOfDeletedStream,
    /// The stream table's head is not the stream's last event: events at its end were
    /// removed (or added without the table knowing).
    HeadMismatch {
        version: u64,
        hash: String,
        last_revision: u64,
    },
    /// A checkpoint's head is no longer in the log: no event at that revision.
    CheckpointHeadMissing { version: u64, hash: String },
    /// A checkpoint's head was rewritten: the event at that revision has another hash.
    CheckpointHeadRewritten {
        version: u64,
        sealed: String,
        found: String,
    },
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingRevisions { expected, found } => write!(
                f,
                "revision {expected} is missing (the next stored event is revision {found}): events were removed"
            ),
            Self::BrokenLink { prev_hash, previous_hash } => write!(
                f,
                "broken link: prev_hash {prev_hash:?} is not the previous event's hash {previous_hash:?}"
            ),
            Self::HashMismatch { stored, recomputed } => write!(
                f,
                "content changed: stored hash {stored}, recomputed {recomputed}"
            ),
            Self::OutOfOrder { previous_position } => write!(
                f,
                "out of order: the previous revision stands later in the global log, at {previous_position}"
            ),
            Self::Unreadable(why) => write!(f, "unreadable event: {why}"),
            Self::NoHead => f.write_str("events of a stream missing from es_streams"),
            Self::HeadWithoutEvents { version } => write!(
                f,
                "es_streams says version {version}, but the stream has no events: they were removed"
            ),
            Self::EventsOfDeletedStream => {
                f.write_str("events of a stream es_streams marks as deleted")
            }
            Self::HeadMismatch { version, hash, last_revision } => write!(
                f,
                "es_streams says version {version} with hash {hash}, but the last stored event is revision {last_revision} (another hash or events removed at the end)"
            ),
            Self::CheckpointHeadMissing { version, hash } => write!(
                f,
                "the checkpoint sealed revision {version} with hash {hash}; the log has no such event any more"
            ),
            Self::CheckpointHeadRewritten { version, sealed, found } => write!(
                f,
                "the checkpoint sealed revision {version} with hash {sealed}; the log now has {found}: history was rewritten"
            ),
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.stream)?;
        if let Some(r) = self.revision {
            write!(f, " revision {r}")?;
        }
        if let Some(p) = self.position {
            write!(f, " (position {p})")?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// What a verification found. Faults are the first one of each stream, in the order met,
/// of which the first [`Report::MAX_LISTED`] are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub streams: u64,
    pub events: u64,
    pub faults: Vec<Fault>,
    /// Faults found beyond the ones listed.
    pub more_faults: u64,
    /// Streams of a checkpoint deleted since (a tombstone in es_streams): not a fault,
    /// since destruction is allowed, but named.
    pub deleted_since_checkpoint: Vec<String>,
    /// Heads of a checkpoint that were compared with the log.
    pub checkpoint_heads: u64,
}

impl Report {
    pub const MAX_LISTED: usize = 1_000;

    pub fn is_clean(&self) -> bool {
        self.faults.is_empty()
    }

    pub fn fault_count(&self) -> u64 {
        self.faults.len() as u64 + self.more_faults
    }

    pub(crate) fn add(&mut self, fault: Fault) {
        if self.faults.len() < Self::MAX_LISTED {
            self.faults.push(fault);
        } else {
            self.more_faults += 1;
        }
    }
}

/// How far a verification is, reported after each batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub events: u64,
    pub streams: u64,
    /// The events to check, as counted before the start (others may be appended meanwhile).
    pub total: u64,
}
