//! Autorisaties API 1.0.0 at /autorisaties/api/v1: applicaties and their autorisaties,
//! event-sourced in `applicatie-{uuid}` streams; a change counts on the very next request.

mod dto;
mod routes;

pub use routes::{applicatie_of_client, register, replace, router};

/// An applicatie in the shape of the API (and of the setup file) to domain attributes.
pub fn parse_applicatie(
    body: &serde_json::Value,
) -> Result<event_schemas::applicatie::ApplicatieAttributes, crate::ApiError> {
    dto::parse(body)
}

pub const API_VERSION: &str = "1.0.0";

pub use commands::autorisaties::BIJWERKEN;

/// The autorisaties use cases, over this state's command handler.
pub fn service(s: &crate::AppState) -> commands::autorisaties::Autorisaties<'_> {
    commands::autorisaties::Autorisaties {
        commands: &s.commands,
    }
}

/// The query parameters of each operation (see `crate::openapi`).
pub fn query_parameters(method: &str, path: &str) -> Vec<crate::openapi::params::QueryParam> {
    match (method, path) {
        ("GET", "/applicaties") => routes::LIST_PARAMETERS.to_vec(),
        ("GET", "/applicaties/consumer") => routes::CONSUMER_PARAMETERS.to_vec(),
        ("GET", "/applicaties/{uuid}") => routes::DETAIL_PARAMETERS.to_vec(),
        _ => Vec::new(),
    }
}

/// The OpenAPI schema of a resource of this API, from the fields its parser reads.
pub fn openapi_schema(name: &str) -> Option<serde_json::Value> {
    (name == "Applicatie").then(|| {
        crate::fields::describe(|body| {
            let _ = dto::parse(body);
        })
    })
}

/// The scope of each operation (see `crate::scopes`).
pub const SCOPES: &[(&str, &str, &str)] = &[
    ("GET", "/applicaties", "autorisaties.lezen"),
    ("POST", "/applicaties", BIJWERKEN),
    ("GET", "/applicaties/consumer", "autorisaties.lezen"),
    ("GET", "/applicaties/{uuid}", "autorisaties.lezen"),
    ("PUT", "/applicaties/{uuid}", BIJWERKEN),
    ("PATCH", "/applicaties/{uuid}", BIJWERKEN),
    ("DELETE", "/applicaties/{uuid}", BIJWERKEN),
];
