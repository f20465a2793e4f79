//! The Notificaties API's handlers: parse, call the use case, wait for the read model,
//! render. Lists are plain arrays, as Open Notificaties serves them (no pagination).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use commands::WriteError;
use domain::notificaties::{Abonnement, Kanaal};
use event_schemas::notificaties::{AbonnementAttributes, KanaalAttributes};
use projections::render;
use projections::webhooks::log::{self, Resend};
use projections::webhooks::NAME as NOTIFICATIES;
use serde_json::{json, Value};
use sqlx::Row;
use uuid::Uuid;

use super::{dto, service};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::openapi::params::{self, param, ParamType, QueryParam};
use crate::{headers, resource, AppState, Caller};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/kanaal", get(kanaal_list).post(kanaal_create))
        .route(
            "/kanaal/{uuid}",
            get(kanaal_read)
                .put(kanaal_update)
                .patch(kanaal_partial_update),
        )
        .route("/abonnement", get(abonnement_list).post(abonnement_create))
        .route(
            "/abonnement/{uuid}",
            get(abonnement_read)
                .put(abonnement_update)
                .patch(abonnement_partial_update)
                .delete(abonnement_delete),
        )
        .route("/notificaties", post(notificaties_create))
        .route("/cloudevents", post(cloudevent_create))
        .route("/abonnement/{uuid}/deliveries", get(deliveries))
        .route(
            "/abonnement/{uuid}/deliveries/resend",
            post(resend_abonnement),
        )
        .route("/deliveries/{uuid}/resend", post(resend_delivery))
        .layer(headers::api_version(super::API_VERSION))
}

fn unknown_parameter(name: &str) -> ApiError {
    ApiError::invalid(
        "nonFieldErrors",
        "unknown-parameters",
        format!("Onbekende query parameters: {name}"),
    )
}

/// The query parameters of `GET /kanaal`.
pub(super) const KANAAL_PARAMETERS: &[QueryParam] = &[param("naam", ParamType::Text)];
const DELIVERY_STATES: &[&str] = &["pending", "delivered", "dead"];
/// The query parameters of an abonnement's delivery log (our extension).
pub(super) const DELIVERY_PARAMETERS: &[QueryParam] = &[
    param("state", ParamType::Choice(DELIVERY_STATES)),
    param("limit", ParamType::Integer),
];

fn uuid_of(path: &str) -> Result<Uuid, ApiError> {
    path.parse().map_err(|_| ApiError::NotFound)
}

/// A list's rows in the order they were made, with only `allowed` query parameters.
async fn list(
    s: &AppState,
    raw: Option<String>,
    table: &str,
    allowed: &[QueryParam],
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    params::refuse_unknown(&pairs, allowed, unknown_parameter)?;
    let naam = pairs
        .iter()
        .find(|(k, _)| k == "naam")
        .map(|(_, v)| v.clone());
    let rows: Vec<Value> = sqlx::query_scalar(&format!(
        "SELECT resource FROM {table} WHERE $1::text IS NULL OR resource ->> 'naam' = $1
         ORDER BY ordinal"
    ))
    .bind(naam)
    .fetch_all(&s.pool)
    .await
    .map_err(ApiError::internal)?;
    Ok(Json(rows).into_response())
}

async fn read(
    s: &AppState,
    headers: &HeaderMap,
    table: &str,
    uuid: &str,
) -> Result<Response, ApiError> {
    let row = sqlx::query(&format!(
        "SELECT resource, etag FROM {table} WHERE uuid = $1"
    ))
    .bind(uuid_of(uuid)?)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?
    .ok_or(ApiError::NotFound)?;
    let etag: String = row.get("etag");
    Ok(resource::detail(headers, row.get("resource"), &etag))
}

async fn kanaal_list(
    State(s): State<AppState>,
    _caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    list(&s, raw, "nrc_kanalen", KANAAL_PARAMETERS).await
}

async fn abonnement_list(
    State(s): State<AppState>,
    _caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    list(&s, raw, "nrc_abonnementen", &[]).await
}

async fn kanaal_read(
    State(s): State<AppState>,
    _caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    read(&s, &headers, "nrc_kanalen", &uuid).await
}

async fn abonnement_read(
    State(s): State<AppState>,
    _caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    read(&s, &headers, "nrc_abonnementen", &uuid).await
}

fn kanaal_response(s: &AppState, status: StatusCode, k: &Kanaal) -> Response {
    let location = (status == StatusCode::CREATED).then(|| s.urls.kanaal(k.uuid));
    resource::respond(status, render::kanaal(k, &s.urls), location)
}

fn abonnement_response(s: &AppState, status: StatusCode, a: &Abonnement) -> Response {
    let location = (status == StatusCode::CREATED).then(|| s.urls.abonnement(a.uuid));
    resource::respond(status, render::abonnement(a, &s.urls), location)
}

async fn kanaal_create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let attributes = dto::kanaal(&resource::parse_json(&body)?)?;
    let ctx = s.context(&caller);
    let outcome = service(&s)
        .create_kanaal(&caller.authorisation, &ctx, attributes)
        .await?;
    s.wait_for(NOTIFICATIES, outcome.position).await;
    let k = outcome
        .state
        .ok_or_else(|| ApiError::internal("created kanaal has no state"))?;
    Ok(kanaal_response(&s, StatusCode::CREATED, &k))
}

async fn kanaal_update(
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    kanaal_write(state, caller, path, headers, body, false).await
}

async fn kanaal_partial_update(
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    kanaal_write(state, caller, path, headers, body, true).await
}

async fn kanaal_write(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let uuid = uuid_of(&uuid)?;
    let body = resource::parse_json(&body)?;
    let ctx = s.write_context(&caller, Target::Kanaal, uuid).await?;
    let change = |current: &Kanaal| -> Result<KanaalAttributes, WriteError> {
        let merged = if partial {
            resource::merge_patch(render::kanaal(current, &s.urls), &body)?
        } else {
            body.clone()
        };
        Ok(dto::kanaal(&merged)?)
    };
    let outcome = service(&s)
        .update_kanaal(&caller.authorisation, &ctx, uuid, &change)
        .await?;
    s.wait_for(NOTIFICATIES, outcome.position).await;
    let k = outcome.state.ok_or(ApiError::NotFound)?;
    Ok(kanaal_response(&s, StatusCode::OK, &k))
}

async fn abonnement_create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let (attributes, auth) = dto::abonnement(&resource::parse_json(&body)?, true)?;
    let ctx = s.context(&caller);
    let outcome = service(&s)
        .create_abonnement(
            &caller.authorisation,
            &ctx,
            attributes,
            auth.unwrap_or_default(),
        )
        .await?;
    s.wait_for(NOTIFICATIES, outcome.position).await;
    let a = outcome
        .state
        .ok_or_else(|| ApiError::internal("created abonnement has no state"))?;
    Ok(abonnement_response(&s, StatusCode::CREATED, &a))
}

async fn abonnement_update(
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    abonnement_write(state, caller, path, headers, body, false).await
}

async fn abonnement_partial_update(
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    abonnement_write(state, caller, path, headers, body, true).await
}

/// PUT or PATCH. A PATCH replaces only what it names (Open Notificaties' PATCH without
/// `kanalen` drops every kanaal: not here); a new `auth` replaces the stored one.
async fn abonnement_write(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let uuid = uuid_of(&uuid)?;
    let body = resource::parse_json(&body)?;
    // The auth as given (it is not in the rendered resource a PATCH merges onto).
    let (_, auth) = if partial {
        let probe = resource::merge_patch(json!({"callbackUrl": "http://x"}), &body)?;
        dto::abonnement(&probe, false)?
    } else {
        dto::abonnement(&body, true)?
    };
    let ctx = s.write_context(&caller, Target::Abonnement, uuid).await?;
    let change = |current: &Abonnement| -> Result<AbonnementAttributes, WriteError> {
        let merged = if partial {
            resource::merge_patch(render::abonnement(current, &s.urls), &body)?
        } else {
            body.clone()
        };
        Ok(dto::abonnement(&merged, false)?.0)
    };
    let outcome = service(&s)
        .update_abonnement(&caller.authorisation, &ctx, uuid, &change, auth)
        .await?;
    s.wait_for(NOTIFICATIES, outcome.position).await;
    let a = outcome.state.ok_or(ApiError::NotFound)?;
    Ok(abonnement_response(&s, StatusCode::OK, &a))
}

async fn abonnement_delete(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let uuid = uuid_of(&uuid)?;
    let ctx = s.write_context(&caller, Target::Abonnement, uuid).await?;
    let outcome = service(&s)
        .destroy_abonnement(&caller.authorisation, &ctx, uuid)
        .await?;
    s.wait_for(NOTIFICATIES, outcome.position).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /notificaties`: 201 with the notification as it will be delivered (Open
/// Notificaties' answer; the normative 1.0 says 200), once it is in the log.
async fn notificaties_create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let message = dto::message(&resource::parse_json(&body)?)?;
    let ctx = s.context(&caller);
    let echo = serde_json::to_value(&message).map_err(ApiError::internal)?;
    service(&s)
        .publish(&caller.authorisation, &ctx, message)
        .await?;
    Ok((StatusCode::CREATED, Json(echo)).into_response())
}

/// `POST /cloudevents` (Open Notificaties' extension): `application/cloudevents+json`
/// only; 201 with the event, once it is in the log.
async fn cloudevent_create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if ct.split(';').next().map(str::trim) != Some("application/cloudevents+json") {
        return Err(ApiError::UnsupportedMediaType(format!(
            "Ongeldig mediatype \"{ct}\" in aanvraag."
        )));
    }
    let event = dto::cloudevent(&resource::parse_json(&body)?)?;
    let ctx = s.context(&caller);
    service(&s)
        .publish_cloudevent(&caller.authorisation, &ctx, event.clone())
        .await?;
    Ok((
        StatusCode::CREATED,
        [(header::CONTENT_TYPE, "application/cloudevents+json")],
        event.to_string(),
    )
        .into_response())
}

/// Our extension: an abonnement's delivery log (summary and the newest deliveries with
/// every attempt; `state=pending|delivered|dead`, `limit` up to 1000).
async fn deliveries(
    State(s): State<AppState>,
    _caller: Caller,
    Path(uuid): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let uuid = uuid_of(&uuid)?;
    let pairs = resource::query_pairs(raw)?;
    params::refuse_unknown(&pairs, DELIVERY_PARAMETERS, unknown_parameter)?;
    let state = pairs
        .iter()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.as_str());
    if state.is_some_and(|v| !DELIVERY_STATES.contains(&v)) {
        return Err(ApiError::invalid(
            "state",
            "invalid_choice",
            "Kies pending, delivered of dead.",
        ));
    }
    let limit = match pairs.iter().find(|(k, _)| k == "limit") {
        Some((_, v)) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| ApiError::invalid("limit", "invalid", "Een getal van 1 tot 1000."))?,
        None => 100,
    };
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM nrc_abonnementen WHERE uuid = $1)
             OR EXISTS (SELECT 1 FROM nrc_deliveries WHERE abonnement = $1)",
    )
    .bind(uuid)
    .fetch_one(&s.pool)
    .await
    .map_err(ApiError::internal)?;
    if !exists {
        return Err(ApiError::NotFound);
    }
    let summary = log::summaries(&s.pool, Some(uuid))
        .await
        .map_err(ApiError::internal)?;
    let entries = log::entries(&s.pool, uuid, state, limit)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(json!({ "summary": summary.first(), "deliveries": entries })).into_response())
}

async fn resend_abonnement(
    State(s): State<AppState>,
    _caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let n = log::resend(&s.pool, Resend::Abonnement(uuid_of(&uuid)?))
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(json!({ "resent": n })).into_response())
}

async fn resend_delivery(
    State(s): State<AppState>,
    _caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let n = log::resend(&s.pool, Resend::Delivery(uuid_of(&uuid)?))
        .await
        .map_err(ApiError::internal)?;
    if n == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(Json(json!({ "resent": n })).into_response())
}
