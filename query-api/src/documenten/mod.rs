//! Documenten API 1.4.2 at /documenten/api/v1: enkelvoudiginformatieobjecten (versions,
//! lock, download, bestandsdelen), gebruiksrechten, objectinformatieobjecten, verzendingen.

mod audittrail;
mod bestandsdelen;
pub mod content;
mod dto;
pub mod facts;
mod filters;
mod list_query;
mod lock;
mod one_call;
mod part_dto;
mod parts;
mod ports;
mod routes;
pub(crate) use routes::Versie;

use axum::Router;

pub use content::{ContentError, ContentStore};

use crate::limits::body_limit;
use crate::{headers, AppState};

pub const API_VERSION: &str = "1.4.2";

/// How this server stores and accepts document content.
#[derive(Debug, Clone)]
pub struct Settings {
    pub content: ContentStore,
    /// The size of every bestandsdeel but the last.
    pub chunk_size: u64,
    /// The largest JSON body (base64 `inhoud` included) a write accepts.
    pub max_json_body: usize,
}

pub use commands::documenten::{BIJWERKEN, UNLOCK};

/// The scope of each operation (see `crate::scopes`).
/// The query parameters of each operation (see `crate::openapi`).
pub fn query_parameters(method: &str, path: &str) -> Vec<crate::openapi::params::QueryParam> {
    use crate::openapi::params::{EXPAND, PAGING};
    use event_schemas::document::DocumentPartKind as Kind;
    match (method, path) {
        ("GET", "/enkelvoudiginformatieobjecten") => list_query::parameters(),
        ("GET", "/enkelvoudiginformatieobjecten/{enkelvoudiginformatieobject_uuid}/audittrail") => {
            crate::audittrail::PARAMETERS.to_vec()
        }
        ("POST", "/enkelvoudiginformatieobjecten/_zoek") => {
            PAGING.into_iter().chain([EXPAND]).collect()
        }
        ("GET", "/enkelvoudiginformatieobjecten/{uuid}") => routes::DETAIL_PARAMETERS.to_vec(),
        ("GET", "/enkelvoudiginformatieobjecten/{uuid}/download") => {
            routes::VERSION_PARAMETERS.to_vec()
        }
        ("GET", _) => [
            Kind::Gebruiksrecht,
            Kind::Objectinformatieobject,
            Kind::Verzending,
        ]
        .into_iter()
        .find_map(|kind| {
            let collection = format!("/{}", kind.collection());
            if path == collection {
                Some(parts::parameters(kind))
            } else if path == format!("{collection}/{{uuid}}") {
                Some(vec![EXPAND])
            } else {
                None
            }
        })
        .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The OpenAPI schema of a resource of this API, from the fields its parsers read.
pub fn openapi_schema(name: &str) -> Option<serde_json::Value> {
    use crate::fields::describe;
    use event_schemas::document::DocumentPartKind as Kind;
    let part = |kind: Kind| {
        Some(describe(|body| {
            let _ = part_dto::parse(kind, body);
        }))
    };
    match name {
        "EnkelvoudigInformatieObject" => Some(describe(|body| {
            let _ = dto::parse(body);
            let _ = dto::content_fields(body, false);
        })),
        "Gebruiksrechten" => part(Kind::Gebruiksrecht),
        "ObjectInformatieObject" => part(Kind::Objectinformatieobject),
        "Verzending" => part(Kind::Verzending),
        _ => None,
    }
}

pub const SCOPES: &[(&str, &str, &str)] = &[
    // The one-call endpoints: the first scope of each conjunction (the use case checks the
    // document's and the zaak's).
    ("POST", "/document_registreren", "documenten.aanmaken"),
    ("POST", "/documentnummer_reserveren", "documenten.aanmaken"),
    ("GET", "/enkelvoudiginformatieobjecten", "documenten.lezen"),
    (
        "POST",
        "/enkelvoudiginformatieobjecten",
        "documenten.aanmaken",
    ),
    (
        "POST",
        "/enkelvoudiginformatieobjecten/_zoek",
        "documenten.lezen",
    ),
    (
        "GET",
        "/enkelvoudiginformatieobjecten/{uuid}",
        "documenten.lezen",
    ),
    ("PUT", "/enkelvoudiginformatieobjecten/{uuid}", BIJWERKEN),
    ("PATCH", "/enkelvoudiginformatieobjecten/{uuid}", BIJWERKEN),
    (
        "DELETE",
        "/enkelvoudiginformatieobjecten/{uuid}",
        "documenten.verwijderen",
    ),
    (
        "GET",
        "/enkelvoudiginformatieobjecten/{uuid}/download",
        "documenten.lezen",
    ),
    (
        "POST",
        "/enkelvoudiginformatieobjecten/{uuid}/lock",
        "documenten.lock",
    ),
    (
        "POST",
        "/enkelvoudiginformatieobjecten/{uuid}/unlock",
        UNLOCK,
    ),
    (
        "GET",
        "/enkelvoudiginformatieobjecten/{enkelvoudiginformatieobject_uuid}/audittrail",
        audittrail::SCOPE,
    ),
    (
        "GET",
        "/enkelvoudiginformatieobjecten/{enkelvoudiginformatieobject_uuid}/audittrail/{uuid}",
        audittrail::SCOPE,
    ),
    ("PUT", "/bestandsdelen/{uuid}", "documenten.bijwerken"),
    ("GET", "/gebruiksrechten", "documenten.lezen"),
    ("POST", "/gebruiksrechten", "documenten.aanmaken"),
    ("GET", "/gebruiksrechten/{uuid}", "documenten.lezen"),
    ("PUT", "/gebruiksrechten/{uuid}", "documenten.bijwerken"),
    ("PATCH", "/gebruiksrechten/{uuid}", "documenten.bijwerken"),
    (
        "DELETE",
        "/gebruiksrechten/{uuid}",
        "documenten.verwijderen",
    ),
    ("GET", "/objectinformatieobjecten", "documenten.lezen"),
    ("POST", "/objectinformatieobjecten", "documenten.aanmaken"),
    (
        "GET",
        "/objectinformatieobjecten/{uuid}",
        "documenten.lezen",
    ),
    (
        "DELETE",
        "/objectinformatieobjecten/{uuid}",
        "documenten.verwijderen",
    ),
    ("GET", "/verzendingen", "documenten.lezen"),
    ("POST", "/verzendingen", "documenten.aanmaken"),
    ("GET", "/verzendingen/{uuid}", "documenten.lezen"),
    ("PUT", "/verzendingen/{uuid}", "documenten.bijwerken"),
    ("PATCH", "/verzendingen/{uuid}", "documenten.bijwerken"),
    ("DELETE", "/verzendingen/{uuid}", "documenten.verwijderen"),
];

/// The documenten use cases, with this state's adapters.
pub(crate) fn service(s: &AppState) -> commands::documenten::Documenten<'_> {
    commands::documenten::Documenten {
        commands: &s.commands,
        ports: Box::new(ports::Adapters(s)),
    }
}

pub fn router(settings: &Settings, budget: &crate::limits::BodyBudget) -> Router<AppState> {
    let json = Router::new()
        .merge(routes::router())
        .merge(lock::router())
        .merge(parts::router())
        .merge(one_call::router())
        .merge(audittrail::router());
    // A bestandsdeel is read as a stream; its size is checked against the planned part.
    let part_limit = settings.chunk_size as usize + 64 * 1024;
    Router::new()
        .merge(body_limit(json, settings.max_json_body, Some(budget)))
        // Streamed into the store, never held whole: no share of the budget.
        .merge(body_limit(bestandsdelen::router(), part_limit, None))
        .layer(headers::api_version(API_VERSION))
}
