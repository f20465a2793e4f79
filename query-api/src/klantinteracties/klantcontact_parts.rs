//! The resources that are parts of a klantcontact (`/betrokkenen`, `/onderwerpobjecten`),
//! each declared once as data ([`Part`]) and served by one set of handlers, as the partij's
//! parts are (`super::parts`): a part lives in its klantcontact's stream, so writes are
//! klantcontact use cases and reads single queries on the part's read model table.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use commands::klantinteracties::KlantcontactPartKind;
use commands::WriteError;
use domain::klantinteracties::klantcontact::Klantcontact;
use projections::klantcontacten::{render, NAME};
use projections::render::Urls;
use serde_json::Value;
use uuid::Uuid;

use super::dto;
use super::filters::{Filter, Query};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::{resource, AppState, Caller};

const KLANTCONTACTEN: &str = "/klantinteracties/api/v1/klantcontacten/";

/// A part resource: where it is, how it is read, written and rendered.
pub(super) struct Part {
    pub collection: &'static str,
    /// The resource's name (read log).
    pub resource: &'static str,
    pub kind: KlantcontactPartKind,
    pub table: &'static str,
    pub filters: &'static [(&'static str, Filter)],
    /// The `expand` values the spec names.
    pub expand: &'static [&'static str],
    pub parse: fn(&Value) -> Result<dto::KlantcontactPartRequest, ApiError>,
    pub render: fn(&Klantcontact, Uuid, &Urls) -> Option<Value>,
}

pub(super) const BETROKKENEN: Part = Part {
    collection: render::BETROKKENEN,
    resource: "betrokkene",
    kind: KlantcontactPartKind::Betrokkene,
    table: "betrokkenen",
    filters: &[
        (
            "contactnaamAchternaam",
            Filter::Text("contactnaam_achternaam"),
        ),
        (
            "contactnaamVoorletters",
            Filter::Text("contactnaam_voorletters"),
        ),
        ("contactnaamVoornaam", Filter::Text("contactnaam_voornaam")),
        (
            "contactnaamVoorvoegselAchternaam",
            Filter::Text("contactnaam_voorvoegsel_achternaam"),
        ),
        ("hadKlantcontact__nummer", Filter::Unserved),
        ("hadKlantcontact__referentienummer", Filter::Unserved),
        (
            "hadKlantcontact__url",
            Filter::UrlUnder("klantcontact", KLANTCONTACTEN),
        ),
        ("hadKlantcontact__uuid", Filter::OtherPartij("klantcontact")),
        ("organisatienaam", Filter::Text("organisatienaam")),
        ("verstrektedigitaalAdres__adres", Filter::Unserved),
        ("verstrektedigitaalAdres__url", Filter::Unserved),
        ("verstrektedigitaalAdres__uuid", Filter::Unserved),
        ("wasPartij__nummer", Filter::Unserved),
        (
            "wasPartij__partijIdentificator__codeObjecttype",
            Filter::Unserved,
        ),
        (
            "wasPartij__partijIdentificator__codeRegister",
            Filter::Unserved,
        ),
        (
            "wasPartij__partijIdentificator__codeSoortObjectId",
            Filter::Unserved,
        ),
        ("wasPartij__partijIdentificator__objectId", Filter::Unserved),
        ("wasPartij__url", Filter::OtherPartijUrl("was_partij")),
        ("wasPartij__uuid", Filter::OtherPartij("was_partij")),
    ],
    expand: &["digitaleAdressen"],
    parse: dto::parse_betrokkene,
    render: render::betrokkene,
};

pub(super) const ONDERWERPOBJECTEN: Part = Part {
    collection: render::ONDERWERPOBJECTEN,
    resource: "onderwerpobject",
    kind: KlantcontactPartKind::Onderwerpobject,
    table: "onderwerpobjecten",
    filters: &[
        (
            "klantcontact__url",
            Filter::UrlUnder("klantcontact", KLANTCONTACTEN),
        ),
        ("klantcontact__uuid", Filter::OtherPartij("klantcontact")),
        (
            "onderwerpobjectidentificatorCodeObjecttype",
            Filter::Text("code_objecttype"),
        ),
        (
            "onderwerpobjectidentificatorCodeRegister",
            Filter::Text("code_register"),
        ),
        (
            "onderwerpobjectidentificatorCodeSoortObjectId",
            Filter::Text("code_soort_object_id"),
        ),
        (
            "onderwerpobjectidentificatorObjectId",
            Filter::Text("object_id"),
        ),
        (
            "wasKlantcontact__url",
            Filter::UrlUnder("was_klantcontact", KLANTCONTACTEN),
        ),
        (
            "wasKlantcontact__uuid",
            Filter::OtherPartij("was_klantcontact"),
        ),
    ],
    expand: &[],
    parse: dto::parse_onderwerpobject,
    render: render::onderwerpobject,
};

pub(super) fn router(part: &'static Part) -> Router<AppState> {
    let collection = format!("/{}", part.collection);
    let member = format!("/{}/{{uuid}}", part.collection);
    Router::new()
        .route(
            &collection,
            get(move |s, c, q| list(part, s, c, q))
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

/// `_expand` of a part: a betrokkene's digitale adressen, from its klantcontact's state.
async fn expanded(
    s: &AppState,
    part: &Part,
    resource: &mut Value,
    fields: &[String],
) -> Result<(), ApiError> {
    if fields.is_empty() {
        return Ok(());
    }
    let uuid: Option<Uuid> = resource["uuid"].as_str().and_then(|u| u.parse().ok());
    let sql = format!(
        "SELECT k.state FROM {} t JOIN klantcontacten k ON k.uuid = t.klantcontact_uuid
         WHERE t.uuid = $1",
        part.table
    );
    let state: Value = sqlx::query_scalar(&sql)
        .bind(uuid)
        .fetch_one(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let k: Klantcontact = serde_json::from_value(state).map_err(ApiError::internal)?;
    let adressen: Vec<Value> = k
        .digitale_adressen
        .iter()
        .filter(|(_, a)| a.verstrekt_door_betrokkene == uuid)
        .filter_map(|(a, _)| render::part(&k, "digitaaladres", *a, &s.urls))
        .collect();
    resource["_expand"] = serde_json::json!({"digitaleAdressen": adressen});
    Ok(())
}

async fn list(
    part: &'static Part,
    State(s): State<AppState>,
    _caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let query = Query::parse(part.filters, &s.urls, &pairs)?;
    let expand = super::expand_of(&pairs, part.expand)?;
    let from = format!("{} t", part.table);
    let mut page = super::page(
        &s,
        &pairs,
        &query,
        (&from, "t.klantcontact_uuid"),
        "resource",
        part.collection,
    )
    .await?;
    for result in &mut page.results {
        expanded(&s, part, result, &expand).await?;
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
    let expand = super::expand_of(&pairs, part.expand)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let sql = format!(
        "SELECT resource, etag, klantcontact_uuid FROM {} WHERE uuid = $1",
        part.table
    );
    let (mut resource, etag, klantcontact): (Value, String, Uuid) = sqlx::query_as(&sql)
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)?;
    let url = s.urls.klantinteracties_object(part.collection, uuid);
    let hoofd = s.urls.klantcontact(klantcontact);
    let object = (part.resource, url.as_str());
    super::record_read_of(&s, &caller, &headers, (klantcontact, &hoofd), object).await;
    if !expand.is_empty() {
        expanded(&s, part, &mut resource, &expand).await?;
        return Ok(resource::respond(StatusCode::OK, resource, None));
    }
    Ok(resource::detail(&headers, resource, &etag))
}

/// Part `uuid` as the klantcontact after the write has it.
fn rendered(
    part: &Part,
    k: Option<Klantcontact>,
    uuid: Uuid,
    s: &AppState,
) -> Result<Value, ApiError> {
    k.and_then(|k| (part.render)(&k, uuid, &s.urls))
        .ok_or_else(|| ApiError::internal("the written part is not in its klantcontact"))
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
    let (klantcontact, uuid, attributes) = (part.parse)(&resource::parse_json(&body)?)?;
    let outcome = super::klantcontacten::service(&s)
        .create_part(&caller.authorisation, &ctx, klantcontact, uuid, attributes)
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
        Target::KlantcontactPart(part.table),
        Some((&headers, &body)),
    )
    .await?;
    let urls = s.urls.clone();
    let apply = |current: &Klantcontact| -> Result<_, WriteError> {
        let body = match (partial, (part.render)(current, uuid, &urls)) {
            (true, Some(now)) => resource::merge_patch(now, &body)?,
            _ => body.clone(),
        };
        let (to, _, attributes) = (part.parse)(&body)?;
        Ok((to, attributes))
    };
    let outcome = super::klantcontacten::service(&s)
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
    let target = Target::KlantcontactPart(part.table);
    let (uuid, _, ctx) = super::write_request(&s, &caller, &uuid, target, None).await?;
    let outcome = super::klantcontacten::service(&s)
        .destroy_part(&caller.authorisation, &ctx, part.kind, uuid)
        .await?;
    s.wait_for(NAME, outcome.position).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}
