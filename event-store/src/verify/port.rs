//! `zaakstroom verify` through the event-store port, for a log without a stream table to
//! hold heads against (KurrentDB): the whole log read in its global order (`read_all` in
//! batches), each event's hash recomputed and linked to the last one seen of its stream,
//! and the heads found kept, to seal or to hold a checkpoint against. One stream
//! (`--stream`) is read in revision order. Memory grows with the number of streams (a
//! head each, ~150 bytes), not with the number of events.
//!
//! What this walk cannot see that the PostgreSQL one can: events removed from a stream's
//! end (no stream table says where it ended). A checkpoint covers that: a head it sealed
//! must still be there with its hash.

use std::collections::HashMap;

use super::chain::{check_link, Link};
use super::checkpoint::{Checkpoint, Head};
use super::{Fault, FaultKind, Progress, Report};
use crate::{EventStore, RecordedEvent, StoreError};

/// Each stream's chain as far as it was read.
#[derive(Default)]
pub struct Walk {
    pub report: Report,
    /// The last event seen of each stream, and whether its chain broke.
    last: HashMap<String, (Link, bool)>,
}

impl Walk {
    fn event(&mut self, event: RecordedEvent) {
        self.report.events += 1;
        let entry = self.last.get(&event.stream);
        let faulted = entry.is_some_and(|(_, f)| *f);
        let fault = check_link(entry.map(|(l, _)| l), &event);
        if entry.is_none() {
            self.report.streams += 1;
        }
        let link = Link {
            revision: event.revision,
            hash: event.hash,
            position: event.position,
        };
        // The first fault of a stream is reported; what follows it is its consequence.
        if let (Some(kind), false) = (fault.clone(), faulted) {
            self.report.add(Fault {
                stream: event.stream.clone(),
                revision: Some(link.revision),
                position: Some(link.position),
                kind,
            });
        }
        self.last
            .insert(event.stream, (link, faulted || fault.is_some()));
    }

    /// Every stream's head as read, sorted by stream name byte-wise (a checkpoint's order).
    pub fn heads(&self) -> Vec<Head> {
        let mut heads: Vec<Head> = self
            .last
            .iter()
            .map(|(stream, (link, _))| Head {
                stream: stream.clone(),
                version: link.revision,
                hash: link.hash.clone(),
            })
            .collect();
        heads.sort_unstable_by(|a, b| a.stream.as_bytes().cmp(b.stream.as_bytes()));
        heads
    }

    /// Holds the heads of `checkpoint` (checked on its own already) against the log: each
    /// must still be there with the hash it was sealed with. A head this walk ended on is
    /// compared with what was read; another is read from its stream. Only `stream`'s head
    /// when given.
    pub async fn against(
        &mut self,
        store: &dyn EventStore,
        checkpoint: &Checkpoint,
        stream: Option<&str>,
    ) -> Result<(), StoreError> {
        let heads = checkpoint
            .heads
            .iter()
            .filter(|h| stream.is_none_or(|s| s == h.stream));
        for head in heads {
            self.report.checkpoint_heads += 1;
            let found = match self.last.get(&head.stream) {
                Some((link, _)) if link.revision == head.version => {
                    Some((link.hash.clone(), link.position))
                }
                _ => match store.read_stream_page(&head.stream, head.version, 1).await {
                    Ok(page) => page
                        .into_iter()
                        .find(|e| e.revision == head.version)
                        .map(|e| (e.hash, e.position)),
                    Err(StoreError::StreamDeleted(_)) => {
                        self.report
                            .deleted_since_checkpoint
                            .push(head.stream.clone());
                        continue;
                    }
                    Err(e) => return Err(e),
                },
            };
            let (kind, position) = match found {
                Some((hash, _)) if hash == head.hash => continue,
                Some((hash, at)) => (
                    FaultKind::CheckpointHeadRewritten {
                        version: head.version,
                        sealed: head.hash.clone(),
                        found: hash,
                    },
                    Some(at),
                ),
                None => (
                    FaultKind::CheckpointHeadMissing {
                        version: head.version,
                        hash: head.hash.clone(),
                    },
                    None,
                ),
            };
            self.report.add(Fault {
                stream: head.stream.clone(),
                revision: Some(head.version),
                position,
                kind,
            });
        }
        Ok(())
    }
}

/// Walks the whole log (or `stream`), `batch` events a read, calling `progress` after each
/// (its `total` is 0: the port does not count a log).
pub async fn walk(
    store: &dyn EventStore,
    stream: Option<&str>,
    batch: usize,
    mut progress: impl FnMut(Progress),
) -> Result<Walk, StoreError> {
    let batch = batch.max(1);
    let mut walk = Walk::default();
    let (mut after, mut from) = (None, 0);
    loop {
        let events = match stream {
            None => store.read_all(after, batch).await?,
            Some(s) => store.read_stream_page(s, from, batch).await?,
        };
        let Some(last) = events.last() else { break };
        after = Some(last.position);
        from = last.revision + 1;
        let full = events.len() == batch;
        for event in events {
            walk.event(event);
        }
        progress(Progress {
            events: walk.report.events,
            streams: walk.report.streams,
            total: 0,
        });
        // A short page of one stream is its end; the whole log ends with an empty page
        // (a store may return fewer than asked before its end).
        if stream.is_some() && !full {
            break;
        }
    }
    Ok(walk)
}
