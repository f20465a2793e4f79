//! Snapshots of aggregate states, for time travel (issue 19): every [`EVERY`] events of a
//! stream its projection stores the state it folded (stamps included) beside the read
//! model, in the same transaction. A read as of an instant starts from the latest snapshot
//! at or before it and folds only the events after it, instead of the whole stream.
//!
//! Snapshots are a cache of the log: a rebuild truncates and rewrites them, and one that no
//! longer decodes (the state's shape changed) is passed over, so the reader folds from the
//! start as it would without snapshots.

use chrono::{DateTime, Utc};
use event_store::RecordedEvent;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::postgres::PgConnection;
use sqlx::{PgPool, Row};

use crate::ProjectionError;

/// Events between two snapshots of one stream. A read as of an instant decodes the events
/// after the snapshot up to the instant (and reads one page of [`EVERY`]): at 100 it spent
/// most of its time decoding payloads it did not need (BENCHMARKS.md); at 32 a snapshot
/// costs a stream a few percent more storage.
pub const EVERY: u64 = 32;

/// A state to store, serialised.
pub(crate) struct Snapshot {
    stream: String,
    revision: i64,
    occurred_at: DateTime<Utc>,
    state: String,
}

/// The snapshot to take after event `e` left `after`, when `e` ends a run of [`EVERY`].
pub(crate) fn capture<S: Serialize>(e: &RecordedEvent, after: Option<&S>) -> Option<Snapshot> {
    if !(e.revision + 1).is_multiple_of(EVERY) {
        return None;
    }
    let state = match serde_json::to_string(after?) {
        Ok(state) => state,
        Err(error) => {
            // Only a cost: reads of this stream's past fold from an earlier snapshot.
            tracing::warn!(stream = %e.stream, revision = e.revision, %error, "no snapshot");
            return None;
        }
    };
    Some(Snapshot {
        stream: e.stream.clone(),
        revision: i64::try_from(e.revision).unwrap_or(i64::MAX),
        occurred_at: e.metadata.occurred_at,
        state,
    })
}

/// Stores `snapshots` (again, if a batch is projected twice).
pub(crate) async fn save(
    tx: &mut PgConnection,
    snapshots: Vec<Snapshot>,
) -> Result<(), ProjectionError> {
    if snapshots.is_empty() {
        return Ok(());
    }
    let mut streams = Vec::with_capacity(snapshots.len());
    let mut revisions = Vec::with_capacity(snapshots.len());
    let mut times = Vec::with_capacity(snapshots.len());
    let mut states = Vec::with_capacity(snapshots.len());
    for s in snapshots {
        streams.push(s.stream);
        revisions.push(s.revision);
        times.push(s.occurred_at);
        states.push(s.state);
    }
    sqlx::query(
        "INSERT INTO aggregate_snapshots (stream, revision, occurred_at, state) \
         SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::timestamptz[], $4::text[]::json[]) \
         ON CONFLICT (stream, revision) DO UPDATE \
         SET occurred_at = EXCLUDED.occurred_at, state = EXCLUDED.state",
    )
    .bind(streams)
    .bind(revisions)
    .bind(times)
    .bind(states)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Forgets the snapshots of a category's streams (`{category}-…`), for a rebuild.
pub(crate) async fn reset(tx: &mut PgConnection, category: &str) -> Result<(), ProjectionError> {
    sqlx::query("DELETE FROM aggregate_snapshots WHERE starts_with(stream, $1)")
        .bind(format!("{category}-"))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// A stored state to fold on from.
#[derive(Debug)]
pub struct Stored<S> {
    pub state: S,
    /// The revision of the last event in it.
    pub revision: u64,
    /// When that event happened.
    pub occurred_at: DateTime<Utc>,
}

/// The latest snapshot of `stream` taken at or before `instant`, if any decodes.
pub async fn latest<S: DeserializeOwned>(
    pool: &PgPool,
    stream: &str,
    instant: DateTime<Utc>,
) -> Result<Option<Stored<S>>, ProjectionError> {
    let row = sqlx::query(
        "SELECT revision, occurred_at, state::text AS state FROM aggregate_snapshots \
         WHERE stream = $1 AND occurred_at <= $2 ORDER BY revision DESC LIMIT 1",
    )
    .bind(stream)
    .bind(instant)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let text: String = row.try_get("state")?;
    let revision: i64 = row.try_get("revision")?;
    match serde_json::from_str(&text) {
        Ok(state) => Ok(Some(Stored {
            state,
            revision: u64::try_from(revision).unwrap_or_default(),
            occurred_at: row.try_get("occurred_at")?,
        })),
        Err(error) => {
            tracing::warn!(%stream, revision, %error, "a snapshot no longer decodes; folding from the start");
            Ok(None)
        }
    }
}
