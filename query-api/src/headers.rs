//! Header rules shared by the APIs: API-version, Content-Crs / Accept-Crs, content type.

use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::ApiError;

pub const CRS: &str = "EPSG:4326";

pub fn api_version(version: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(
        HeaderName::from_static("api-version"),
        HeaderValue::from_static(version),
    )
}

/// Resources with geometry need `Accept-Crs: EPSG:4326` (412 when missing, 406 otherwise).
pub fn require_accept_crs(headers: &HeaderMap) -> Result<(), ApiError> {
    crs_header(headers, "accept-crs", ApiError::NotAcceptable)
}

/// A body that may hold geometry needs `Content-Crs: EPSG:4326` (412 when missing, 406
/// otherwise, as vng-api-common's GeoMixin).
pub fn require_content_crs(headers: &HeaderMap) -> Result<(), ApiError> {
    crs_header(headers, "content-crs", ApiError::NotAcceptable)
}

fn crs_header(
    headers: &HeaderMap,
    name: &str,
    unsupported: impl Fn(String) -> ApiError,
) -> Result<(), ApiError> {
    match headers.get(name).map(|v| v.to_str().unwrap_or_default()) {
        None => Err(ApiError::PreconditionFailed(format!(
            "'{name}' header ontbreekt"
        ))),
        Some(CRS) => Ok(()),
        Some(other) => Err(unsupported(format!("CRS '{other}' is niet ondersteund"))),
    }
}

/// Write bodies are JSON.
pub fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if ct
        .split(';')
        .next()
        .is_some_and(|m| m.trim() == "application/json")
    {
        Ok(())
    } else {
        Err(ApiError::UnsupportedMediaType(format!(
            "Ongeldig mediatype \"{ct}\" in aanvraag."
        )))
    }
}

pub fn content_crs() -> (HeaderName, HeaderValue) {
    (
        HeaderName::from_static("content-crs"),
        HeaderValue::from_static(CRS),
    )
}
