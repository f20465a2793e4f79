//! A live subscription to `$all`: a task that follows the client's subscription and feeds
//! our events to the consumer, until the consumer goes away or the subscription fails.

use std::time::Duration;

use kurrentdb::{StreamPosition, SubscribeToAllOptions};
use tokio::sync::mpsc;

use super::decode::Raw;
use super::read::to_client;
use super::KurrentEventStore;
use crate::{Position, RecordedEvent, StoreError};

/// How stale the set of deleted streams may be when an event is handed on: a stream
/// deleted less than this long ago may still have its older events delivered once.
const TOMBSTONES_MAX_AGE: Duration = Duration::from_secs(1);

type Feed = mpsc::Sender<Result<RecordedEvent, StoreError>>;

pub(super) async fn feed(store: KurrentEventStore, after: Option<Position>, tx: Feed) {
    if let Err(e) = follow(&store, after, &tx).await {
        let _ = tx.send(Err(e)).await;
    }
}

/// Ok when the consumer is gone; the error that ends the subscription otherwise.
async fn follow(
    store: &KurrentEventStore,
    after: Option<Position>,
    tx: &Feed,
) -> Result<(), StoreError> {
    store
        .tombstones
        .refresh(&store.conn, Duration::ZERO)
        .await?;
    let start = after.map_or(StreamPosition::Start, |p| {
        StreamPosition::Position(to_client(p))
    });
    // No retry options: a dropped subscription ends the stream with its error, and the
    // consumer resubscribes from its checkpoint.
    let options = SubscribeToAllOptions::default()
        .position(start)
        .filter(store.filter());
    let (_, client) = store.conn.client();
    let mut subscription = client.subscribe_to_all(&options).await;
    loop {
        let next = tokio::select! {
            biased;
            // A quiet log sends nothing: notice a consumer that went away all the same.
            () = tx.closed() => return Ok(()),
            next = subscription.next() => next?,
        };
        let raw = Raw::of(&next);
        // The server starts after `after`; never hand on anything at or before it.
        if Some(raw.position) <= after {
            continue;
        }
        store
            .tombstones
            .refresh(&store.conn, TOMBSTONES_MAX_AGE)
            .await?;
        if let Some(event) = store.accept(&raw)? {
            if tx.send(Ok(event)).await.is_err() {
                return Ok(());
            }
        }
    }
}
