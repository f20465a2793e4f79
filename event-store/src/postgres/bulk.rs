//! Appending to many streams in one transaction: the bulk path of `zaakstroom seed`.
//!
//! Every guarantee of a single append holds per stream (expected version, hash chain,
//! idempotent retries by event id) and the batch is one transaction, so its events take
//! one place in the global order. Keep batches small (a few thousand events): an open
//! transaction holds every subscriber back until it commits (ADR 0001).

use std::collections::HashMap;

use sqlx::{PgConnection, Row};

use super::{
    at_stored_precision, chain, check_expected, insert_events, is_unique_violation, to_i64, to_u64,
    ChainedEvent, PgEventStore, StreamHead,
};
use crate::{EventStore, ExpectedVersion, NewEvent, Position, StoreError};

/// The events to append to one stream, and what the writer believes its version is.
#[derive(Debug, Clone)]
pub struct StreamAppend {
    pub stream: String,
    pub expected: ExpectedVersion,
    pub events: Vec<NewEvent>,
}

impl PgEventStore {
    /// Appends every `appends` entry in one transaction: all of them, or none (an error).
    /// A retried batch (its event ids already stored, each in its own stream) stores
    /// nothing twice: it is then replayed stream by stream through [`EventStore::append`],
    /// which recognises the retry. The position of the last event appended.
    pub async fn append_batch(&self, appends: &[StreamAppend]) -> Result<Position, StoreError> {
        if appends.is_empty() || appends.iter().any(|a| a.events.is_empty()) {
            return Err(StoreError::EmptyAppend);
        }
        if self.any_stored(appends).await? {
            return self.append_one_by_one(appends).await;
        }
        match self.try_append_batch(appends).await {
            Err(StoreError::Postgres(e)) if is_unique_violation(&e, "es_events_event_id_key") => {
                self.append_one_by_one(appends).await
            }
            Err(StoreError::Postgres(e))
                if is_unique_violation(&e, "es_streams_pkey")
                    || is_unique_violation(&e, "es_events_stream_revision_key") =>
            {
                // A concurrent writer created one of the streams, or stored one of the
                // events, first.
                Err(StoreError::WrongExpectedVersion {
                    stream: conflicting_stream(&e),
                    expected: ExpectedVersion::NoStream,
                    actual: Some(0),
                })
            }
            other => other,
        }
    }

    async fn try_append_batch(&self, appends: &[StreamAppend]) -> Result<Position, StoreError> {
        let mut tx = self.pool().begin().await?;
        let heads = lock_heads(&mut tx, appends).await?;
        let stored: Vec<Vec<NewEvent>> = appends
            .iter()
            .map(|a| at_stored_precision(&a.events))
            .collect();
        let mut rows: Vec<ChainedEvent<'_>> = Vec::new();
        let (mut created, mut advanced) = (Vec::new(), Vec::new());
        for (append, events) in appends.iter().zip(&stored) {
            let head = heads.get(append.stream.as_str());
            let version = head.and_then(|h| h.version);
            check_expected(&append.stream, append.expected, version)?;
            let last_hash = head.map_or("", |h| h.last_hash.as_str());
            let chained = chain(
                &append.stream,
                version.map_or(0, |v| v + 1),
                last_hash,
                events,
            );
            let last = chained.last().expect("appends are not empty");
            let target = if version.is_some() {
                &mut advanced
            } else {
                &mut created
            };
            target.push((
                append.stream.as_str(),
                to_i64(last.revision),
                last.hash.clone(),
            ));
            rows.extend(chained);
        }
        save_heads(&mut tx, &created, &advanced).await?;
        let position = insert_events(&mut tx, &rows).await?;
        self.commit_and_signal(tx).await?;
        Ok(position)
    }

    /// Whether some event of the batch is stored already: a retry.
    async fn any_stored(&self, appends: &[StreamAppend]) -> Result<bool, StoreError> {
        let ids: Vec<uuid::Uuid> = appends
            .iter()
            .flat_map(|a| a.events.iter().map(|e| e.event_id))
            .collect();
        Ok(
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM es_events WHERE event_id = ANY($1))")
                .bind(&ids)
                .fetch_one(self.pool())
                .await?,
        )
    }

    async fn append_one_by_one(&self, appends: &[StreamAppend]) -> Result<Position, StoreError> {
        let mut last = None;
        for a in appends {
            let result = self.append(&a.stream, a.expected, a.events.clone()).await?;
            last = last.max(Some(result.position));
        }
        Ok(last.expect("appends are not empty"))
    }
}

/// The heads of the streams that exist, locked in name order (no deadlock between batches).
async fn lock_heads(
    tx: &mut PgConnection,
    appends: &[StreamAppend],
) -> Result<HashMap<String, StreamHead>, StoreError> {
    let mut names: Vec<&str> = appends.iter().map(|a| a.stream.as_str()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Err(StoreError::Corrupt(
            "a batch appends to each stream at most once".into(),
        ));
    }
    let rows = sqlx::query(
        "SELECT stream, version, last_hash, deleted FROM es_streams WHERE stream = ANY($1)
         ORDER BY stream FOR UPDATE",
    )
    .bind(&names)
    .fetch_all(&mut *tx)
    .await?;
    let mut heads = HashMap::with_capacity(rows.len());
    for r in rows {
        let stream: String = r.get("stream");
        if r.get::<bool, _>("deleted") {
            return Err(StoreError::StreamDeleted(stream));
        }
        heads.insert(
            stream,
            StreamHead {
                version: Some(to_u64(r.get("version"))),
                last_hash: r.get("last_hash"),
            },
        );
    }
    Ok(heads)
}

/// New heads inserted (a concurrent creator fails this on es_streams_pkey), existing ones
/// moved on.
async fn save_heads(
    tx: &mut PgConnection,
    created: &[(&str, i64, String)],
    advanced: &[(&str, i64, String)],
) -> Result<(), StoreError> {
    for (rows, sql) in [
        (
            created,
            "INSERT INTO es_streams (stream, version, last_hash)
             SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::text[])",
        ),
        (
            advanced,
            "UPDATE es_streams SET version = h.version, last_hash = h.last_hash
             FROM UNNEST($1::text[], $2::bigint[], $3::text[]) AS h(stream, version, last_hash)
             WHERE es_streams.stream = h.stream",
        ),
    ] {
        if rows.is_empty() {
            continue;
        }
        sqlx::query(sql)
            .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.1).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.2.as_str()).collect::<Vec<_>>())
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

fn conflicting_stream(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(d) => d.message().to_owned(),
        other => other.to_string(),
    }
}
