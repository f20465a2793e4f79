//! `/besluiten` and `/besluiten/{uuid}`: writes are besluiten use cases
//! (`commands::besluiten`) and wait for the read models (the besluit, and the zaakbesluit
//! of its zaak); reads are single queries on the besluiten read model, filtered by the
//! caller's brc grants.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use commands::besluiten::{BesluitChange, LEVEL};
use commands::WriteError;
use event_schemas::applicatie::Component;
use event_schemas::besluit::BesluitAttributes;
use projections::render;
use serde_json::Value;
use sqlx::Row;
use uuid::Uuid;

use super::{dto, sync, LEZEN};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::zaken::expand;
use crate::zaken::lists::expand_of;
use crate::{headers, resource, AppState, Caller};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/besluiten", get(super::lists::list).post(create))
        .route(
            "/besluiten/{uuid}",
            get(detail)
                .put(update)
                .patch(partial_update)
                .delete(destroy),
        )
}

/// The besluit at `raw` (a path uuid), if the caller may `scope` it: 404 / 403.
pub(super) async fn require_on_besluit(
    s: &AppState,
    caller: &Caller,
    raw: &str,
    scope: &str,
) -> Result<Uuid, ApiError> {
    let uuid: Uuid = raw.parse().map_err(|_| ApiError::NotFound)?;
    let besluittype: Option<String> =
        sqlx::query_scalar("SELECT besluittype FROM besluiten WHERE uuid = $1")
            .bind(uuid)
            .fetch_optional(&s.pool)
            .await
            .map_err(ApiError::internal)?;
    caller.require(
        Component::Brc,
        scope,
        &besluittype.ok_or(ApiError::NotFound)?,
        LEVEL,
    )?;
    Ok(uuid)
}

async fn create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let ctx = s.context(&caller);
    let attributes = dto::parse(&resource::parse_json(&body)?)?;
    let outcome = super::service(&s)
        .create(&caller.authorisation, &ctx, attributes)
        .await?;
    let besluit = outcome
        .state
        .ok_or_else(|| ApiError::internal("created besluit has no state"))?;
    let zaken = [besluit.attributes.zaak.as_deref()];
    sync::wait(&s, outcome.position, &zaken, &[]).await?;
    Ok(resource::respond(
        StatusCode::CREATED,
        render::besluit(&besluit, &s.urls),
        Some(s.urls.besluit(besluit.uuid)),
    ))
}

async fn detail(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    if let Some(instant) = crate::time_travel::requested(&headers, &pairs)? {
        return crate::time_travel::besluit(&s, &caller, uuid, instant).await;
    }
    let tree = expand_of(&pairs)?;
    let row = sqlx::query("SELECT resource, etag, besluittype FROM besluiten WHERE uuid = $1")
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)?;
    caller.require(Component::Brc, LEZEN, row.get("besluittype"), LEVEL)?;
    if !tree.is_empty() {
        let mut one = [row.get::<Value, _>("resource")];
        expand::apply(&s, &caller, &mut one, &tree).await?;
        let [besluit] = one;
        return Ok(resource::respond(StatusCode::OK, besluit, None));
    }
    let etag: String = row.get("etag");
    Ok(resource::detail(&headers, row.get("resource"), &etag))
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

/// PUT (the whole besluit) or PATCH (merged onto the besluit as it is at the moment of
/// deciding, on every retry).
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
    let ctx = s.write_context(&caller, Target::Besluit, uuid).await?;
    let apply = |current: &BesluitAttributes| -> Result<BesluitAttributes, WriteError> {
        Ok(dto::apply(current, &body, partial)?)
    };
    let change = BesluitChange {
        apply: &apply,
        partial,
    };
    let (outcome, before) = super::service(&s)
        .update(&caller.authorisation, &ctx, uuid, change)
        .await?;
    let besluit = outcome.state.ok_or(ApiError::NotFound)?;
    let zaken = [
        before.attributes.zaak.as_deref(),
        besluit.attributes.zaak.as_deref(),
    ];
    sync::wait(&s, outcome.position, &zaken, &[]).await?;
    let body = render::besluit(&besluit, &s.urls);
    Ok(resource::respond(StatusCode::OK, body, None))
}

/// DELETE: the besluit and its besluitinformatieobjecten leave the API (the stream stays as
/// history), its zaakbesluit goes (process manager), its identificatie becomes free.
async fn destroy(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let ctx = s.write_context(&caller, Target::Besluit, uuid).await?;
    let (outcome, before) = super::service(&s)
        .destroy(&caller.authorisation, &ctx, uuid)
        .await?;
    let documents: Vec<&str> = before
        .informatieobjecten
        .values()
        .map(|b| b.informatieobject.as_str())
        .collect();
    let zaken = [before.attributes.zaak.as_deref()];
    sync::wait(&s, outcome.position, &zaken, &documents).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
