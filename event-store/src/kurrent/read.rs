//! Reads through the client: each with a deadline, sent again after a transient error, a
//! deleted stream reported where the server reports it (the call itself, before any event).

use std::future::Future;
use std::time::Duration;

use kurrentdb::{
    ReadAllOptions, ReadStream, ReadStreamOptions, ResolvedEvent, StreamPosition,
    SubscriptionFilter,
};

use super::connection::Connection;
use super::decode::{ours, Raw};
use super::errors::read_error;
use crate::{Position, RecordedEvent, StoreError};

/// How long one read may take, all its events included. The client sets no deadline on
/// reads (they stream) unless asked, so a stalled server would hold the caller forever.
pub(super) const READ_DEADLINE: Duration = Duration::from_secs(30);

/// The last `count` events of `stream`, oldest first, as the leader has them: what an
/// append chains from and recognises a retry by. Empty when the stream does not exist.
pub(super) async fn tail(
    conn: &Connection,
    stream: &str,
    count: usize,
) -> Result<Vec<RecordedEvent>, StoreError> {
    let options = ReadStreamOptions::default()
        .position(StreamPosition::End)
        .max_count(count)
        .requires_leader(true)
        .deadline(READ_DEADLINE);
    let options = &options;
    let events = conn
        .run("read the head of a stream", |client| async move {
            drain(stream, client.read_stream(stream, options)).await
        })
        .await?;
    let mut out = events
        .iter()
        .map(|e| ours(&Raw::of(e)))
        .collect::<Result<Vec<_>, _>>()?;
    out.reverse();
    Ok(out)
}

/// Up to `count` events of `stream` from revision `from` on.
pub(super) async fn stream(
    conn: &Connection,
    stream: &str,
    from: u64,
    count: usize,
) -> Result<Vec<RecordedEvent>, StoreError> {
    let options = ReadStreamOptions::default()
        .forwards()
        .position(StreamPosition::Position(from))
        .max_count(count)
        .deadline(READ_DEADLINE);
    let options = &options;
    let events = conn
        .run("read a stream", |client| async move {
            drain(stream, client.read_stream(stream, options)).await
        })
        .await?;
    events.iter().map(|e| ours(&Raw::of(e))).collect()
}

/// Up to `count` events of `$all` that pass `filter`, from `from` on (the event at `from`
/// included, as the server reads).
pub(super) async fn all(
    conn: &Connection,
    filter: SubscriptionFilter,
    from: Option<Position>,
    count: usize,
    requires_leader: bool,
    deadline: Duration,
) -> Result<Vec<ResolvedEvent>, StoreError> {
    let options = ReadAllOptions::default()
        .forwards()
        .position(from.map_or(StreamPosition::Start, |p| {
            StreamPosition::Position(to_client(p))
        }))
        .filter(filter)
        .max_count(count)
        .requires_leader(requires_leader)
        .deadline(deadline);
    let options = &options;
    conn.run("read $all", |client| async move {
        drain_within(deadline, "$all", client.read_all(options)).await
    })
    .await
}

/// The position of the last event in `$all` (any event, a system one too); `None`: empty.
pub(super) async fn end_of_all(conn: &Connection) -> Result<Option<Position>, StoreError> {
    let options = ReadAllOptions::default()
        .position(StreamPosition::End)
        .backwards()
        .max_count(1)
        .requires_leader(true)
        .deadline(READ_DEADLINE);
    let options = &options;
    let last = conn
        .run("read the end of $all", |client| async move {
            drain("$all", client.read_all(options)).await
        })
        .await?;
    Ok(last.first().map(|e| Raw::of(e).position))
}

pub(super) fn to_client(p: Position) -> kurrentdb::Position {
    kurrentdb::Position {
        commit: p.commit,
        prepare: p.prepare,
    }
}

async fn drain(
    stream: &str,
    open: impl Future<Output = kurrentdb::Result<ReadStream>>,
) -> Result<Vec<ResolvedEvent>, StoreError> {
    drain_within(READ_DEADLINE, stream, open).await
}

/// Every event of a read. A missing stream reads as empty; a deleted one is
/// `StreamDeleted`, whether the server says so when the call is answered (it does: the
/// read is refused before any event) or while events stream.
async fn drain_within(
    deadline: Duration,
    stream: &str,
    open: impl Future<Output = kurrentdb::Result<ReadStream>>,
) -> Result<Vec<ResolvedEvent>, StoreError> {
    let read = async {
        let mut read = match open.await {
            Ok(read) => read,
            Err(kurrentdb::Error::ResourceNotFound) => return Ok(Vec::new()),
            Err(e) => return Err(read_error(stream, e)),
        };
        let mut out = Vec::new();
        loop {
            match read.next().await {
                Ok(Some(e)) => out.push(e),
                Ok(None) | Err(kurrentdb::Error::ResourceNotFound) => return Ok(out),
                Err(e) => return Err(read_error(stream, e)),
            }
        }
    };
    // The server enforces the deadline it is sent; this one also covers a connection that
    // stops answering in the middle of the stream.
    tokio::time::timeout(deadline + Duration::from_secs(1), read)
        .await
        .unwrap_or(Err(StoreError::Kurrent(kurrentdb::Error::DeadlineExceeded)))
}
