//! `/zaken` and `/zaken/{uuid}`: writes go through the Zaak aggregate and wait for the read
//! model (read-your-writes); reads are single queries on the zaken read model.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use commands::zaken::ZaakChange;
use commands::WriteError;
use event_schemas::applicatie::Component;
use event_schemas::zaak::ZaakAttributes;
use projections::{render, zaken::NAME as ZAKEN};
use serde_json::Value;
use sqlx::Row;
use uuid::Uuid;

use super::lists::{self, expand_of};
use super::{dto, expand};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::headers::{self, content_crs};
use crate::{resource, AppState, Caller};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/zaken", get(lists::list).post(create))
        .route("/zaken/_zoek", axum::routing::post(lists::search))
        .route(
            "/zaken/{uuid}",
            get(detail)
                .put(update)
                .patch(partial_update)
                .delete(destroy),
        )
        .merge(super::parts::router())
        .merge(super::audittrail::router())
        .merge(super::statussen::router())
        .merge(super::one_call::router())
        .layer(headers::api_version(super::API_VERSION))
}

pub(super) fn check_write_headers(headers: &HeaderMap) -> Result<(), ApiError> {
    headers::require_json(headers)?;
    headers::require_accept_crs(headers)?;
    headers::require_content_crs(headers)
}

/// A zaak resource: with Content-Crs, as every response carrying zaakgeometrie.
fn resource_response(status: StatusCode, body: Value, location: Option<String>) -> Response {
    with_crs(resource::respond(status, body, location))
}

pub(super) fn with_crs(mut response: Response) -> Response {
    let (name, value) = content_crs();
    response.headers_mut().insert(name, value);
    response
}

async fn create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    check_write_headers(&headers)?;
    let ctx = s.context(&caller);
    let body = resource::parse_json(&body)?;
    let new = dto::new_zaak(&body, ctx.now)?;
    let outcome = super::service(&s)
        .create(&caller.authorisation, &ctx, new)
        .await?;
    s.wait_for(ZAKEN, outcome.position).await;
    let mut zaak = outcome
        .state
        .ok_or_else(|| ApiError::internal("created zaak has no state"))?;
    // As the projection stamps it from the envelope: the moment of this write.
    zaak.laatst_gemuteerd = Some(ctx.now);
    let url = s.urls.zaak(zaak.uuid);
    Ok(resource_response(
        StatusCode::CREATED,
        render::zaak(&zaak, &s.urls),
        Some(url),
    ))
}

/// DELETE: the zaak and everything it owns leave the API (its stream stays as history);
/// its identificatie becomes free again.
async fn destroy(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let ctx = s.write_context(&caller, Target::Zaak, uuid).await?;
    let (outcome, documents) = super::service(&s)
        .destroy(&caller.authorisation, &ctx, uuid)
        .await?;
    s.wait_for(ZAKEN, outcome.position).await;
    let touched = documents
        .iter()
        .filter_map(|d| crate::sync::Touched::document(&s, d));
    crate::sync::wait(&s, outcome.position, touched).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn detail(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    headers::require_accept_crs(&headers)?;
    let pairs = resource::query_pairs(raw)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    if let Some(instant) = crate::time_travel::requested(&headers, &pairs)? {
        let past = crate::time_travel::zaak(&s, &caller, uuid, instant).await?;
        crate::reads::zaak(&s, &caller, &headers, uuid).await;
        return Ok(with_crs(past));
    }
    let tree = expand_of(&pairs)?;
    let row = sqlx::query(
        "SELECT resource::text AS resource, etag, zaaktype, vertrouwelijkheidaanduiding
         FROM zaken WHERE uuid = $1",
    )
    .bind(uuid)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?
    .ok_or(ApiError::NotFound)?;
    let zaaktype: String = row.get("zaaktype");
    let stored: String = row.get("vertrouwelijkheidaanduiding");
    caller.require_stored(Component::Zrc, "zaken.lezen", &zaaktype, &stored)?;
    crate::reads::zaak(&s, &caller, &headers, uuid).await;
    let json: String = row.get("resource");
    if !tree.is_empty() {
        let zaak: Value = serde_json::from_str(&json).map_err(ApiError::internal)?;
        let mut one = [zaak];
        expand::apply(&s, &caller, &mut one, &tree).await?;
        let [zaak] = one;
        return Ok(resource_response(StatusCode::OK, zaak, None));
    }
    let etag: String = row.get("etag");
    Ok(with_crs(resource::detail_text(&headers, json, &etag)))
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

/// PUT (`partial` false: the body is the whole zaak) or PATCH (merged onto the zaak as it
/// is at the moment of deciding, on every retry).
async fn write(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    check_write_headers(&headers)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let body = resource::parse_json(&body)?;
    let ctx = s.write_context(&caller, Target::Zaak, uuid).await?;
    let apply = |current: &ZaakAttributes| -> Result<ZaakAttributes, WriteError> {
        let merged;
        let input = if partial {
            merged = dto::merge_patch(current, &body)?;
            &merged
        } else {
            &body
        };
        Ok(dto::parse(input, ctx.now)?)
    };
    let change = ZaakChange {
        apply: &apply,
        partial,
        named: dto::named(&body),
    };
    let outcome = super::service(&s)
        .update(&caller.authorisation, &ctx, uuid, change)
        .await?;
    s.wait_for(ZAKEN, outcome.position).await;
    let zaak = outcome.state.ok_or(ApiError::NotFound)?;
    // The read model's resource: it also has what other zaken say of this one (deelzaken).
    let body = lists::stored(&s, &zaak).await?;
    Ok(resource_response(StatusCode::OK, body, None))
}
