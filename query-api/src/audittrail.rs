//! `GET .../{uuid}/audittrail[/{uuid}]` of every API: the entries of one hoofdObject that
//! one component's projection wrote (`bron`), from the `audit_trail` read model.

use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use uuid::Uuid;

use crate::error::ApiError;
use crate::AppState;

/// Every entry of `hoofd_object`, in the order of its events; with `?reads=true` the
/// recorded reads too (`crate::reads`: actie `retrieve`, or `list` for a page it was on),
/// all in time order.
pub async fn list(
    s: &AppState,
    bron: &str,
    hoofd_object: Uuid,
    raw: Option<String>,
) -> Result<Response, ApiError> {
    let pairs = crate::resource::query_pairs(raw)?;
    let with_reads = match pairs.iter().rev().find(|(k, _)| k == "reads") {
        None => false,
        Some((_, v)) => crate::fields::as_boolean(&Value::String(v.clone()))
            .ok_or_else(|| ApiError::invalid("reads", "invalid", "Voer true of false in."))?,
    };
    let mut entries: Vec<Value> = sqlx::query_scalar(
        "SELECT resource FROM audit_trail WHERE hoofd_object = $1 AND bron = $2 ORDER BY ordinal",
    )
    .bind(hoofd_object)
    .bind(bron)
    .fetch_all(&s.pool)
    .await
    .map_err(ApiError::internal)?;
    if with_reads {
        let url = match bron {
            "zrc" => s.urls.zaak(hoofd_object),
            "drc" => s.urls.document(hoofd_object),
            _ => s.urls.besluit(hoofd_object),
        };
        let reads = crate::reads::entries(&s.pool, bron, (hoofd_object, &url)).await?;
        entries.extend(reads);
        // Stable: changes keep their order among themselves, reads fall in between.
        entries.sort_by(|a, b| {
            let at = |v: &Value| {
                v["aanmaakdatum"]
                    .as_str()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            };
            at(a).cmp(&at(b))
        });
    }
    Ok(Json(entries).into_response())
}

/// The query parameters of an audit trail list (others are ignored, as the reference
/// ignores them here).
pub const PARAMETERS: &[crate::openapi::params::QueryParam] = &[crate::openapi::params::param(
    "reads",
    crate::openapi::params::ParamType::Bool,
)];

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
