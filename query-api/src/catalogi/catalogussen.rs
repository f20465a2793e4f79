//! `POST /catalogussen`: through the Catalogus aggregate, with a claim on (domein, rsin) so
//! two catalogi never share both.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use commands::CommandError;
use domain::catalogus::{CatalogusAggregate, CatalogusCommand, CatalogusError};
use domain::Aggregate;
use event_schemas::catalogus::CatalogusEvent;
use event_schemas::{stream_name, VersionedEvent};
use projections::catalogi::render_current;
use projections::catalogi::snapshot::Stored;
use uuid::Uuid;

use super::{dto, schema};
use crate::error::ApiError;
use crate::{headers, resource, AppState, Caller};

fn command_error(e: CommandError<CatalogusError>) -> ApiError {
    match e {
        CommandError::Domain(CatalogusError::InvalidRsin(e)) => {
            ApiError::invalid("rsin", e.code(), e.to_string())
        }
        CommandError::Domain(e @ CatalogusError::InvalidDomein) => {
            ApiError::invalid("domein", "invalid", e.to_string())
        }
        other => ApiError::internal(other),
    }
}

pub(super) async fn create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let attributes = dto::parse(schema::CATALOGUS, &resource::parse_json(&body)?)?;
    let ctx = s.context(&caller);
    let uuid = Uuid::new_v4();
    let text = |name: &str| attributes.get(name).and_then(|v| v.as_str()).unwrap_or("");
    let key = format!("catalogus/{}/{}", text("domein"), text("rsin"));
    let command = CatalogusCommand::Create {
        uuid,
        attributes: attributes.clone(),
    };
    // The rules first (decide is pure), so an invalid catalogus never takes the claim.
    CatalogusAggregate::decide(&None, command.clone())
        .map_err(|e| command_error(CommandError::Domain(e)))?;
    let owner = stream_name(CatalogusEvent::CATEGORY, uuid);
    s.claim(&ctx, &key, &owner, || {
        ApiError::invalid(
            "nonFieldErrors",
            "unique",
            "De velden domein, rsin moeten een unieke set zijn.",
        )
    })
    .await?;
    let catalogus =
        super::create_and_wait::<CatalogusAggregate>(&s, &ctx, uuid, command, command_error)
            .await?
            .ok_or_else(|| ApiError::internal("created catalogus has no state"))?;
    let body = render_current(&s.pool, &s.urls, Stored::Catalogus(catalogus))
        .await
        .map_err(ApiError::internal)?;
    Ok(resource::respond(
        StatusCode::CREATED,
        body,
        Some(s.urls.catalogus(uuid)),
    ))
}
