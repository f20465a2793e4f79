//! What a client may send and how long it may take, checked before any handler runs: the
//! length of the URI and of the header block (414 / 431), and a deadline on reading the
//! request body (408); the body size of each router (413, `body_limit`) and one memory
//! budget for the bodies read whole (`BodyBudget`, 503 when exhausted). The
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

/// Bodies that are read whole share this many bytes in flight, so many large requests at
/// once cannot add up past it (a parsed JSON body is held about three times over): a
/// request over 64 KiB takes its share (its Content-Length, or its route's limit when it
/// has none) before its body is read, waits for it up to [`BUDGET_WAIT`], and is otherwise
/// answered 503 with Retry-After.
#[derive(Debug, Clone)]
pub struct BodyBudget {
    kib: Arc<tokio::sync::Semaphore>,
    total_kib: u32,
}

/// How long a request waits for its share of the [`BodyBudget`].
pub const BUDGET_WAIT: Duration = Duration::from_secs(20);

impl BodyBudget {
    pub fn new(bytes: usize) -> Self {
        let total_kib = u32::try_from(bytes / 1024).unwrap_or(u32::MAX).max(1);
        Self {
            kib: Arc::new(tokio::sync::Semaphore::new(total_kib as usize)),
            total_kib,
        }
    }

    /// The share of a body of `bytes` (at most the whole budget); `None` when none came free
    /// within `wait`.
    pub async fn reserve(
        &self,
        bytes: u64,
        wait: Duration,
    ) -> Option<tokio::sync::OwnedSemaphorePermit> {
        let kib = u32::try_from(bytes.div_ceil(1024))
            .unwrap_or(u32::MAX)
            .clamp(1, self.total_kib);
        tokio::time::timeout(wait, self.kib.clone().acquire_many_owned(kib))
            .await
            .ok()?
            .ok()
    }
}

impl Default for BodyBudget {
    fn default() -> Self {
        Self::new(48 * 1024 * 1024)
    }
}

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
    /// The bytes of bodies read whole that may be in flight at once.
    pub body_memory: BodyBudget,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            max_body: 2 * 1024 * 1024,
            body_read_timeout: Duration::from_secs(60),
            max_uri: 8 * 1024,
            max_header_bytes: 64 * 1024,
            body_memory: BodyBudget::default(),
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
/// `DefaultBodyLimit`, as every body extractor reads it). With `budget`, a body the router
/// reads whole takes its share of that [`BodyBudget`] first.
pub fn body_limit<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    max: usize,
    budget: Option<&BodyBudget>,
) -> Router<S> {
    let budget = budget.cloned();
    router
        .layer(DefaultBodyLimit::max(max))
        .layer(axum::middleware::from_fn(
            move |request: Request, next: Next| admit(max, budget.clone(), request, next),
        ))
}

/// Bodies up to this size take no share of the budget.
const SMALL_BODY: u64 = 64 * 1024;

async fn admit(max: usize, budget: Option<BodyBudget>, request: Request, next: Next) -> Response {
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
    let chunked = declared.is_none() && !request.body().is_end_stream();
    let size = if chunked {
        max as u64
    } else {
        declared.unwrap_or(0)
    };
    let _share = match budget {
        Some(budget) if size > SMALL_BODY => match budget.reserve(size, BUDGET_WAIT).await {
            Some(share) => Some(share),
            None => {
                let detail = "Te veel grote verzoeken tegelijk; probeer het zo opnieuw.";
                let mut response = ApiError::http(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "service_unavailable",
                    detail,
                )
                .into_response();
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                return response;
            }
        },
        _ => None,
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn concurrent_large_bodies_share_the_budget_and_wait_for_it() {
        let budget = BodyBudget::new(10 * 1024 * 1024);
        let first = budget.reserve(8 * 1024 * 1024, Duration::ZERO).await;
        assert!(first.is_some());
        let short = Duration::from_millis(50);
        assert!(
            budget.reserve(4 * 1024 * 1024, short).await.is_none(),
            "over the budget"
        );
        assert!(
            budget.reserve(2 * 1024 * 1024, short).await.is_some(),
            "within it"
        );
        drop(first);
        assert!(
            budget.reserve(8 * 1024 * 1024, short).await.is_some(),
            "freed again"
        );
        let huge = budget.reserve(u64::MAX, short).await;
        assert!(
            huge.is_some(),
            "a body larger than the budget takes the whole of it"
        );
    }
}
