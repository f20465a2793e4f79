//! What the event-store tests share: the backends and a test per backend for each contract
//! check, events to append, reading the whole log, a writer that retries on conflicts, and
//! reading a live subscription.

#![allow(dead_code)] // each test file uses its own part of it

use std::sync::Arc;
use std::time::Duration;

use event_store::kurrent::KurrentEventStore;
use event_store::postgres::PgEventStore;
use event_store::testing::new_event;
use event_store::{EventStore, ExpectedVersion, NewEvent, RecordedEvent, StoreError};
use futures::stream::BoxStream;
use futures::StreamExt;
use uuid::Uuid;

pub type Store = Arc<dyn EventStore>;

/// A backend under test: its name, the store, and a stream-name prefix unique to the test.
pub type Backend = (&'static str, Store, String);

fn unique_prefix() -> String {
    format!("t{}", Uuid::new_v4().simple())
}

/// The PostgreSQL log on a fresh database (`None`: skipped, see `testing::unavailable`).
pub async fn postgres() -> Option<Backend> {
    let pool = event_store::testing::fresh_event_store_pool().await?;
    Some((
        "postgres",
        Arc::new(PgEventStore::new(pool)),
        unique_prefix(),
    ))
}

/// The KurrentDB server EVENTSTORE_URL names, reading only this test's streams. The tests
/// that use it are `#[ignore]`d (cargo lists them as ignored) and run with
/// `EVENTSTORE_URL=esdb://... cargo test -p event-store -- --ignored`; run that way
/// without EVENTSTORE_URL they fail.
pub async fn kurrentdb() -> Backend {
    let url = std::env::var("EVENTSTORE_URL")
        .expect("EVENTSTORE_URL must name the KurrentDB server this contract test runs against");
    // As in main: one TLS provider for the whole process (kurrentdb and sqlx differ).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let prefix = unique_prefix();
    let store = KurrentEventStore::connect(&url)
        .await
        .expect("connect to KurrentDB")
        .with_stream_prefixes([prefix.clone()]);
    ("kurrentdb", Arc::new(store), prefix)
}

/// Declares one contract check and a test of it per backend, `<check>::postgres` and
/// `<check>::kurrentdb` (ignored unless asked for: it needs a live server).
#[macro_export]
macro_rules! contract {
    ($(#[doc = $doc:literal])* $(#[flavor($($flavor:tt)*)])?
     async fn $name:ident($backend:pat_param) $body:block) => {
        $(#[doc = $doc])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn check($backend: common::Backend) $body

            #[tokio::test$(($($flavor)*))?]
            async fn postgres() {
                if let Some(backend) = common::postgres().await {
                    check(backend).await;
                }
            }

            #[tokio::test$(($($flavor)*))?]
            #[ignore = "needs a KurrentDB server: EVENTSTORE_URL=esdb://... cargo test -p event-store -- --ignored"]
            async fn kurrentdb() {
                check(common::kurrentdb().await).await;
            }
        }
    };
}

pub fn events(count: usize) -> Vec<NewEvent> {
    (0..count).map(new_event).collect()
}

/// Our events in the whole log once at least `n` of them are readable: the PostgreSQL log
/// shows a commit only when no older transaction (in any database of the cluster) is still
/// running, so a read right after an append may not show it yet.
pub async fn full_read_at_least(store: &Store, prefix: &str, n: usize) -> Vec<RecordedEvent> {
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
pub async fn full_read(store: &Store, prefix: &str) -> Vec<RecordedEvent> {
    let (mut out, mut after) = (Vec::new(), None);
    loop {
        let page = store.read_all(after, 100).await.expect("read_all");
        let Some(last) = page.last() else { break };
        after = Some(last.position);
        out.extend(page.into_iter().filter(|e| e.stream.starts_with(prefix)));
    }
    out
}

/// Appends `rounds` batches to `stream`, re-reading the version after each conflict.
pub async fn writer(store: Store, stream: String, rounds: usize) -> usize {
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

/// The next `n` events of `live` whose stream starts with `prefix`; panics naming `what`
/// when they do not all come within `within`.
pub async fn collect(
    live: &mut BoxStream<'static, Result<RecordedEvent, StoreError>>,
    prefix: &str,
    n: usize,
    within: Duration,
    what: &str,
) -> Vec<RecordedEvent> {
    let mut seen = Vec::with_capacity(n);
    let deadline = tokio::time::Instant::now() + within;
    while seen.len() < n {
        let event = tokio::time::timeout_at(deadline, live.next())
            .await
            .unwrap_or_else(|_| panic!("{what}: saw {} of {n} events", seen.len()))
            .expect("subscription ended")
            .expect("subscription failed");
        if event.stream.starts_with(prefix) {
            seen.push(event);
        }
    }
    seen
}
