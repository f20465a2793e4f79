//! One tail of the log per store, shared by its live subscribers.
//!
//! Every projection runner of a process follows the whole log. When each listened for the
//! append's `NOTIFY` and read the log itself, one commit cost a read (and a held-back
//! probe) per subscriber: twelve to sixteen queries per commit with seven runners
//! (BENCHMARKS.md). Now one task per store listens, reads what became readable and
//! broadcasts it; a subscriber reads the log itself only to catch up, and after a gap, a
//! lag or a quiet second (a safety net that costs one query per second).

use std::sync::{Arc, Weak};
use std::time::Duration;

use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::{broadcast, mpsc, Notify};

use super::read::{read_all, to_i64, to_u64};
use super::{CHANNEL, HELD_BACK_POLL, IDLE_POLL, SUBSCRIPTION_BATCH};
use crate::{Position, RecordedEvent, StoreError};

/// How many batches a slow subscriber may fall behind the tail before it reads on its own
/// (the ring holds them: up to 512 events each, so it is kept small for the memory bound).
const BROADCAST_CAPACITY: usize = 32;
/// How long a live subscriber waits for the tail before reading the log itself.
const LIVE_CHECK: Duration = Duration::from_secs(1);
const RETRY: Duration = Duration::from_millis(100);

/// Consecutive events of the log: every readable event after `prev` up to the last of
/// `events`, so a subscriber that has seen up to `prev` misses nothing.
struct Batch {
    prev: Option<Position>,
    events: Vec<RecordedEvent>,
}

pub(super) struct Tail {
    batches: broadcast::Sender<Arc<Batch>>,
}

impl Tail {
    /// Starts following the log from its current end; the task ends with the last handle.
    /// `appended` is signalled by this process's appends; other processes' come by
    /// `NOTIFY`.
    pub(super) fn start(pool: PgPool, appended: Arc<Notify>) -> Arc<Tail> {
        let (batches, _) = broadcast::channel(BROADCAST_CAPACITY);
        let tail = Arc::new(Tail { batches });
        tokio::spawn(follow(pool, appended, Arc::downgrade(&tail)));
        tail
    }
}

async fn follow(pool: PgPool, appended: Arc<Notify>, tail: Weak<Tail>) {
    let mut listener: Option<PgListener> = None;
    let mut head: Option<Option<Position>> = None;
    while let Some(sender) = tail.upgrade().map(|t| t.batches.clone()) {
        if let Err(e) = step(&pool, &appended, &sender, &mut listener, &mut head).await {
            tracing::warn!(error = %e, "following the event log; retrying");
            listener = None;
            tokio::time::sleep(RETRY).await;
        }
    }
}

/// One read of the log (and a wait when there was nothing to read).
async fn step(
    pool: &PgPool,
    appended: &Notify,
    sender: &broadcast::Sender<Arc<Batch>>,
    listener: &mut Option<PgListener>,
    head: &mut Option<Option<Position>>,
) -> Result<(), StoreError> {
    if listener.is_none() {
        *listener = Some(listen(pool).await?);
    }
    let after = match *head {
        Some(after) => after,
        // The end as of now, after listening: later commits wake us.
        None => *head.insert(readable_end(pool).await?),
    };
    let events = read_all(pool, after, SUBSCRIPTION_BATCH).await?;
    if let Some(last) = events.last() {
        *head = Some(Some(last.position));
        // No receivers is fine: a subscriber that comes later reads the log itself.
        let _ = sender.send(Arc::new(Batch {
            prev: after,
            events,
        }));
        return Ok(());
    }
    if held_back(pool, after).await? {
        tokio::time::sleep(HELD_BACK_POLL).await;
        return Ok(());
    }
    // Woken by an append here or elsewhere, or by the poll that covers aborted
    // transactions.
    let listener = listener.as_mut().expect("connected above");
    tokio::select! {
        received = listener.recv() => received.map(drop).map_err(StoreError::from),
        () = appended.notified() => Ok(()),
        () = tokio::time::sleep(IDLE_POLL) => Ok(()),
    }
}

/// The position of the last readable event (`None`: the log is empty).
async fn readable_end(pool: &PgPool) -> Result<Option<Position>, StoreError> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT tx_id, seq FROM es_events \
         WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint \
         ORDER BY tx_id DESC, seq DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(tx_id, seq)| Position {
        commit: to_u64(tx_id),
        prepare: to_u64(seq),
    }))
}

/// Whether events after `after` are committed but held back because an older transaction
/// is still running (asked after `read_all` returned none, so any such event is held back,
/// or committed since: then the next read returns it). Their commits already sent their
/// `NOTIFY`, so a tail that then waited for the next one would sleep until the idle poll:
/// it looks again shortly instead. Asked as `ORDER BY ... LIMIT 1`, an index probe
/// (0.05 ms); as an `EXISTS` PostgreSQL scanned the whole log (17–37 ms at 90k events).
async fn held_back(pool: &PgPool, after: Option<Position>) -> Result<bool, StoreError> {
    let after = after.unwrap_or(Position {
        commit: 0,
        prepare: 0,
    });
    let next: Option<i32> = sqlx::query_scalar(
        "SELECT 1 FROM es_events WHERE (tx_id, seq) > ($1, $2) ORDER BY tx_id, seq LIMIT 1",
    )
    .bind(to_i64(after.commit))
    .bind(to_i64(after.prepare))
    .fetch_optional(pool)
    .await?;
    Ok(next.is_some())
}

async fn listen(pool: &PgPool) -> Result<PgListener, StoreError> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// One subscriber: reads the log itself up to its readable end, then takes the tail's
/// batches for as long as they join on to what it has seen.
pub(super) async fn feed_subscription(
    pool: PgPool,
    tail: Arc<Tail>,
    mut after: Option<Position>,
    tx: mpsc::Sender<Result<RecordedEvent, StoreError>>,
) {
    loop {
        // Subscribed before reading: whatever the read misses is broadcast after this.
        let mut live = tail.batches.subscribe();
        loop {
            let batch = match read_all(&pool, after, SUBSCRIPTION_BATCH).await {
                Ok(batch) => batch,
                Err(e) => {
                    let _ = tx.send(Err(e)).await;
                    return;
                }
            };
            let caught_up = batch.len() < SUBSCRIPTION_BATCH;
            for event in batch {
                after = Some(event.position);
                if tx.send(Ok(event)).await.is_err() {
                    return; // the subscriber went away
                }
            }
            if caught_up {
                break;
            }
        }
        loop {
            let batch = match tokio::time::timeout(LIVE_CHECK, live.recv()).await {
                Ok(Ok(batch)) => batch,
                // Lagged, or quiet for a while: read on our own, then listen again.
                Ok(Err(_)) | Err(_) => break,
            };
            if batch.prev > after {
                break; // a gap: the tail started after what we have read
            }
            let seen = batch.events.partition_point(|e| Some(e.position) <= after);
            for event in &batch.events[seen..] {
                after = Some(event.position);
                if tx.send(Ok(event.clone())).await.is_err() {
                    return;
                }
            }
        }
    }
}
