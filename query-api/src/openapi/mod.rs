//! Each API's OpenAPI 3 document, written from the code's own declarations rather than
//! copied from the standard: the operations and their scopes from the table that guards
//! them (`crate::scopes`), the query parameters from the tables the parsers read
//! (`params`), the headers from the rules the handlers apply (`crate::headers`), the error
//! bodies from `crate::error`, and the resource bodies from the field tables the request
//! parsers validate with (`schemas`). Served at `{api}/schema/openapi.yaml` and `.json`,
//! with a Redoc page at `{api}/schema/` (vendored: nothing comes from the internet).
//! Public, like the API roots, as the reference serves them.

mod naming;
mod page;
pub mod params;
mod schemas;

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use axum::extract::{OriginalUri, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::scopes::{Api, Requirement, APIS};
use crate::AppState;

pub use naming::{is_extension, EXTENSIONS};
pub use schemas::object as schema_object;

/// The routes of every API's document and page.
pub fn router() -> Router<AppState> {
    APIS.iter()
        .fold(Router::new(), |router, api| {
            let base = format!("{}/schema", api.prefix);
            router
                .route(&format!("{base}/openapi.yaml"), get(yaml))
                .route(&format!("{base}/openapi.json"), get(json_document))
                .route(&format!("{base}/"), get(page::page))
                .route(&base, get(page::page))
        })
        .route("/schema-assets/{file}", get(page::asset))
}

/// The API a request's path is under.
fn api_of(path: &str) -> Result<&'static Api, ApiError> {
    APIS.iter()
        .find(|api| path.starts_with(&format!("{}/", api.prefix)))
        .ok_or(ApiError::NotFound)
}

/// The documents, built once per API and base URL (they depend on nothing else).
type Documents = HashMap<(&'static str, String), Arc<Value>>;
static DOCUMENTS: LazyLock<Mutex<Documents>> = LazyLock::new(Default::default);

fn cached(api: &'static Api, base_url: &str) -> Arc<Value> {
    let mut documents = DOCUMENTS.lock().unwrap_or_else(|e| e.into_inner());
    documents
        .entry((api.prefix, base_url.to_owned()))
        .or_insert_with(|| Arc::new(document(api, base_url)))
        .clone()
}

async fn yaml(
    State(s): State<AppState>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, ApiError> {
    let document = cached(api_of(uri.path())?, s.urls.base());
    let text = serde_yaml::to_string(&*document).map_err(ApiError::internal)?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/vnd.oai.openapi; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

async fn json_document(
    State(s): State<AppState>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, ApiError> {
    let document = cached(api_of(uri.path())?, s.urls.base());
    let text = serde_json::to_string(&*document).map_err(ApiError::internal)?;
    Ok((
        [(header::CONTENT_TYPE, "application/vnd.oai.openapi+json")],
        text,
    )
        .into_response())
}

/// The OpenAPI document of `api` as served at `base_url`.
pub fn document(api: &Api, base_url: &str) -> Value {
    let mut paths = Map::new();
    let mut used = Vec::new();
    for (method, path, requirement) in crate::scopes::operations(api.prefix) {
        let named = naming::name(api.prefix, method, &path);
        let operation = operation(api, method, &path, requirement, &named, &mut used);
        let item = paths
            .entry(path.clone())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("a path item is an object");
        item.insert(method.to_lowercase(), operation);
        // GET answers HEAD too (headers only), as the reference's `_head` operations.
        if method == "GET" && path.ends_with('}') {
            let mut headers = vec![header_parameter("If-None-Match", false)];
            if has_geometry(api.prefix, &path) {
                headers.push(header_parameter("Accept-Crs", true));
            }
            let head = json!({
                "operationId": named.operation_id.replace("_read", "_head").replace("Retrieve", "Head"),
                "summary": "De headers voor een specifiek(e) object opvragen",
                "tags": [tag(&path)],
                "security": security(requirement),
                "parameters": path_parameters(&path)
                    .into_iter()
                    .chain(headers)
                    .collect::<Vec<_>>(),
                "responses": {"200": {"description": "OK"}},
            });
            item.insert("head".into(), head);
        }
    }
    let mut schemas = schemas::errors();
    for name in used {
        schemas
            .entry(name.to_owned())
            .or_insert_with(|| schemas::resource(api.prefix, name));
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": api.title,
            "version": api.version,
            "description": format!(
                "{} {}, as Zaakstroom serves it. Written from Zaakstroom's own route, \
                 scope and parameter tables; operations marked x-zaakstroom-extension are \
                 Zaakstroom's own additions.",
                api.title, api.version
            ),
        },
        "servers": [{"url": format!("{base_url}{}", api.prefix)}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "JWT-Claims": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
            "schemas": schemas,
        },
    })
}

fn tag(path: &str) -> &str {
    path.split('/').find(|s| !s.is_empty()).unwrap_or("root")
}

/// Alternatives (`a|b`) are separate requirements: any one of them is enough.
fn security(requirement: Requirement) -> Value {
    match requirement {
        Requirement::Authenticated => json!([{"JWT-Claims": []}]),
        Requirement::Scope(_, scopes) => scopes
            .split('|')
            .map(|scope| {
                let scope = scope.split_once(':').map_or(scope, |(_, s)| s);
                json!({"JWT-Claims": [scope]})
            })
            .collect(),
    }
}

fn path_parameters(path: &str) -> Vec<Value> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| {
            json!({
                "name": name,
                "in": "path",
                "required": true,
                "schema": {"type": "string", "format": "uuid"},
            })
        })
        .collect()
}

fn header_parameter(name: &str, required: bool) -> Value {
    let schema = match name {
        "Accept-Crs" | "Content-Crs" => json!({"type": "string", "enum": [crate::headers::CRS]}),
        "Content-Type" => json!({"type": "string", "enum": ["application/json"]}),
        _ => json!({"type": "string"}),
    };
    json!({"name": name, "in": "header", "required": required, "schema": schema})
}

/// The zaak itself carries geometry: its reads need `Accept-Crs`, its writes
/// `Content-Crs` too (`crate::headers::require_accept_crs`, `require_content_crs`).
fn has_geometry(prefix: &str, path: &str) -> bool {
    prefix == "/zaken/api/v1"
        && (path == "/zaken" || path == "/zaken/{uuid}" || path == "/zaken/_zoek")
}

fn operation(
    api: &Api,
    method: &'static str,
    path: &str,
    requirement: Requirement,
    named: &naming::Named,
    used: &mut Vec<&'static str>,
) -> Value {
    let writes = matches!(method, "POST" | "PUT" | "PATCH");
    let mut parameters = path_parameters(path);
    let geometry = has_geometry(api.prefix, path);
    if geometry {
        parameters.push(header_parameter("Accept-Crs", true));
    }
    if geometry && writes {
        parameters.push(header_parameter("Content-Crs", true));
    }
    if writes {
        parameters.push(header_parameter("Content-Type", true));
    }
    if writes || method == "DELETE" {
        parameters.push(header_parameter("X-Audit-Toelichting", false));
    }
    if method == "GET" && path.ends_with('}') {
        parameters.push(header_parameter("If-None-Match", false));
    }
    let query = (api.parameters)(method, path);
    let query_names: Vec<&str> = query.iter().map(|p| p.name).collect();
    let paginated = query.iter().any(|p| p.ty == params::ParamType::Page);
    parameters.extend(query.into_iter().map(params::QueryParam::to_openapi));

    let last = path.rsplit('/').next().unwrap_or_default();
    let success = match method {
        "DELETE" => 204,
        "POST" if last == "_zoek" => 200,
        "POST" if last == "unlock" => 204,
        "POST" if named.collection || !path.contains('{') => 201,
        "POST" => 200,
        _ => 200,
    };
    let body = named.schema.map(|name| {
        used.push(name);
        let one = json!({"$ref": format!("#/components/schemas/{name}")});
        let listing = method == "GET" && named.collection || last == "_zoek";
        match (listing, paginated) {
            (true, true) => json!({
                "type": "object",
                "required": ["count", "results"],
                "properties": {
                    "count": {"type": "integer"},
                    "next": {"type": "string", "format": "uri", "nullable": true},
                    "previous": {"type": "string", "format": "uri", "nullable": true},
                    "results": {"type": "array", "items": one},
                },
            }),
            (true, false) => json!({"type": "array", "items": one}),
            _ => one,
        }
    });
    let mut responses = Map::new();
    let mut ok = json!({"description": "OK"});
    if success != 204 {
        if last == "download" {
            ok["content"] = json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}});
        } else if let Some(body) = &body {
            ok["content"] = json!({"application/json": {"schema": body}});
        }
    }
    if success == 201 {
        ok["headers"] = json!({"Location": {"schema": {"type": "string", "format": "uri"}}});
    }
    responses.insert(success.to_string(), ok);
    if method == "DELETE" && query_names.contains(&"cascade") {
        // Open Klant's cascading delete answers what it kept.
        responses.insert(
            "200".into(),
            json!({"description": "OK", "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"behouden": {"type": "array",
                    "items": {"type": "string", "format": "uri"}}},
            }}}}),
        );
    }
    let problem = |schema: &str| {
        json!({
            "description": schema,
            "content": {"application/problem+json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}},
        })
    };
    let mut errors: Vec<(u16, &str)> = Vec::new();
    if writes || !parameters_empty(path, method, api) {
        errors.push((400, "ValidatieFout"));
    }
    errors.extend([(401, "Fout"), (403, "Fout")]);
    if path.contains('{') {
        errors.push((404, "Fout"));
    }
    errors.extend([(406, "Fout"), (409, "Fout")]);
    if geometry {
        errors.push((412, "Fout"));
    }
    if writes {
        errors.extend([(413, "Fout"), (415, "Fout")]);
    }
    errors.extend([(429, "Fout"), (500, "Fout"), (503, "Fout")]);
    for (status, schema) in errors {
        responses.insert(status.to_string(), problem(schema));
    }
    let mut op = json!({
        "operationId": named.operation_id,
        "tags": [tag(path)],
        "security": security(requirement),
        "parameters": parameters,
        "responses": responses,
    });
    if writes {
        if let Some(name) = named.schema {
            if last != "_zoek" {
                op["requestBody"] = json!({
                    "required": true,
                    "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}},
                });
            }
        }
        if last == "_zoek" {
            op["requestBody"] = json!({
                "required": true,
                "content": {"application/json": {"schema": {"type": "object"}}},
            });
        }
    }
    if naming::is_extension(api.prefix, path) {
        op["x-zaakstroom-extension"] = json!(true);
    }
    op
}

fn parameters_empty(path: &str, method: &str, api: &Api) -> bool {
    (api.parameters)(method, path).is_empty()
}
