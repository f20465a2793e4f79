//! Each API's root (`GET /zaken/api/v1/`, ...), as Open Zaak's routers answer it: an object
//! with a link to every collection the API serves, named as in its paths. The names come
//! from the table of operations that guards them (`scopes::collections`), so the root lists
//! exactly what is served. Public, like the API's OpenAPI document.

use axum::extract::{OriginalUri, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value};

use crate::AppState;

/// `router` with its root at `/` (and the nested path without a trailing slash).
pub fn with_root(router: Router<AppState>) -> Router<AppState> {
    router.route("/", get(root))
}

/// The roots with a trailing slash (`/zaken/api/v1/`), as clients write them: a nested
/// router's `/` is the path without it.
pub fn slashed() -> Router<AppState> {
    crate::scopes::APIS
        .iter()
        .fold(Router::new(), |router, api| {
            router.route(&format!("{}/", api.prefix), get(root))
        })
}

async fn root(State(s): State<AppState>, OriginalUri(uri): OriginalUri) -> Json<Value> {
    let prefix = uri.path().trim_end_matches('/');
    let links: Map<String, Value> = crate::scopes::collections(prefix)
        .into_iter()
        .map(|name| {
            let url = format!("{}{prefix}/{name}", s.urls.base());
            (name, Value::String(url))
        })
        .collect();
    Json(Value::Object(links))
}
