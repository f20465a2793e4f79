//! Zaken API 1.5.1 at /zaken/api/v1.

mod audittrail;
pub(crate) mod catalogus;
pub(crate) mod documenten;
mod dto;
pub(crate) mod expand;
mod filters;
pub(crate) mod lists;
mod one_call;
pub use one_call::{register, SCOPES as ONE_CALL_SCOPES};
pub mod parts;
pub(crate) mod ports;
mod routes;
mod statussen;

pub use routes::router;

pub const API_VERSION: &str = "1.5.1";

/// The OpenAPI schema of a resource of this API, from the fields its parser reads.
pub fn openapi_schema(name: &str) -> Option<serde_json::Value> {
    use crate::fields::describe;
    let now = chrono::Utc::now();
    match name {
        "Zaak" => Some(describe(|body| {
            let _ = dto::parse(body, now);
        })),
        "Status" => Some(describe(|body| {
            let urls = projections::render::Urls::new("http://localhost");
            let _ = statussen::parse(&urls, body, now);
        })),
        _ => None,
    }
}

/// The scope of each operation (see `crate::scopes`).
pub const SCOPES: &[(&str, &str, &str)] = &[
    ("GET", "/zaken", "zaken.lezen"),
    ("POST", "/zaken", "zaken.aanmaken"),
    ("POST", "/zaken/_zoek", "zaken.lezen"),
    ("GET", "/zaken/{uuid}", "zaken.lezen"),
    ("PUT", "/zaken/{uuid}", BIJWERKEN),
    ("PATCH", "/zaken/{uuid}", BIJWERKEN),
    ("DELETE", "/zaken/{uuid}", "zaken.verwijderen"),
    ("GET", "/statussen", "zaken.lezen"),
    ("POST", "/statussen", statussen::SCOPE),
    ("GET", "/statussen/{uuid}", "zaken.lezen"),
    ("GET", "/zaken/{zaak_uuid}/audittrail", audittrail::SCOPE),
    (
        "GET",
        "/zaken/{zaak_uuid}/audittrail/{uuid}",
        audittrail::SCOPE,
    ),
];

pub use commands::zaken::BIJWERKEN;

/// The query parameters of each operation (see `crate::openapi`).
pub fn query_parameters(method: &str, path: &str) -> Vec<crate::openapi::params::QueryParam> {
    if method != "GET" {
        return match path {
            "/zaken/_zoek" => {
                let paging = crate::openapi::params::PAGING;
                paging
                    .into_iter()
                    .chain([crate::openapi::params::EXPAND])
                    .collect()
            }
            _ => Vec::new(),
        };
    }
    match path {
        "/zaken" => filters::parameters(),
        "/zaken/{uuid}" => vec![crate::openapi::params::EXPAND, crate::time_travel::AS_OF],
        "/statussen" => statussen::listing().parameters(),
        "/statussen/{uuid}" => vec![crate::time_travel::AS_OF],
        "/zaken/{zaak_uuid}/audittrail" => crate::audittrail::PARAMETERS.to_vec(),
        _ if parts::SPECS
            .iter()
            .any(|s| format!("{}/{{uuid}}", s.collection()) == path) =>
        {
            vec![crate::time_travel::AS_OF]
        }
        _ => parts::SPECS
            .iter()
            .find(|spec| spec.collection() == path)
            .map(|spec| spec.listing().parameters())
            .unwrap_or_default(),
    }
}

/// The zaken use cases, with this state's adapters.
pub(crate) fn service(s: &crate::AppState) -> commands::zaken::Zaken<'_> {
    commands::zaken::Zaken {
        commands: &s.commands,
        ports: Box::new(ports::Adapters(s)),
    }
}
