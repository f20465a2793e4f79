//! What the event-store tests share: the configured backends, events to append, reading
//! the whole log, a writer that retries on conflicts, and reading a live subscription.

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

/// Every configured backend, each with a unique stream prefix for this test.
pub async fn backends() -> Vec<(&'static str, Store, String)> {
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
