//! `/partij-identificatoren` and `/partij-identificatoren/{uuid}`: an identificator lives in
//! its partij's stream; writes are partij use cases, reads single queries on the
//! `partij_identificatoren` read model.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use commands::WriteError;
use domain::klantinteracties::partij::Partij;
use event_schemas::klantinteracties::partij::PartijIdentificatorAttributes;
use projections::partijen::{render, NAME};
use serde_json::{json, Value};
use uuid::Uuid;

use super::dto;
use super::filters::{Filter, Query};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::{headers, resource, AppState, Caller};

pub(super) const FILTERS: &[(&str, Filter)] = &[
    (
        "anderePartijIdentificator",
        Filter::Text("andere_partij_identificator"),
    ),
    (
        "partijIdentificatorCodeObjecttype",
        Filter::Choice(
            "code_objecttype",
            &["natuurlijk_persoon", "niet_natuurlijk_persoon", "vestiging"],
        ),
    ),
    (
        "partijIdentificatorCodeRegister",
        Filter::Choice("code_register", &["brp", "hr"]),
    ),
    (
        "partijIdentificatorCodeSoortObjectId",
        Filter::Choice(
            "code_soort_object_id",
            &["bsn", "kvk_nummer", "rsin", "vestigingsnummer"],
        ),
    ),
    ("partijIdentificatorObjectId", Filter::Text("object_id")),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/partij-identificatoren", get(list).post(create))
        .route(
            "/partij-identificatoren/{uuid}",
            get(detail)
                .put(|s, c, p, h, b| write(s, c, p, h, b, false))
                .patch(|s, c, p, h, b| write(s, c, p, h, b, true))
                .delete(destroy),
        )
}

async fn list(
    State(s): State<AppState>,
    _caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let query = Query::parse(FILTERS, &s.urls, &pairs)?;
    let from = ("partij_identificatoren i", "i.partij_uuid");
    let page = super::page(
        &s,
        &pairs,
        &query,
        from,
        "resource",
        render::IDENTIFICATOREN,
    )
    .await?;
    Ok(Json(page).into_response())
}

async fn detail(
    State(s): State<AppState>,
    _caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let (resource, etag): (Value, String) =
        sqlx::query_as("SELECT resource, etag FROM partij_identificatoren WHERE uuid = $1")
            .bind(uuid)
            .fetch_optional(&s.pool)
            .await
            .map_err(ApiError::internal)?
            .ok_or(ApiError::NotFound)?;
    Ok(resource::detail(&headers, resource, &etag))
}

/// Identificator `uuid` as the partij after the write has it.
fn rendered(partij: Option<Partij>, uuid: Uuid, s: &AppState) -> Result<Value, ApiError> {
    partij
        .and_then(|p| render::identificator(&p, uuid, &s.urls))
        .ok_or_else(|| ApiError::internal("the written identificator is not in its partij"))
}

async fn create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let ctx = s.context(&caller);
    let (partij, uuid, attributes) = dto::parse_identificator(&resource::parse_json(&body)?)?;
    let outcome = super::service(&s)
        .create_identificator(&caller.authorisation, &ctx, partij, uuid, attributes)
        .await?;
    s.wait_for(NAME, outcome.position).await;
    let body = rendered(outcome.state, uuid, &s)?;
    let url = s
        .urls
        .klantinteracties_object(render::IDENTIFICATOREN, uuid);
    Ok(resource::respond(StatusCode::CREATED, body, Some(url)))
}

/// PUT (the whole identificator) or PATCH (merged onto it as it is).
async fn write(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let body = resource::parse_json(&body)?;
    let ctx = s
        .write_context(&caller, Target::PartijIdentificator, uuid)
        .await?;
    let service = super::service(&s);
    let partij = service.partij_of_identificator(uuid).await?;
    let apply = |current: &PartijIdentificatorAttributes| -> Result<_, WriteError> {
        let body = if partial {
            // The current identificator as a client would send it, with the patch over it.
            let current = json!({
                "identificeerdePartij": {"uuid": partij},
                "anderePartijIdentificator": current.andere_partij_identificator,
                "partijIdentificator": current.partij_identificator,
                "subIdentificatorVan": current.sub_identificator_van.map(|u| json!({"uuid": u})),
            });
            resource::merge_patch(current, &body)?
        } else {
            body.clone()
        };
        let (to, _, attributes) = dto::parse_identificator(&body)?;
        Ok((to, attributes))
    };
    let outcome = service
        .update_identificator(&caller.authorisation, &ctx, uuid, &apply)
        .await?;
    s.wait_for(NAME, outcome.position).await;
    let body = rendered(outcome.state, uuid, &s)?;
    Ok(resource::respond(StatusCode::OK, body, None))
}

async fn destroy(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let ctx = s
        .write_context(&caller, Target::PartijIdentificator, uuid)
        .await?;
    let outcome = super::service(&s)
        .destroy_identificator(&caller.authorisation, &ctx, uuid)
        .await?;
    s.wait_for(NAME, outcome.position).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}
