//! What a document owns (gebruiksrechten and indicatieGebruiksrecht,
//! objectinformatieobjecten) and what the Zaken API reads of our documents.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::catalogi::codes;
use support::documenten::{document_body, gebruiksrecht, API};
use support::TestApp;

#[tokio::test]
async fn gebruiksrechten_set_indicatie_gebruiksrecht_and_the_last_one_removed_clears_it() {
    let app = TestApp::spawn().await;
    let iot = app.published_informatieobjecttype().await;
    let mut direct = document_body(&iot);
    direct["indicatieGebruiksrecht"] = true.into();
    let (s, body) = app
        .send_json(
            Method::POST,
            &format!("{API}/enkelvoudiginformatieobjecten"),
            &direct,
        )
        .await;
    assert_eq!(
        (s, codes(&body)),
        (
            StatusCode::BAD_REQUEST,
            vec!["missing-gebruiksrechten".to_owned()]
        )
    );
    let doc = app.create_document(&document_body(&iot)).await;
    let url = doc["url"].as_str().unwrap();
    assert!(doc["indicatieGebruiksrecht"].is_null());
    let recht = gebruiksrecht(url);
    let (s, created) = app
        .send_json(Method::POST, &format!("{API}/gebruiksrechten"), &recht)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    assert_eq!(created["informatieobject"], url);
    assert_eq!(app.get_json(url).await["indicatieGebruiksrecht"], true);
    let listed: Value = app
        .get_json(&format!("{API}/gebruiksrechten?informatieobject={url}"))
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);

    let lock = app.lock(url).await;
    let (s, body) = app
        .send_json(
            Method::PATCH,
            url,
            &json!({"indicatieGebruiksrecht": false, "lock": lock}),
        )
        .await;
    assert_eq!(
        (s, codes(&body)),
        (
            StatusCode::BAD_REQUEST,
            vec!["existing-gebruiksrechten".to_owned()]
        )
    );
    app.send_json(
        Method::POST,
        &format!("{url}/unlock"),
        &json!({"lock": lock}),
    )
    .await;

    let recht_url = created["url"].as_str().unwrap();
    let (s, _) = app.send_json(Method::DELETE, recht_url, &json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(app.get_json(url).await["indicatieGebruiksrecht"].is_null());
    app.stop().await;
}

#[tokio::test]
async fn an_object_links_a_document_once_and_a_linked_document_is_not_deleted() {
    let app = TestApp::spawn().await;
    let (_, doc) = app.new_document().await;
    let url = doc["url"].as_str().unwrap();
    // An object of another API (fetched, and a zaak): the relation is the DRC's own.
    let remote = support::remote::RemoteApis::start().await;
    let oio = format!("{API}/objectinformatieobjecten");
    for (object, code) in [
        (remote.missing(), "bad-url"),
        (remote.html(), "invalid-resource"),
        (remote.unrelated(), "invalid-resource"),
    ] {
        let link = json!({"informatieobject": url, "object": object, "objectType": "zaak"});
        let (s, body) = app.send_json(Method::POST, &oio, &link).await;
        assert_eq!(
            (s, codes(&body)),
            (StatusCode::BAD_REQUEST, vec![code.to_owned()]),
            "{object}"
        );
    }
    let zaak = json!({"url": remote.zaak()});
    let link = json!({"informatieobject": url, "object": zaak["url"], "objectType": "zaak"});
    let (s, created) = app.send_json(Method::POST, &oio, &link).await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let (s, body) = app.send_json(Method::POST, &oio, &link).await;
    assert_eq!(
        (s, codes(&body)),
        (StatusCode::BAD_REQUEST, vec!["unique".to_owned()])
    );
    let (s, body) = app.send_json(Method::DELETE, url, &json!({})).await;
    assert_eq!(
        (s, codes(&body)),
        (
            StatusCode::BAD_REQUEST,
            vec!["pending-relations".to_owned()]
        )
    );
    let listed: Value = app
        .get_json(&format!("{oio}?object={}", zaak["url"].as_str().unwrap()))
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let missing = json!({"informatieobject": url, "object": format!("{}/zaken/api/v1/zaken/{}", app.base, uuid::Uuid::new_v4()), "objectType": "zaak"});
    let (s, body) = app.send_json(Method::POST, &oio, &missing).await;
    assert_eq!(
        (s, codes(&body)),
        (StatusCode::BAD_REQUEST, vec!["does_not_exist".to_owned()])
    );
    let (s, _) = app
        .send_json(Method::DELETE, created["url"].as_str().unwrap(), &json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = app.send_json(Method::DELETE, url, &json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    app.stop().await;
}

#[tokio::test]
async fn closing_a_zaak_reads_our_own_documents_from_the_read_model() {
    let app = TestApp::spawn().await;
    let (iot, zaaktype) = app.zaaktype_with_documents().await;
    let doc = app.create_document(&document_body(&iot)).await;
    let url = doc["url"].as_str().unwrap();
    let zio = "/zaken/api/v1/zaakinformatieobjecten";
    let other = app.new_zaak().await;
    let (s, body) = app
        .send_json(
            Method::POST,
            zio,
            &json!({"zaak": other["url"], "informatieobject": url}),
        )
        .await;
    assert_eq!(
        (s, codes(&body)),
        (
            StatusCode::BAD_REQUEST,
            vec!["missing-zaaktype-informatieobjecttype-relation".to_owned()]
        )
    );
    let created = app
        .create_zaak(&support::zaak_body_for(zaaktype["url"].as_str().unwrap()))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let zaak: Value = created.json().await.unwrap();
    let missing = format!(
        "{API}/enkelvoudiginformatieobjecten/{}",
        uuid::Uuid::new_v4()
    );
    let (s, body) = app
        .send_json(
            Method::POST,
            zio,
            &json!({"zaak": zaak["url"], "informatieobject": app.url(&missing)}),
        )
        .await;
    assert_eq!(
        (s, codes(&body)),
        (StatusCode::BAD_REQUEST, vec!["does_not_exist".to_owned()])
    );
    let link = json!({"zaak": zaak["url"], "informatieobject": url});
    let (s, body) = app.send_json(Method::POST, zio, &link).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let resultaat = json!({"zaak": zaak["url"], "resultaattype": zaaktype["resultaattypen"][0]});
    app.send_json(Method::POST, "/zaken/api/v1/resultaten", &resultaat)
        .await;
    let status = json!({"zaak": zaak["url"], "statustype": zaaktype["statustypen"][1],
        "datumStatusGezet": (chrono::Utc::now() - chrono::Duration::minutes(5)).to_rfc3339()});
    let (s, body) = app
        .send_json(Method::POST, "/zaken/api/v1/statussen", &status)
        .await;
    assert_eq!(
        (s, codes(&body)),
        (
            StatusCode::BAD_REQUEST,
            vec!["indicatiegebruiksrecht-unset".to_owned()]
        )
    );
    let recht = gebruiksrecht(url);
    app.send_json(Method::POST, &format!("{API}/gebruiksrechten"), &recht)
        .await;
    let (s, body) = app
        .send_json(Method::POST, "/zaken/api/v1/statussen", &status)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    app.stop().await;
}

#[tokio::test]
async fn verzendingen_are_created_changed_filtered_and_removed() {
    let app = TestApp::spawn().await;
    let (_, doc) = app.new_document().await;
    let url = doc["url"].as_str().unwrap();
    let verzendingen = format!("{API}/verzendingen");
    let body = json!({"informatieobject": url, "betrokkene": "https://klanten.example.nl/klanten/1",
        "aardRelatie": "geadresseerde", "contactPersoon": "https://medewerkers.example.nl/1",
        "emailadres": "post@example.nl"});
    let (s, created) = app.send_json(Method::POST, &verzendingen, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let (s, body) = app
        .send_json(
            Method::POST,
            &verzendingen,
            &json!({"informatieobject": url, "aardRelatie": "koerier"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        codes(&body).contains(&"invalid_choice".to_owned()),
        "{body}"
    );
    let verzending = created["url"].as_str().unwrap();
    let (s, patched) = app
        .send_json(
            Method::PATCH,
            verzending,
            &json!({"toelichting": "Per post"}),
        )
        .await;
    assert_eq!(
        (s, patched["toelichting"].clone()),
        (StatusCode::OK, json!("Per post"))
    );
    assert_eq!(patched["aardRelatie"], "geadresseerde");
    let unknown = app.get(&format!("{verzending}?onbekend=1")).await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let page = app
        .get_json(&format!("{verzendingen}?aardRelatie=geadresseerde"))
        .await;
    assert_eq!(page["count"], 1);
    assert_eq!(
        app.get_json(&format!("{verzendingen}?aardRelatie=afzender"))
            .await["count"],
        0
    );
    let (s, _) = app.send_json(Method::DELETE, verzending, &json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(app.get(verzending).await.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

/// The next message of `subscriber` (within 10 s): subject and JSON body.
async fn next_message(subscriber: &mut async_nats::Subscriber) -> (String, Value) {
    use futures::StreamExt;
    let msg = tokio::time::timeout(std::time::Duration::from_secs(10), subscriber.next())
        .await
        .unwrap()
        .unwrap();
    let body = serde_json::from_slice(&msg.payload).unwrap();
    (msg.subject.to_string(), body)
}

#[tokio::test]
async fn documents_and_their_gebruiksrechten_are_announced_on_the_documenten_kanaal() {
    let app = TestApp::spawn().await;
    let nats = support::nats(&app.config).await;
    let tenant = app.config.tenant.clone();
    let mut zgw = nats
        .subscribe(format!("zgw.{tenant}.documenten.>"))
        .await
        .unwrap();
    nats.flush().await.unwrap();
    let (iot, doc) = app.new_document().await;
    let url = doc["url"].as_str().unwrap();
    let (subject, body) = next_message(&mut zgw).await;
    assert_eq!(
        subject,
        format!("zgw.{tenant}.documenten.enkelvoudiginformatieobject.create")
    );
    assert_eq!(body["hoofdObject"], url);
    assert_eq!(
        body["kenmerken"],
        json!({"bronorganisatie": "517439943", "informatieobjecttype": iot,
            "vertrouwelijkheidaanduiding": "openbaar"})
    );
    let (_, recht) = app
        .send_json(
            Method::POST,
            &format!("{API}/gebruiksrechten"),
            &gebruiksrecht(url),
        )
        .await;
    let (subject, body) = next_message(&mut zgw).await;
    assert_eq!(
        subject,
        format!("zgw.{tenant}.documenten.gebruiksrechten.create")
    );
    assert_eq!(
        (body["hoofdObject"].clone(), body["resourceUrl"].clone()),
        (json!(url), recht["url"].clone())
    );
    assert_eq!(body["kenmerken"]["informatieobjecttype"], iot);
    app.stop().await;
}
