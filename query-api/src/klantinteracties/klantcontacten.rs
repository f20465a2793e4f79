//! `/klantcontacten` and `/klantcontacten/{uuid}`: writes are klantcontact use cases
//! (`commands::klantinteracties::Klantcontacten`) answered once the klantcontacten read
//! model has them; reads are single queries on that read model (the caller's scope was
//! checked by the guard).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use commands::klantinteracties::Klantcontacten;
use commands::WriteError;
use domain::klantinteracties::klantcontact::Klantcontact;
use event_schemas::klantinteracties::klantcontact::KlantcontactAttributes;
use projections::klantcontacten::{render, NAME};
use serde_json::{json, Value};
use uuid::Uuid;

use super::dto;
use super::filters::{Filter, Query};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::{headers, resource, AppState, Caller};

/// The spec's filters: the klantcontact's own fields, its betrokkenen (and the partijen
/// they were) and onderwerpobjecten by uuid, whether it led to internetaken; the others
/// name relations not served yet (the betrokkenen's digitale adressen, identificatoren,
/// URLs of parts) and match nothing.
pub(super) const FILTERS: &[(&str, Filter)] = &[
    (
        "hadBetrokkene__digitaaladres__adres__icontains",
        Filter::Unserved,
    ),
    ("hadBetrokkene__url", Filter::Unserved),
    ("hadBetrokkene__uuid", Filter::InArray("betrokkenen")),
    ("hadBetrokkene__wasPartij", Filter::Unserved),
    (
        "hadBetrokkene__wasPartij__partijIdentificator__codeObjecttype",
        Filter::Unserved,
    ),
    (
        "hadBetrokkene__wasPartij__partijIdentificator__codeRegister",
        Filter::Unserved,
    ),
    (
        "hadBetrokkene__wasPartij__partijIdentificator__codeSoortObjectId",
        Filter::Unserved,
    ),
    (
        "hadBetrokkene__wasPartij__partijIdentificator__objectId",
        Filter::Unserved,
    ),
    ("hadBetrokkene__wasPartij__url", Filter::Unserved),
    (
        "hadBetrokkene__wasPartij__uuid",
        Filter::InArray("was_partijen"),
    ),
    (
        "indicatieContactGelukt",
        Filter::Bool("indicatie_contact_gelukt"),
    ),
    ("inhoud", Filter::Text("inhoud")),
    ("kanaal", Filter::Text("kanaal")),
    (
        "leiddeTotInterneTaken",
        Filter::Exists("SELECT 1 FROM internetaken t WHERE t.klantcontact = k.uuid"),
    ),
    ("nummer", Filter::Text("nummer")),
    ("onderwerp", Filter::Text("onderwerp")),
    (
        "onderwerpobject__onderwerpobjectidentificatorCodeObjecttype",
        Filter::Unserved,
    ),
    (
        "onderwerpobject__onderwerpobjectidentificatorCodeRegister",
        Filter::Unserved,
    ),
    (
        "onderwerpobject__onderwerpobjectidentificatorCodeSoortObjectId",
        Filter::Unserved,
    ),
    (
        "onderwerpobject__onderwerpobjectidentificatorObjectId",
        Filter::Unserved,
    ),
    ("onderwerpobject__url", Filter::Unserved),
    (
        "onderwerpobject__uuid",
        Filter::InArray("onderwerpobjecten"),
    ),
    ("plaatsgevondenOp", Filter::Text("plaatsgevonden_op")),
    ("reactie", Filter::Text("reactie")),
    ("referentienummer", Filter::Text("referentienummer")),
    ("vertrouwelijk", Filter::Bool("vertrouwelijk")),
    (
        "wasOnderwerpobject__onderwerpobjectidentificatorCodeObjecttype",
        Filter::Unserved,
    ),
    (
        "wasOnderwerpobject__onderwerpobjectidentificatorCodeRegister",
        Filter::Unserved,
    ),
    (
        "wasOnderwerpobject__onderwerpobjectidentificatorCodeSoortObjectId",
        Filter::Unserved,
    ),
    (
        "wasOnderwerpobject__onderwerpobjectidentificatorObjectId",
        Filter::Unserved,
    ),
    ("wasOnderwerpobject__url", Filter::Unserved),
    ("wasOnderwerpobject__uuid", Filter::Unserved),
];

/// The `expand` values the spec names for a klantcontact.
const EXPANDABLE: &[&str] = &[
    "gingOverOnderwerpobjecten",
    "hadBetrokkenen",
    "hadBetrokkenen.digitaleAdressen",
    "hadBetrokkenen.wasPartij",
    "leiddeTotInterneTaken",
    "omvatteBijlagen",
];

/// The detail GET's query parameters.
pub const DETAIL_PARAMETERS: [crate::openapi::params::QueryParam; 2] =
    [crate::openapi::params::EXPAND, crate::time_travel::AS_OF];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/klantcontacten", get(list).post(create))
        .route(
            "/klantcontacten/{uuid}",
            get(detail)
                .put(|s, c, p, h, b| write(s, c, p, h, b, false))
                .patch(|s, c, p, h, b| write(s, c, p, h, b, true))
                .delete(destroy),
        )
        .route("/maak-klantcontact", axum::routing::post(maak))
}

/// The klantcontact use cases, with this state's command handler.
pub(super) fn service(s: &AppState) -> Klantcontacten<'_> {
    Klantcontacten {
        commands: &s.commands,
        ports: Box::new(super::ports::Adapters(s)),
    }
}

/// `_expand` of a klantcontact: its onderwerpobjecten, bijlagen and betrokkenen in full
/// (a betrokkene with its digitale adressen and the partij it was, when asked); internetaken
/// are not served yet, so none are named.
async fn expanded(k: &Klantcontact, fields: &[String], s: &AppState) -> Result<Value, ApiError> {
    let urls = &s.urls;
    let nested = |name: &str| fields.iter().any(|f| f == name);
    let partijen: std::collections::HashMap<Uuid, Value> = if nested("hadBetrokkenen.wasPartij") {
        let ids: Vec<Uuid> = k
            .betrokkenen
            .values()
            .filter_map(|b| b.was_partij)
            .collect();
        sqlx::query_as::<_, (Uuid, Value)>(
            "SELECT uuid, resource FROM partijen WHERE uuid = ANY($1)",
        )
        .bind(&ids)
        .fetch_all(&s.pool)
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .collect()
    } else {
        Default::default()
    };
    let mut out = serde_json::Map::new();
    for field in fields {
        let top = field.split('.').next().unwrap_or_default();
        let value = match top {
            "gingOverOnderwerpobjecten" => k
                .onderwerpobjecten
                .keys()
                .filter_map(|u| render::onderwerpobject(k, *u, urls))
                .collect(),
            "omvatteBijlagen" => k
                .bijlagen
                .keys()
                .filter_map(|u| render::part(k, "bijlage", *u, urls))
                .collect(),
            "hadBetrokkenen" => k
                .betrokkenen
                .iter()
                .filter_map(|(u, b)| {
                    let mut r = render::betrokkene(k, *u, urls)?;
                    let mut inner = serde_json::Map::new();
                    if nested("hadBetrokkenen.digitaleAdressen") {
                        let adressen: Vec<Value> = k
                            .digitale_adressen
                            .iter()
                            .filter(|(_, a)| a.verstrekt_door_betrokkene == Some(*u))
                            .filter_map(|(a, _)| render::part(k, "digitaaladres", *a, urls))
                            .collect();
                        inner.insert("digitaleAdressen".into(), adressen.into());
                    }
                    if nested("hadBetrokkenen.wasPartij") {
                        let partij = b.was_partij.and_then(|p| partijen.get(&p)).cloned();
                        inner.insert("wasPartij".into(), partij.unwrap_or(Value::Null));
                    }
                    if !inner.is_empty() {
                        r["_expand"] = Value::Object(inner);
                    }
                    Some(r)
                })
                .collect(),
            _ => json!([]),
        };
        out.insert(top.to_owned(), value);
    }
    let mut resource = render::klantcontact(k, urls);
    resource["_expand"] = Value::Object(out);
    Ok(resource)
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
        ("klantcontacten k", "k.uuid"),
        column,
        "klantcontacten",
    )
    .await?;
    if !expand.is_empty() {
        for result in &mut page.results {
            let k: Klantcontact =
                serde_json::from_value(result.take()).map_err(ApiError::internal)?;
            *result = expanded(&k, &expand, &s).await?;
        }
    }
    Ok(Json(page).into_response())
}

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
        let (k, changed) = crate::time_travel::klantcontact(&s, uuid, instant).await?;
        let url = s.urls.klantcontact(uuid);
        let object = ("klantcontact", url.as_str());
        super::record_read_of(&s, &caller, &headers, (uuid, &url), object).await;
        let body = if expand.is_empty() {
            render::klantcontact(&k, &s.urls)
        } else {
            expanded(&k, &expand, &s).await?
        };
        return Ok(crate::time_travel::memento(body, changed));
    }
    let row: (Value, Value, String) =
        sqlx::query_as("SELECT resource, state, etag FROM klantcontacten WHERE uuid = $1")
            .bind(uuid)
            .fetch_optional(&s.pool)
            .await
            .map_err(ApiError::internal)?
            .ok_or(ApiError::NotFound)?;
    let (resource, state, etag) = row;
    let url = s.urls.klantcontact(uuid);
    let object = ("klantcontact", url.as_str());
    super::record_read_of(&s, &caller, &headers, (uuid, &url), object).await;
    if !expand.is_empty() {
        let k: Klantcontact = serde_json::from_value(state).map_err(ApiError::internal)?;
        let body = expanded(&k, &expand, &s).await?;
        return Ok(resource::respond(StatusCode::OK, body, None));
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
    let attributes = dto::parse_klantcontact(&resource::parse_json(&body)?)?;
    let outcome = service(&s)
        .create(&caller.authorisation, &ctx, attributes, None, None)
        .await?;
    let k = outcome
        .state
        .ok_or_else(|| ApiError::internal("created klantcontact has no state"))?;
    s.wait_for(NAME, outcome.position).await;
    Ok(resource::respond(
        StatusCode::CREATED,
        render::klantcontact(&k, &s.urls),
        Some(s.urls.klantcontact(k.uuid)),
    ))
}

/// PUT (the whole klantcontact) or PATCH (merged onto the klantcontact as it is at the
/// moment of deciding, on every retry).
async fn write(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    let target = Target::Klantcontact;
    let (uuid, body, ctx) =
        super::write_request(&s, &caller, &uuid, target, Some((&headers, &body))).await?;
    let urls = s.urls.clone();
    let apply = |current: &Klantcontact| -> Result<KlantcontactAttributes, WriteError> {
        Ok(dto::apply_klantcontact(current, &body, partial, &urls)?)
    };
    let outcome = service(&s)
        .update(&caller.authorisation, &ctx, uuid, &apply, partial)
        .await?;
    let k = outcome.state.ok_or(ApiError::NotFound)?;
    s.wait_for(NAME, outcome.position).await;
    Ok(resource::respond(
        StatusCode::OK,
        render::klantcontact(&k, &s.urls),
        None,
    ))
}

/// DELETE: the klantcontact and its parts leave the API (the stream stays as history).
async fn destroy(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let target = Target::Klantcontact;
    let (uuid, _, ctx) = super::write_request(&s, &caller, &uuid, target, None).await?;
    let outcome = service(&s)
        .destroy(&caller.authorisation, &ctx, uuid)
        .await?;
    s.wait_for(NAME, outcome.position).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// POST /maak-klantcontact: the klantcontact with its betrokkene and onderwerpobject, one
/// decision and one append to the klantcontact's stream; nothing is stored when any part
/// is refused.
async fn maak(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let ctx = s.context(&caller);
    let (attributes, betrokkene, onderwerpobject) =
        dto::parse_maak_klantcontact(&resource::parse_json(&body)?)?;
    let betrokkene = betrokkene.map(|b| (Uuid::new_v4(), b));
    let onderwerpobject = onderwerpobject.map(|o| (Uuid::new_v4(), o));
    let ids = (
        betrokkene.as_ref().map(|(u, _)| *u),
        onderwerpobject.as_ref().map(|(u, _)| *u),
    );
    let outcome = service(&s)
        .create(
            &caller.authorisation,
            &ctx,
            attributes,
            betrokkene,
            onderwerpobject,
        )
        .await?;
    let k = outcome
        .state
        .ok_or_else(|| ApiError::internal("created klantcontact has no state"))?;
    s.wait_for(NAME, outcome.position).await;
    let urls = &s.urls;
    let body = json!({
        "klantcontact": render::klantcontact(&k, urls),
        "betrokkene": ids.0.and_then(|u| render::betrokkene(&k, u, urls)),
        "onderwerpobject": ids.1.and_then(|u| render::onderwerpobject(&k, u, urls)),
    });
    Ok(resource::respond(
        StatusCode::CREATED,
        body,
        Some(urls.klantcontact(k.uuid)),
    ))
}
