//! Klantinteracties API 0.9 (Open Klant 2.x) at /klantinteracties/api/v1: partijen and
//! partij-identificatoren over the `partij` aggregate and the partijen read model, under
//! JWT-ZGW and the applicatie's `klantinteracties.*` scopes on component `kic` (Open Klant
//! has no authorisation beyond a token).

mod digitale_adressen;
mod dto;
mod filters;
mod klantcontact_parts;
mod klantcontacten;
pub(crate) mod objecten;
mod partijen;
mod parts;
mod ports;
mod relations;

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::Router;
use commands::klantinteracties::{AANMAKEN, BIJWERKEN, LEZEN, VERWIJDEREN};
use commands::Context;
use serde_json::Value;
use sqlx::QueryBuilder;
use uuid::Uuid;

use crate::concurrency::Target;
use crate::error::ApiError;
use crate::{headers, pagination, resource, AppState, Caller};

pub const API_VERSION: &str = "0.9.0";
pub const PREFIX: &str = "/klantinteracties/api/v1";

/// The scope of each operation (see `crate::scopes`).
pub const SCOPES: &[(&str, &str, &str)] = &[
    ("GET", "/partijen", LEZEN),
    ("POST", "/partijen", AANMAKEN),
    ("GET", "/partijen/{uuid}", LEZEN),
    ("PUT", "/partijen/{uuid}", BIJWERKEN),
    ("PATCH", "/partijen/{uuid}", BIJWERKEN),
    ("DELETE", "/partijen/{uuid}", VERWIJDEREN),
    ("GET", "/partij-identificatoren", LEZEN),
    ("POST", "/partij-identificatoren", AANMAKEN),
    ("GET", "/partij-identificatoren/{uuid}", LEZEN),
    ("PUT", "/partij-identificatoren/{uuid}", BIJWERKEN),
    ("PATCH", "/partij-identificatoren/{uuid}", BIJWERKEN),
    ("DELETE", "/partij-identificatoren/{uuid}", VERWIJDEREN),
    ("GET", "/digitaleadressen", LEZEN),
    ("POST", "/digitaleadressen", AANMAKEN),
    ("GET", "/digitaleadressen/{uuid}", LEZEN),
    ("PUT", "/digitaleadressen/{uuid}", BIJWERKEN),
    ("PATCH", "/digitaleadressen/{uuid}", BIJWERKEN),
    ("DELETE", "/digitaleadressen/{uuid}", VERWIJDEREN),
    ("GET", "/rekeningnummers", LEZEN),
    ("POST", "/rekeningnummers", AANMAKEN),
    ("GET", "/rekeningnummers/{uuid}", LEZEN),
    ("PUT", "/rekeningnummers/{uuid}", BIJWERKEN),
    ("PATCH", "/rekeningnummers/{uuid}", BIJWERKEN),
    ("DELETE", "/rekeningnummers/{uuid}", VERWIJDEREN),
    ("GET", "/vertegenwoordigingen", LEZEN),
    ("POST", "/vertegenwoordigingen", AANMAKEN),
    ("GET", "/vertegenwoordigingen/{uuid}", LEZEN),
    ("PUT", "/vertegenwoordigingen/{uuid}", BIJWERKEN),
    ("PATCH", "/vertegenwoordigingen/{uuid}", BIJWERKEN),
    ("DELETE", "/vertegenwoordigingen/{uuid}", VERWIJDEREN),
    ("GET", "/klantcontacten", LEZEN),
    ("POST", "/klantcontacten", AANMAKEN),
    ("GET", "/klantcontacten/{uuid}", LEZEN),
    ("PUT", "/klantcontacten/{uuid}", BIJWERKEN),
    ("PATCH", "/klantcontacten/{uuid}", BIJWERKEN),
    ("DELETE", "/klantcontacten/{uuid}", VERWIJDEREN),
    ("POST", "/maak-klantcontact", AANMAKEN),
    ("GET", "/betrokkenen", LEZEN),
    ("POST", "/betrokkenen", AANMAKEN),
    ("GET", "/betrokkenen/{uuid}", LEZEN),
    ("PUT", "/betrokkenen/{uuid}", BIJWERKEN),
    ("PATCH", "/betrokkenen/{uuid}", BIJWERKEN),
    ("DELETE", "/betrokkenen/{uuid}", VERWIJDEREN),
    ("GET", "/onderwerpobjecten", LEZEN),
    ("POST", "/onderwerpobjecten", AANMAKEN),
    ("GET", "/onderwerpobjecten/{uuid}", LEZEN),
    ("PUT", "/onderwerpobjecten/{uuid}", BIJWERKEN),
    ("PATCH", "/onderwerpobjecten/{uuid}", BIJWERKEN),
    ("DELETE", "/onderwerpobjecten/{uuid}", VERWIJDEREN),
    ("GET", "/bijlagen", LEZEN),
    ("POST", "/bijlagen", AANMAKEN),
    ("GET", "/bijlagen/{uuid}", LEZEN),
    ("PUT", "/bijlagen/{uuid}", BIJWERKEN),
    ("PATCH", "/bijlagen/{uuid}", BIJWERKEN),
    ("DELETE", "/bijlagen/{uuid}", VERWIJDEREN),
    ("GET", "/actorklantcontacten", LEZEN),
    ("POST", "/actorklantcontacten", AANMAKEN),
    ("GET", "/actorklantcontacten/{uuid}", LEZEN),
    ("PUT", "/actorklantcontacten/{uuid}", BIJWERKEN),
    ("PATCH", "/actorklantcontacten/{uuid}", BIJWERKEN),
    ("DELETE", "/actorklantcontacten/{uuid}", VERWIJDEREN),
    ("GET", "/internetaken", LEZEN),
    ("POST", "/internetaken", AANMAKEN),
    ("GET", "/internetaken/{uuid}", LEZEN),
    ("PUT", "/internetaken/{uuid}", BIJWERKEN),
    ("PATCH", "/internetaken/{uuid}", BIJWERKEN),
    ("DELETE", "/internetaken/{uuid}", VERWIJDEREN),
    ("GET", "/actoren", LEZEN),
    ("POST", "/actoren", AANMAKEN),
    ("GET", "/actoren/{uuid}", LEZEN),
    ("PUT", "/actoren/{uuid}", BIJWERKEN),
    ("PATCH", "/actoren/{uuid}", BIJWERKEN),
    ("DELETE", "/actoren/{uuid}", VERWIJDEREN),
    ("GET", "/categorieen", LEZEN),
    ("POST", "/categorieen", AANMAKEN),
    ("GET", "/categorieen/{uuid}", LEZEN),
    ("PUT", "/categorieen/{uuid}", BIJWERKEN),
    ("PATCH", "/categorieen/{uuid}", BIJWERKEN),
    ("DELETE", "/categorieen/{uuid}", VERWIJDEREN),
    ("GET", "/categorie-relaties", LEZEN),
    ("POST", "/categorie-relaties", AANMAKEN),
    ("GET", "/categorie-relaties/{uuid}", LEZEN),
    ("PUT", "/categorie-relaties/{uuid}", BIJWERKEN),
    ("PATCH", "/categorie-relaties/{uuid}", BIJWERKEN),
    ("DELETE", "/categorie-relaties/{uuid}", VERWIJDEREN),
];

/// The resources that are parts of a klantcontact.
const KLANTCONTACT_PARTS: [&parts::Part<klantcontact_parts::KlantcontactOwner>; 4] = [
    &klantcontact_parts::BETROKKENEN,
    &klantcontact_parts::ONDERWERPOBJECTEN,
    &klantcontact_parts::BIJLAGEN,
    &klantcontact_parts::ACTORKLANTCONTACTEN,
];

/// The resources that are parts of a partij.
const PARTS: [&parts::Part<parts::PartijOwner>; 4] = [
    &parts::IDENTIFICATOREN,
    &parts::DIGITALE_ADRESSEN,
    &parts::REKENINGNUMMERS,
    &parts::VERTEGENWOORDIGINGEN,
];

/// The query parameters of each operation (see `crate::openapi`).
pub fn query_parameters(method: &str, path: &str) -> Vec<crate::openapi::params::QueryParam> {
    match (method, path) {
        ("GET", "/partijen") => filters::parameters(partijen::FILTERS, true),
        ("GET", "/partijen/{uuid}") => partijen::DETAIL_PARAMETERS.to_vec(),
        ("GET", "/klantcontacten") => filters::parameters(klantcontacten::FILTERS, true),
        ("GET", "/klantcontacten/{uuid}") => klantcontacten::DETAIL_PARAMETERS.to_vec(),
        ("GET", "/internetaken") => objecten::list_parameters::<objecten::Internetaken>(),
        ("GET", "/actoren") => objecten::list_parameters::<objecten::Actoren>(),
        ("GET", "/categorieen") => objecten::list_parameters::<objecten::Categorieen>(),
        ("GET", "/categorie-relaties") => {
            objecten::list_parameters::<objecten::CategorieRelaties>()
        }
        (
            "GET",
            "/internetaken/{uuid}"
            | "/actoren/{uuid}"
            | "/categorieen/{uuid}"
            | "/categorie-relaties/{uuid}",
        ) => vec![crate::time_travel::AS_OF],
        ("DELETE", "/onderwerpobjecten/{uuid}") => vec![klantcontact_parts::CASCADE],
        (method, path) if KLANTCONTACT_PARTS.iter().any(|p| under(path, p.collection)) => {
            let part = KLANTCONTACT_PARTS
                .iter()
                .find(|p| under(path, p.collection))
                .expect("found above");
            part_parameters(method, path, part.filters, !part.expand.is_empty())
        }
        (method, path) => {
            let Some(part) = PARTS.iter().find(|p| under(path, p.collection)) else {
                return Vec::new();
            };
            part_parameters(method, path, part.filters, !part.expand.is_empty())
        }
    }
}

/// `path` is `/{collection}` or `/{collection}/{uuid}`.
fn under(path: &str, collection: &str) -> bool {
    path.strip_prefix('/')
        .and_then(|rest| rest.strip_prefix(collection))
        .is_some_and(|rest| rest.is_empty() || rest == "/{uuid}")
}

/// The query parameters of an operation on a part resource with `filters`.
fn part_parameters(
    method: &str,
    path: &str,
    filters: &'static [(&'static str, filters::Filter)],
    expand: bool,
) -> Vec<crate::openapi::params::QueryParam> {
    match (method, path.ends_with("{uuid}")) {
        ("GET", false) => filters::parameters(filters, expand),
        ("GET", true) if expand => vec![crate::openapi::params::EXPAND],
        _ => Vec::new(),
    }
}

/// The OpenAPI schema of a resource of this API, from the fields its parser reads.
pub fn openapi_schema(name: &str) -> Option<serde_json::Value> {
    use crate::fields::describe;
    match name {
        "Partij" => Some(describe(|body| {
            let _ = dto::parse_partij(body);
        })),
        "PartijIdentificator" => Some(describe(|body| {
            let _ = dto::parse_identificator(body);
        })),
        "DigitaalAdres" => Some(describe(|body| {
            let _ = dto::parse_digitaal_adres(body);
        })),
        "Rekeningnummer" => Some(describe(|body| {
            let _ = dto::parse_rekeningnummer(body);
        })),
        "Vertegenwoordigden" => Some(describe(|body| {
            let _ = dto::parse_vertegenwoordiging(body);
        })),
        "Klantcontact" => Some(describe(|body| {
            let _ = dto::parse_klantcontact(body);
        })),
        "Betrokkene" => Some(describe(|body| {
            let _ = dto::parse_betrokkene(body);
        })),
        "Onderwerpobject" => Some(describe(|body| {
            let _ = dto::parse_onderwerpobject(body);
        })),
        "MaakKlantcontact" => Some(describe(|body| {
            let _ = dto::parse_maak_klantcontact(body);
        })),
        "Bijlage" => Some(describe(|body| {
            let _ = dto::parse_bijlage(body);
        })),
        "ActorKlantcontact" => Some(describe(|body| {
            let _ = dto::parse_actorklantcontact(body);
        })),
        "InterneTaak" => Some(objecten::schema::<objecten::Internetaken>()),
        "Actor" => Some(objecten::schema::<objecten::Actoren>()),
        "Categorie" => Some(objecten::schema::<objecten::Categorieen>()),
        "CategorieRelatie" => Some(objecten::schema::<objecten::CategorieRelaties>()),
        _ => None,
    }
}

/// The partij use cases, with this state's adapters.
pub(crate) fn service(s: &AppState) -> commands::klantinteracties::Partijen<'_> {
    commands::klantinteracties::Partijen {
        commands: &s.commands,
        ports: Box::new(ports::Adapters(s)),
    }
}

/// What a PUT, PATCH (`body` given) or DELETE of `target` reads first: the path's uuid (404
/// when it is none), the JSON body, and the write's context (conditioned on `If-Match`).
async fn write_request(
    s: &AppState,
    caller: &Caller,
    raw: &str,
    target: Target,
    body: Option<(&HeaderMap, &Bytes)>,
) -> Result<(Uuid, Value, Context), ApiError> {
    let body = match body {
        Some((headers, body)) => {
            headers::require_json(headers)?;
            resource::parse_json(body)?
        }
        None => Value::Null,
    };
    let uuid: Uuid = raw.parse().map_err(|_| ApiError::NotFound)?;
    let ctx = s.write_context(caller, target, uuid).await?;
    Ok((uuid, body, ctx))
}

/// One page of `column` of `from` (`{table} {alias}`; its rows' `partij` expression naming
/// the partij or klantcontact each is or belongs to), filtered by `query`, in `order` (Open
/// Klant's: the newest first, see the callers); `collection` names the list for its links.
/// Recorded in the read log (bron kic) as a read of each of those on it (a list of partijen
/// filtered by a BSN is who looked that person up).
async fn page(
    s: &AppState,
    (caller, headers): (&Caller, &HeaderMap),
    (pairs, query): (&[(String, String)], &filters::Query),
    (from, partij): (&str, &str),
    (column, order): (&str, &str),
    collection: &str,
) -> Result<pagination::Page<Value>, ApiError> {
    let alias = from.split(' ').next_back().unwrap_or_default();
    let filtered = |select: &str| {
        let mut sql = QueryBuilder::new(select);
        sql.push(format!(" FROM {from} WHERE true"));
        query.push_conditions(&mut sql, partij);
        sql
    };
    let (limit, offset) = (query.page.limit(), query.page.offset());
    let mut select = filtered(&format!("SELECT {partij}, {alias}.{column}"));
    select
        .push(format!(" ORDER BY {order} LIMIT "))
        .push_bind(limit)
        .push(" OFFSET ")
        .push_bind(offset);
    let rows: Vec<(Uuid, Value)> = select
        .build_query_as()
        .fetch_all(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    // A short page is the last one: its count is known (a lookup by BSN is one statement).
    let last = (rows.len() as i64) < limit && (offset == 0 || !rows.is_empty());
    let total: i64 = if last {
        offset + rows.len() as i64
    } else {
        filtered("SELECT count(*)")
            .build_query_scalar()
            .fetch_one(&s.pool)
            .await
            .map_err(ApiError::internal)?
    };
    let (partijen, rows): (Vec<Uuid>, Vec<Value>) = rows.into_iter().unzip();
    let base = format!("{}/{collection}", s.urls.klantinteracties());
    let read = (projections::partijen::BRON, collection);
    let url = pagination::asked(&base, pairs);
    s.reads
        .record_list(caller, headers, read, &url, partijen)
        .await;
    pagination::page(&base, pairs, query.page, total, rows)
}

/// Records that `caller` read `resource` (at `url`) of partij `partij` (its personal data:
/// who read a BSN is kept as for a zaak's rollen, `crate::reads`).
async fn record_read(
    s: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    partij: Uuid,
    object: (&str, &str),
) {
    let partij_url = s.urls.partij(partij);
    record_read_of(s, caller, headers, (partij, &partij_url), object).await;
}

/// Records that `caller` read `resource` (at `url`) of the hoofdObject `hoofd` (a partij
/// or a klantcontact, at its URL).
async fn record_read_of(
    s: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    (hoofd, hoofd_url): (Uuid, &str),
    (resource, url): (&str, &str),
) {
    let object = crate::reads::Object {
        bron: projections::partijen::BRON,
        hoofd_object: hoofd,
        hoofd_object_url: hoofd_url,
        resource,
        resource_url: url,
    };
    s.reads.record(caller, headers, object).await;
}

/// The requested `expand` fields (comma-separated, repeatable); an unknown one is refused.
pub(super) fn expand_of(
    pairs: &[(String, String)],
    expandable: &[&str],
) -> Result<Vec<String>, ApiError> {
    let mut fields = Vec::new();
    for v in pairs.iter().filter(|(k, _)| k == "expand").map(|(_, v)| v) {
        for field in v.split(',').map(str::trim).filter(|f| !f.is_empty()) {
            if !expandable.contains(&field) {
                return Err(ApiError::invalid(
                    "expand",
                    "invalid_choice",
                    format!("Selecteer een geldige keuze. {field} is geen beschikbare keuze."),
                ));
            }
            fields.push(field.to_owned());
        }
    }
    Ok(fields)
}

pub fn router() -> Router<AppState> {
    let objecten = objecten::router::<objecten::Internetaken>()
        .merge(objecten::router::<objecten::Actoren>())
        .merge(objecten::router::<objecten::Categorieen>())
        .merge(objecten::router::<objecten::CategorieRelaties>());
    // The digitale adressen are a partij's or a klantcontact's: their own router.
    PARTS
        .into_iter()
        .filter(|part| part.collection != parts::DIGITALE_ADRESSEN.collection)
        .fold(
            partijen::router()
                .merge(klantcontacten::router())
                .merge(digitale_adressen::router())
                .merge(objecten),
            |router, part| router.merge(parts::router(part)),
        )
        .merge(
            KLANTCONTACT_PARTS
                .into_iter()
                .filter(|part| part.collection != klantcontact_parts::ONDERWERPOBJECTEN.collection)
                .fold(Router::new(), |router, part| {
                    router.merge(parts::router(part))
                }),
        )
        .merge(klantcontact_parts::onderwerpobjecten_router())
        .layer(headers::api_version(API_VERSION))
}
