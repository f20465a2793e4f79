//! The event-store contract: every adapter must pass every test here.
//!
//! PostgreSQL always runs (a fresh database per test). EventStoreDB/KurrentDB runs when
//! EVENTSTORE_URL points at a server; otherwise each test says it did not run.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use event_schemas::envelope::HashInput;
use event_store::kurrent::KurrentEventStore;
use event_store::postgres::PgEventStore;
use event_store::{EventStore, ExpectedVersion, NewEvent, RecordedEvent, StoreError};
use futures::StreamExt;
use uuid::Uuid;

type Store = Arc<dyn EventStore>;

/// Every configured backend, each with a unique stream prefix for this test.
async fn backends() -> Vec<(&'static str, Store, String)> {
    let mut out: Vec<(&'static str, Store, String)> = Vec::new();
    let prefix = || format!("t{}", Uuid::new_v4().simple());
    if let Some(pool) = event_store::testing::fresh_event_store_pool().await {
        out.push(("postgres", Arc::new(PgEventStore::new(pool)), prefix()));
    }
    match std::env::var("EVENTSTORE_URL") {
        Ok(url) => {
            // As in main: one TLS provider for the whole process (kurrentdb and sqlx differ).
            let _ = rustls::crypto::ring::default_provider().install_default();
            let store = KurrentEventStore::connect(&url)
                .await
                .expect("EVENTSTORE_URL is set: connect to KurrentDB");
            out.push(("kurrentdb", Arc::new(store), prefix()));
        }
        Err(_) => eprintln!("NOT RUN: kurrentdb contract (set EVENTSTORE_URL to run it)"),
    }
    out
}

use event_store::testing::new_event;

fn events(count: usize) -> Vec<NewEvent> {
    (0..count).map(new_event).collect()
}

/// Our events in the whole log once at least `n` of them are readable: the PostgreSQL log
/// shows a commit only when no older transaction (in any database of the cluster) is still
/// running, so a read right after an append may not show it yet.
async fn full_read_at_least(store: &Store, prefix: &str, n: usize) -> Vec<RecordedEvent> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let read = full_read(store, prefix).await;
        if read.len() >= n || tokio::time::Instant::now() > deadline {
            return read;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Our events in the whole log, read in pages the way a catch-up reader would.
async fn full_read(store: &Store, prefix: &str) -> Vec<RecordedEvent> {
    let (mut out, mut after) = (Vec::new(), None);
    loop {
        let page = store.read_all(after, 100).await.expect("read_all");
        let Some(last) = page.last() else { break };
        after = Some(last.position);
        out.extend(page.into_iter().filter(|e| e.stream.starts_with(prefix)));
    }
    out
}

#[tokio::test]
async fn appended_events_read_back_with_their_envelope_and_a_hash_chain() {
    for (name, store, prefix) in backends().await {
        let stream = format!("{prefix}-a");
        let written = events(3);
        let result = store
            .append(&stream, ExpectedVersion::NoStream, written.clone())
            .await
            .unwrap();
        assert_eq!(result.next_expected_version, 2, "{name}");
        let read = store.read_stream(&stream, 0).await.unwrap();
        assert_eq!(read.len(), 3, "{name}");
        for (i, (r, w)) in read.iter().zip(&written).enumerate() {
            assert_eq!(r.event_id, w.event_id, "{name}");
            assert_eq!(r.revision, i as u64, "{name}");
            assert_eq!(r.payload, w.payload, "{name}");
            assert_eq!(r.metadata.actor, w.metadata.actor, "{name}");
            assert_eq!(r.metadata.tenant, "tenant-a", "{name}");
            assert_eq!(r.category(), prefix, "{name}");
            let recomputed = HashInput {
                prev_hash: &r.prev_hash,
                event_id: r.event_id,
                stream: &r.stream,
                revision: r.revision,
                event_type: &r.event_type,
                schema_version: r.schema_version,
                metadata: &r.metadata,
                payload: &r.payload,
            }
            .hash();
            assert_eq!(r.hash, recomputed, "{name}: hash covers the stored fields");
        }
        assert_eq!(read[0].prev_hash, "", "{name}");
        assert_eq!(read[1].prev_hash, read[0].hash, "{name}");
        assert_eq!(read[2].prev_hash, read[1].hash, "{name}");
        assert_eq!(read.last().unwrap().position, result.position, "{name}");
        assert_eq!(store.read_stream(&stream, 2).await.unwrap().len(), 1);
        assert!(store
            .read_stream(&format!("{prefix}-none"), 0)
            .await
            .unwrap()
            .is_empty());
    }
}

#[tokio::test]
async fn a_stale_expected_version_is_refused_with_a_distinct_error() {
    for (name, store, prefix) in backends().await {
        let stream = format!("{prefix}-b");
        store
            .append(&stream, ExpectedVersion::NoStream, events(2))
            .await
            .unwrap();
        let stale = store
            .append(&stream, ExpectedVersion::Exact(0), events(1))
            .await;
        assert!(
            matches!(
                stale,
                Err(StoreError::WrongExpectedVersion {
                    actual: Some(1),
                    ..
                })
            ),
            "{name}: {stale:?}"
        );
        let again = store
            .append(&stream, ExpectedVersion::NoStream, events(1))
            .await;
        assert!(
            matches!(again, Err(StoreError::WrongExpectedVersion { .. })),
            "{name}"
        );
        let missing = store
            .append(
                &format!("{prefix}-new"),
                ExpectedVersion::StreamExists,
                events(1),
            )
            .await;
        assert!(
            matches!(missing, Err(StoreError::WrongExpectedVersion { .. })),
            "{name}"
        );
        store
            .append(&stream, ExpectedVersion::Exact(1), events(1))
            .await
            .unwrap();
        assert_eq!(
            store.read_stream(&stream, 0).await.unwrap().len(),
            3,
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_retried_append_with_the_same_event_ids_stores_nothing_twice() {
    for (name, store, prefix) in backends().await {
        let stream = format!("{prefix}-c");
        let batch = events(2);
        let first = store
            .append(&stream, ExpectedVersion::NoStream, batch.clone())
            .await
            .unwrap();
        let retried = store
            .append(&stream, ExpectedVersion::NoStream, batch.clone())
            .await
            .unwrap();
        assert_eq!(
            first, retried,
            "{name}: the retry reports the original append"
        );
        let retried_any = store
            .append(&stream, ExpectedVersion::Any, batch.clone())
            .await
            .unwrap();
        assert_eq!(
            first, retried_any,
            "{name}: also when it expects any version"
        );
        assert_eq!(
            store.read_stream(&stream, 0).await.unwrap().len(),
            2,
            "{name}"
        );
        // A later append on another stream: once it is visible in the global
        // log, everything committed before it is too, so a duplicate could not hide.
        let sentinel = format!("{prefix}-sentinel");
        store
            .append(&sentinel, ExpectedVersion::NoStream, events(1))
            .await
            .unwrap();
        let log = full_read_at_least(&store, &prefix, 3).await;
        assert!(log.iter().any(|e| e.stream == sentinel), "{name}");
        let in_stream = log.iter().filter(|e| e.stream == stream).count();
        assert_eq!(in_stream, 2, "{name}");
    }
}

#[tokio::test]
async fn only_one_of_many_concurrent_claims_of_a_name_succeeds() {
    for (name, store, prefix) in backends().await {
        let claim = format!("{prefix}claim-x");
        let attempts = (0..8).map(|_| {
            let store = store.clone();
            let claim = claim.clone();
            tokio::spawn(async move {
                store
                    .append(&claim, ExpectedVersion::NoStream, events(1))
                    .await
            })
        });
        let results = futures::future::join_all(attempts).await;
        let won = results.iter().filter(|r| matches!(r, Ok(Ok(_)))).count();
        let lost = results
            .iter()
            .filter(|r| matches!(r, Ok(Err(StoreError::WrongExpectedVersion { .. }))))
            .count();
        assert_eq!((won, lost), (1, 7), "{name}");
    }
}

#[tokio::test]
async fn a_deleted_stream_is_gone_and_its_name_cannot_be_reused() {
    for (name, store, prefix) in backends().await {
        let stream = format!("{prefix}-d");
        store
            .append(&stream, ExpectedVersion::NoStream, events(2))
            .await
            .unwrap();
        store
            .delete_stream(&stream, ExpectedVersion::Exact(1))
            .await
            .unwrap();
        let read = store.read_stream(&stream, 0).await;
        assert!(
            matches!(read, Err(StoreError::StreamDeleted(_))),
            "{name}: {read:?}"
        );
        let reuse = store.append(&stream, ExpectedVersion::Any, events(1)).await;
        assert!(
            matches!(reuse, Err(StoreError::StreamDeleted(_))),
            "{name}: {reuse:?}"
        );
        store
            .append(
                &format!("{prefix}-after"),
                ExpectedVersion::NoStream,
                events(1),
            )
            .await
            .unwrap();
        let all = full_read_at_least(&store, &prefix, 1).await;
        let streams: Vec<_> = all.iter().map(|e| e.stream.as_str()).collect();
        assert_eq!(
            streams,
            [format!("{prefix}-after")],
            "{name}: no event of the deleted stream is read"
        );
    }
}

/// Appends `rounds` batches to `stream`, re-reading the version after each conflict.
async fn writer(store: Store, stream: String, rounds: usize) -> usize {
    let mut written = 0;
    for round in 0..rounds {
        let batch = events(1 + round % 3);
        loop {
            let current = store.read_stream(&stream, 0).await.unwrap();
            let expected = match current.last() {
                Some(e) => ExpectedVersion::Exact(e.revision),
                None => ExpectedVersion::NoStream,
            };
            match store.append(&stream, expected, batch.clone()).await {
                Ok(_) => break,
                Err(StoreError::WrongExpectedVersion { .. }) => continue,
                Err(e) => panic!("append failed: {e}"),
            }
        }
        written += batch.len();
    }
    written
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_live_subscriber_sees_every_event_of_concurrent_writers_once_in_the_final_order() {
    for (name, store, prefix) in backends().await {
        let start = full_read(&store, "").await.last().map(|e| e.position);
        let mut live = store.subscribe_all(start);
        // 8 writers on distinct streams and 4 more contending on one stream.
        let mut writers = Vec::new();
        for w in 0..12 {
            let stream = if w < 8 {
                format!("{prefix}-w{w}")
            } else {
                format!("{prefix}-shared")
            };
            writers.push(tokio::spawn(writer(store.clone(), stream, 60)));
        }
        let mut total = 0;
        for w in writers {
            total += w.await.unwrap();
        }
        let mut seen = Vec::with_capacity(total);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while seen.len() < total {
            let next = tokio::time::timeout_at(deadline, live.next()).await;
            let event = next
                .unwrap_or_else(|_| panic!("{name}: saw {} of {total} events", seen.len()))
                .expect("subscription ended")
                .expect("subscription failed");
            if event.stream.starts_with(&prefix) {
                seen.push(event);
            }
        }
        let full = full_read_at_least(&store, &prefix, total).await;
        assert_eq!(full.len(), total, "{name}: every append is stored once");
        let ids = |v: &[RecordedEvent]| v.iter().map(|e| e.event_id).collect::<Vec<_>>();
        assert_eq!(
            ids(&seen),
            ids(&full),
            "{name}: live order equals the later full read"
        );
        let unique: HashSet<_> = seen.iter().map(|e| e.event_id).collect();
        assert_eq!(unique.len(), total, "{name}: no event twice");
        let positions: Vec<_> = seen.iter().map(|e| e.position).collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{name}: positions ascend"
        );
        let extra = tokio::time::timeout(Duration::from_millis(300), async {
            loop {
                match live.next().await {
                    Some(Ok(e)) if e.stream.starts_with(&prefix) => return e,
                    Some(Ok(_)) => continue,
                    other => panic!("{other:?}"),
                }
            }
        })
        .await;
        assert!(extra.is_err(), "{name}: nothing after the last event");
    }
}

/// The PostgreSQL adapter serves its live subscribers from one shared tail of the log;
/// whichever point a subscriber starts from (the start, the middle, the end, while writers
/// append), it must see every later event once, in the order of a full read.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn subscribers_of_one_store_see_the_same_log_from_wherever_they_start() {
    for (name, store, prefix) in backends().await {
        let stream = format!("{prefix}-before");
        store
            .append(&stream, ExpectedVersion::NoStream, events(20))
            .await
            .unwrap();
        let before = full_read_at_least(&store, &prefix, 20).await;
        let middle = before[9].position;
        let end = before.last().map(|e| e.position);
        let subscribers = [None, Some(middle), end].map(|from| (from, store.subscribe_all(from)));
        let mut writers = Vec::new();
        for w in 0..4 {
            writers.push(tokio::spawn(writer(
                store.clone(),
                format!("{prefix}-w{w}"),
                30,
            )));
        }
        let mut total = 20;
        for w in writers {
            total += w.await.unwrap();
        }
        // A late subscriber starts while nothing is written, from the middle again.
        let late = (Some(middle), store.subscribe_all(Some(middle)));
        let full = full_read_at_least(&store, &prefix, total).await;
        assert_eq!(full.len(), total, "{name}");
        for (from, mut live) in subscribers.into_iter().chain([late]) {
            let expected: Vec<_> = full
                .iter()
                .filter(|e| Some(e.position) > from)
                .map(|e| e.event_id)
                .collect();
            let mut seen = Vec::with_capacity(expected.len());
            let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
            while seen.len() < expected.len() {
                let event = tokio::time::timeout_at(deadline, live.next())
                    .await
                    .unwrap_or_else(|_| panic!("{name} from {from:?}: saw {}", seen.len()))
                    .expect("subscription ended")
                    .expect("subscription failed");
                if event.stream.starts_with(&prefix) {
                    seen.push(event.event_id);
                }
            }
            assert_eq!(
                seen, expected,
                "{name} from {from:?}: every event once, in order"
            );
        }
    }
}

/// `stream_head` is what read-your-writes waits for: the position of a stream's last event.
#[tokio::test]
async fn the_head_of_a_stream_is_the_position_of_its_last_event() {
    for (name, store, prefix) in backends().await {
        let stream = format!("{prefix}-head");
        assert_eq!(store.stream_head(&stream).await.unwrap(), None, "{name}");
        store
            .append(&stream, ExpectedVersion::NoStream, events(2))
            .await
            .unwrap();
        let appended = store
            .append(&stream, ExpectedVersion::Exact(1), events(3))
            .await
            .unwrap();
        store
            .append(
                &format!("{prefix}-other"),
                ExpectedVersion::NoStream,
                events(1),
            )
            .await
            .unwrap();
        let head = store.stream_head(&stream).await.unwrap();
        assert_eq!(head, Some(appended.position), "{name}");
        let read = store.read_stream(&stream, 0).await.unwrap();
        assert_eq!(head, read.last().map(|e| e.position), "{name}");
        store
            .delete_stream(&stream, ExpectedVersion::Any)
            .await
            .unwrap();
        assert_eq!(
            store.stream_head(&stream).await.unwrap(),
            None,
            "{name}: deleted"
        );
    }
}

#[tokio::test]
async fn the_postgres_log_refuses_update_delete_and_truncate() {
    let Some(pool) = event_store::testing::fresh_event_store_pool().await else {
        return;
    };
    let store = PgEventStore::new(pool.clone());
    store
        .append("zaak-1", ExpectedVersion::NoStream, events(1))
        .await
        .unwrap();
    for sql in [
        "UPDATE es_events SET payload = '{}'",
        "DELETE FROM es_events",
        "TRUNCATE es_events",
    ] {
        let err = sqlx::query(sql).execute(&pool).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(store.read_stream("zaak-1", 0).await.unwrap().len(), 1);
}

/// Two processes on one log: each has its own tail, woken by its own appends and by the
/// other's `NOTIFY` (sent after the commit, outside the append). A subscriber of one sees
/// the other's appends, and its own, in the order of a full read.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_subscriber_sees_the_appends_of_another_process_on_the_same_log() {
    let Some(pool) = event_store::testing::fresh_event_store_pool().await else {
        return;
    };
    let here: Store = Arc::new(PgEventStore::new(pool.clone()));
    let other_pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect_with(pool.connect_options().as_ref().clone())
        .await
        .unwrap();
    let elsewhere: Store = Arc::new(PgEventStore::new(other_pool));
    let mut live = here.subscribe_all(None);
    let mut writers = Vec::new();
    for (w, store) in [&here, &elsewhere, &elsewhere].into_iter().enumerate() {
        writers.push(tokio::spawn(writer(store.clone(), format!("p-w{w}"), 20)));
    }
    let mut total = 0;
    for w in writers {
        total += w.await.unwrap();
    }
    let full = full_read_at_least(&here, "p-", total).await;
    assert_eq!(full.len(), total);
    let mut seen = Vec::with_capacity(total);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while seen.len() < total {
        let event = tokio::time::timeout_at(deadline, live.next())
            .await
            .unwrap_or_else(|_| panic!("saw {} of {total}", seen.len()))
            .expect("subscription ended")
            .expect("subscription failed");
        seen.push(event.event_id);
    }
    let expected: Vec<_> = full.iter().map(|e| e.event_id).collect();
    assert_eq!(seen, expected, "every event once, in the log's order");
}
