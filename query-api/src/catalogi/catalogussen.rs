//! `POST /catalogussen`: the use case in `commands::catalogi` (the Catalogus aggregate, a
//! claim on (domein, rsin)); the answer after the read model has it.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use projections::catalogi::snapshot::Stored;
use projections::catalogi::{render_current, NAME as CATALOGI};

use super::{dto, schema};
use crate::error::ApiError;
use crate::{headers, resource, AppState, Caller};

pub(super) async fn create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let attributes = dto::parse(schema::CATALOGUS, &resource::parse_json(&body)?)?;
    let ctx = s.context(&caller);
    let outcome = super::service(&s)
        .create_catalogus(&caller.authorisation, &ctx, attributes)
        .await?;
    s.wait_for(CATALOGI, outcome.position).await;
    let catalogus = outcome
        .state
        .ok_or_else(|| ApiError::internal("created catalogus has no state"))?;
    let url = s.urls.catalogus(catalogus.uuid);
    let body = render_current(&s.pool, &s.urls, Stored::Catalogus(catalogus))
        .await
        .map_err(ApiError::internal)?;
    Ok(resource::respond(StatusCode::CREATED, body, Some(url)))
}
