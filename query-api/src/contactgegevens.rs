//! Contactgegevens API 1.1.1 (Open Klant 2.x) at /contactgegevens/api/v1: personen and
//! organisaties whose contact details are kept, each an object in its own stream, under
//! the same `klantinteracties.*` scopes on component `kic` as the Klantinteracties API
//! (Open Klant serves both to one token).

use axum::Router;
use commands::klantinteracties::{AANMAKEN, BIJWERKEN, LEZEN, VERWIJDEREN};

use crate::klantinteracties::objecten::{self, Organisaties, Personen};
use crate::{headers, AppState};

pub const API_VERSION: &str = "1.1.1";
pub const PREFIX: &str = "/contactgegevens/api/v1";

/// The scope of each operation (see `crate::scopes`).
pub const SCOPES: &[(&str, &str, &str)] = &[
    ("GET", "/persoon", LEZEN),
    ("POST", "/persoon", AANMAKEN),
    ("GET", "/persoon/{uuid}", LEZEN),
    ("PUT", "/persoon/{uuid}", BIJWERKEN),
    ("PATCH", "/persoon/{uuid}", BIJWERKEN),
    ("DELETE", "/persoon/{uuid}", VERWIJDEREN),
    ("GET", "/organisatie", LEZEN),
    ("POST", "/organisatie", AANMAKEN),
    ("GET", "/organisatie/{uuid}", LEZEN),
    ("PUT", "/organisatie/{uuid}", BIJWERKEN),
    ("PATCH", "/organisatie/{uuid}", BIJWERKEN),
    ("DELETE", "/organisatie/{uuid}", VERWIJDEREN),
];

/// The query parameters of each operation (see `crate::openapi`).
pub fn query_parameters(method: &str, path: &str) -> Vec<crate::openapi::params::QueryParam> {
    match (method, path) {
        ("GET", "/persoon") => objecten::list_parameters::<Personen>(),
        ("GET", "/organisatie") => objecten::list_parameters::<Organisaties>(),
        ("GET", "/persoon/{uuid}" | "/organisatie/{uuid}") => vec![crate::time_travel::AS_OF],
        _ => Vec::new(),
    }
}

/// The OpenAPI schema of a resource of this API, from the fields its parser reads.
pub fn openapi_schema(name: &str) -> Option<serde_json::Value> {
    match name {
        "Persoon" => Some(objecten::schema::<Personen>()),
        "Organisatie" => Some(objecten::schema::<Organisaties>()),
        _ => None,
    }
}

pub fn router() -> Router<AppState> {
    objecten::router::<Personen>()
        .merge(objecten::router::<Organisaties>())
        .layer(headers::api_version(API_VERSION))
}
