//! The resources that are parts of a partij (`/partij-identificatoren`, `/digitaleadressen`,
//! `/rekeningnummers`), each declared once as data ([`Part`]) and served by one set of
//! handlers: a part lives in its partij's stream, so writes are partij use cases and reads
//! single queries on the part's read model table.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use commands::klantinteracties::PartKind;
use commands::WriteError;
use domain::klantinteracties::partij::Partij;
use projections::partijen::{render, NAME};
use projections::render::Urls;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::dto;
use super::filters::{Filter, Query};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::{resource, AppState, Caller};

/// A part resource: where it is, how it is read, written and rendered.
pub(super) struct Part {
    pub collection: &'static str,
    /// The resource's name (notifications, audit trail, read log).
    pub resource: &'static str,
    pub kind: PartKind,
    pub table: &'static str,
    pub filters: &'static [(&'static str, Filter)],
    /// The `expand` values the spec names (relations not served yet: rendered null).
    pub expand: &'static [&'static str],
    /// The body as a client writes it: the partij, the part's uuid (sent or new) and its
    /// attributes.
    pub parse: fn(&Value) -> Result<dto::PartRequest, ApiError>,
    pub render: fn(&Partij, Uuid, &Urls) -> Option<Value>,
}

pub(super) const IDENTIFICATOREN: Part = Part {
    collection: render::IDENTIFICATOREN,
    resource: "partijidentificator",
    kind: PartKind::Identificator,
    table: "partij_identificatoren",
    filters: &[
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
    ],
    expand: &[],
    parse: dto::parse_identificator,
    render: render::identificator,
};

pub(super) const DIGITALE_ADRESSEN: Part = Part {
    collection: render::DIGITALE_ADRESSEN,
    resource: "digitaaladres",
    kind: PartKind::DigitaalAdres,
    table: "digitale_adressen",
    filters: &[
        ("adres", Filter::Text("adres")),
        ("adres__icontains", Filter::IContains("adres")),
        ("isGeverifieerd", Filter::Set("verificatie_datum")),
        ("isStandaardAdres", Filter::Bool("is_standaard_adres")),
        ("omschrijving", Filter::Text("omschrijving")),
        ("referentie", Filter::Text("referentie")),
        (
            "soortDigitaalAdres",
            Filter::Choice(
                "soort_digitaal_adres",
                &["email", "overig", "telefoonnummer"],
            ),
        ),
        ("verificatieDatum", Filter::Date("verificatie_datum", "=")),
        (
            "verificatieDatum__gt",
            Filter::Date("verificatie_datum", ">"),
        ),
        (
            "verificatieDatum__gte",
            Filter::Date("verificatie_datum", ">="),
        ),
        (
            "verificatieDatum__lt",
            Filter::Date("verificatie_datum", "<"),
        ),
        (
            "verificatieDatum__lte",
            Filter::Date("verificatie_datum", "<="),
        ),
        ("verstrektDoorBetrokkene__rol", Filter::Unserved),
        ("verstrektDoorBetrokkene__url", Filter::Unserved),
        ("verstrektDoorBetrokkene__uuid", Filter::Unserved),
        (
            "verstrektDoorPartij__partijIdentificator__codeObjecttype",
            Filter::Identificator("code_objecttype"),
        ),
        (
            "verstrektDoorPartij__partijIdentificator__codeRegister",
            Filter::Identificator("code_register"),
        ),
        (
            "verstrektDoorPartij__partijIdentificator__codeSoortObjectId",
            Filter::Identificator("code_soort_object_id"),
        ),
        (
            "verstrektDoorPartij__partijIdentificator__objectId",
            Filter::Identificator("object_id"),
        ),
        (
            "verstrektDoorPartij__soortPartij",
            Filter::OfPartij("soort_partij"),
        ),
        ("verstrektDoorPartij__url", Filter::PartijUrl),
        ("verstrektDoorPartij__uuid", Filter::Partij),
    ],
    expand: &[
        "verstrektDoorBetrokkene",
        "verstrektDoorBetrokkene.hadKlantcontact",
        "verstrektDoorBetrokkene.hadKlantcontact.leiddeTotInterneTaken",
    ],
    parse: dto::parse_digitaal_adres,
    render: render::digitaal_adres,
};

pub(super) const REKENINGNUMMERS: Part = Part {
    collection: render::REKENINGNUMMERS,
    resource: "rekeningnummer",
    kind: PartKind::Rekeningnummer,
    table: "rekeningnummers",
    filters: &[
        ("bic", Filter::Text("bic")),
        ("iban", Filter::Text("iban")),
        ("uuid", Filter::Uuid),
    ],
    expand: &[],
    parse: dto::parse_rekeningnummer,
    render: render::rekeningnummer,
};

pub(super) const VERTEGENWOORDIGINGEN: Part = Part {
    collection: render::VERTEGENWOORDIGINGEN,
    resource: "vertegenwoordiging",
    kind: PartKind::Vertegenwoordiging,
    table: "vertegenwoordigingen",
    filters: &[
        (
            "vertegenwoordigdePartij__url",
            Filter::OtherPartijUrl("vertegenwoordigde_partij"),
        ),
        (
            "vertegenwoordigdePartij__uuid",
            Filter::OtherPartij("vertegenwoordigde_partij"),
        ),
        ("vertegenwoordigendePartij__url", Filter::PartijUrl),
        ("vertegenwoordigendePartij__uuid", Filter::Partij),
    ],
    expand: &[],
    parse: dto::parse_vertegenwoordiging,
    render: render::vertegenwoordiging,
};

pub(super) fn router(part: &'static Part) -> Router<AppState> {
    let collection = format!("/{}", part.collection);
    let member = format!("/{}/{{uuid}}", part.collection);
    Router::new()
        .route(
            &collection,
            get(move |s, c, h, q| list(part, s, c, h, q))
                .post(move |s, c, h, b| create(part, s, c, h, b)),
        )
        .route(
            &member,
            get(move |s, c, p, h, q| detail(part, s, c, p, h, q))
                .put(move |s, c, p, h, b| write(part, s, c, p, h, b, false))
                .patch(move |s, c, p, h, b| write(part, s, c, p, h, b, true))
                .delete(move |s, c, p| destroy(part, s, c, p)),
        )
}

/// `_expand` with each requested relation (none is served yet: null); an unknown one is
/// refused. `None` when nothing is requested.
fn expand_of(part: &Part, pairs: &[(String, String)]) -> Result<Option<Value>, ApiError> {
    let mut out = Map::new();
    for v in pairs.iter().filter(|(k, _)| k == "expand").map(|(_, v)| v) {
        for field in v.split(',').map(str::trim).filter(|f| !f.is_empty()) {
            if !part.expand.contains(&field) {
                return Err(ApiError::invalid(
                    "expand",
                    "invalid_choice",
                    format!("Selecteer een geldige keuze. {field} is geen beschikbare keuze."),
                ));
            }
            let top = field.split('.').next().unwrap_or_default();
            out.insert(top.to_owned(), Value::Null);
        }
    }
    Ok((!out.is_empty()).then_some(Value::Object(out)))
}

async fn list(
    part: &'static Part,
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let query = Query::parse(part.filters, &s.urls, &pairs)?;
    let expand = expand_of(part, &pairs)?;
    let from = format!("{} t", part.table);
    let mut page = super::page(
        &s,
        (&caller, &headers),
        (&pairs, &query),
        (&from, "t.partij_uuid"),
        "resource",
        part.collection,
    )
    .await?;
    if let Some(expand) = expand {
        for result in &mut page.results {
            result["_expand"] = expand.clone();
        }
    }
    Ok(Json(page).into_response())
}

async fn detail(
    part: &'static Part,
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let declared = [crate::openapi::params::EXPAND];
    let declared = if part.expand.is_empty() {
        &[][..]
    } else {
        &declared[..]
    };
    crate::openapi::params::refuse_unknown(&pairs, declared, ApiError::unknown_parameter)?;
    let expand = expand_of(part, &pairs)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let sql = format!(
        "SELECT resource, etag, partij_uuid FROM {} WHERE uuid = $1",
        part.table
    );
    let (mut resource, etag, partij): (Value, String, Uuid) = sqlx::query_as(&sql)
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)?;
    let url = s.urls.klantinteracties_object(part.collection, uuid);
    let kind = (part.resource, url.as_str());
    super::record_read(&s, &caller, &headers, partij, kind).await;
    if let Some(expand) = expand {
        resource["_expand"] = expand;
        return Ok(resource::respond(StatusCode::OK, resource, None));
    }
    Ok(resource::detail(&headers, resource, &etag))
}

/// Part `uuid` as the partij after the write has it.
fn rendered(
    part: &Part,
    partij: Option<Partij>,
    uuid: Uuid,
    s: &AppState,
) -> Result<Value, ApiError> {
    partij
        .and_then(|p| (part.render)(&p, uuid, &s.urls))
        .ok_or_else(|| ApiError::internal("the written part is not in its partij"))
}

async fn create(
    part: &'static Part,
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    crate::headers::require_json(&headers)?;
    let ctx = s.context(&caller);
    let (partij, uuid, attributes) = (part.parse)(&resource::parse_json(&body)?)?;
    let outcome = super::service(&s)
        .create_part(&caller.authorisation, &ctx, partij, uuid, attributes)
        .await?;
    s.wait_for(NAME, outcome.position).await;
    let body = rendered(part, outcome.state, uuid, &s)?;
    let url = s.urls.klantinteracties_object(part.collection, uuid);
    Ok(resource::respond(StatusCode::CREATED, body, Some(url)))
}

/// PUT (the whole part) or PATCH (merged onto the part as it renders now).
async fn write(
    part: &'static Part,
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    let (uuid, body, ctx) = super::write_request(
        &s,
        &caller,
        &uuid,
        Target::PartijPart(part.table),
        Some((&headers, &body)),
    )
    .await?;
    let urls = s.urls.clone();
    let apply = |current: &Partij| -> Result<_, WriteError> {
        let body = match (partial, (part.render)(current, uuid, &urls)) {
            (true, Some(now)) => resource::merge_patch(now, &body)?,
            _ => body.clone(),
        };
        let (to, _, attributes) = (part.parse)(&body)?;
        Ok((to, attributes))
    };
    let outcome = super::service(&s)
        .update_part(&caller.authorisation, &ctx, part.kind, uuid, &apply)
        .await?;
    s.wait_for(NAME, outcome.position).await;
    let body = rendered(part, outcome.state, uuid, &s)?;
    Ok(resource::respond(StatusCode::OK, body, None))
}

async fn destroy(
    part: &'static Part,
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let (uuid, _, ctx) =
        super::write_request(&s, &caller, &uuid, Target::PartijPart(part.table), None).await?;
    let outcome = super::service(&s)
        .destroy_part(&caller.authorisation, &ctx, part.kind, uuid)
        .await?;
    s.wait_for(NAME, outcome.position).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}
