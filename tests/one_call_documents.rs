//! Open Zaak's one-call endpoints of the Documenten and Besluiten APIs, driven as a
//! client drives them: a document registered with its zaakinformatieobject (a refused link
//! leaves no document), documentnummers reserved, a besluit processed with its
//! besluitinformatieobjecten in one append (a refused one stores nothing).

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::documenten::{b64, document_body};
use support::TestApp;

async fn post(app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
    app.send_json(Method::POST, path, &body).await
}

fn params(body: &Value) -> Vec<(String, String)> {
    support::catalogi::invalid_params(body)
}

fn document(iot: &str, identificatie: &str) -> Value {
    let mut body = document_body(iot);
    body["identificatie"] = json!(identificatie);
    body["inhoud"] = json!(b64(b"aanvraag"));
    body
}

async fn documents_with(app: &TestApp, identificatie: &str) -> i64 {
    let list = app
        .get_json(&format!(
            "/documenten/api/v1/enkelvoudiginformatieobjecten?identificatie={identificatie}"
        ))
        .await;
    list["count"].as_i64().unwrap()
}

#[tokio::test]
async fn document_registreren_stores_the_document_and_its_zaakinformatieobject() {
    let app = TestApp::spawn().await;
    let (iot, zaaktype) = app.zaaktype_with_documents().await;
    let zaak = app.new_zaak_of(zaaktype["url"].as_str().unwrap()).await;
    let body = json!({"enkelvoudiginformatieobject": document(&iot, "DOC-REG-1"),
        "zaakinformatieobject": {"zaak": zaak["url"], "titel": "Aanvraag"}});
    let (s, done) = post(&app, "/documenten/api/v1/document_registreren", body).await;
    assert_eq!(s, StatusCode::CREATED, "{done}");
    let document = &done["enkelvoudiginformatieobject"];
    let link = &done["zaakinformatieobject"];
    assert_eq!(document["identificatie"], "DOC-REG-1");
    assert_eq!(document["lock"], "");
    assert_eq!(link["informatieobject"], document["url"]);
    assert_eq!(link["zaak"], zaak["url"]);
    assert_eq!(&app.get_json(link["url"].as_str().unwrap()).await, link);
    // The link's mirror in the document, as for POST /zaakinformatieobjecten.
    let mirrors = app
        .get_json(&format!(
            "/documenten/api/v1/objectinformatieobjecten?informatieobject={}",
            document["url"].as_str().unwrap()
        ))
        .await;
    assert_eq!(mirrors.as_array().unwrap().len(), 1, "{mirrors}");
    assert_eq!(mirrors[0]["object"], zaak["url"]);
}

#[tokio::test]
async fn document_registreren_with_a_refused_link_leaves_no_document() {
    let app = TestApp::spawn().await;
    // The app's own zaaktype holds no documents of this type.
    let iot = app.published_informatieobjecttype().await;
    let zaak = app.new_zaak().await;
    let body = json!({"enkelvoudiginformatieobject": document(&iot, "DOC-REG-2"),
        "zaakinformatieobject": {"zaak": zaak["url"]}});
    let (s, refused) = post(&app, "/documenten/api/v1/document_registreren", body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(
        params(&refused),
        [(
            "zaakinformatieobject.nonFieldErrors".to_owned(),
            "missing-zaaktype-informatieobjecttype-relation".to_owned()
        )]
    );
    assert_eq!(documents_with(&app, "DOC-REG-2").await, 0);
    let mut body = json!({"enkelvoudiginformatieobject": document(&iot, "DOC-REG-2"),
        "zaakinformatieobject": {"zaak": zaak["url"]}});
    body["enkelvoudiginformatieobject"]
        .as_object_mut()
        .unwrap()
        .remove("titel");
    let (_, refused) = post(&app, "/documenten/api/v1/document_registreren", body).await;
    assert_eq!(
        params(&refused),
        [(
            "enkelvoudiginformatieobject.titel".to_owned(),
            "required".to_owned()
        )]
    );
    let (_, refused) = post(&app, "/documenten/api/v1/document_registreren", json!({})).await;
    assert_eq!(
        params(&refused),
        [
            (
                "enkelvoudiginformatieobject".to_owned(),
                "required".to_owned()
            ),
            ("zaakinformatieobject".to_owned(), "required".to_owned())
        ]
    );
}

#[tokio::test]
async fn a_reserved_documentnummer_goes_to_the_first_document_of_its_bronorganisatie() {
    let app = TestApp::spawn().await;
    let (s, one) = post(
        &app,
        "/documenten/api/v1/documentnummer_reserveren",
        json!({"bronorganisatie": "517439943"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{one}");
    let nummer = one["identificatie"].as_str().unwrap().to_owned();
    assert!(
        nummer.starts_with("DOCUMENT-") && nummer.len() == 24,
        "{nummer}"
    );
    let (s, two) = post(
        &app,
        "/documenten/api/v1/documentnummer_reserveren",
        json!({"bronorganisatie": "517439943", "aantal": 2}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(two.as_array().unwrap().len(), 2);
    let iot = app.published_informatieobjecttype().await;
    let body = document(&iot, &nummer);
    app.create_document(&body).await;
    let (s, refused) = post(
        &app,
        "/documenten/api/v1/enkelvoudiginformatieobjecten",
        body,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [(
            "identificatie".to_owned(),
            "identificatie-niet-uniek".to_owned()
        )]
    );
}

#[tokio::test]
async fn besluit_verwerken_stores_the_besluit_with_its_documents_as_one() {
    let app = TestApp::spawn().await;
    let types = app.besluit_types("VERW").await;
    let zaak = app.new_zaak_of(&types.zaaktype).await;
    let doc = |i: u32| {
        let app = &app;
        let iot = types.informatieobjecttype.clone();
        async move {
            app.create_document(&document(&iot, &format!("VERW-DOC-{i}")))
                .await
        }
    };
    let (d1, d2) = (doc(1).await, doc(2).await);
    let mut besluit = support::besluiten::besluit_body(&types.besluittype, zaak["url"].as_str());
    besluit["identificatie"] = json!("BESLUIT-VERW-1");
    let body = json!({"besluit": besluit,
        "besluitinformatieobjecten": [{"informatieobject": d1["url"]}, {"informatieobject": d2["url"]}]});
    let (s, done) = post(&app, "/besluiten/api/v1/besluit_verwerken", body).await;
    assert_eq!(s, StatusCode::CREATED, "{done}");
    assert_eq!(done["besluit"]["identificatie"], "BESLUIT-VERW-1");
    let bios = done["besluitinformatieobjecten"].as_array().unwrap();
    assert_eq!(bios.len(), 2);
    assert_eq!(bios[0]["besluit"], done["besluit"]["url"]);
    assert_eq!(bios[1]["informatieobject"], d2["url"]);
    // The zaak shows its besluit, as after POST /besluiten.
    let besluiten = app
        .get_json(&format!("{}/besluiten", zaak["url"].as_str().unwrap()))
        .await;
    assert_eq!(besluiten.as_array().unwrap().len(), 1, "{besluiten}");

    // A document twice: the second refused, nothing stored.
    let mut besluit = support::besluiten::besluit_body(&types.besluittype, None);
    besluit["identificatie"] = json!("BESLUIT-VERW-2");
    let body = json!({"besluit": besluit,
        "besluitinformatieobjecten": [{"informatieobject": d1["url"]}, {"informatieobject": d1["url"]}]});
    let (s, refused) = post(&app, "/besluiten/api/v1/besluit_verwerken", body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(
        params(&refused),
        [(
            "besluitinformatieobjecten.1.nonFieldErrors".to_owned(),
            "unique".to_owned()
        )]
    );
    let list = app
        .get_json("/besluiten/api/v1/besluiten?identificatie=BESLUIT-VERW-2")
        .await;
    assert_eq!(list["count"], 0, "{list}");
}
