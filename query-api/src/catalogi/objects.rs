//! Writes of zaaktypen, informatieobjecttypen, besluittypen and a zaaktype's children: the
//! body read by the kind's field table, the use case run by `commands::catalogi` (facts from
//! the read model through `ports`, the rules in the CatalogusObject aggregate), the answer
//! after the read model has the change (read-your-writes).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use commands::catalogi::{NewObject, ObjectChange};
use commands::WriteError;
use domain::catalogus_object::CatalogusObject;
use event_schemas::catalogus::{ObjectAttributes, ObjectKind};
use projections::catalogi::{render_current, snapshot::Stored, NAME as CATALOGI};
use uuid::Uuid;

use super::{dto, schema};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::{headers, resource, AppState, Caller};

/// The object rendered as the read model shows it after the write.
async fn answer(
    s: &AppState,
    object: Option<CatalogusObject>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let object = object.ok_or(ApiError::NotFound)?;
    let url = s.urls.catalogus_object(object.kind, object.uuid);
    let body = render_current(&s.pool, &s.urls, Stored::Object(object))
        .await
        .map_err(ApiError::internal)?;
    let location = (status == StatusCode::CREATED).then_some(url);
    Ok(resource::respond(status, body, location))
}

pub(super) async fn create(
    kind: ObjectKind,
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let attributes = dto::parse(schema::fields(kind), &resource::parse_json(&body)?)?;
    let ctx = s.context(&caller);
    let new = NewObject { kind, attributes };
    let outcome = super::service(&s)
        .create(&caller.authorisation, &ctx, new)
        .await?;
    s.wait_for(CATALOGI, outcome.position).await;
    let object = outcome
        .state
        .ok_or_else(|| ApiError::internal("created object has no state"))?;
    answer(&s, Some(object), StatusCode::CREATED).await
}

/// PUT (`partial` false: the body is the whole object) or PATCH (merged onto the object as
/// it is at the moment of deciding, on every retry).
pub(super) async fn update(
    kind: ObjectKind,
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let body = resource::parse_json(&body)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let ctx = s
        .write_context(&caller, Target::CatalogusObject, uuid)
        .await?;
    let table = schema::fields(kind);
    let apply = |current: &ObjectAttributes| -> Result<ObjectAttributes, WriteError> {
        let merged;
        let input = if partial {
            merged = dto::merge_patch(table, current, &body)?;
            &merged
        } else {
            &body
        };
        Ok(dto::parse(table, input)?)
    };
    let change = ObjectChange {
        apply: &apply,
        partial,
    };
    let outcome = super::service(&s)
        .update(&caller.authorisation, &ctx, kind, uuid, change)
        .await?;
    s.wait_for(CATALOGI, outcome.position).await;
    answer(&s, outcome.state, StatusCode::OK).await
}

pub(super) async fn publish(
    kind: ObjectKind,
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let outcome = super::service(&s)
        .publish(&caller.authorisation, &s.context(&caller), kind, uuid)
        .await?;
    s.wait_for(CATALOGI, outcome.position).await;
    answer(&s, outcome.state, StatusCode::OK).await
}

pub(super) async fn destroy(
    kind: ObjectKind,
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let ctx = s
        .write_context(&caller, Target::CatalogusObject, uuid)
        .await?;
    let outcome = super::service(&s)
        .destroy(&caller.authorisation, &ctx, kind, uuid)
        .await?;
    s.wait_for(CATALOGI, outcome.position).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}
