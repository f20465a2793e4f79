//! `zaakstroom verify` on the PostgreSQL log: every stream walked in (stream, revision)
//! order in keyset batches (constant memory, one short read-only statement each, so no
//! subscriber is held back), each event's hash recomputed and linked to the one before
//! it, each stream's last event held against `es_streams`, and the heads of a signed
//! checkpoint held against the log. docs/hash-chain.md says what is checked and why.

use std::collections::HashMap;

use sqlx::postgres::PgRow;
use sqlx::Row;

use super::read::{position, recorded_event, to_i64, to_u64};
use super::PgEventStore;
use crate::verify::chain::{check_head, check_link, Link, StoredHead};
use crate::verify::checkpoint::Checkpoint;
use crate::verify::{Fault, FaultKind, Progress, Report};
use crate::{Position, StoreError};

const COLUMNS: &str = "e.tx_id, e.seq, e.stream, e.revision, e.event_id, e.event_type, \
    e.schema_version, e.occurred_at, e.tenant, e.actor, e.correlation_id, e.causation_id, \
    e.toelichting, e.payload, e.prev_hash, e.hash, e.traceparent, \
    s.version AS head_version, s.last_hash AS head_hash, s.deleted AS head_deleted";

/// The stream being walked.
struct Current {
    stream: String,
    last: Option<Link>,
    head: Option<StoredHead>,
    faulted: bool,
}

#[derive(Default)]
struct Walk {
    report: Report,
    current: Option<Current>,
}

impl Walk {
    fn row(&mut self, row: &PgRow) -> Result<(), StoreError> {
        let stream: String = row.try_get("stream")?;
        let revision = to_u64(row.try_get("revision")?);
        let position = position(row)?;
        if self.current.as_ref().is_none_or(|c| c.stream != stream) {
            self.finish();
            self.report.streams += 1;
            self.current = Some(Current {
                stream: stream.clone(),
                last: None,
                head: stored_head(row)?,
                faulted: false,
            });
        }
        self.report.events += 1;
        let current = self.current.as_mut().expect("set above");
        let (fault, link) = match recorded_event(row) {
            Err(e) => (Some(FaultKind::Unreadable(e.to_string())), None),
            Ok(event) => {
                let fault = check_link(current.last.as_ref(), &event);
                let link = Link {
                    revision,
                    hash: event.hash,
                    position,
                };
                (fault, Some(link))
            }
        };
        current.last = link.or(current.last.take());
        // The first fault of a stream is reported; what follows it is its consequence.
        if let (Some(kind), false) = (fault, current.faulted) {
            current.faulted = true;
            self.report.add(Fault {
                stream,
                revision: Some(revision),
                position: Some(position),
                kind,
            });
        }
        Ok(())
    }

    /// The end of the current stream: its last event against es_streams.
    fn finish(&mut self) {
        let Some(c) = self.current.take() else { return };
        if c.faulted {
            return;
        }
        if let Some(kind) = check_head(c.last.as_ref(), c.head.as_ref()) {
            self.report.add(Fault {
                stream: c.stream,
                revision: c.last.as_ref().map(|l| l.revision),
                position: c.last.as_ref().map(|l| l.position),
                kind,
            });
        }
    }
}

fn stored_head(row: &PgRow) -> Result<Option<StoredHead>, StoreError> {
    let version: Option<i64> = row.try_get("head_version")?;
    Ok(match version {
        None => None,
        Some(v) => Some(StoredHead {
            version: to_u64(v),
            hash: row.try_get("head_hash")?,
            deleted: row.try_get("head_deleted")?,
        }),
    })
}

impl PgEventStore {
    /// Verifies the whole log, or one stream, reading `batch` events at a time and calling
    /// `progress` after each batch.
    pub async fn verify(
        &self,
        stream: Option<&str>,
        batch: usize,
        mut progress: impl FnMut(Progress),
    ) -> Result<Report, StoreError> {
        let total: i64 = match stream {
            None => sqlx::query_scalar("SELECT count(*) FROM es_events"),
            Some(s) => {
                sqlx::query_scalar("SELECT count(*) FROM es_events WHERE stream = $1").bind(s)
            }
        }
        .fetch_one(self.pool())
        .await?;
        let mut walk = Walk::default();
        let (mut after_stream, mut after_revision) = (stream.unwrap_or_default().to_owned(), -1i64);
        loop {
            let rows = self
                .batch(stream, &after_stream, after_revision, batch)
                .await?;
            for row in &rows {
                walk.row(row)?;
            }
            progress(Progress {
                events: walk.report.events,
                streams: walk.report.streams,
                total: to_u64(total),
            });
            let Some(last) = rows.last() else { break };
            after_stream = last.try_get("stream")?;
            after_revision = last.try_get("revision")?;
            if rows.len() < batch {
                break;
            }
        }
        walk.finish();
        self.heads_without_events(stream, &mut walk.report).await?;
        Ok(walk.report)
    }

    async fn batch(
        &self,
        stream: Option<&str>,
        after_stream: &str,
        after_revision: i64,
        limit: usize,
    ) -> Result<Vec<PgRow>, StoreError> {
        // One statement each: a consistent snapshot of the events and their heads.
        let sql = match stream {
            None => format!(
                "SELECT {COLUMNS} FROM es_events e LEFT JOIN es_streams s ON s.stream = e.stream \
                 WHERE (e.stream, e.revision) > ($1, $2) ORDER BY e.stream, e.revision LIMIT $3"
            ),
            Some(_) => format!(
                "SELECT {COLUMNS} FROM es_events e LEFT JOIN es_streams s ON s.stream = e.stream \
                 WHERE e.stream = $1 AND e.revision > $2 ORDER BY e.revision LIMIT $3"
            ),
        };
        let rows = sqlx::query(&sql)
            .bind(after_stream)
            .bind(after_revision)
            .bind(limit as i64)
            .fetch_all(self.pool())
            .await?;
        Ok(rows)
    }

    /// Heads in es_streams whose stream has no events left (and is not a tombstone).
    async fn heads_without_events(
        &self,
        stream: Option<&str>,
        report: &mut Report,
    ) -> Result<(), StoreError> {
        let rows = sqlx::query(
            "SELECT s.stream, s.version FROM es_streams s \
             WHERE NOT s.deleted AND ($1::text IS NULL OR s.stream = $1) \
             AND NOT EXISTS (SELECT 1 FROM es_events e WHERE e.stream = s.stream) \
             ORDER BY s.stream LIMIT $2",
        )
        .bind(stream)
        .bind(Report::MAX_LISTED as i64 + 1)
        .fetch_all(self.pool())
        .await?;
        for row in rows {
            let version = to_u64(row.try_get("version")?);
            report.add(Fault {
                stream: row.try_get("stream")?,
                revision: Some(version),
                position: None,
                kind: FaultKind::HeadWithoutEvents { version },
            });
        }
        Ok(())
    }

    /// Holds the heads of `checkpoint` (already checked on its own: sorted, root, signature)
    /// against the log: each must still be there, with the hash it was sealed with. Only
    /// `stream`'s head when given. Combined with an intact chain behind each head, the log
    /// then extends the checkpoint.
    pub async fn verify_against(
        &self,
        checkpoint: &Checkpoint,
        stream: Option<&str>,
        report: &mut Report,
    ) -> Result<(), StoreError> {
        let heads: Vec<_> = checkpoint
            .heads
            .iter()
            .filter(|h| stream.is_none_or(|s| s == h.stream))
            .collect();
        for chunk in heads.chunks(1_000) {
            let rows = sqlx::query(
                "SELECT h.stream, e.hash, e.tx_id, e.seq, s.deleted \
                 FROM UNNEST($1::text[], $2::bigint[]) AS h(stream, version) \
                 LEFT JOIN es_events e ON e.stream = h.stream AND e.revision = h.version \
                 LEFT JOIN es_streams s ON s.stream = h.stream",
            )
            .bind(chunk.iter().map(|h| h.stream.as_str()).collect::<Vec<_>>())
            .bind(chunk.iter().map(|h| to_i64(h.version)).collect::<Vec<_>>())
            .fetch_all(self.pool())
            .await?;
            let mut found: HashMap<String, (Option<String>, Option<Position>, bool)> =
                HashMap::with_capacity(rows.len());
            for row in &rows {
                let hash: Option<String> = row.try_get("hash")?;
                let at = match hash {
                    Some(_) => Some(position(row)?),
                    None => None,
                };
                let deleted = row.try_get::<Option<bool>, _>("deleted")?.unwrap_or(false);
                found.insert(row.try_get("stream")?, (hash, at, deleted));
            }
            for head in chunk {
                report.checkpoint_heads += 1;
                let (hash, at, deleted) = found.remove(&head.stream).unwrap_or_default();
                let kind = match hash {
                    Some(h) if h == head.hash => continue,
                    Some(h) => FaultKind::CheckpointHeadRewritten {
                        version: head.version,
                        sealed: head.hash.clone(),
                        found: h,
                    },
                    None if deleted => {
                        report.deleted_since_checkpoint.push(head.stream.clone());
                        continue;
                    }
                    None => FaultKind::CheckpointHeadMissing {
                        version: head.version,
                        hash: head.hash.clone(),
                    },
                };
                report.add(Fault {
                    stream: head.stream.clone(),
                    revision: Some(head.version),
                    position: at,
                    kind,
                });
            }
        }
        Ok(())
    }
}
