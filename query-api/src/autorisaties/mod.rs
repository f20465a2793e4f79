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
