//! What every API's handlers share: reading a JSON body, answering with a resource (ETag,
//! Location), conditional GETs (If-None-Match -> 304) and list query strings.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use projections::render;
use serde_json::Value;

use crate::error::ApiError;

/// A `_zoek` body: JSON with at least one search parameter (`empty_search_body`
/// otherwise, as the reference answers an empty search).
pub fn parse_search(body: &Bytes) -> Result<Value, ApiError> {
    let value = parse_json(body)?;
    if value.as_object().is_some_and(|o| o.is_empty()) {
        return Err(ApiError::invalid(
            "nonFieldErrors",
            "empty_search_body",
            "Search parameters must be specified",
        ));
    }
    Ok(value)
}

pub fn parse_json(body: &Bytes) -> Result<Value, ApiError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::invalid(
            "nonFieldErrors",
            "parse_error",
            format!("JSON parse error - {e}"),
        )
    })?;
    if has_nul(&value) {
        return Err(nul_refused("nonFieldErrors"));
    }
    Ok(value)
}

/// The NUL character cannot be stored (PostgreSQL text and jsonb refuse it), so it is
/// refused at the door rather than failing a write or a projection later.
fn has_nul(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(m) => m.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

fn nul_refused(name: &str) -> ApiError {
    ApiError::invalid(
        name,
        "null_characters_not_allowed",
        "Null-tekens zijn niet toegestaan.",
    )
}

/// A resource with its ETag (and Location on 201).
pub fn respond(status: StatusCode, body: Value, location: Option<String>) -> Response {
    let etag = render::etag(&body);
    let mut response = (status, Json(body)).into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Some(v) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        h.insert(header::LOCATION, v);
    }
    response
}

/// A stored resource for a detail GET: 304 when the client's If-None-Match has its ETag.
pub fn detail(headers: &HeaderMap, resource: Value, etag: &str) -> Response {
    not_modified(headers, etag).unwrap_or_else(|| respond(StatusCode::OK, resource, None))
}

/// A stored resource kept as its JSON text (a `json` column written by the projection, with
/// the ETag of exactly that text) for a detail GET: passed through as it is, no `Value`.
pub fn detail_text(headers: &HeaderMap, json: String, etag: &str) -> Response {
    not_modified(headers, etag).unwrap_or_else(|| {
        let mut response = (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            json,
        )
            .into_response();
        if let Ok(v) = HeaderValue::from_str(etag) {
            response.headers_mut().insert(header::ETAG, v);
        }
        response
    })
}

/// 304 Not Modified when the client's If-None-Match has `etag` (or `*`).
fn not_modified(headers: &HeaderMap, etag: &str) -> Option<Response> {
    let cached = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if !cached {
        return None;
    }
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    if let Ok(v) = HeaderValue::from_str(etag) {
        response.headers_mut().insert(header::ETAG, v);
    }
    Some(response)
}

/// The query string as decoded pairs, in order; a value with a NUL character is refused.
pub fn query_pairs(raw: Option<String>) -> Result<Vec<(String, String)>, ApiError> {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    match pairs
        .iter()
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
    {
        Some((k, _)) => Err(nul_refused(k)),
        None => Ok(pairs),
    }
}

/// A PATCH body merged onto the current resource: only fields the resource has.
pub fn merge_patch(mut current: Value, patch: &Value) -> Result<Value, ApiError> {
    let Value::Object(patch) = patch else {
        return Err(ApiError::invalid(
            "nonFieldErrors",
            "invalid",
            "Ongeldige data. Verwacht een dictionary.",
        ));
    };
    if let Value::Object(m) = &mut current {
        for (k, v) in patch {
            if m.contains_key(k) {
                m.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(current)
}
