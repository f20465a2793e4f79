//! Besluiten API 1.1.0 at /besluiten/api/v1: besluiten (with their audit trail) and
//! besluitinformatieobjecten, over the `besluit` aggregate and the besluiten read model.

mod audittrail;
mod dto;
mod filters;
mod informatieobjecten;
mod lists;
mod one_call;
mod ports;
mod routes;
mod sync;

use axum::Router;
use commands::besluiten::{AANMAKEN, BIJWERKEN, VERWIJDEREN};

use crate::{headers, AppState};

pub const API_VERSION: &str = "1.1.0";

/// The scope of each operation (see `crate::scopes`).
/// The query parameters of each operation (see `crate::openapi`).
pub fn query_parameters(method: &str, path: &str) -> Vec<crate::openapi::params::QueryParam> {
    match (method, path) {
        ("GET", "/besluiten") => filters::parameters(lists::FILTERS, true),
        ("GET", "/besluitinformatieobjecten") => {
            filters::parameters(informatieobjecten::FILTERS, false)
        }
        ("GET", "/besluiten/{besluit_uuid}/audittrail") => crate::audittrail::PARAMETERS.to_vec(),
        ("GET", "/besluiten/{uuid}") => {
            vec![crate::openapi::params::EXPAND, crate::time_travel::AS_OF]
        }
        _ => Vec::new(),
    }
}

/// The OpenAPI schema of a resource of this API, from the fields its parser reads.
pub fn openapi_schema(name: &str) -> Option<serde_json::Value> {
    use crate::fields::describe;
    match name {
        "Besluit" => Some(describe(|body| {
            let _ = dto::parse(body);
        })),
        "BesluitInformatieObject" => Some(describe(|body| {
            let _ = dto::parse_informatieobject(body);
        })),
        _ => None,
    }
}

pub const SCOPES: &[(&str, &str, &str)] = &[
    ("POST", "/besluit_verwerken", AANMAKEN),
    ("GET", "/besluiten", LEZEN),
    ("POST", "/besluiten", AANMAKEN),
    ("GET", "/besluiten/{uuid}", LEZEN),
    ("PUT", "/besluiten/{uuid}", BIJWERKEN),
    ("PATCH", "/besluiten/{uuid}", BIJWERKEN),
    ("DELETE", "/besluiten/{uuid}", VERWIJDEREN),
    (
        "GET",
        "/besluiten/{besluit_uuid}/audittrail",
        audittrail::SCOPE,
    ),
    (
        "GET",
        "/besluiten/{besluit_uuid}/audittrail/{uuid}",
        audittrail::SCOPE,
    ),
    ("GET", "/besluitinformatieobjecten", LEZEN),
    ("POST", "/besluitinformatieobjecten", AANMAKEN),
    ("GET", "/besluitinformatieobjecten/{uuid}", LEZEN),
    ("DELETE", "/besluitinformatieobjecten/{uuid}", VERWIJDEREN),
];

const LEZEN: &str = "besluiten.lezen";

/// The besluiten use cases, with this state's adapters.
pub(crate) fn service(s: &AppState) -> commands::besluiten::Besluiten<'_> {
    commands::besluiten::Besluiten {
        commands: &s.commands,
        ports: Box::new(ports::Adapters(s)),
    }
}

pub fn router() -> Router<AppState> {
    routes::router()
        .merge(informatieobjecten::router())
        .merge(one_call::router())
        .merge(audittrail::router())
        .layer(headers::api_version(API_VERSION))
}
