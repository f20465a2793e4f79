//! What a client may send and how long it may take, checked before any handler runs: the
//! length of the URI and of the header block (414 / 431), and a deadline on reading the
//! request body (408); and the body size of each router (413, `body_limit`). The
//! connection-level limits (header-read timeout, connection count) are the serve loop's.

use std::future::Future as _;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use http_body::{Frame, SizeHint};

use crate::error::ApiError;
use crate::AppState;

/// The request limits the API enforces itself (each answered as problem+json).
#[derive(Debug, Clone)]
pub struct HttpLimits {
    /// The largest body of every route without a limit of its own (GraphQL included).
    pub max_body: usize,
    /// How long a request body may take to arrive, from the end of its headers.
    pub body_read_timeout: Duration,
    /// The longest path and query.
    pub max_uri: usize,
    /// The largest header block (names, values and their separators).
    pub max_header_bytes: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            max_body: 2 * 1024 * 1024,
            body_read_timeout: Duration::from_secs(60),
            max_uri: 8 * 1024,
            max_header_bytes: 64 * 1024,
        }
    }
}

/// Refuses an over-long URI or header block, and answers 408 (closing the connection) when
/// the body did not arrive within the deadline, whatever the handler made of the failed read.
pub async fn guard(State(s): State<AppState>, request: Request, next: Next) -> Response {
    let limits = &s.limits;
    let uri = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if uri > limits.max_uri {
        let detail = format!("De URI is langer dan {} bytes.", limits.max_uri);
        return ApiError::http(StatusCode::URI_TOO_LONG, "uri_too_long", detail).into_response();
    }
    let headers: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if headers > limits.max_header_bytes {
        let detail = format!(
            "De headers zijn samen groter dan {} bytes.",
            limits.max_header_bytes
        );
        let code = "request_header_fields_too_large";
        return ApiError::http(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, code, detail)
            .into_response();
    }
    let expired = Arc::new(AtomicBool::new(false));
    let request = request.map(|body| {
        Body::new(Deadline {
            body,
            sleep: Box::pin(tokio::time::sleep(limits.body_read_timeout)),
            expired: expired.clone(),
        })
    });
    let response = next.run(request).await;
    if !expired.load(Ordering::Relaxed) {
        return response;
    }
    let detail = format!(
        "De body van het verzoek kwam niet binnen {} s binnen.",
        limits.body_read_timeout.as_secs()
    );
    let mut response =
        ApiError::http(StatusCode::REQUEST_TIMEOUT, "request_timeout", detail).into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// `router` with a body limit of `max` bytes: a Content-Length over it is refused (413) before
/// the handler runs, a body without one once `max` bytes have come in (axum's
/// `DefaultBodyLimit`, as every body extractor reads it).
pub fn body_limit<S: Clone + Send + Sync + 'static>(router: Router<S>, max: usize) -> Router<S> {
    router
        .layer(DefaultBodyLimit::max(max))
        .layer(axum::middleware::from_fn(
            move |request: Request, next: Next| refuse_declared_over(max, request, next),
        ))
}

async fn refuse_declared_over(max: usize, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        let detail = format!("De body van het verzoek is groter dan {max} bytes.");
        let status = StatusCode::PAYLOAD_TOO_LARGE;
        return ApiError::http(status, "request_entity_too_large", detail).into_response();
    }
    next.run(request).await
}

/// A request body that fails once its deadline passes (and says so in `expired`).
struct Deadline {
    body: Body,
    sleep: Pin<Box<tokio::time::Sleep>>,
    expired: Arc<AtomicBool>,
}

impl HttpBody for Deadline {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.body).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            self.expired.store(true, Ordering::Relaxed);
            return Poll::Ready(Some(Err(axum::Error::new("the request body timed out"))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    // Kept exact, so a body limit refuses a Content-Length over it before reading.
    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}
