//! Notificaties API 1.0 at /notificaties/api/v1, as Open Notificaties serves it: kanalen,
//! abonnementen (checked with a test notification), notifications and CloudEvents from
//! outside publishers (appended to the log before the 201), and, our extension, each
//! abonnement's delivery log and dead letters for administrators. Delivery is the
//! `webhooks` role's (projections::webhooks::deliver), from the log.

mod dto;
pub mod ports;
mod routes;

pub use routes::router;

pub const API_VERSION: &str = "1.0.0";

use commands::notificaties::{CONSUMEREN, PUBLICEREN};

/// Our extension: reading delivery logs and sending dead letters again.
pub const BEHEREN: &str = "notificaties.beheren";

/// The notificaties use cases, over this state's command handler and adapters.
pub fn service(s: &crate::AppState) -> commands::notificaties::Notificaties<'_> {
    commands::notificaties::Notificaties {
        commands: &s.commands,
        ports: Box::new(ports::Adapters {
            pool: s.pool.clone(),
            key: s.credentials.key().clone(),
        }),
    }
}

pub(crate) const READ: &str = "notificaties.consumeren|notificaties.publiceren";

/// The query parameters of each operation (see `crate::openapi`).
pub fn query_parameters(method: &str, path: &str) -> Vec<crate::openapi::params::QueryParam> {
    match (method, path) {
        ("GET", "/kanaal") => routes::KANAAL_PARAMETERS.to_vec(),
        ("GET", "/abonnement/{uuid}/deliveries") => routes::DELIVERY_PARAMETERS.to_vec(),
        _ => Vec::new(),
    }
}

/// The OpenAPI schema of a resource of this API, from the fields its parsers read.
pub fn openapi_schema(name: &str) -> Option<serde_json::Value> {
    use crate::fields::describe;
    match name {
        "Kanaal" => Some(describe(|body| {
            let _ = dto::kanaal(body);
        })),
        "Abonnement" => Some(describe(|body| {
            let _ = dto::abonnement(body, true);
        })),
        "Message" => Some(describe(|body| {
            let _ = dto::message(body);
        })),
        "CloudEvent" => Some(describe(|body| {
            let _ = dto::cloudevent(body);
        })),
        _ => None,
    }
}

/// The scope of each operation (see `crate::scopes`).
pub const SCOPES: &[(&str, &str, &str)] = &[
    ("GET", "/kanaal", READ),
    ("POST", "/kanaal", PUBLICEREN),
    ("GET", "/kanaal/{uuid}", READ),
    ("PUT", "/kanaal/{uuid}", PUBLICEREN),
    ("PATCH", "/kanaal/{uuid}", PUBLICEREN),
    ("GET", "/abonnement", READ),
    ("POST", "/abonnement", CONSUMEREN),
    ("GET", "/abonnement/{uuid}", READ),
    ("PUT", "/abonnement/{uuid}", CONSUMEREN),
    ("PATCH", "/abonnement/{uuid}", CONSUMEREN),
    ("DELETE", "/abonnement/{uuid}", CONSUMEREN),
    ("POST", "/notificaties", PUBLICEREN),
    ("POST", "/cloudevents", PUBLICEREN),
    ("GET", "/abonnement/{uuid}/deliveries", BEHEREN),
    ("POST", "/abonnement/{uuid}/deliveries/resend", BEHEREN),
    ("POST", "/deliveries/{uuid}/resend", BEHEREN),
];
