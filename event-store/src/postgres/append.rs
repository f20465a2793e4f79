//! The append path's pieces, shared by the single append and the bulk append: the locked
//! stream head, the expected-version check, the hash chain and the one-statement insert.

use chrono::{DateTime, SubsecRound, Utc};
use event_schemas::envelope::HashInput;
use event_schemas::EventMetadata;
use sqlx::{PgConnection, Row};

use super::read::{position, to_i64, to_u64};
use crate::{ExpectedVersion, NewEvent, Position, StoreError};

/// The stream row as the append found it, locked.
pub(super) struct StreamHead {
    pub(super) version: Option<u64>,
    pub(super) last_hash: String,
}

pub(super) async fn lock_head(
    tx: &mut PgConnection,
    stream: &str,
) -> Result<StreamHead, StoreError> {
    let row = sqlx::query(
        "SELECT version, last_hash, deleted FROM es_streams WHERE stream = $1 FOR UPDATE",
    )
    .bind(stream)
    .fetch_optional(&mut *tx)
    .await?;
    match row {
        None => Ok(StreamHead {
            version: None,
            last_hash: String::new(),
        }),
        Some(r) if r.get::<bool, _>("deleted") => Err(StoreError::StreamDeleted(stream.into())),
        Some(r) => Ok(StreamHead {
            version: Some(to_u64(r.get("version"))),
            last_hash: r.get("last_hash"),
        }),
    }
}

pub(super) fn check_expected(
    stream: &str,
    expected: ExpectedVersion,
    actual: Option<u64>,
) -> Result<(), StoreError> {
    let ok = match expected {
        ExpectedVersion::Any => true,
        ExpectedVersion::NoStream => actual.is_none(),
        ExpectedVersion::StreamExists => actual.is_some(),
        ExpectedVersion::Exact(v) => actual == Some(v),
    };
    if ok {
        Ok(())
    } else {
        Err(StoreError::WrongExpectedVersion {
            stream: stream.to_owned(),
            expected,
            actual,
        })
    }
}

/// PostgreSQL keeps microseconds, and numbers as `numeric`: hash exactly what a later read
/// returns, or `zaakstroom verify` would find the event changed.
pub(super) fn at_stored_precision(events: &[NewEvent]) -> Vec<NewEvent> {
    events
        .iter()
        .map(|e| {
            let mut e = e.clone();
            e.metadata.occurred_at = e.metadata.occurred_at.trunc_subsecs(6);
            as_jsonb_returns(&mut e.payload);
            e
        })
        .collect()
}

/// A float jsonb hands back otherwise: `-0.0` as `0.0`, and one of 1e16 or more (written
/// `1e+16`, always whole) as its digits, which read back as an integer when they fit one.
/// Every other number reads back as the same value and so as the same text.
fn as_jsonb_returns(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap_or_default();
            if x == 0.0 {
                *value = Value::from(0.0);
            } else if (1e16..18_446_744_073_709_551_616.0).contains(&x) {
                *value = Value::from(x as u64);
            } else if (-9_223_372_036_854_775_808.0..=-1e16).contains(&x) {
                *value = Value::from(x as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(as_jsonb_returns),
        Value::Object(fields) => fields.values_mut().for_each(as_jsonb_returns),
        _ => {}
    }
}

/// An event with its place in the stream and its hash chained to the one before it.
pub(super) struct ChainedEvent<'a> {
    pub(super) stream: &'a str,
    pub(super) event: &'a NewEvent,
    pub(super) revision: u64,
    pub(super) prev_hash: String,
    pub(super) hash: String,
}

pub(super) fn chain<'a>(
    stream: &'a str,
    first: u64,
    last_hash: &str,
    events: &'a [NewEvent],
) -> Vec<ChainedEvent<'a>> {
    let mut prev = last_hash.to_owned();
    let mut out = Vec::with_capacity(events.len());
    for (i, event) in events.iter().enumerate() {
        let revision = first + i as u64;
        let hash = HashInput {
            prev_hash: &prev,
            event_id: event.event_id,
            stream,
            revision,
            event_type: &event.event_type,
            schema_version: event.schema_version,
            metadata: &event.metadata,
            payload: &event.payload,
        }
        .hash();
        out.push(ChainedEvent {
            stream,
            event,
            revision,
            prev_hash: std::mem::replace(&mut prev, hash.clone()),
            hash,
        });
    }
    out
}

/// Inserts chained events (of one or many streams) in one statement; the position of the last.
pub(super) async fn insert_events(
    tx: &mut PgConnection,
    rows: &[ChainedEvent<'_>],
) -> Result<Position, StoreError> {
    let col = |f: fn(&ChainedEvent<'_>) -> String| rows.iter().map(f).collect::<Vec<_>>();
    let meta = |r: &ChainedEvent<'_>| r.event.metadata.clone();
    let metas: Vec<EventMetadata> = rows.iter().map(meta).collect();
    let row = sqlx::query(
        "WITH ins AS (
           INSERT INTO es_events (stream, revision, event_id, event_type, schema_version,
               occurred_at, tenant, actor, correlation_id, causation_id, payload, prev_hash, hash,
               toelichting, traceparent)
           SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::smallint[],
               $6::timestamptz[], $7::text[], $8::jsonb[], $9::uuid[], $10::uuid[], $11::jsonb[],
               $12::text[], $13::text[], $14::text[], $15::text[])
           RETURNING tx_id, seq)
         SELECT tx_id, max(seq) AS seq FROM ins GROUP BY tx_id",
    )
    .bind(rows.iter().map(|r| r.stream).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| to_i64(r.revision)).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.event.event_id).collect::<Vec<_>>())
    .bind(col(|r| r.event.event_type.clone()))
    .bind(
        rows.iter()
            .map(|r| r.event.schema_version as i16)
            .collect::<Vec<_>>(),
    )
    .bind(
        metas
            .iter()
            .map(|m| m.occurred_at)
            .collect::<Vec<DateTime<Utc>>>(),
    )
    .bind(metas.iter().map(|m| m.tenant.clone()).collect::<Vec<_>>())
    .bind(metas.iter().map(|m| json(&m.actor)).collect::<Vec<_>>())
    .bind(metas.iter().map(|m| m.correlation_id).collect::<Vec<_>>())
    .bind(metas.iter().map(|m| m.causation_id).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|r| r.event.payload.clone())
            .collect::<Vec<_>>(),
    )
    .bind(col(|r| r.prev_hash.clone()))
    .bind(col(|r| r.hash.clone()))
    .bind(
        metas
            .iter()
            .map(|m| m.toelichting.clone())
            .collect::<Vec<_>>(),
    )
    .bind(
        metas
            .iter()
            .map(|m| m.traceparent.clone())
            .collect::<Vec<_>>(),
    )
    .fetch_one(&mut *tx)
    .await?;
    position(&row)
}

pub(super) async fn save_head(
    tx: &mut PgConnection,
    stream: &str,
    exists: bool,
    last: &ChainedEvent<'_>,
) -> Result<(), StoreError> {
    let sql = if exists {
        "UPDATE es_streams SET version = $2, last_hash = $3 WHERE stream = $1"
    } else {
        // A concurrent creator makes this fail on es_streams_pkey: wrong expected version.
        "INSERT INTO es_streams (stream, version, last_hash) VALUES ($1, $2, $3)"
    };
    sqlx::query(sql)
        .bind(stream)
        .bind(to_i64(last.revision))
        .bind(&last.hash)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("envelope fields are plain data")
}
