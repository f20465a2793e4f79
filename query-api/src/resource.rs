//! What every API's handlers share: reading a JSON body, answering with a resource (ETag,
//! Location), conditional GETs (If-None-Match -> 304) and list query strings.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use projections::render;
use serde_json::Value;

use crate::error::ApiError;

pub fn parse_json(body: &Bytes) -> Result<Value, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::invalid(
            "nonFieldErrors",
            "parse_error",
            format!("JSON parse error - {e}"),
        )
    })
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
    let cached = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if cached {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(v) = HeaderValue::from_str(etag) {
            response.headers_mut().insert(header::ETAG, v);
        }
        return response;
    }
    respond(StatusCode::OK, resource, None)
}

/// The query string as decoded pairs, in order.
pub fn query_pairs(raw: Option<String>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
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
