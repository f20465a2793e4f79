//! GraphQL gives a zaak's documents (through its zaakinformatieobjecten) with every version
//! and its download URL, batched per query level, under the caller's drc grants.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::documenten::{b64, document_body};
use support::TestApp;

const QUERY: &str = "{ zaken { edges { node { url documenten { url identificatie titel
    bronorganisatie informatieobjecttype vertrouwelijkheidaanduiding versie bestandsnaam
    bestandsomvang formaat taal status locked inhoud resource
    versies { versie beginRegistratie bestandsomvang inhoud } } } } } }";

impl TestApp {
    /// Links `document` to `zaak` with a zaakinformatieobject, asserting 201.
    async fn link(&self, zaak: &Value, document: &Value) {
        let link = json!({"zaak": zaak["url"], "informatieobject": document["url"]});
        let (status, body) = self
            .send_json(Method::POST, "/zaken/api/v1/zaakinformatieobjecten", &link)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    /// A document of `iot` with `inhoud`, and `extra` fields.
    async fn document_with(&self, iot: &str, inhoud: &[u8], extra: Value) -> Value {
        let mut body = document_body(iot);
        body["inhoud"] = b64(inhoud).into();
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        self.create_document(&body).await
    }

    /// A zaak of `zaaktype`, as created.
    async fn zaak_of(&self, zaaktype: &Value) -> Value {
        let created = self
            .create_zaak(&support::zaak_body_for(zaaktype["url"].as_str().unwrap()))
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);
        created.json().await.unwrap()
    }
}

/// The `documenten` of the zaak at `url` in a GraphQL answer.
fn documenten_of(got: &Value, url: &Value) -> Value {
    got["data"]["zaken"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{got}"))
        .iter()
        .map(|e| &e["node"])
        .find(|n| n["url"] == *url)
        .unwrap_or_else(|| panic!("{url} in {got}"))["documenten"]
        .clone()
}

#[tokio::test]
async fn graphql_gives_each_zaak_of_a_query_its_documents_with_every_version_and_download() {
    let app = TestApp::spawn().await;
    let (iot, zaaktype) = app.zaaktype_with_documents().await;
    let (z1, z2, z3) = (
        app.zaak_of(&zaaktype).await,
        app.zaak_of(&zaaktype).await,
        app.zaak_of(&zaaktype).await,
    );
    let a = app.document_with(&iot, b"eerste", json!({})).await;
    let b = app
        .document_with(&iot, b"bijlage", json!({"titel": "Bijlage"}))
        .await;
    let a_url = a["url"].as_str().unwrap();
    let lock = app.lock(a_url).await;
    let patch = json!({"titel": "Tweede", "inhoud": b64(b"tweede versie"), "lock": lock});
    let (status, a2) = app.send_json(Method::PATCH, a_url, &patch).await;
    assert_eq!(status, StatusCode::OK, "{a2}");
    app.link(&z1, &a).await;
    app.link(&z1, &b).await;
    app.link(&z2, &a).await;

    let got = app.graphql(QUERY).await;
    let first = documenten_of(&got, &z1["url"]);
    assert_eq!(first.as_array().map(Vec::len), Some(2), "{got}");
    let doc = &first[0];
    assert_eq!(doc["url"], a["url"]);
    assert_eq!(
        doc["resource"],
        app.get_json(a_url).await,
        "as REST shows it"
    );
    assert_eq!(
        (
            &doc["titel"],
            &doc["versie"],
            &doc["locked"],
            &doc["bestandsomvang"]
        ),
        (&json!("Tweede"), &json!(2), &json!(true), &json!(13))
    );
    for field in ["identificatie", "bronorganisatie", "informatieobjecttype"] {
        assert_eq!(doc[field], a[field], "{field}");
    }
    for field in [
        "vertrouwelijkheidaanduiding",
        "bestandsnaam",
        "formaat",
        "taal",
    ] {
        assert_eq!(doc[field], a2[field], "{field}");
    }
    assert_eq!(doc["inhoud"], a2["inhoud"]);
    let versies = doc["versies"].as_array().unwrap();
    assert_eq!(
        versies
            .iter()
            .map(|v| v["versie"].clone())
            .collect::<Vec<_>>(),
        vec![json!(1), json!(2)]
    );
    assert_eq!(versies[0]["beginRegistratie"], a["beginRegistratie"]);
    assert_eq!(versies[0]["bestandsomvang"], 6);
    let v1 = versies[0]["inhoud"].as_str().unwrap();
    assert_eq!(app.download(v1).await, b"eerste");
    let v2 = versies[1]["inhoud"].as_str().unwrap();
    assert_eq!(app.download(v2).await, b"tweede versie");
    assert_eq!(first[1]["url"], b["url"]);
    assert_eq!(first[1]["titel"], "Bijlage");
    assert_eq!(first[1]["versies"].as_array().map(Vec::len), Some(1));

    let second = documenten_of(&got, &z2["url"]);
    assert_eq!(second.as_array().map(Vec::len), Some(1), "{got}");
    assert_eq!(second[0]["url"], a["url"]);
    assert_eq!(documenten_of(&got, &z3["url"]), json!([]));
    app.stop().await;
}

#[tokio::test]
async fn a_document_the_caller_may_not_read_is_left_out_of_a_zaaks_documenten() {
    let app = TestApp::spawn().await;
    let (iot, zaaktype) = app.zaaktype_with_documents().await;
    let zaak = app.zaak_of(&zaaktype).await;
    let open = app.document_with(&iot, b"open", json!({})).await;
    let secret = app
        .document_with(
            &iot,
            b"geheim",
            json!({"vertrouwelijkheidaanduiding": "geheim"}),
        )
        .await;
    app.link(&zaak, &open).await;
    app.link(&zaak, &secret).await;
    let all = app.graphql(QUERY).await;
    assert_eq!(
        documenten_of(&all, &zaak["url"]).as_array().map(Vec::len),
        Some(2),
        "{all}"
    );

    let zaken = json!({"component": "zrc", "scopes": ["zaken.lezen"],
        "zaaktype": zaaktype["url"], "maxVertrouwelijkheidaanduiding": "zeer_geheim"});
    let up_to = |max: &str, iot: &str| {
        json!([zaken, {"component": "drc", "scopes": ["documenten.lezen"],
            "informatieobjecttype": iot, "maxVertrouwelijkheidaanduiding": max}])
    };
    let as_limited = || app.graphql_as(support::LIMITED_ID, support::LIMITED_SECRET, QUERY);

    app.grant_limited(up_to("openbaar", &iot)).await;
    let got = as_limited().await;
    let docs = documenten_of(&got, &zaak["url"]);
    assert_eq!(docs.as_array().map(Vec::len), Some(1), "{got}");
    assert_eq!(docs[0]["url"], open["url"]);

    app.grant_limited(up_to("zeer_geheim", "https://ztc.example.nl/iot/ander"))
        .await;
    let got = as_limited().await;
    assert_eq!(documenten_of(&got, &zaak["url"]), json!([]), "{got}");
    app.stop().await;
}

#[tokio::test]
async fn graphql_gives_one_document_by_uuid_and_null_to_a_caller_who_may_not_read_it() {
    let app = TestApp::spawn().await;
    let iot = app.published_informatieobjecttype().await;
    let doc = app
        .document_with(
            &iot,
            b"inhoud",
            json!({"vertrouwelijkheidaanduiding": "geheim"}),
        )
        .await;
    let uuid = doc["url"].as_str().unwrap().rsplit('/').next().unwrap();
    let query = format!(
        "{{ document(uuid: \"{uuid}\") {{ url titel inhoud versies {{ versie inhoud }} }} }}"
    );
    let got = app.graphql(&query).await;
    assert_eq!(got["data"]["document"]["url"], doc["url"], "{got}");
    assert_eq!(got["data"]["document"]["inhoud"], doc["inhoud"]);
    assert_eq!(
        got["data"]["document"]["versies"],
        json!([{"versie": 1, "inhoud": doc["inhoud"]}])
    );
    let unknown = format!(
        "{{ document(uuid: \"{}\") {{ url }} }}",
        uuid::Uuid::new_v4()
    );
    assert_eq!(app.graphql(&unknown).await["data"]["document"], Value::Null);

    app.grant_limited(json!([{"component": "drc", "scopes": ["documenten.lezen"],
        "informatieobjecttype": iot, "maxVertrouwelijkheidaanduiding": "vertrouwelijk"}]))
        .await;
    let limited = app
        .graphql_as(support::LIMITED_ID, support::LIMITED_SECRET, &query)
        .await;
    assert_eq!(limited["data"]["document"], Value::Null, "{limited}");
    app.stop().await;
}
