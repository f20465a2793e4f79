//! A Referentielijsten/Selectielijst API for tests, on port 0, answering detail GETs of
//! procestypen, resultaten and resultaattypeomschrijvingen from the VNG fixtures in
//! ../shared/specs/referentielijsten-fixtures, in the shape of referentielijsten-0.6.0.yaml.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

/// The fixture records of one file, as `(pk, fields)`.
fn records(file: &str) -> Vec<(i64, Value)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/specs/referentielijsten-fixtures")
        .join(file);
    let all: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    all.into_iter()
        .map(|r| (r["pk"].as_i64().unwrap(), r["fields"].clone()))
        .collect()
}

type Resources = Arc<HashMap<(String, String), Value>>;

pub struct Referentielijsten {
    /// The API root, ending in `/api/v1/`.
    pub root: String,
    /// URLs of some records: procestype 1, a resultaat of it, a resultaat of procestype 2,
    /// and a resultaattypeomschrijving.
    pub procestype: String,
    pub resultaat: String,
    pub resultaat_other_procestype: String,
    pub omschrijving: String,
    pub omschrijving_text: String,
}

pub async fn start() -> Referentielijsten {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let root = format!("http://{}/api/v1/", listener.local_addr().unwrap());
    let url =
        |collection: &str, uuid: &Value| format!("{root}{collection}/{}", uuid.as_str().unwrap());
    let mut resources = HashMap::new();
    let mut procestype_urls = HashMap::new();
    for (pk, f) in records("selectielijst_2020_procestypen.json") {
        let u = url("procestypen", &f["uuid"]);
        procestype_urls.insert(pk, u.clone());
        let body = json!({"url": u, "nummer": f["nummer"], "jaar": f["jaar"], "naam": f["naam"],
            "omschrijving": f["omschrijving"], "toelichting": f["toelichting"],
            "procesobject": f["procesobject"]});
        resources.insert(
            (
                "procestypen".to_owned(),
                f["uuid"].as_str().unwrap().to_owned(),
            ),
            body,
        );
    }
    let mut resultaten = Vec::new();
    for (_, f) in records("selectielijst_2020_resultaten.json") {
        let procestype = procestype_urls[&f["proces_type"].as_i64().unwrap()].clone();
        let body = json!({"url": url("resultaten", &f["uuid"]), "procesType": procestype,
            "nummer": f["nummer"], "volledigNummer": f["nummer"].to_string(), "naam": f["naam"],
            "omschrijving": f["omschrijving"], "herkomst": f["herkomst"], "waardering": f["waardering"],
            "procestermijn": f["procestermijn"], "bewaartermijn": f["bewaartermijn"],
            "toelichting": f["toelichting"]});
        resultaten.push(body.clone());
        resources.insert(
            (
                "resultaten".to_owned(),
                f["uuid"].as_str().unwrap().to_owned(),
            ),
            body,
        );
    }
    let omschrijvingen = records("resultaattypeomschrijvingen.json");
    for (_, f) in &omschrijvingen {
        let body = json!({"url": url("resultaattypeomschrijvingen", &f["uuid"]),
            "omschrijving": f["omschrijving"], "definitie": f["definitie"], "opmerking": f["opmerking"]});
        resources.insert(
            (
                "resultaattypeomschrijvingen".to_owned(),
                f["uuid"].as_str().unwrap().to_owned(),
            ),
            body,
        );
    }
    let procestype = procestype_urls[&1].clone();
    let of = |p: &str, same: bool| {
        resultaten
            .iter()
            .find(|r| (r["procesType"] == p) == same)
            .map(|r| r["url"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let fixtures = Referentielijsten {
        resultaat: of(&procestype, true),
        resultaat_other_procestype: of(&procestype, false),
        omschrijving: url("resultaattypeomschrijvingen", &omschrijvingen[0].1["uuid"]),
        omschrijving_text: omschrijvingen[0].1["omschrijving"]
            .as_str()
            .unwrap()
            .to_owned(),
        procestype,
        root,
    };
    let app = Router::new()
        .route("/api/v1/{collection}/{uuid}", get(detail))
        .with_state(Arc::new(resources));
    tokio::spawn(async move { axum::serve(listener, app).await });
    fixtures
}

async fn detail(
    State(resources): State<Resources>,
    Path((collection, uuid)): Path<(String, String)>,
) -> Result<Json<Value>, StatusCode> {
    resources
        .get(&(collection, uuid))
        .cloned()
        .map(Json)
        .ok_or(StatusCode::NOT_FOUND)
}
