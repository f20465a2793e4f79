//! The request middleware: counts every request by route template (axum's `MatchedPath`,
//! never the URI: no uuids in labels, no query strings with BSNs in logs), method and
//! status, times it, and writes the access-log line.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use super::{is_quiet, HTTP_DURATION, HTTP_REQUESTS};

/// The client id of the request's verified JWT, filled in by the `Caller` extractor and read
/// by [`track`] once the response is there (a handler's rejection included).
#[derive(Clone, Default)]
pub struct ClientId(Arc<OnceLock<String>>);

impl ClientId {
    pub(crate) fn set(&self, client_id: &str) {
        let _ = self.0.set(client_id.to_owned());
    }

    fn get(&self) -> Option<&str> {
        self.0.get().map(String::as_str)
    }
}

/// Route label of a request no route matched (a 404 of the fallback).
const UNMATCHED: &str = "unmatched";

/// Counts and times the request and logs one line at INFO (target `zaakstroom::access`):
/// method, route, status, duration_ms and, when the request carried a valid token,
/// client_id. Not logged: `/metrics`, `/healthz`, `/readyz`. The duration runs until the
/// response's head; a streamed body (document content) may take longer.
pub async fn track(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str)
        // A nested router's catch-all: axum's internal name for "nothing matched here".
        .filter(|r| !r.contains("__private__"))
        .unwrap_or(UNMATCHED)
        .to_owned();
    let client = ClientId::default();
    request.extensions_mut().insert(client.clone());
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    let label = method_label(&method);
    metrics::counter!(HTTP_REQUESTS, "method" => label, "route" => route.clone(),
        "status" => status.to_string())
    .increment(1);
    metrics::histogram!(HTTP_DURATION, "method" => label, "route" => route.clone())
        .record(elapsed.as_secs_f64());
    if !is_quiet(&route) {
        tracing::info!(
            target: "zaakstroom::access",
            method = %method,
            route = %route,
            status,
            duration_ms = elapsed.as_micros() as f64 / 1000.0,
            client_id = client.get(),
            "request"
        );
    }
    response
}

/// The method as a label: the standard ones by name, anything else as `other` (a client
/// cannot add label values at will).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}
