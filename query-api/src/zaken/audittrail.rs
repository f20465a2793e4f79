//! `GET /zaken/{zaak_uuid}/audittrail[/{uuid}]`: the zaak's audit trail from the
//! `audit_trail` read model, for callers holding audittrails.lezen on the zaak's zaaktype.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use uuid::Uuid;

use crate::error::ApiError;
use crate::{AppState, Caller};

pub const SCOPE: &str = "audittrails.lezen";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/zaken/{zaak_uuid}/audittrail", get(list))
        .route("/zaken/{zaak_uuid}/audittrail/{uuid}", get(detail))
}

/// 404 when the zaak is not there, 403 when the caller may not read its audit trail.
async fn check_zaak(s: &AppState, caller: &Caller, zaak: &str) -> Result<Uuid, ApiError> {
    let uuid: Uuid = zaak.parse().map_err(|_| ApiError::NotFound)?;
    super::parts::require_on_zaak(s, caller, uuid, SCOPE).await?;
    Ok(uuid)
}

async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Path(zaak): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let zaak = check_zaak(&s, &caller, &zaak).await?;
    crate::audittrail::list(&s, "zrc", zaak, raw).await
}

async fn detail(
    State(s): State<AppState>,
    caller: Caller,
    Path((zaak, uuid)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let zaak = check_zaak(&s, &caller, &zaak).await?;
    crate::audittrail::detail(&s, "zrc", zaak, &uuid).await
}
