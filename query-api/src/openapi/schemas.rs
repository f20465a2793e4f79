//! The schemas of an API's document: the error bodies every API answers with
//! (`crate::error::ApiError` renders them), and each resource's body from the field table
//! its request parser validates with, where the code has one as data.

use serde_json::{json, Map, Value};

/// `Fout`, `ValidatieFout` and `FieldValidationError`, as `ApiError` renders them.
pub fn errors() -> Map<String, Value> {
    let fout = json!({
        "type": "object",
        "description": "Formaat van HTTP 4xx en 5xx fouten.",
        "required": ["code", "title", "status", "detail", "instance"],
        "properties": {
            "type": {"type": "string", "description": "URI referentie naar het type fout."},
            "code": {"type": "string", "description": "Systeemcode die het type fout aangeeft"},
            "title": {"type": "string", "description": "Generieke titel voor het type fout"},
            "status": {"type": "integer", "description": "De HTTP status code"},
            "detail": {"type": "string", "description": "Extra informatie bij de fout, indien beschikbaar"},
            "instance": {"type": "string", "description": "URI met referentie naar dit specifiek voorkomen van de fout."},
        },
    });
    let field = json!({
        "type": "object",
        "description": "Formaat van validatiefouten.",
        "required": ["name", "code", "reason"],
        "properties": {
            "name": {"type": "string", "description": "Naam van het veld met ongeldige gegevens"},
            "code": {"type": "string", "description": "Systeemcode die het type fout aangeeft"},
            "reason": {"type": "string", "description": "Uitleg wat er precies fout is met de gegevens"},
        },
    });
    let mut validatie = fout.clone();
    validatie["required"]
        .as_array_mut()
        .expect("required is a list")
        .push(json!("invalidParams"));
    validatie["properties"]["invalidParams"] = json!({
        "type": "array",
        "items": {"$ref": "#/components/schemas/FieldValidationError"},
    });
    validatie["description"] =
        json!("Formaat van HTTP 4xx en 5xx fouten, met de ongeldige velden.");
    [
        ("Fout", fout),
        ("ValidatieFout", validatie),
        ("FieldValidationError", field),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// The schema of the resource `name` under `prefix`.
pub fn resource(prefix: &str, name: &str) -> Value {
    let segment = super::naming::segment_of(prefix, name).unwrap_or_default();
    let described = match prefix {
        "/zaken/api/v1" => crate::zaken::parts::openapi_schema(segment)
            .or_else(|| crate::zaken::openapi_schema(name)),
        "/catalogi/api/v1" => crate::catalogi::openapi_schema(segment),
        "/besluiten/api/v1" => crate::besluiten::openapi_schema(name),
        "/documenten/api/v1" => crate::documenten::openapi_schema(name),
        "/autorisaties/api/v1" => crate::autorisaties::openapi_schema(name),
        "/notificaties/api/v1" => crate::notificaties::openapi_schema(name),
        crate::klantinteracties::PREFIX => crate::klantinteracties::openapi_schema(name),
        crate::contactgegevens::PREFIX => crate::contactgegevens::openapi_schema(name),
        _ => None,
    };
    described.unwrap_or_else(|| {
        json!({
            "type": "object",
            "x-zaakstroom-undescribed": true,
            "description": format!(
                "{name}: the body the standard describes; Zaakstroom's request parser for \
                 it is not a field table yet, so its properties are not listed here."
            ),
        })
    })
}

/// An object with `properties` (name, schema, required) and a read-only `url`.
pub fn object(properties: Vec<(&str, Value, bool)>) -> Value {
    let required: Vec<&str> = properties
        .iter()
        .filter(|(_, _, required)| *required)
        .map(|(name, ..)| *name)
        .collect();
    let mut props = Map::new();
    props.insert(
        "url".into(),
        json!({"type": "string", "format": "uri", "readOnly": true}),
    );
    for (name, schema, _) in properties {
        props.insert(name.to_owned(), schema);
    }
    let mut schema = json!({"type": "object", "properties": props});
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}
