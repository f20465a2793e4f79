//! `/besluitinformatieobjecten`: the documents a besluit is laid down in. Each is an event
//! in its besluit's stream; reads come from the `besluitinformatieobjecten` read model,
//! filtered by the caller's brc grants on the besluit's besluittype.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use commands::besluiten::LEVEL;
use event_schemas::applicatie::Component;
use projections::render;
use serde_json::Value;
use sqlx::{QueryBuilder, Row};
use uuid::Uuid;

use super::filters::{Filter, Query};
use super::{dto, sync, LEZEN, VERWIJDEREN};
use crate::authorisation::GrantsFilter;
use crate::error::ApiError;
use crate::{headers, resource, AppState, Caller};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/besluitinformatieobjecten", get(list).post(create))
        .route(
            "/besluitinformatieobjecten/{uuid}",
            get(detail).delete(destroy),
        )
}

pub(super) const FILTERS: &[(&str, Filter)] = &[
    (
        "besluit",
        Filter::OwnUuid("besluit_uuid", "/besluiten/api/v1/besluiten/"),
    ),
    ("informatieobject", Filter::Url("informatieobject")),
];

async fn list(
    State(s): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let query = Query::parse(FILTERS, false, &s.urls, &resource::query_pairs(raw)?)?;
    let mut sql = QueryBuilder::new("SELECT resource FROM besluitinformatieobjecten WHERE true");
    query.push_conditions(&mut sql);
    caller
        .grants(Component::Brc, LEZEN)
        .push_filter(&mut sql, "besluittype", "0");
    sql.push(" ORDER BY ordinal");
    let results: Vec<Value> = sql
        .build_query_scalar()
        .fetch_all(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(results).into_response())
}

/// A stored besluitinformatieobject, if the caller may `scope` its besluit.
struct Stored {
    besluit: Uuid,
    resource: Value,
    etag: String,
}

async fn stored(s: &AppState, caller: &Caller, raw: &str, scope: &str) -> Result<Stored, ApiError> {
    let uuid: Uuid = raw.parse().map_err(|_| ApiError::NotFound)?;
    let row = sqlx::query(
        "SELECT besluit_uuid, besluittype, resource, etag FROM besluitinformatieobjecten
         WHERE uuid = $1",
    )
    .bind(uuid)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?
    .ok_or(ApiError::NotFound)?;
    caller.require(Component::Brc, scope, row.get("besluittype"), LEVEL)?;
    Ok(Stored {
        besluit: row.get("besluit_uuid"),
        resource: row.get("resource"),
        etag: row.get("etag"),
    })
}

async fn detail(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let bio = stored(&s, &caller, &uuid, LEZEN).await?;
    Ok(resource::detail(&headers, bio.resource, &bio.etag))
}

async fn create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let (informatieobject, besluit) = dto::parse_informatieobject(&resource::parse_json(&body)?)?;
    let ctx = s.context(&caller);
    let (outcome, uuid) = super::service(&s)
        .add_informatieobject(&caller.authorisation, &ctx, &besluit, &informatieobject)
        .await?;
    sync::wait(&s, outcome.position, &[], &[&informatieobject]).await?;
    let body = outcome
        .state
        .and_then(|b| render::besluitinformatieobject(&b, uuid, &s.urls))
        .ok_or_else(|| ApiError::internal("added besluitinformatieobject has no state"))?;
    Ok(resource::respond(
        StatusCode::CREATED,
        body,
        Some(s.urls.besluitinformatieobject(uuid)),
    ))
}

async fn destroy(
    State(s): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let bio = stored(&s, &caller, &raw, VERWIJDEREN).await?;
    let uuid: Uuid = raw.parse().map_err(|_| ApiError::NotFound)?;
    let target = crate::concurrency::Target::Besluitinformatieobject;
    let ctx = s.write_context(&caller, target, uuid).await?;
    let (outcome, _) = super::service(&s)
        .remove_informatieobject(&caller.authorisation, &ctx, bio.besluit, uuid)
        .await?;
    let document = bio.resource["informatieobject"]
        .as_str()
        .unwrap_or_default();
    sync::wait(&s, outcome.position, &[], &[document]).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
