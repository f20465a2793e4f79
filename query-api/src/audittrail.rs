//! Reading the `audit_trail` read model: the entries of one hoofdObject of one component
//! (`bron`), in order, or one of them. Each API checks its own scope on the object first.

use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

use crate::error::ApiError;

pub async fn list(pool: &PgPool, bron: &str, hoofd_object: Uuid) -> Result<Response, ApiError> {
    let entries: Vec<Value> = sqlx::query_scalar(
        "SELECT resource FROM audit_trail WHERE hoofd_object = $1 AND bron = $2 ORDER BY ordinal",
    )
    .bind(hoofd_object)
    .bind(bron)
    .fetch_all(pool)
    .await
    .map_err(ApiError::internal)?;
    Ok(Json(entries).into_response())
}

pub async fn detail(
    pool: &PgPool,
    bron: &str,
    hoofd_object: Uuid,
    uuid: &str,
) -> Result<Response, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let entry: Option<Value> = sqlx::query_scalar(
        "SELECT resource FROM audit_trail WHERE uuid = $1 AND hoofd_object = $2 AND bron = $3",
    )
    .bind(uuid)
    .bind(hoofd_object)
    .bind(bron)
    .fetch_optional(pool)
    .await
    .map_err(ApiError::internal)?;
    Ok(Json(entry.ok_or(ApiError::NotFound)?).into_response())
}
