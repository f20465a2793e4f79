//! Reading the log: the global order below the oldest running transaction, and stored
//! rows to events.

use event_schemas::{Actor, EventMetadata};
use sqlx::postgres::{PgPool, PgRow};
use sqlx::Row;

use crate::{Position, RecordedEvent, StoreError};

pub(super) const SELECT_EVENTS: &str =
    "SELECT tx_id, seq, stream, revision, event_id, event_type, \
    schema_version, occurred_at, tenant, actor, correlation_id, causation_id, toelichting, payload, \
    prev_hash, hash, traceparent FROM es_events";

/// Events after `after`, only from transactions that can no longer be joined by an earlier
/// one: everything below the oldest transaction still in flight.
pub(super) async fn read_all(
    pool: &PgPool,
    after: Option<Position>,
    limit: usize,
) -> Result<Vec<RecordedEvent>, StoreError> {
    let after = after.unwrap_or(Position {
        commit: 0,
        prepare: 0,
    });
    let rows = sqlx::query(&format!(
        "{SELECT_EVENTS} WHERE (tx_id, seq) > ($1, $2) \
         AND tx_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint \
         ORDER BY tx_id, seq LIMIT $3"
    ))
    .bind(to_i64(after.commit))
    .bind(to_i64(after.prepare))
    .bind(limit as i64)
    .fetch_all(pool)
    .await?;
    rows.iter().map(recorded_event).collect()
}

pub(super) fn recorded_event(row: &PgRow) -> Result<RecordedEvent, StoreError> {
    let actor: serde_json::Value = row.try_get("actor")?;
    let actor: Actor = serde_json::from_value(actor)
        .map_err(|e| StoreError::Corrupt(format!("actor of stored event: {e}")))?;
    Ok(RecordedEvent {
        event_id: row.try_get("event_id")?,
        stream: row.try_get("stream")?,
        revision: to_u64(row.try_get("revision")?),
        position: position(row)?,
        event_type: row.try_get("event_type")?,
        schema_version: row.try_get::<i16, _>("schema_version")? as u16,
        payload: row.try_get("payload")?,
        metadata: EventMetadata {
            occurred_at: row.try_get("occurred_at")?,
            actor,
            tenant: row.try_get("tenant")?,
            correlation_id: row.try_get("correlation_id")?,
            causation_id: row.try_get("causation_id")?,
            toelichting: row.try_get("toelichting")?,
            traceparent: row.try_get("traceparent")?,
        },
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

pub(super) fn position(row: &PgRow) -> Result<Position, StoreError> {
    Ok(Position {
        commit: to_u64(row.try_get("tx_id")?),
        prepare: to_u64(row.try_get("seq")?),
    })
}

/// Revisions, transaction ids and sequence numbers are never negative in PostgreSQL.
pub(super) fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or_default()
}

pub(super) fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}
