//! `GET /enkelvoudiginformatieobjecten/{uuid}/audittrail[/{uuid}]`: the document's audit
//! trail (bron `drc`) for callers holding audittrails.lezen on its informatieobjecttype.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use event_schemas::applicatie::Component;
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
    caller.require_stored(Component::Drc, SCOPE, &iot, &vertrouwelijkheid)?;
    Ok(uuid)
}

async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Path(document): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let document = check_document(&s, &caller, &document).await?;
    crate::audittrail::list(&s, "drc", document, raw).await
}

async fn detail(
    State(s): State<AppState>,
    caller: Caller,
    Path((document, uuid)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let document = check_document(&s, &caller, &document).await?;
    crate::audittrail::detail(&s, "drc", document, &uuid).await
}
