//! The live subscription's part of the event-store contract: every event once, in the
//! global order, wherever a subscriber starts and whoever appends. PostgreSQL always runs;
//! KurrentDB with `-- --ignored` and EVENTSTORE_URL naming a server (see `contract.rs`).

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use event_store::postgres::PgEventStore;
use event_store::{ExpectedVersion, RecordedEvent};
use futures::StreamExt;

use common::{collect, events, full_read, full_read_at_least, writer, Store};

contract! {
    #[flavor(flavor = "multi_thread", worker_threads = 4)]
    async fn a_live_subscriber_sees_every_event_of_concurrent_writers_once_in_the_final_order(
        (name, store, prefix)
    ) {
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
        let seen = collect(&mut live, &prefix, total, Duration::from_secs(60), name).await;
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

contract! {
    /// The PostgreSQL adapter serves its live subscribers from one shared tail of the log;
    /// whichever point a subscriber starts from (the start, the middle, the end, while writers
    /// append), it must see every later event once, in the order of a full read.
    #[flavor(flavor = "multi_thread", worker_threads = 4)]
    async fn subscribers_of_one_store_see_the_same_log_from_wherever_they_start(
        (name, store, prefix)
    ) {
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
            let what = format!("{name} from {from:?}");
            let seen: Vec<_> = collect(
                &mut live,
                &prefix,
                expected.len(),
                Duration::from_secs(30),
                &what,
            )
            .await
            .iter()
            .map(|e| e.event_id)
            .collect();
            assert_eq!(
                seen, expected,
                "{name} from {from:?}: every event once, in order"
            );
        }
    }
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
    let seen: Vec<_> = collect(&mut live, "p-", total, Duration::from_secs(30), "here")
        .await
        .iter()
        .map(|e| e.event_id)
        .collect();
    let expected: Vec<_> = full.iter().map(|e| e.event_id).collect();
    assert_eq!(seen, expected, "every event once, in the log's order");
}
