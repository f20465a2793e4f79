//! `/applicaties`: writes through the use cases of `commands::autorisaties` (the Applicatie
//! aggregate, a claim per client id so a client id belongs to one applicatie), answered
//! once the read model has them; reads from the applicaties read model.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use commands::autorisaties::ApplicatieChange;
use commands::{Context, WriteError};
use domain::applicatie::Applicatie;
use event_schemas::applicatie::ApplicatieAttributes;
use projections::applicaties::NAME as APPLICATIES;
use projections::render;
use serde_json::Value;
use sqlx::{QueryBuilder, Row};
use uuid::Uuid;

use super::{dto, service};
use crate::authorisation::Authorisation;
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::headers;
use crate::openapi::params::{self, param, required, ParamType, QueryParam, PAGING};
use crate::pagination::Paging;
use crate::{pagination, resource, AppState, Caller};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/applicaties", get(list).post(create))
        .route("/applicaties/consumer", get(consumer))
        .route(
            "/applicaties/{uuid}",
            get(detail)
                .put(update)
                .patch(partial_update)
                .delete(destroy),
        )
        .layer(headers::api_version(super::API_VERSION))
}

fn respond_with(s: &AppState, status: StatusCode, a: &Applicatie, location: bool) -> Response {
    let url = s.urls.applicatie(a.uuid);
    resource::respond(
        status,
        render::applicatie(a, &s.urls),
        location.then_some(url),
    )
}

/// The applicatie that holds `client_id`, from its claim stream (the source of truth).
pub async fn applicatie_of_client(s: &AppState, client_id: &str) -> Result<Option<Uuid>, ApiError> {
    Ok(service(s).applicatie_of_client(client_id).await?)
}

async fn create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let attributes = dto::parse(&resource::parse_json(&body)?)?;
    let ctx = s.context(&caller);
    let a = register(&s, &caller.authorisation, &ctx, attributes).await?;
    Ok(respond_with(&s, StatusCode::CREATED, &a, true))
}

/// Registers a new applicatie and waits for the read model.
pub async fn register(
    s: &AppState,
    auth: &Authorisation,
    ctx: &Context,
    attributes: ApplicatieAttributes,
) -> Result<Applicatie, ApiError> {
    let outcome = service(s).register(auth, ctx, attributes).await?;
    s.wait_for(APPLICATIES, outcome.position).await;
    outcome
        .state
        .ok_or_else(|| ApiError::internal("registered applicatie has no state"))
}

/// Replaces the attributes of applicatie `uuid` with `change(current)` and waits for the
/// read model.
pub async fn replace(
    s: &AppState,
    auth: &Authorisation,
    ctx: &Context,
    uuid: Uuid,
    change: ApplicatieChange<'_>,
) -> Result<Applicatie, ApiError> {
    let outcome = service(s).replace(auth, ctx, uuid, change).await?;
    s.wait_for(APPLICATIES, outcome.position).await;
    outcome.state.ok_or(ApiError::NotFound)
}

async fn update(
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    write(state, caller, path, headers, body, false).await
}

async fn partial_update(
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    write(state, caller, path, headers, body, true).await
}

/// PUT or PATCH (merged onto the applicatie as it is; `autorisaties` given replace all).
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
    let ctx = s.write_context(&caller, Target::Applicatie, uuid).await?;
    let change = |current: &Applicatie| -> Result<ApplicatieAttributes, WriteError> {
        Ok(attributes_for(&s, current, &body, partial)?)
    };
    let a = replace(&s, &caller.authorisation, &ctx, uuid, &change).await?;
    Ok(respond_with(&s, StatusCode::OK, &a, false))
}

fn attributes_for(
    s: &AppState,
    current: &Applicatie,
    body: &Value,
    partial: bool,
) -> Result<ApplicatieAttributes, ApiError> {
    if partial {
        let merged = resource::merge_patch(render::applicatie(current, &s.urls), body)?;
        dto::parse(&merged)
    } else {
        dto::parse(body)
    }
}

async fn destroy(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let ctx = s.write_context(&caller, Target::Applicatie, uuid).await?;
    let outcome = service(&s)
        .destroy(&caller.authorisation, &ctx, uuid)
        .await?;
    s.wait_for(APPLICATIES, outcome.position).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn detail(
    State(s): State<AppState>,
    _caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    params::refuse_unknown(&pairs, DETAIL_PARAMETERS, ApiError::unknown_parameter)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    if let Some(instant) = crate::time_travel::requested(&headers, &pairs)? {
        return crate::time_travel::applicatie(&s, uuid, instant).await;
    }
    let row = sqlx::query("SELECT resource, etag FROM applicaties WHERE uuid = $1")
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)?;
    let etag: String = row.get("etag");
    Ok(resource::detail(&headers, row.get("resource"), &etag))
}

/// The query parameters of `GET /applicaties/{uuid}`.
pub(super) const DETAIL_PARAMETERS: &[QueryParam] = &[crate::time_travel::AS_OF];
/// The query parameters of `GET /applicaties`.
pub(super) const LIST_PARAMETERS: &[QueryParam] =
    &[PAGING[0], PAGING[1], param("clientIds", ParamType::List)];
/// The query parameters of `GET /applicaties/consumer`.
pub(super) const CONSUMER_PARAMETERS: &[QueryParam] = &[required("clientId", ParamType::Text)];

/// The applicatie of one client id, as Open Zaak answers it: the object itself.
async fn consumer(
    State(s): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    params::refuse_unknown(&pairs, CONSUMER_PARAMETERS, unknown_parameter)?;
    let Some((_, client_id)) = pairs.iter().find(|(k, _)| k == "clientId") else {
        return Err(ApiError::invalid(
            "clientId",
            "required",
            "Dit veld is vereist.",
        ));
    };
    let row = sqlx::query(
        "SELECT a.resource, a.etag FROM applicatie_clients c
         JOIN applicaties a ON a.uuid = c.applicatie WHERE c.client_id = $1",
    )
    .bind(client_id)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?
    .ok_or(ApiError::NotFound)?;
    let etag: String = row.get("etag");
    Ok(resource::detail(&headers, row.get("resource"), &etag))
}

fn unknown_parameter(name: &str) -> ApiError {
    ApiError::invalid(
        "nonFieldErrors",
        "unknown-parameters",
        format!("Onbekende query parameters: {name}"),
    )
}

/// A list's page and `clientIds` filter (a comma-separated list, the parameter repeatable).
fn list_query(pairs: &[(String, String)]) -> Result<(Paging, Vec<String>), ApiError> {
    params::refuse_unknown(pairs, LIST_PARAMETERS, unknown_parameter)?;
    let mut page = Paging::default();
    for (k, v) in pairs {
        page.read(k, v)?;
    }
    let client_ids = pairs
        .iter()
        .filter(|(k, _)| k == "clientIds")
        .flat_map(|(_, v)| v.split(','))
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    Ok((page, client_ids))
}

async fn list(
    State(s): State<AppState>,
    _caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let (page, client_ids) = list_query(&pairs)?;
    let filter = |sql: &mut QueryBuilder<'_, sqlx::Postgres>| {
        if !client_ids.is_empty() {
            sql.push(" WHERE client_ids && ")
                .push_bind(client_ids.clone());
        }
    };
    let mut count = QueryBuilder::new("SELECT count(*) FROM applicaties");
    filter(&mut count);
    let total: i64 = count
        .build_query_scalar()
        .fetch_one(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let mut select = QueryBuilder::new("SELECT resource FROM applicaties");
    filter(&mut select);
    select
        .push(" ORDER BY ordinal DESC LIMIT ")
        .push_bind(page.limit())
        .push(" OFFSET ")
        .push_bind(page.offset());
    let results: Vec<Value> = select
        .build_query_scalar()
        .fetch_all(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let base = format!("{}/autorisaties/api/v1/applicaties", s.urls.base());
    let body = pagination::page(&base, &pairs, page, total, results)?;
    Ok(Json(body).into_response())
}
