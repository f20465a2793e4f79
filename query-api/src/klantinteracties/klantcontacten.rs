//! `/klantcontacten` and `/klantcontacten/{uuid}`: writes are klantcontact use cases
//! (`commands::klantinteracties::Klantcontacten`) answered once the klantcontacten read
//! model has them; reads are single queries on that read model (the caller's scope was
//! checked by the guard).

use std::collections::HashMap;

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

/// A condition on the identificatoren of the partijen the klantcontact's betrokkenen were.
macro_rules! was_partij_identificator {
    ($column:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM partij_identificatoren i
                     WHERE i.partij_uuid = ANY(k.was_partijen) AND i.",
            $column,
            " = {})"
        )
    };
}

/// A condition on an onderwerpobject whose `$owner` column is the klantcontact.
macro_rules! onderwerpobject {
    ($owner:literal, $column:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM onderwerpobjecten o WHERE o.",
            $owner,
            " = k.uuid AND o.",
            $column,
            " = {})"
        )
    };
}

/// The onderwerpobject (by uuid) that names the klantcontact as the one it was.
macro_rules! was_onderwerpobject {
    () => {
        "EXISTS (SELECT 1 FROM onderwerpobjecten o
                 WHERE o.was_klantcontact = k.uuid::text AND o.uuid = {})"
    };
}

const BETROKKENEN: &str = "/klantinteracties/api/v1/betrokkenen/";
const PARTIJEN: &str = "/klantinteracties/api/v1/partijen/";
const ONDERWERPOBJECTEN: &str = "/klantinteracties/api/v1/onderwerpobjecten/";

/// The spec's filters: the klantcontact's own fields, and its relations through the parts
/// tables (betrokkenen and the partijen they were, onderwerpobjecten, the onderwerpobjecten
/// of other klantcontacten that name it, internetaken), each one condition: a klantcontact
/// is listed once however many of its parts match.
pub(super) const FILTERS: &[(&str, Filter)] = &[
    (
        "hadBetrokkene__digitaaladres__adres__icontains",
        Filter::ContainsIn(
            "EXISTS (SELECT 1 FROM jsonb_each(k.state -> 'digitale_adressen') d
                     WHERE d.value ->> 'adres' ILIKE {})
             OR EXISTS (SELECT 1 FROM digitale_adressen d
                        WHERE d.resource -> 'verstrektDoorBetrokkene' ->> 'uuid'
                              = ANY(k.betrokkenen::text[])
                          AND d.adres ILIKE {})",
        ),
    ),
    (
        "hadBetrokkene__url",
        Filter::UrlIn("{} = ANY(k.betrokkenen)", BETROKKENEN),
    ),
    ("hadBetrokkene__uuid", Filter::InArray("betrokkenen")),
    (
        "hadBetrokkene__wasPartij",
        Filter::Exists(
            "SELECT 1 FROM betrokkenen b WHERE b.klantcontact_uuid = k.uuid
             AND b.was_partij IS NOT NULL",
        ),
    ),
    (
        "hadBetrokkene__wasPartij__partijIdentificator__codeObjecttype",
        Filter::TextIn(was_partij_identificator!("code_objecttype")),
    ),
    (
        "hadBetrokkene__wasPartij__partijIdentificator__codeRegister",
        Filter::TextIn(was_partij_identificator!("code_register")),
    ),
    (
        "hadBetrokkene__wasPartij__partijIdentificator__codeSoortObjectId",
        Filter::TextIn(was_partij_identificator!("code_soort_object_id")),
    ),
    (
        "hadBetrokkene__wasPartij__partijIdentificator__objectId",
        Filter::TextIn(was_partij_identificator!("object_id")),
    ),
    (
        "hadBetrokkene__wasPartij__url",
        Filter::UrlIn("{} = ANY(k.was_partijen)", PARTIJEN),
    ),
    (
        "hadBetrokkene__wasPartij__uuid",
        Filter::InArray("was_partijen"),
    ),
    (
        "indicatieContactGelukt",
        Filter::Bool("indicatie_contact_gelukt"),
    ),
    ("inhoud", Filter::IContains("inhoud")),
    ("kanaal", Filter::Text("kanaal")),
    (
        "leiddeTotInterneTaken",
        Filter::Exists("SELECT 1 FROM internetaken t WHERE t.klantcontact = k.uuid"),
    ),
    ("nummer", Filter::Text("nummer")),
    ("onderwerp", Filter::IContains("onderwerp")),
    (
        "onderwerpobject__onderwerpobjectidentificatorCodeObjecttype",
        Filter::TextIn(onderwerpobject!("klantcontact_uuid", "code_objecttype")),
    ),
    (
        "onderwerpobject__onderwerpobjectidentificatorCodeRegister",
        Filter::TextIn(onderwerpobject!("klantcontact_uuid", "code_register")),
    ),
    (
        "onderwerpobject__onderwerpobjectidentificatorCodeSoortObjectId",
        Filter::TextIn(onderwerpobject!(
            "klantcontact_uuid",
            "code_soort_object_id"
        )),
    ),
    (
        "onderwerpobject__onderwerpobjectidentificatorObjectId",
        Filter::TextIn(onderwerpobject!("klantcontact_uuid", "object_id")),
    ),
    (
        "onderwerpobject__url",
        Filter::UrlIn("{} = ANY(k.onderwerpobjecten)", ONDERWERPOBJECTEN),
    ),
    (
        "onderwerpobject__uuid",
        Filter::InArray("onderwerpobjecten"),
    ),
    ("plaatsgevondenOp", Filter::Text("plaatsgevonden_op")),
    ("reactie", Filter::IContains("reactie")),
    ("referentienummer", Filter::Text("referentienummer")),
    ("vertrouwelijk", Filter::Bool("vertrouwelijk")),
    (
        "wasOnderwerpobject__onderwerpobjectidentificatorCodeObjecttype",
        Filter::TextIn(onderwerpobject!(
            "was_klantcontact::uuid",
            "code_objecttype"
        )),
    ),
    (
        "wasOnderwerpobject__onderwerpobjectidentificatorCodeRegister",
        Filter::TextIn(onderwerpobject!("was_klantcontact::uuid", "code_register")),
    ),
    (
        "wasOnderwerpobject__onderwerpobjectidentificatorCodeSoortObjectId",
        Filter::TextIn(onderwerpobject!(
            "was_klantcontact::uuid",
            "code_soort_object_id"
        )),
    ),
    (
        "wasOnderwerpobject__onderwerpobjectidentificatorObjectId",
        Filter::TextIn(onderwerpobject!("was_klantcontact::uuid", "object_id")),
    ),
    (
        "wasOnderwerpobject__url",
        Filter::UrlIn(was_onderwerpobject!(), ONDERWERPOBJECTEN),
    ),
    (
        "wasOnderwerpobject__uuid",
        Filter::UuidIn(was_onderwerpobject!()),
    ),
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

/// A klantcontact as read: its resource with the internetaken it led to, and `_expand` of
/// its onderwerpobjecten, bijlagen, internetaken and betrokkenen in full (a betrokkene with
/// its digitale adressen and the partij it was, when asked); `taken` holds the internetaken
/// of the page's klantcontacten.
async fn shown(
    k: &Klantcontact,
    fields: &[String],
    taken: &HashMap<Uuid, Vec<Value>>,
    s: &AppState,
) -> Result<Value, ApiError> {
    let mut resource = render::klantcontact(k, &s.urls);
    let own = taken.get(&k.uuid).cloned().unwrap_or_default();
    resource["leiddeTotInterneTaken"] = own
        .iter()
        .map(|t| json!({"uuid": t["uuid"], "url": t["url"]}))
        .collect();
    if fields.is_empty() {
        return Ok(resource);
    }
    let urls = &s.urls;
    let nested = |name: &str| fields.iter().any(|f| f == name);
    let partijen: HashMap<Uuid, Value> = if nested("hadBetrokkenen.wasPartij") {
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
            "leiddeTotInterneTaken" => own.clone().into(),
            _ => json!([]),
        };
        out.insert(top.to_owned(), value);
    }
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
        super::relations::KLANTCONTACT_RESOURCE
    } else {
        "state"
    };
    let mut page = super::page(
        &s,
        (&caller, &headers),
        (&pairs, &query),
        ("klantcontacten k", "k.uuid"),
        // As Open Klant: the latest to take place first.
        (column, "k.plaatsgevonden DESC, k.ordinal DESC"),
        "klantcontacten",
    )
    .await?;
    if expand.is_empty() {
        return Ok(Json(page).into_response());
    }
    let klantcontacten: Vec<Klantcontact> = page
        .results
        .iter_mut()
        .map(|r| serde_json::from_value(r.take()))
        .collect::<Result<_, _>>()
        .map_err(ApiError::internal)?;
    let ids: Vec<Uuid> = klantcontacten.iter().map(|k| k.uuid).collect();
    let taken = super::relations::internetaken(&s, &ids).await?;
    for (result, k) in page.results.iter_mut().zip(&klantcontacten) {
        *result = shown(k, &expand, &taken, &s).await?;
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
        let taken = super::relations::internetaken(&s, &[uuid]).await?;
        let body = shown(&k, &expand, &taken, &s).await?;
        return Ok(crate::time_travel::memento(body, changed));
    }
    let url = s.urls.klantcontact(uuid);
    let object = ("klantcontact", url.as_str());
    if expand.is_empty() {
        let row = (
            "klantcontacten",
            "k",
            super::relations::KLANTCONTACT_RESOURCE,
        );
        let found = super::relations::detail_row(&s, row, uuid).await?;
        let (body, etag) = found.ok_or(ApiError::NotFound)?;
        super::record_read_of(&s, &caller, &headers, (uuid, &url), object).await;
        return Ok(resource::detail(&headers, body, &etag));
    }
    let state: Value = sqlx::query_scalar("SELECT state FROM klantcontacten WHERE uuid = $1")
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)?;
    super::record_read_of(&s, &caller, &headers, (uuid, &url), object).await;
    let k: Klantcontact = serde_json::from_value(state).map_err(ApiError::internal)?;
    let taken = super::relations::internetaken(&s, &[uuid]).await?;
    let body = shown(&k, &expand, &taken, &s).await?;
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
    let taken = super::relations::internetaken(&s, &[uuid]).await?;
    Ok(resource::respond(
        StatusCode::OK,
        shown(&k, &[], &taken, &s).await?,
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
