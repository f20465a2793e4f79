//! The accept loop: HTTP/1.1 connections served by hyper with a header-read timeout (which
//! is also the idle timeout of a kept-alive connection) and at most `max_connections` at
//! once, so clients that open connections and send nothing (or half a header) are cut off
//! and cannot use up the process's file descriptors. Per-request limits (body size and
//! read deadline, URI and header size) are the API's own (`query_api::limits`).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

use crate::config::HttpArgs;

/// hyper's buffer for a request head (and for reading bodies): a head beyond it is refused
/// by hyper itself (431, no body). Bounded because every connection may fill one.
const MAX_BUF_SIZE: usize = 128 * 1024;

/// How long stopping waits for requests in flight.
const DRAIN: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `shutdown` completes, then lets requests in flight
/// finish (up to [`DRAIN`]).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    args: &HttpArgs,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(args.max_connections.max(1)));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(args.header_read_timeout_secs.max(1)))
        .max_buf_size(MAX_BUF_SIZE);
    let (stop, stopping) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors (or a connection reset before it was
                    // accepted): wait rather than spin; connections close by their timeouts.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let connection = builder
            .serve_connection(TokioIo::new(stream), service)
            .with_upgrades();
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            drop(slot);
        });
    }
    drop(listener);
    let _ = stop.send(true);
    // Every connection holds a slot until it is done.
    let all = u32::try_from(args.max_connections.max(1)).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(DRAIN, slots.acquire_many(all)).await;
    Ok(())
}
