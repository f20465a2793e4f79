//! `POST .../{uuid}/lock`, `POST .../{uuid}/unlock` (merging complete bestandsdelen into
//! the content) and `GET .../{uuid}/download` (the content, streamed from object storage).

use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use event_schemas::document::ContentRef;
use projections::documenten::NAME as DOCUMENTEN;
use serde_json::json;
use sqlx::Row;
use uuid::Uuid;

use super::routes::readable_version;
use crate::error::ApiError;
use crate::fields::{Fields, Presence};
use crate::{headers, resource, AppState, Caller};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enkelvoudiginformatieobjecten/{uuid}/lock", post(lock))
        .route("/enkelvoudiginformatieobjecten/{uuid}/unlock", post(unlock))
        .route(
            "/enkelvoudiginformatieobjecten/{uuid}/download",
            get(download),
        )
}

async fn lock(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let ctx = s.context(&caller);
    let (outcome, lock) = super::service(&s)
        .lock(&caller.authorisation, &ctx, uuid)
        .await?;
    s.wait_for(DOCUMENTEN, outcome.position).await;
    Ok(Json(json!({ "lock": lock })).into_response())
}

async fn unlock(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = if body.is_empty() {
        json!({})
    } else {
        headers::require_json(&headers)?;
        resource::parse_json(&body)?
    };
    let mut f = Fields::new(&body)?;
    let given = f
        .string("lock", 100, Presence::Optional)
        .unwrap_or_default();
    f.finish(|| ())?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let ctx = s.context(&caller);
    let outcome = super::service(&s)
        .unlock(&caller.authorisation, &ctx, uuid, given)
        .await?;
    s.wait_for(DOCUMENTEN, outcome.position).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn download(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let row = readable_version(&s, &caller, &uuid, &pairs).await?;
    if let Ok(document) = uuid.parse() {
        crate::reads::document(&s, &caller, &headers, document).await;
    }
    let sha256: Option<String> = row.get("content_sha256");
    let size: Option<i64> = row.get("content_size");
    let (Some(sha256), Some(size)) = (sha256, size) else {
        return Err(ApiError::NotFound);
    };
    let content = ContentRef {
        sha256,
        size: size as u64,
    };
    let stream = s
        .documenten
        .content
        .get_stream(&content)
        .await
        .map_err(ApiError::internal)?;
    let mut response = Body::from_stream(stream).into_response();
    let h = response.headers_mut();
    let formaat: String = row.get("formaat");
    let content_type = HeaderValue::from_str(&formaat)
        .ok()
        .filter(|_| formaat.contains('/'))
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, content_type);
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(content.size));
    let name: String = row.get("bestandsnaam");
    let name: String = name
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
