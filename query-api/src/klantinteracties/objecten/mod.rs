//! The resources of the objects without parts (internetaken, actoren, categorieen,
//! categorie-relaties; Contactgegevens' persoon and organisatie): one set of handlers,
//! generic over the kind ([`ObjectApi`]). Writes are `commands::klantinteracties::Objecten`
//! use cases answered once the read model has them; reads are single queries on the
//! kind's table (the caller's scope was checked by the guard).

mod kinds;

pub use kinds::{Actoren, CategorieRelaties, Categorieen, Internetaken, Organisaties, Personen};

use std::future::Future;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use commands::klantinteracties::{Objecten, Referencing};
use commands::WriteError;
use domain::klantinteracties::{InvalidParam, SimpleAggregate, SimpleObject, SimpleState};
use projections::objecten::{Attributes, ObjectModel, NAME};
use projections::render::Urls;
use serde_json::Value;
use uuid::Uuid;

use super::filters::{Filter, Query};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::openapi::params::QueryParam;
use crate::{headers, resource, AppState, Caller};

/// A kind of simple object as the API serves it.
pub trait ObjectApi: ObjectModel<Object: Referencing + SimpleObject<Error: InvalidParam>> {
    /// Its list's filters (on its table, alias `o`).
    const FILTERS: &'static [(&'static str, Filter)];
    /// The object, as a sentence begins (`De internetaak`).
    const WHAT: &'static str;

    /// The attributes a POST (`current` none), PUT or PATCH (`partial`) asks for, from the
    /// body and the object as it is.
    fn attributes(
        body: &Value,
        current: Option<&SimpleState<Attributes<Self>>>,
        partial: bool,
        urls: &Urls,
    ) -> Result<Attributes<Self>, ApiError>;

    /// Fills in, on resources read from the table or a fold, what other objects hold (the
    /// naam of a categorie-relatie's categorie).
    fn complete(
        _s: &AppState,
        _resources: &mut [Value],
    ) -> impl Future<Output = Result<(), ApiError>> + Send {
        async { Ok(()) }
    }
}

/// The body a POST or PUT parses as it is, and a PATCH merged onto the object as it renders.
pub(crate) fn merged<M: ObjectModel>(
    body: &Value,
    current: Option<&SimpleState<Attributes<M>>>,
    partial: bool,
    urls: &Urls,
) -> Result<Value, ApiError> {
    match current {
        Some(current) if partial => resource::merge_patch(M::render(current, urls), body),
        _ => Ok(body.clone()),
    }
}

/// The OpenAPI schema of the kind's resource, from the fields its parser reads.
pub fn schema<M: ObjectApi>() -> Value {
    let urls = Urls::new("");
    crate::fields::describe(|body| {
        let _ = M::attributes(body, None, false, &urls);
    })
}

/// The list's query parameters, for the OpenAPI document.
pub fn list_parameters<M: ObjectApi>() -> Vec<QueryParam> {
    super::filters::parameters(M::FILTERS, false)
}

pub fn router<M: ObjectApi>() -> Router<AppState> {
    let collection = format!("/{}", M::COLLECTION);
    Router::new()
        .route(&collection, get(list::<M>).post(create::<M>))
        .route(
            &format!("{collection}/{{uuid}}"),
            get(detail::<M>)
                .put(|s, c, p, h, b| write::<M>(s, c, p, h, b, false))
                .patch(|s, c, p, h, b| write::<M>(s, c, p, h, b, true))
                .delete(destroy::<M>),
        )
}

fn service<M: ObjectApi>(s: &AppState) -> Objecten<'_, M::Object> {
    Objecten::new(&s.commands)
}

fn target<M: ObjectModel>() -> Target {
    Target::Object(M::TABLE, projections::objecten::category::<M>())
}

async fn list<M: ObjectApi>(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let query = Query::parse(M::FILTERS, &s.urls, &pairs)?;
    let from = format!("{} o", M::TABLE);
    let mut page = super::page(
        &s,
        (&caller, &headers),
        (&pairs, &query),
        (&from, "o.uuid"),
        ("resource", "o.ordinal DESC"),
        M::COLLECTION,
    )
    .await?;
    M::complete(&s, &mut page.results).await?;
    Ok(Json(page).into_response())
}

async fn detail<M: ObjectApi>(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let declared = [crate::time_travel::AS_OF];
    crate::openapi::params::refuse_unknown(&pairs, &declared, ApiError::unknown_parameter)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let url = M::url(&s.urls, uuid);
    let record = || super::record_read_of(&s, &caller, &headers, (uuid, &url), (M::RESOURCE, &url));
    if let Some(instant) = crate::time_travel::requested(&headers, &pairs)? {
        let (object, changed) =
            crate::time_travel::object::<SimpleAggregate<M::Object>, _>(&s, uuid, instant, M::WHAT)
                .await?;
        record().await;
        let body = completed::<M>(&s, M::render(&object, &s.urls)).await?;
        return Ok(crate::time_travel::memento(body, changed));
    }
    let sql = format!("SELECT resource, etag FROM {} WHERE uuid = $1", M::TABLE);
    let (resource, etag): (Value, String) = sqlx::query_as(&sql)
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)?;
    record().await;
    let body = completed::<M>(&s, resource).await?;
    Ok(resource::detail(&headers, body, &etag))
}

/// One resource with what other objects hold filled in.
async fn completed<M: ObjectApi>(s: &AppState, resource: Value) -> Result<Value, ApiError> {
    let mut one = [resource];
    M::complete(s, &mut one).await?;
    let [resource] = one;
    Ok(resource)
}

/// The object as a write left it, once the read model has it.
async fn written<M: ObjectApi>(
    s: &AppState,
    outcome: commands::Outcome<Option<SimpleState<Attributes<M>>>>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let object = outcome.state.ok_or(ApiError::NotFound)?;
    s.wait_for(NAME, outcome.position).await;
    let body = completed::<M>(s, M::render(&object, &s.urls)).await?;
    let location = (status == StatusCode::CREATED).then(|| M::url(&s.urls, object.uuid));
    Ok(resource::respond(status, body, location))
}

async fn create<M: ObjectApi>(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let ctx = s.context(&caller);
    let attributes = M::attributes(&resource::parse_json(&body)?, None, false, &s.urls)?;
    let outcome = service::<M>(&s)
        .create(&caller.authorisation, &ctx, attributes)
        .await?;
    written::<M>(&s, outcome, StatusCode::CREATED).await
}

/// PUT (the whole object) or PATCH (merged onto the object as it is at the moment of
/// deciding, on every retry).
async fn write<M: ObjectApi>(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    let (uuid, body, ctx) =
        super::write_request(&s, &caller, &uuid, target::<M>(), Some((&headers, &body))).await?;
    let apply = |current: &SimpleState<Attributes<M>>| -> Result<Attributes<M>, WriteError> {
        Ok(M::attributes(&body, Some(current), partial, &s.urls)?)
    };
    let outcome = service::<M>(&s)
        .update(&caller.authorisation, &ctx, uuid, &apply, partial)
        .await?;
    written::<M>(&s, outcome, StatusCode::OK).await
}

async fn destroy<M: ObjectApi>(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let (uuid, _, ctx) = super::write_request(&s, &caller, &uuid, target::<M>(), None).await?;
    let outcome = service::<M>(&s)
        .destroy(&caller.authorisation, &ctx, uuid)
        .await?;
    s.wait_for(NAME, outcome.position).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}
