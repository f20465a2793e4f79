//! `GET /besluiten/{besluit_uuid}/audittrail[/{uuid}]`: the besluit's audit trail (bron
//! `brc`), for callers holding audittrails.lezen on the besluit's besluittype.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::error::ApiError;
use crate::{AppState, Caller};

pub const SCOPE: &str = "audittrails.lezen";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/besluiten/{besluit_uuid}/audittrail", get(list))
        .route("/besluiten/{besluit_uuid}/audittrail/{uuid}", get(detail))
}

async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Path(besluit): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let besluit = super::routes::require_on_besluit(&s, &caller, &besluit, SCOPE).await?;
    crate::audittrail::list(&s, "brc", besluit, raw).await
}

async fn detail(
    State(s): State<AppState>,
    caller: Caller,
    Path((besluit, uuid)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let besluit = super::routes::require_on_besluit(&s, &caller, &besluit, SCOPE).await?;
    crate::audittrail::detail(&s, "brc", besluit, &uuid).await
}
