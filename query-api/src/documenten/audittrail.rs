//! `GET /enkelvoudiginformatieobjecten/{uuid}/audittrail[/{uuid}]`: the document's audit
//! trail (bron `drc`) for callers holding audittrails.lezen on its informatieobjecttype.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use event_schemas::applicatie::Component;
use event_schemas::zaak::Vertrouwelijkheidaanduiding;
use serde_json::Value;
use uuid::Uuid;

use crate::error::ApiError;
use crate::{AppState, Caller};

pub const SCOPE: &str = "audittrails.lezen";

const BASE: &str = "/enkelvoudiginformatieobjecten/{enkelvoudiginformatieobject_uuid}/audittrail";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(list))
        .route(&format!("{BASE}/{{uuid}}"), get(detail))
}

/// 404 when the document is not there (or gone), 403 when the caller may not read its trail.
async fn check_document(s: &AppState, caller: &Caller, uuid: &str) -> Result<Uuid, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let (iot, vertrouwelijkheid): (String, String) = sqlx::query_as(
        "SELECT informatieobjecttype, vertrouwelijkheidaanduiding FROM document_versies
         WHERE uuid = $1 AND is_latest",
    )
    .bind(uuid)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?
    .ok_or(ApiError::NotFound)?;
    let vertrouwelijkheid = Vertrouwelijkheidaanduiding::parse(&vertrouwelijkheid)
        .ok_or_else(|| ApiError::internal("stored vertrouwelijkheidaanduiding is unknown"))?;
    caller.require(Component::Drc, SCOPE, &iot, vertrouwelijkheid)?;
    Ok(uuid)
}

async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Path(document): Path<String>,
) -> Result<Response, ApiError> {
    let document = check_document(&s, &caller, &document).await?;
    let entries: Vec<Value> = sqlx::query_scalar(
        "SELECT resource FROM audit_trail WHERE hoofd_object = $1 AND bron = 'drc' ORDER BY ordinal",
    )
    .bind(document)
    .fetch_all(&s.pool)
    .await
    .map_err(ApiError::internal)?;
    Ok(Json(entries).into_response())
}

async fn detail(
    State(s): State<AppState>,
    caller: Caller,
    Path((document, uuid)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let document = check_document(&s, &caller, &document).await?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let entry: Option<Value> = sqlx::query_scalar(
        "SELECT resource FROM audit_trail WHERE uuid = $1 AND hoofd_object = $2 AND bron = 'drc'",
    )
    .bind(uuid)
    .bind(document)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?;
    Ok(Json(entry.ok_or(ApiError::NotFound)?).into_response())
}
