//! GraphQL as of an instant: a zaak's documents as they were then (those it had, with the
//! versions they had), and a document by itself. Its besluiten: with the besluit's REST test.

use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::support::documenten::{b64, document_body};
use super::support::TestApp;
use super::{instant, send};

pub(super) fn at(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Micros, true)
}

#[tokio::test]
async fn a_zaak_as_of_an_instant_shows_its_documents_and_their_versions_as_they_were_then() {
    let app = TestApp::spawn().await;
    let (iot, zaaktype) = app.zaaktype_with_documents().await;
    let created = app
        .create_zaak(&super::support::zaak_body_for(
            zaaktype["url"].as_str().unwrap(),
        ))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let zaak: Value = created.json().await.unwrap();
    let uuid = zaak["uuid"].as_str().unwrap();
    let document = app.create_document(&document_body(&iot)).await;
    let doc_path = app.path_of(&document);
    let link = json!({"zaak": zaak["url"], "informatieobject": document["url"]});
    send(
        &app,
        Method::POST,
        "/zaken/api/v1/zaakinformatieobjecten",
        link,
    )
    .await;
    let first = (instant().await, app.get_json(&doc_path).await);
    let lock = app.lock(document["url"].as_str().unwrap()).await;
    let patch = json!({"titel": "Tweede", "inhoud": b64(b"tweede versie"), "lock": lock});
    send(&app, Method::PATCH, &doc_path, patch).await;
    let query = |t: DateTime<Utc>| {
        format!(
            "{{ zaak(uuid: \"{uuid}\", asOf: \"{0}\") {{ documenten {{ resource versies {{ versie }} }} }}
               document(uuid: \"{1}\", asOf: \"{0}\") {{ titel versie }} }}",
            at(t),
            doc_path.rsplit('/').next().unwrap()
        )
    };
    let then = app.graphql(&query(first.0)).await;
    assert_eq!(
        then["data"]["zaak"]["documenten"],
        json!([{"resource": first.1, "versies": [{"versie": 1}]}]),
        "{then}"
    );
    assert_eq!(
        then["data"]["document"],
        json!({"titel": first.1["titel"], "versie": 1})
    );
    let now = app.graphql(&query(instant().await)).await;
    assert_eq!(
        now["data"]["zaak"]["documenten"][0]["versies"],
        json!([{"versie": 1}, {"versie": 2}]),
        "{now}"
    );
    assert_eq!(now["data"]["document"]["titel"], "Tweede");
    app.stop().await;
}
