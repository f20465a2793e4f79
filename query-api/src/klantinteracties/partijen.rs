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
use serde_json::Value;
use uuid::Uuid;

use super::dto;
use super::filters::{Filter, Query};
use super::relations::PartijRelations;
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
    (
        "categorierelatie__categorie__naam",
        Filter::TextIn(
            "EXISTS (SELECT 1 FROM categorie_relaties r JOIN categorieen c
                       ON c.uuid = r.categorie
                     WHERE r.partij = p.uuid AND c.naam = {})",
        ),
    ),
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

/// A partij as read: its resource with the relations other objects hold, and `_expand`
/// when `fields` ask for it (its digitale adressen in full, the betrokkenen that were it,
/// its categorie-relaties).
fn shown(p: &Partij, fields: &[String], relations: &PartijRelations, s: &AppState) -> Value {
    let mut resource = render::partij(p, &s.urls);
    relations.fill(&mut resource);
    if !fields.is_empty() {
        let own = || -> Value {
            p.digitale_adressen
                .keys()
                .filter_map(|u| render::digitaal_adres(p, *u, &s.urls))
                .collect()
        };
        resource["_expand"] = relations.expand(p.uuid, fields, own);
    }
    resource
}

/// The relations of `partijen` other objects hold, with the betrokkenen's klantcontacten
/// when `fields` expand them.
async fn relations_of(
    s: &AppState,
    partijen: &[Uuid],
    fields: &[String],
) -> Result<PartijRelations, ApiError> {
    let relations = PartijRelations::of(s, partijen, !fields.is_empty()).await?;
    if fields.iter().any(|f| f == "betrokkenen.hadKlantcontact") {
        return relations.with_klantcontacten(s).await;
    }
    Ok(relations)
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
        super::relations::PARTIJ_RESOURCE
    } else {
        "state"
    };
    let mut page = super::page(
        &s,
        (&caller, &headers),
        (&pairs, &query),
        ("partijen p", "p.uuid"),
        (column, "p.ordinal DESC"),
        "partijen",
    )
    .await?;
    if expand.is_empty() {
        return Ok(Json(page).into_response());
    }
    let partijen: Vec<Partij> = page
        .results
        .iter_mut()
        .map(|r| serde_json::from_value(r.take()))
        .collect::<Result<_, _>>()
        .map_err(ApiError::internal)?;
    let ids: Vec<Uuid> = partijen.iter().map(|p| p.uuid).collect();
    let relations = relations_of(&s, &ids, &expand).await?;
    for (result, p) in page.results.iter_mut().zip(&partijen) {
        *result = shown(p, &expand, &relations, &s);
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
        let relations = relations_of(&s, &[uuid], &expand).await?;
        let body = shown(&p, &expand, &relations, &s);
        return Ok(crate::time_travel::memento(body, changed));
    }
    let url = s.urls.partij(uuid);
    if expand.is_empty() {
        let row = ("partijen", "p", super::relations::PARTIJ_RESOURCE);
        let found = super::relations::detail_row(&s, row, uuid).await?;
        let (body, etag) = found.ok_or(ApiError::NotFound)?;
        super::record_read(&s, &caller, &headers, uuid, ("partij", &url)).await;
        return Ok(resource::detail(&headers, body, &etag));
    }
    let state: Value = sqlx::query_scalar("SELECT state FROM partijen WHERE uuid = $1")
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)?;
    super::record_read(&s, &caller, &headers, uuid, ("partij", &url)).await;
    let p: Partij = serde_json::from_value(state).map_err(ApiError::internal)?;
    let relations = relations_of(&s, &[uuid], &expand).await?;
    let body = shown(&p, &expand, &relations, &s);
    Ok(resource::respond(StatusCode::OK, body, None))
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
    let relations = relations_of(&s, &[uuid], &[]).await?;
    Ok(resource::respond(
        StatusCode::OK,
        shown(&partij, &[], &relations, &s),
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
