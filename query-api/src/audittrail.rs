//! `GET .../{uuid}/audittrail[/{uuid}]` of every API: the entries of one hoofdObject that
//! one component's projection wrote (`bron`), from the `audit_trail` read model.

use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use uuid::Uuid;

use crate::error::ApiError;
use crate::AppState;

/// Every entry of `hoofd_object`, in the order of its events.
pub async fn list(s: &AppState, bron: &str, hoofd_object: Uuid) -> Result<Response, ApiError> {
    let entries: Vec<Value> = sqlx::query_scalar(
        "SELECT resource FROM audit_trail WHERE hoofd_object = $1 AND bron = $2 ORDER BY ordinal",
    )
    .bind(hoofd_object)
    .bind(bron)
    .fetch_all(&s.pool)
    .await
    .map_err(ApiError::internal)?;
    Ok(Json(entries).into_response())
}

/// One entry (`raw`, a path uuid) of `hoofd_object`; 404 when it is not one of its entries.
pub async fn detail(
    s: &AppState,
    bron: &str,
    hoofd_object: Uuid,
    raw: &str,
) -> Result<Response, ApiError> {
    let uuid: Uuid = raw.parse().map_err(|_| ApiError::NotFound)?;
    let entry: Option<Value> = sqlx::query_scalar(
        "SELECT resource FROM audit_trail WHERE uuid = $1 AND hoofd_object = $2 AND bron = $3",
    )
    .bind(uuid)
    .bind(hoofd_object)
    .bind(bron)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?;
    Ok(Json(entry.ok_or(ApiError::NotFound)?).into_response())
}
