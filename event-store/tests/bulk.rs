//! The PostgreSQL adapter's bulk append (`append_batch`, used by `zaakstroom seed`): one
//! transaction over many streams that keeps every guarantee of a single append.

use event_store::postgres::{PgEventStore, StreamAppend};
use event_store::testing::new_event;
use event_store::verify::chain::event_hash;
use event_store::{EventStore, ExpectedVersion, RecordedEvent, StoreError};
use uuid::Uuid;

fn append(stream: &str, expected: ExpectedVersion, count: usize) -> StreamAppend {
    StreamAppend {
        stream: stream.into(),
        expected,
        events: (0..count).map(new_event).collect(),
    }
}

async fn store() -> Option<PgEventStore> {
    Some(PgEventStore::new(
        event_store::testing::fresh_event_store_pool().await?,
    ))
}

async fn whole_log(store: &PgEventStore, at_least: usize) -> Vec<RecordedEvent> {
    for _ in 0..100 {
        let all = store.read_all(None, 10_000).await.unwrap();
        if all.len() >= at_least {
            return all;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the log never showed {at_least} events");
}

fn assert_chained(events: &[RecordedEvent]) {
    let mut prev = String::new();
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e.revision, i as u64);
        assert_eq!(e.prev_hash, prev);
        let recomputed = event_hash(e);
        assert_eq!(e.hash, recomputed);
        prev = e.hash.clone();
    }
}

#[tokio::test]
async fn a_batch_over_many_streams_chains_each_stream_and_continues_existing_ones() {
    let Some(store) = store().await else { return };
    store
        .append("old-1", ExpectedVersion::NoStream, vec![new_event(0)])
        .await
        .unwrap();
    let batch = vec![
        append("new-1", ExpectedVersion::NoStream, 3),
        append("old-1", ExpectedVersion::Exact(0), 2),
        append("new-2", ExpectedVersion::Any, 1),
    ];
    let position = store.append_batch(&batch).await.unwrap();
    assert_chained(&store.read_stream("new-1", 0).await.unwrap());
    assert_chained(&store.read_stream("old-1", 0).await.unwrap());
    let log = whole_log(&store, 7).await;
    assert_eq!(log.len(), 7);
    assert_eq!(log.last().unwrap().position, position);
    let order: Vec<Uuid> = log[1..].iter().map(|e| e.event_id).collect();
    let written: Vec<Uuid> = batch
        .iter()
        .flat_map(|a| a.events.iter().map(|e| e.event_id))
        .collect();
    assert_eq!(
        order, written,
        "one transaction: the batch's order in the log"
    );
}

#[tokio::test]
async fn a_batch_with_one_stale_expectation_stores_nothing() {
    let Some(store) = store().await else { return };
    store
        .append("taken", ExpectedVersion::NoStream, vec![new_event(0)])
        .await
        .unwrap();
    let batch = vec![
        append("fresh", ExpectedVersion::NoStream, 2),
        append("taken", ExpectedVersion::NoStream, 1),
    ];
    let err = store.append_batch(&batch).await.unwrap_err();
    assert!(
        matches!(err, StoreError::WrongExpectedVersion { ref stream, .. } if stream == "taken"),
        "{err:?}"
    );
    assert!(store.read_stream("fresh", 0).await.unwrap().is_empty());
    assert_eq!(store.read_stream("taken", 0).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_retried_batch_stores_nothing_twice() {
    let Some(store) = store().await else { return };
    let batch = vec![
        append("r-1", ExpectedVersion::NoStream, 2),
        append("r-2", ExpectedVersion::NoStream, 2),
    ];
    let first = store.append_batch(&batch).await.unwrap();
    let again = store.append_batch(&batch).await.unwrap();
    assert_eq!(again, first);
    assert_eq!(whole_log(&store, 4).await.len(), 4);
}
