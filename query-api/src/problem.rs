//! Every error a client can get is problem+json: what axum and its extractors answer in
//! text (405 of a route without the method, 413 of a body over its limit, 400 of a
//! multipart body without a boundary, ...) is rewritten here, headers such as `Allow` kept.
//! JSON answers (ours, and GraphQL's errors in GraphQL's shape) pass as they are.

use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The most of a text error body read to become the problem's detail.
const MAX_TEXT: usize = 4096;

pub async fn bare_errors(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, MAX_TEXT)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_owned();
    let mut problem = problem(status, &method, text).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            problem.headers_mut().insert(name, value.clone());
        }
    }
    problem
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/") && v.contains("json"))
}

/// The problem for a text error of `status` (its text as detail where it says more).
fn problem(status: StatusCode, method: &Method, text: String) -> ApiError {
    let or = |default: &str| {
        if text.is_empty() {
            default.to_owned()
        } else {
            text.clone()
        }
    };
    match status {
        StatusCode::NOT_FOUND => ApiError::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ApiError::http(
            status,
            "method_not_allowed",
            format!("Methode \"{method}\" niet toegestaan."),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::http(
            status,
            "request_entity_too_large",
            "De body van het verzoek is groter dan toegestaan.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType(or(
            "Het Content-Type van het verzoek wordt niet ondersteund.",
        )),
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
            ApiError::http(status, "parse_error", or("Ongeldig verzoek."))
        }
        s if s.is_server_error() => ApiError::internal(format!("{s}: {text}")),
        s => ApiError::http(s, "error", or(s.canonical_reason().unwrap_or("Fout."))),
    }
}
