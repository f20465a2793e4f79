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
