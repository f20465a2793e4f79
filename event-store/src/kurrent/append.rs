//! The append path: the leader's head, a retried batch recognised by its event ids, the
//! expected version pinned to the head the hash chain continues, a conflict of our own
//! pinning tried again, a transient failure sent again unchanged.
//!
//! The server deduplicates event ids on its own only where it knows where to look: for an
//! expected revision older than the stream's end it compares the events at those
//! revisions; for `Any`/`StreamExists` it looks in a cache of recently written ids. An
//! append sent with the exact revision of the head just read is never compared, so a retry
//! after the first attempt was stored (its answer lost) would store the batch twice. The
//! stream's last events are therefore read first: the batch's ids there are a retry.

use std::time::Duration;

use kurrentdb::{AppendToStreamOptions, EventData, StreamState, WriteResult};

use super::decode::event_data;
use super::errors::write_error;
use super::{read, KurrentEventStore};
use crate::{AppendResult, ExpectedVersion, NewEvent, Position, RecordedEvent, StoreError};

/// An append's deadline per attempt (the client's default for writes).
const WRITE_DEADLINE: Duration = Duration::from_secs(10);

/// How often `Any`/`StreamExists` re-read the head after another writer moved it between
/// our read and our write, before giving up with the conflict.
const PIN_ROUNDS: u32 = 16;

impl KurrentEventStore {
    pub(super) async fn append_events(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: &[NewEvent],
    ) -> Result<AppendResult, StoreError> {
        let mut round = 1;
        loop {
            let tail = read::tail(&self.conn, stream, events.len()).await?;
            if let Some(done) = recognise(stream, &tail, events)? {
                return Ok(done);
            }
            let head = tail.last();
            let state = pin(stream, expected, head.map(|e| e.revision))?;
            let data = event_data(stream, head.map(|e| (e.revision, e.hash.as_str())), events)?;
            match self.send(stream, state, data).await {
                Ok(written) => return self.outcome(stream, events, written).await,
                Err(kurrentdb::Error::WrongExpectedVersion { .. })
                    if repins(expected) && round < PIN_ROUNDS =>
                {
                    // Another writer appended after our read: `Any` and `StreamExists` do
                    // not care, the hash chain does. Chain from the new head.
                    round += 1;
                }
                Err(e @ kurrentdb::Error::WrongExpectedVersion { .. }) => {
                    // A concurrent retry of this very append may have stored it first.
                    let tail = read::tail(&self.conn, stream, events.len()).await?;
                    return match recognise(stream, &tail, events)? {
                        Some(done) => Ok(done),
                        None => Err(write_error(stream, expected, e)),
                    };
                }
                Err(e) => return Err(write_error(stream, expected, e)),
            }
        }
    }

    /// Sends one append; after a transient error the same events with the same expected
    /// revision again: if an earlier attempt was stored, the server finds the ids at the
    /// revisions after the pinned one and answers with the original write.
    async fn send(
        &self,
        stream: &str,
        state: StreamState,
        data: Vec<EventData>,
    ) -> Result<WriteResult, kurrentdb::Error> {
        let options = AppendToStreamOptions::default()
            .stream_state(state)
            .requires_leader(true)
            .deadline(WRITE_DEADLINE);
        let (options, data) = (&options, &data);
        self.conn
            .run("append", |client| async move {
                client.append_to_stream(stream, options, data.clone()).await
            })
            .await
    }

    /// The append's result. The server answers a recognised duplicate without a position
    /// when it cannot read the stored event (`NoPosition`, which the client turns into 0/0):
    /// then the position is read.
    async fn outcome(
        &self,
        stream: &str,
        events: &[NewEvent],
        written: WriteResult,
    ) -> Result<AppendResult, StoreError> {
        if written.position.commit == 0 && written.position.prepare == 0 {
            let tail = read::tail(&self.conn, stream, events.len()).await?;
            if let Some(done) = recognise(stream, &tail, events)? {
                return Ok(done);
            }
        }
        Ok(AppendResult {
            next_expected_version: written.next_expected_version,
            position: Position {
                commit: written.position.commit,
                prepare: written.position.prepare,
            },
        })
    }
}

fn repins(expected: ExpectedVersion) -> bool {
    matches!(
        expected,
        ExpectedVersion::Any | ExpectedVersion::StreamExists
    )
}

/// A retried append: the stream's last events (`tail`, oldest first, as many as the batch)
/// are the batch's, in order: the original result. Some of the batch's ids there, but not
/// as this batch: `DuplicateEventId`.
pub(super) fn recognise(
    stream: &str,
    tail: &[RecordedEvent],
    events: &[NewEvent],
) -> Result<Option<AppendResult>, StoreError> {
    let stored = tail.iter().map(|e| e.event_id);
    if stored.clone().eq(events.iter().map(|e| e.event_id)) {
        return Ok(tail.last().map(|last| AppendResult {
            next_expected_version: last.revision,
            position: last.position,
        }));
    }
    if stored
        .clone()
        .any(|id| events.iter().any(|e| e.event_id == id))
    {
        return Err(StoreError::DuplicateEventId(stream.to_owned()));
    }
    Ok(None)
}

/// The expected revision sent with events chained from `head` (the revision of the last
/// event read from the leader). The server may only store them right after `head`:
/// - `Any` and `StreamExists` are pinned to `head` (`StreamExists` on no stream fails here).
/// - `Exact(v)` beyond `head`, or with no stream, fails here: the stream could reach `v`
///   before the server sees the append, which would then store events chained to `head`.
/// - `Exact(v)` before `head` and `NoStream` on an existing stream are sent as they are:
///   the server never stores them and compares the events after `v` with the batch (a
///   retry of an append that others have appended after).
pub(super) fn pin(
    stream: &str,
    expected: ExpectedVersion,
    head: Option<u64>,
) -> Result<StreamState, StoreError> {
    let wrong = || StoreError::WrongExpectedVersion {
        stream: stream.to_owned(),
        expected,
        actual: head,
    };
    match (expected, head) {
        (ExpectedVersion::Any | ExpectedVersion::NoStream, None) => Ok(StreamState::NoStream),
        (ExpectedVersion::Any | ExpectedVersion::StreamExists, Some(h)) => {
            Ok(StreamState::StreamRevision(h))
        }
        (ExpectedVersion::NoStream, Some(_)) => Ok(StreamState::NoStream),
        (ExpectedVersion::Exact(v), Some(h)) if v <= h => Ok(StreamState::StreamRevision(v)),
        (ExpectedVersion::StreamExists | ExpectedVersion::Exact(_), _) => Err(wrong()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::new_event;

    fn stored(stream: &str, first: u64, events: &[NewEvent]) -> Vec<RecordedEvent> {
        events
            .iter()
            .enumerate()
            .map(|(i, e)| RecordedEvent {
                event_id: e.event_id,
                stream: stream.into(),
                revision: first + i as u64,
                position: Position {
                    commit: 100 + i as u64,
                    prepare: 100 + i as u64,
                },
                event_type: e.event_type.clone(),
                schema_version: e.schema_version,
                payload: e.payload.clone(),
                metadata: e.metadata.clone(),
                prev_hash: String::new(),
                hash: String::new(),
            })
            .collect()
    }

    #[test]
    fn a_batch_that_is_the_streams_last_events_is_a_retry_with_the_original_result() {
        let batch: Vec<_> = (0..3).map(new_event).collect();
        let tail = stored("zaak-1", 4, &batch);
        let done = recognise("zaak-1", &tail, &batch).unwrap();
        assert_eq!(
            done,
            Some(AppendResult {
                next_expected_version: 6,
                position: Position {
                    commit: 102,
                    prepare: 102
                },
            })
        );
    }

    #[test]
    fn a_new_batch_is_not_a_retry() {
        let batch: Vec<_> = (0..2).map(new_event).collect();
        let other: Vec<_> = (0..2).map(new_event).collect();
        assert_eq!(recognise("zaak-1", &[], &batch).unwrap(), None);
        let tail = stored("zaak-1", 0, &other);
        assert_eq!(recognise("zaak-1", &tail, &batch).unwrap(), None);
    }

    #[test]
    fn a_batch_partly_among_the_last_events_is_a_duplicate_event_id() {
        let batch: Vec<_> = (0..3).map(new_event).collect();
        // Its first two events ended an earlier append, with one of another batch.
        let mut earlier = vec![new_event(9)];
        earlier.extend(batch[..2].iter().cloned());
        let tail = stored("zaak-1", 0, &earlier);
        let e = recognise("zaak-1", &tail, &batch).unwrap_err();
        assert!(
            matches!(e, StoreError::DuplicateEventId(ref s) if s == "zaak-1"),
            "{e:?}"
        );
        // The same ids in another order are not this batch either.
        let reversed: Vec<_> = batch.iter().rev().cloned().collect();
        let tail = stored("zaak-1", 0, &reversed);
        assert!(recognise("zaak-1", &tail, &batch).is_err());
        // A stream shorter than the batch, holding part of it.
        let tail = stored("zaak-1", 0, &batch[2..]);
        assert!(recognise("zaak-1", &tail, &batch).is_err());
    }

    #[test]
    fn any_and_stream_exists_are_pinned_to_the_head_read() {
        use ExpectedVersion::*;
        let pinned = |e, h| pin("s", e, h).map_err(|e| e.to_string());
        assert_eq!(pinned(Any, None), Ok(StreamState::NoStream));
        assert_eq!(pinned(Any, Some(4)), Ok(StreamState::StreamRevision(4)));
        assert_eq!(
            pinned(StreamExists, Some(4)),
            Ok(StreamState::StreamRevision(4))
        );
        assert!(matches!(
            pin("s", StreamExists, None),
            Err(StoreError::WrongExpectedVersion { actual: None, .. })
        ));
    }

    #[test]
    fn exact_is_sent_only_where_the_server_cannot_store_after_another_head() {
        use ExpectedVersion::*;
        let pinned = |e, h| pin("s", e, h).map_err(|e| e.to_string());
        assert_eq!(
            pinned(Exact(4), Some(4)),
            Ok(StreamState::StreamRevision(4))
        );
        // Older: the server compares the events after revision 2 with the batch.
        assert_eq!(
            pinned(Exact(2), Some(4)),
            Ok(StreamState::StreamRevision(2))
        );
        assert_eq!(pinned(NoStream, Some(4)), Ok(StreamState::NoStream));
        assert_eq!(pinned(NoStream, None), Ok(StreamState::NoStream));
        for (expected, head) in [(Exact(5), Some(4)), (Exact(0), None)] {
            let refused = pin("s", expected, head);
            assert!(
                matches!(refused, Err(StoreError::WrongExpectedVersion { actual, .. }) if actual == head),
                "{expected}: {refused:?}"
            );
        }
    }
}
