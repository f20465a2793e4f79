//! Responses of the Documenten API validate against the official Documenten API 1.4.2
//! schemas (../shared/specs/documenten-1.4.2.yaml).

mod support;

use reqwest::Method;
use serde_json::{json, Value};
use support::documenten::{b64, document_body, gebruiksrecht, API};
use support::{spec, TestApp};

#[tokio::test]
async fn documenten_responses_validate_against_the_documenten_1_4_2_spec() {
    let spec = spec::load("documenten-1.4.2.yaml");
    let app = TestApp::spawn().await;
    let iot = app.published_informatieobjecttype().await;
    let mut body = document_body(&iot);
    body["inhoud"] = b64(b"inhoud").into();
    body["trefwoorden"] = json!(["aanvraag"]);
    body["ondertekening"] = json!({"soort": "digitaal", "datum": "2026-11-02"});
    body["integriteit"] = json!({"algoritme": "sha_256", "waarde": "abc", "datum": "2026-11-02"});
    let created = app.create_document(&body).await;
    spec::assert_valid(&spec, "SchemaEIO", &created);
    let url = created["url"].as_str().unwrap();
    spec::assert_valid(
        &spec,
        "EnkelvoudigInformatieObject",
        &app.get_json(url).await,
    );
    let lock = app.lock(url).await;
    spec::assert_valid(
        &spec,
        "LockEnkelvoudigInformatieObject",
        &json!({ "lock": lock }),
    );
    let (_, patched) = app
        .send_json(Method::PATCH, url, &json!({"titel": "Nieuw", "lock": lock}))
        .await;
    spec::assert_valid(&spec, "EnkelvoudigInformatieObjectWithLock", &patched);
    let list = app
        .get_json(&format!("{API}/enkelvoudiginformatieobjecten"))
        .await;
    spec::assert_valid(&spec, "PaginatedEnkelvoudigInformatieObjectList", &list);

    let mut parts = document_body(&iot);
    parts["bestandsomvang"] = 10.into();
    let split = app.create_document(&parts).await;
    spec::assert_valid(&spec, "SchemaEIO", &split);
    let (_, deel) = app
        .upload_deel(
            split["bestandsdelen"][0]["url"].as_str().unwrap(),
            split["lock"].as_str().unwrap(),
            vec![1; 10],
        )
        .await;
    spec::assert_valid(&spec, "BestandsDeelResponse", &deel);

    let (_, recht) = app
        .send_json(
            Method::POST,
            &format!("{API}/gebruiksrechten"),
            &gebruiksrecht(url),
        )
        .await;
    spec::assert_valid(&spec, "Gebruiksrechten", &recht);
    // A zaak of another API: a direct POST for one of ours only answers with its mirror.
    let remote = support::remote::RemoteApis::start().await;
    let zaak = remote.zaak();
    let link = json!({"informatieobject": url, "object": zaak, "objectType": "zaak"});
    let (_, oio) = app
        .send_json(
            Method::POST,
            &format!("{API}/objectinformatieobjecten"),
            &link,
        )
        .await;
    spec::assert_valid(&spec, "ObjectInformatieObject", &oio);
    let verzending = json!({"informatieobject": url, "betrokkene": "https://klanten.example.nl/klanten/1",
        "aardRelatie": "geadresseerde", "contactPersoon": "https://medewerkers.example.nl/1",
        "verzenddatum": "2026-11-03", "mijnOverheid": true});
    let (_, verzending) = app
        .send_json(Method::POST, &format!("{API}/verzendingen"), &verzending)
        .await;
    spec::assert_valid(&spec, "Verzending", &verzending);
    let page = app.get_json(&format!("{API}/verzendingen")).await;
    spec::assert_valid(&spec, "PaginatedVerzendingList", &page);
    let trail: Value = app.get_json(&format!("{url}/audittrail")).await;
    for entry in trail.as_array().unwrap() {
        spec::assert_valid(&spec, "AuditTrail", entry);
    }
    let (_, invalid) = app
        .send_json(
            Method::POST,
            &format!("{API}/enkelvoudiginformatieobjecten"),
            &json!({}),
        )
        .await;
    spec::assert_valid(&spec, "ValidatieFout", &invalid);
    app.stop().await;
}
