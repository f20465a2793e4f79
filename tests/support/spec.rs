//! The official OpenAPI files in ../shared/specs as JSON Schema validators, so responses of
//! the end-to-end tests are checked against the standard itself.

use std::path::PathBuf;

use serde_json::{json, Map, Value};

/// The spec file; the test fails (NOT RUN) when ../shared/specs does not have it.
pub fn load(file: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/specs")
        .join(file);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_yaml::from_str(&text).expect("spec is valid YAML"),
        Err(e) => super::not_run(&format!("spec {}", path.display()), e),
    }
}

/// OpenAPI 3.0's `nullable: true` as JSON Schema: the schema, or null.
fn nullable_to_json_schema(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for child in m.values_mut() {
                nullable_to_json_schema(child);
            }
            if m.remove("nullable") == Some(Value::Bool(true)) {
                let inner = Value::Object(std::mem::take(m));
                *m = Map::from_iter([("anyOf".to_owned(), json!([inner, {"type": "null"}]))]);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(nullable_to_json_schema),
        _ => {}
    }
}

/// A validator for `components/schemas/{name}` of `spec`.
pub fn validator(spec: &Value, name: &str) -> jsonschema::Validator {
    let mut components = spec["components"].clone();
    nullable_to_json_schema(&mut components);
    let schema =
        json!({ "$ref": format!("#/components/schemas/{name}"), "components": components });
    jsonschema::validator_for(&schema).expect("the spec's schema compiles")
}

/// Panics with every violation when `instance` does not match `schema_name`.
pub fn assert_valid(spec: &Value, schema_name: &str, instance: &Value) {
    let validator = validator(spec, schema_name);
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "response is not a valid {schema_name}:\n{}\n{instance:#}",
        errors.join("\n")
    );
}

/// Every `(METHOD, path)` the spec lists, HEAD included.
pub fn operations(spec: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().into_iter().flatten() {
        for method in ["get", "post", "put", "patch", "delete", "head"] {
            if item.get(method).is_some() {
                out.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

/// An unrouted path answers 404 and an unrouted method 405, both without looking at the
/// token; a routed operation first authenticates, so without a token it answers 403.
pub async fn assert_routed(app: &super::TestApp, spec_file: &str, prefix: &str, not_yet: &[&str]) {
    let spec = load(spec_file);
    let ops = operations(&spec);
    assert!(ops.len() > 10, "{spec_file} has its operations");
    let mut wrong = Vec::new();
    for (method, path) in ops {
        let concrete = concrete(&path);
        let response = app
            .http
            .request(
                method.parse().unwrap(),
                app.url(&format!("{prefix}{concrete}")),
            )
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        let routed = response.status() == 403;
        let op = format!("{method} {path}");
        if routed == not_yet.contains(&op.as_str()) {
            wrong.push(format!("{op}: {}", response.status()));
        }
    }
    assert!(
        wrong.is_empty(),
        "routed but listed as not yet, or not routed:\n{}",
        wrong.join("\n")
    );
}

/// A spec path with a fresh uuid for every `{parameter}`.
pub fn concrete(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |e| start + e + 1);
        out.push_str(&uuid::Uuid::new_v4().to_string());
        rest = &rest[end..];
    }
    out + rest
}
