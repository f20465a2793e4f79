//! The server span of every request: in the caller's trace when the request carries a W3C
//! `traceparent` (and `tracestate`), named and tagged by the route template (never the URI:
//! no uuids or query strings with BSNs), answered status recorded. A write made inside it
//! stores its `traceparent` in the events' envelopes (`AppState::context`). Recorded only
//! when OpenTelemetry is (`zaakstroom::telemetry`); otherwise the span is disabled and costs
//! next to nothing.

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;
use projections::trace::{self, TRACEPARENT, TRACESTATE};
use tracing::Instrument;

pub async fn server_span(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str)
        // A nested router's catch-all: axum's internal name for "nothing matched here".
        .filter(|r| !r.contains("__private__"));
    let span = tracing::debug_span!(
        "request",
        otel.name = %SpanName(&method, route),
        otel.kind = "server",
        otel.status_code = tracing::field::Empty,
        http.request.method = %method,
        http.route = route,
        http.response.status_code = tracing::field::Empty,
    );
    if !span.is_disabled() {
        let headers = request.headers();
        trace::set_parent(
            &span,
            header(headers, TRACEPARENT),
            header(headers, TRACESTATE),
        );
    }
    let response = next.run(request).instrument(span.clone()).await;
    let status = response.status();
    span.record("http.response.status_code", status.as_u16());
    if status.is_server_error() {
        span.record("otel.status_code", "error");
    }
    response
}

/// `{method} {route}`, or the method alone when no route matched (the semantic
/// conventions' name of an HTTP server span).
struct SpanName<'a>(&'a Method, Option<&'a str>);

impl std::fmt::Display for SpanName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.1 {
            Some(route) => write!(f, "{} {route}", self.0),
            None => write!(f, "{}", self.0),
        }
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}
