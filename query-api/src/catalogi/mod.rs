//! Catalogi API 1.3.1 at /catalogi/api/v1: catalogussen and their zaaktypen,
//! informatieobjecttypen, besluittypen, statustypen, roltypen, resultaattypen,
//! eigenschappen, zaakobjecttypen and zaaktype-informatieobjecttypen, event-sourced in
//! `catalogus-{uuid}` and `catalogusobject-{uuid}` streams.

mod catalogussen;
mod dto;
pub mod facts;
mod filters;
mod objects;
mod ports;
mod reads;
mod references;
pub(crate) mod schema;
mod selectielijst;

use axum::routing::{get, post};
use axum::Router;
use event_schemas::catalogus::ObjectKind;

use crate::{headers, AppState};

pub const API_VERSION: &str = "1.3.1";

const LEZEN: &str = "catalogi.lezen";
/// Zaaktypen are also readable by those who read zaken or documenten.
const LEZEN_ZAAKTYPEN: &str = "catalogi.lezen|zrc:zaken.lezen|drc:documenten.lezen";
pub use commands::catalogi::{BIJWERKEN, FORCED_DELETE, FORCED_WRITE, SCHRIJVEN, VERWIJDEREN};

/// The scope of each operation (see `crate::scopes`), as the spec secures it.
/// The query parameters of each operation (see `crate::openapi`).
pub fn query_parameters(method: &str, path: &str) -> Vec<crate::openapi::params::QueryParam> {
    use crate::openapi::params::{param, ParamType};
    if method != "GET" {
        return Vec::new();
    }
    if path == "/catalogussen" {
        return filters::parameters(None);
    }
    if path == "/zaaktypen/{uuid}" {
        return vec![
            param("datumGeldigheid", ParamType::Date),
            crate::time_travel::AS_OF,
        ];
    }
    if path.ends_with("/{uuid}") {
        return vec![crate::time_travel::AS_OF];
    }
    ObjectKind::ALL
        .into_iter()
        .find(|k| path.strip_prefix('/') == Some(k.collection()))
        .map(|k| filters::parameters(Some(k)))
        .unwrap_or_default()
}

/// The OpenAPI schema of the resource under the collection `segment`, from the field
/// table its requests are validated with.
pub fn openapi_schema(segment: &str) -> Option<serde_json::Value> {
    if segment == "catalogussen" {
        return Some(schema::openapi(schema::CATALOGUS));
    }
    let kind = ObjectKind::ALL
        .into_iter()
        .find(|k| k.collection() == segment)?;
    Some(schema::openapi(schema::fields(kind)))
}

pub const SCOPES: &[(&str, &str, &str)] = &[
    ("GET", "/besluittypen", LEZEN),
    ("POST", "/besluittypen", SCHRIJVEN),
    ("GET", "/besluittypen/{uuid}", LEZEN),
    ("PUT", "/besluittypen/{uuid}", BIJWERKEN),
    ("PATCH", "/besluittypen/{uuid}", BIJWERKEN),
    ("DELETE", "/besluittypen/{uuid}", VERWIJDEREN),
    ("POST", "/besluittypen/{uuid}/publish", SCHRIJVEN),
    ("GET", "/catalogussen", LEZEN),
    ("POST", "/catalogussen", SCHRIJVEN),
    ("GET", "/catalogussen/{uuid}", LEZEN),
    ("GET", "/eigenschappen", LEZEN),
    ("POST", "/eigenschappen", BIJWERKEN),
    ("GET", "/eigenschappen/{uuid}", LEZEN),
    ("PUT", "/eigenschappen/{uuid}", BIJWERKEN),
    ("PATCH", "/eigenschappen/{uuid}", BIJWERKEN),
    ("DELETE", "/eigenschappen/{uuid}", VERWIJDEREN),
    ("GET", "/informatieobjecttypen", LEZEN),
    ("POST", "/informatieobjecttypen", SCHRIJVEN),
    ("GET", "/informatieobjecttypen/{uuid}", LEZEN),
    ("PUT", "/informatieobjecttypen/{uuid}", BIJWERKEN),
    ("PATCH", "/informatieobjecttypen/{uuid}", BIJWERKEN),
    ("DELETE", "/informatieobjecttypen/{uuid}", VERWIJDEREN),
    ("POST", "/informatieobjecttypen/{uuid}/publish", SCHRIJVEN),
    ("GET", "/resultaattypen", LEZEN),
    ("POST", "/resultaattypen", BIJWERKEN),
    ("GET", "/resultaattypen/{uuid}", LEZEN),
    ("PUT", "/resultaattypen/{uuid}", BIJWERKEN),
    ("PATCH", "/resultaattypen/{uuid}", BIJWERKEN),
    ("DELETE", "/resultaattypen/{uuid}", VERWIJDEREN),
    ("GET", "/roltypen", LEZEN),
    ("POST", "/roltypen", BIJWERKEN),
    ("GET", "/roltypen/{uuid}", LEZEN),
    ("PUT", "/roltypen/{uuid}", BIJWERKEN),
    ("PATCH", "/roltypen/{uuid}", BIJWERKEN),
    ("DELETE", "/roltypen/{uuid}", VERWIJDEREN),
    ("GET", "/statustypen", LEZEN),
    ("POST", "/statustypen", BIJWERKEN),
    ("GET", "/statustypen/{uuid}", LEZEN),
    ("PUT", "/statustypen/{uuid}", BIJWERKEN),
    ("PATCH", "/statustypen/{uuid}", BIJWERKEN),
    ("DELETE", "/statustypen/{uuid}", VERWIJDEREN),
    ("GET", "/zaakobjecttypen", LEZEN),
    ("POST", "/zaakobjecttypen", BIJWERKEN),
    ("GET", "/zaakobjecttypen/{uuid}", LEZEN),
    ("PUT", "/zaakobjecttypen/{uuid}", BIJWERKEN),
    ("PATCH", "/zaakobjecttypen/{uuid}", BIJWERKEN),
    ("DELETE", "/zaakobjecttypen/{uuid}", VERWIJDEREN),
    ("GET", "/zaaktype-informatieobjecttypen", LEZEN),
    ("POST", "/zaaktype-informatieobjecttypen", BIJWERKEN),
    ("GET", "/zaaktype-informatieobjecttypen/{uuid}", LEZEN),
    ("PUT", "/zaaktype-informatieobjecttypen/{uuid}", BIJWERKEN),
    ("PATCH", "/zaaktype-informatieobjecttypen/{uuid}", BIJWERKEN),
    (
        "DELETE",
        "/zaaktype-informatieobjecttypen/{uuid}",
        VERWIJDEREN,
    ),
    ("GET", "/zaaktypen", LEZEN_ZAAKTYPEN),
    ("POST", "/zaaktypen", SCHRIJVEN),
    ("GET", "/zaaktypen/{uuid}", LEZEN_ZAAKTYPEN),
    ("PUT", "/zaaktypen/{uuid}", BIJWERKEN),
    ("PATCH", "/zaaktypen/{uuid}", BIJWERKEN),
    ("DELETE", "/zaaktypen/{uuid}", VERWIJDEREN),
    ("POST", "/zaaktypen/{uuid}/publish", SCHRIJVEN),
];

/// The catalogi use cases, with this state's adapters.
pub(crate) fn service(s: &AppState) -> commands::catalogi::Catalogi<'_> {
    commands::catalogi::Catalogi {
        commands: &s.commands,
        ports: Box::new(ports::Adapters(s)),
    }
}

pub fn router() -> Router<AppState> {
    let mut router = Router::new()
        .route(
            "/catalogussen",
            get(|s, c, q| reads::list(None, s, c, q)).post(catalogussen::create),
        )
        .route(
            "/catalogussen/{uuid}",
            get(|s, c, p, q, h| reads::detail(None, s, c, p, q, h)),
        );
    for kind in ObjectKind::ALL {
        router = router.merge(object_router(kind));
    }
    router.layer(headers::api_version(API_VERSION))
}

fn object_router(kind: ObjectKind) -> Router<AppState> {
    let collection = format!("/{}", kind.collection());
    let detail = format!("{collection}/{{uuid}}");
    let router = Router::new()
        .route(
            &collection,
            get(move |s, c, q| reads::list(Some(kind), s, c, q))
                .post(move |s, c, h, b| objects::create(kind, s, c, h, b)),
        )
        .route(
            &detail,
            get(move |s, c, p, q, h| reads::detail(Some(kind), s, c, p, q, h))
                .put(move |s, c, p, h, b| objects::update(kind, s, c, p, h, b, false))
                .patch(move |s, c, p, h, b| objects::update(kind, s, c, p, h, b, true))
                .delete(move |s, c, p| objects::destroy(kind, s, c, p)),
        );
    if kind.is_publishable() {
        router.route(
            &format!("{detail}/publish"),
            post(move |s, c, p| objects::publish(kind, s, c, p)),
        )
    } else {
        router
    }
}
