//! `/partijen` and `/partijen/{uuid}`: writes are partij use cases
//! (`commands::klantinteracties`) answered once the partijen read model has them; reads are
//! single queries on that read model (the caller's scope was checked by the guard).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use commands::klantinteracties::{PartijChange, PartijRequest};
use commands::WriteError;
use domain::klantinteracties::partij::Partij;
use projections::partijen::{render, NAME};
use serde_json::{json, Value};
use uuid::Uuid;

use super::dto;
use super::filters::{Filter, Query};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::{headers, resource, AppState, Caller};

const SOORTEN: &[&str] = &["contactpersoon", "organisatie", "persoon"];

pub(super) const FILTERS: &[(&str, Filter)] = &[
    (
        "bezoekadresAdresregel1",
        Filter::Text("bezoekadres_adresregel1"),
    ),
    (
        "bezoekadresAdresregel2",
        Filter::Text("bezoekadres_adresregel2"),
    ),
    (
        "bezoekadresAdresregel3",
        Filter::Text("bezoekadres_adresregel3"),
    ),
    ("bezoekadresLand", Filter::Text("bezoekadres_land")),
    (
        "bezoekadresNummeraanduidingId",
        Filter::Text("bezoekadres_nummeraanduiding_id"),
    ),
    ("categorierelatie__categorie__naam", Filter::Unserved),
    (
        "correspondentieadresAdresregel1",
        Filter::Text("correspondentieadres_adresregel1"),
    ),
    (
        "correspondentieadresAdresregel2",
        Filter::Text("correspondentieadres_adresregel2"),
    ),
    (
        "correspondentieadresAdresregel3",
        Filter::Text("correspondentieadres_adresregel3"),
    ),
    (
        "correspondentieadresLand",
        Filter::Text("correspondentieadres_land"),
    ),
    (
        "correspondentieadresNummeraanduidingId",
        Filter::Text("correspondentieadres_nummeraanduiding_id"),
    ),
    ("indicatieActief", Filter::Bool("indicatie_actief")),
    (
        "indicatieGeheimhouding",
        Filter::Bool("indicatie_geheimhouding"),
    ),
    ("nummer", Filter::Text("nummer")),
    (
        "partijIdentificator__codeObjecttype",
        Filter::Identificator("code_objecttype"),
    ),
    (
        "partijIdentificator__codeRegister",
        Filter::Identificator("code_register"),
    ),
    (
        "partijIdentificator__codeSoortObjectId",
        Filter::Identificator("code_soort_object_id"),
    ),
    (
        "partijIdentificator__objectId",
        Filter::Identificator("object_id"),
    ),
    ("soortPartij", Filter::Choice("soort_partij", SOORTEN)),
    (
        "subIdentificatorVan__codeObjecttype",
        Filter::SubIdentificator("code_objecttype"),
    ),
    (
        "subIdentificatorVan__codeRegister",
        Filter::SubIdentificator("code_register"),
    ),
    (
        "subIdentificatorVan__codeSoortObjectId",
        Filter::SubIdentificator("code_soort_object_id"),
    ),
    (
        "subIdentificatorVan__objectId",
        Filter::SubIdentificator("object_id"),
    ),
    ("vertegenwoordigdePartij__url", Filter::VertegenwoordigdeUrl),
    ("vertegenwoordigdePartij__uuid", Filter::Vertegenwoordigde),
];

/// The `expand` values the spec names for a partij.
const EXPANDABLE: &[&str] = &[
    "betrokkenen",
    "betrokkenen.hadKlantcontact",
    "categorieRelaties",
    "digitaleAdressen",
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/partijen", get(list).post(create))
        .route(
            "/partijen/{uuid}",
            get(detail)
                .put(|s, c, p, h, b| write(s, c, p, h, b, false))
                .patch(|s, c, p, h, b| write(s, c, p, h, b, true))
                .delete(destroy),
        )
}

/// `_expand` of a partij: its digitale adressen in full; betrokkenen and categorie-relaties
/// are not served yet, so none refer to it.
fn expanded(p: &Partij, fields: &[String], s: &AppState) -> Value {
    let mut out = serde_json::Map::new();
    for field in fields {
        let top = field.split('.').next().unwrap_or_default();
        let value = match top {
            "digitaleAdressen" => p
                .digitale_adressen
                .keys()
                .filter_map(|u| render::digitaal_adres(p, *u, &s.urls))
                .collect(),
            _ => json!([]),
        };
        out.insert(top.to_owned(), value);
    }
    let mut resource = render::partij(p, &s.urls);
    resource["_expand"] = Value::Object(out);
    resource
}

async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let query = Query::parse(FILTERS, &s.urls, &pairs)?;
    let expand = super::expand_of(&pairs, EXPANDABLE)?;
    let column = if expand.is_empty() {
        "resource"
    } else {
        "state"
    };
    let mut page = super::page(
        &s,
        (&caller, &headers),
        (&pairs, &query),
        ("partijen p", "p.uuid"),
        column,
        "partijen",
    )
    .await?;
    if !expand.is_empty() {
        for result in &mut page.results {
            let p: Partij = serde_json::from_value(result.take()).map_err(ApiError::internal)?;
            *result = expanded(&p, &expand, &s);
        }
    }
    Ok(Json(page).into_response())
}

/// The detail GET's query parameters.
pub const DETAIL_PARAMETERS: [crate::openapi::params::QueryParam; 2] =
    [crate::openapi::params::EXPAND, crate::time_travel::AS_OF];

async fn detail(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let declared = DETAIL_PARAMETERS;
    crate::openapi::params::refuse_unknown(&pairs, &declared, ApiError::unknown_parameter)?;
    let expand = super::expand_of(&pairs, EXPANDABLE)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    if let Some(instant) = crate::time_travel::requested(&headers, &pairs)? {
        // As it was: its parts from its own stream, what `expand` adds as it is now.
        let (p, changed) = crate::time_travel::partij(&s, uuid, instant).await?;
        let url = s.urls.partij(uuid);
        super::record_read(&s, &caller, &headers, uuid, ("partij", &url)).await;
        let body = if expand.is_empty() {
            render::partij(&p, &s.urls)
        } else {
            expanded(&p, &expand, &s)
        };
        return Ok(crate::time_travel::memento(body, changed));
    }
    let row: (Value, Value, String) =
        sqlx::query_as("SELECT resource, state, etag FROM partijen WHERE uuid = $1")
            .bind(uuid)
            .fetch_optional(&s.pool)
            .await
            .map_err(ApiError::internal)?
            .ok_or(ApiError::NotFound)?;
    let (resource, state, etag) = row;
    let url = s.urls.partij(uuid);
    super::record_read(&s, &caller, &headers, uuid, ("partij", &url)).await;
    if !expand.is_empty() {
        let p: Partij = serde_json::from_value(state).map_err(ApiError::internal)?;
        return Ok(resource::respond(
            StatusCode::OK,
            expanded(&p, &expand, &s),
            None,
        ));
    }
    Ok(resource::detail(&headers, resource, &etag))
}

async fn create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let ctx = s.context(&caller);
    let (attributes, identificatoren) = dto::parse_partij(&resource::parse_json(&body)?)?;
    let outcome = super::service(&s)
        .create(
            &caller.authorisation,
            &ctx,
            attributes,
            identificatoren.unwrap_or_default(),
        )
        .await?;
    let partij = outcome
        .state
        .ok_or_else(|| ApiError::internal("created partij has no state"))?;
    s.wait_for(NAME, outcome.position).await;
    Ok(resource::respond(
        StatusCode::CREATED,
        render::partij(&partij, &s.urls),
        Some(s.urls.partij(partij.uuid)),
    ))
}

/// PUT (the whole partij) or PATCH (merged onto the partij as it is at the moment of
/// deciding, on every retry).
async fn write(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    let target = Target::Partij;
    let (uuid, body, ctx) =
        super::write_request(&s, &caller, &uuid, target, Some((&headers, &body))).await?;
    let urls = s.urls.clone();
    let apply = |current: &Partij| -> Result<PartijRequest, WriteError> {
        Ok(dto::apply_partij(current, &body, partial, &urls)?)
    };
    let change = PartijChange {
        apply: &apply,
        partial,
    };
    let (outcome, _) = super::service(&s)
        .update(&caller.authorisation, &ctx, uuid, change)
        .await?;
    let partij = outcome.state.ok_or(ApiError::NotFound)?;
    s.wait_for(NAME, outcome.position).await;
    Ok(resource::respond(
        StatusCode::OK,
        render::partij(&partij, &s.urls),
        None,
    ))
}

/// DELETE: the partij and its parts leave the API (the stream stays as history); its
/// identificatoren become free for another partij.
async fn destroy(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let (uuid, _, ctx) = super::write_request(&s, &caller, &uuid, Target::Partij, None).await?;
    let (outcome, _) = super::service(&s)
        .destroy(&caller.authorisation, &ctx, uuid)
        .await?;
    s.wait_for(NAME, outcome.position).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}
