//! Relations across the Zaken, Besluiten and Documenten APIs: a zaakinformatieobject or
//! besluitinformatieobject of one of our documents is mirrored by the process manager as
//! that document's objectinformatieobject (and removed with it, or with its zaak/besluit).

mod support;

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::besluiten::{besluit_body, s, status_of};
use support::catalogi::codes;
use support::documenten::{document_body, API};
use support::TestApp;

const ZIO: &str = "/zaken/api/v1/zaakinformatieobjecten";
const BIO: &str = "/besluiten/api/v1/besluitinformatieobjecten";

/// The objectinformatieobjecten the Documenten API lists for `object`.
async fn mirrored(app: &TestApp, object: &Value) -> Vec<Value> {
    let list = app
        .get_json(&format!(
            "{API}/objectinformatieobjecten?object={}",
            s(object)
        ))
        .await;
    list.as_array().unwrap().clone()
}

/// Polls until the objectinformatieobjecten of `object` number `count` (within 10 s).
async fn eventually(app: &TestApp, object: &Value, count: usize) -> Vec<Value> {
    for _ in 0..100 {
        let listed = mirrored(app, object).await;
        if listed.len() == count {
            return listed;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{object} never had {count} objectinformatieobjecten");
}

/// A zaak whose zaaktype may hold documents, and a document it may hold.
async fn zaak_and_document(app: &TestApp) -> (Value, Value) {
    let (iot, zaaktype) = app.zaaktype_with_documents().await;
    let zaak = app.new_zaak_of(s(&zaaktype["url"])).await;
    let document = app.create_document(&document_body(&iot)).await;
    (zaak, document)
}

/// A besluit (without zaak) of a besluittype in catalogus `domein`, and a document of
/// an informatieobjecttype that besluittype allows.
async fn besluit_and_document(app: &TestApp, domein: &str) -> (Value, Value) {
    let types = app.besluit_types(domein).await;
    let document = app
        .create_document(&document_body(&types.informatieobjecttype))
        .await;
    let besluit = app
        .new_besluit(&besluit_body(&types.besluittype, None))
        .await;
    (besluit, document)
}

async fn post(app: &TestApp, path: &str, body: &Value) -> Value {
    let (status, created) = app.send_json(Method::POST, path, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created:#}");
    created
}

#[tokio::test]
async fn a_zaakinformatieobject_of_our_document_is_mirrored_as_its_objectinformatieobject_until_removed(
) {
    let app = TestApp::spawn().await;
    let (zaak, document) = zaak_and_document(&app).await;
    let zio = post(
        &app,
        ZIO,
        &json!({"zaak": zaak["url"], "informatieobject": document["url"]}),
    )
    .await;
    let listed = eventually(&app, &zaak["url"], 1).await;
    assert_eq!(listed[0]["informatieobject"], document["url"]);
    assert_eq!(listed[0]["objectType"], "zaak");

    assert_eq!(
        status_of(app.request(Method::DELETE, s(&zio["url"]))).await,
        StatusCode::NO_CONTENT
    );
    eventually(&app, &zaak["url"], 0).await;
    app.stop().await;
}

#[tokio::test]
async fn deleting_a_zaak_removes_the_objectinformatieobjecten_of_its_zaakinformatieobjecten() {
    let app = TestApp::spawn().await;
    let (zaak, document) = zaak_and_document(&app).await;
    post(
        &app,
        ZIO,
        &json!({"zaak": zaak["url"], "informatieobject": document["url"]}),
    )
    .await;
    eventually(&app, &zaak["url"], 1).await;
    assert_eq!(
        status_of(app.request(Method::DELETE, s(&zaak["url"]))).await,
        StatusCode::NO_CONTENT
    );
    eventually(&app, &zaak["url"], 0).await;
    assert_eq!(
        status_of(app.request(Method::DELETE, s(&document["url"]))).await,
        StatusCode::NO_CONTENT,
        "no relation holds the document any more"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_besluitinformatieobject_of_our_document_is_mirrored_until_it_or_its_besluit_is_removed()
{
    let app = TestApp::spawn().await;
    let (besluit, document) = besluit_and_document(&app, "MIR").await;
    let link = json!({"besluit": besluit["url"], "informatieobject": document["url"]});
    let bio = post(&app, BIO, &link).await;
    let listed = eventually(&app, &besluit["url"], 1).await;
    assert_eq!(listed[0]["informatieobject"], document["url"]);
    assert_eq!(listed[0]["objectType"], "besluit");

    assert_eq!(
        status_of(app.request(Method::DELETE, s(&bio["url"]))).await,
        StatusCode::NO_CONTENT
    );
    eventually(&app, &besluit["url"], 0).await;

    post(&app, BIO, &link).await;
    eventually(&app, &besluit["url"], 1).await;
    assert_eq!(
        status_of(app.request(Method::DELETE, s(&besluit["url"]))).await,
        StatusCode::NO_CONTENT
    );
    eventually(&app, &besluit["url"], 0).await;
    app.stop().await;
}

#[tokio::test]
async fn a_besluitinformatieobject_of_our_document_is_checked_against_our_documenten_read_model() {
    let app = TestApp::spawn().await;
    let types = app.besluit_types("OWN").await;
    let besluit = app
        .new_besluit(&besluit_body(&types.besluittype, None))
        .await;
    let other_type = app.published_informatieobjecttype().await;
    let elsewhere = app.create_document(&document_body(&other_type)).await;
    let (status, refused) = app
        .send_json(
            Method::POST,
            BIO,
            &json!({"besluit": besluit["url"], "informatieobject": elsewhere["url"]}),
        )
        .await;
    assert_eq!(
        (status, codes(&refused)),
        (
            StatusCode::BAD_REQUEST,
            vec!["missing-besluittype-informatieobjecttype-relation".to_owned()]
        )
    );
    let missing = app.url(&format!(
        "{API}/enkelvoudiginformatieobjecten/{}",
        uuid::Uuid::new_v4()
    ));
    let (status, refused) = app
        .send_json(
            Method::POST,
            BIO,
            &json!({"besluit": besluit["url"], "informatieobject": missing}),
        )
        .await;
    assert_eq!(
        (status, codes(&refused)),
        (StatusCode::BAD_REQUEST, vec!["does_not_exist".to_owned()])
    );
    let document = app
        .create_document(&document_body(&types.informatieobjecttype))
        .await;
    let link = json!({"besluit": besluit["url"], "informatieobject": document["url"]});
    let created = post(&app, BIO, &link).await;
    assert_eq!(created["informatieobject"], document["url"]);
    app.stop().await;
}

#[tokio::test]
async fn the_documenten_api_shows_a_zaakinformatieobjects_mirror_as_soon_as_the_zaken_write_returns(
) {
    let app = TestApp::spawn().await;
    let (zaak, document) = zaak_and_document(&app).await;
    let link = json!({"zaak": zaak["url"], "informatieobject": document["url"]});
    for _ in 0..3 {
        let zio = post(&app, ZIO, &link).await;
        let listed = mirrored(&app, &zaak["url"]).await;
        assert_eq!(listed.len(), 1, "right after the POST: {listed:?}");
        assert_eq!(listed[0]["informatieobject"], document["url"]);
        let (status, refused) = app
            .send_json(Method::DELETE, s(&document["url"]), &json!({}))
            .await;
        assert_eq!(
            (status, codes(&refused)),
            (
                StatusCode::BAD_REQUEST,
                vec!["pending-relations".to_owned()]
            )
        );
        assert_eq!(
            status_of(app.request(Method::DELETE, s(&zio["url"]))).await,
            StatusCode::NO_CONTENT
        );
        assert!(
            mirrored(&app, &zaak["url"]).await.is_empty(),
            "right after the DELETE"
        );
    }
    post(&app, ZIO, &link).await;
    assert_eq!(
        status_of(app.request(Method::DELETE, s(&zaak["url"]))).await,
        StatusCode::NO_CONTENT
    );
    assert!(
        mirrored(&app, &zaak["url"]).await.is_empty(),
        "right after the zaak's DELETE"
    );
    assert_eq!(
        status_of(app.request(Method::DELETE, s(&document["url"]))).await,
        StatusCode::NO_CONTENT
    );
    app.stop().await;
}

#[tokio::test]
async fn the_documenten_api_shows_a_besluitinformatieobjects_mirror_as_soon_as_the_besluiten_write_returns(
) {
    let app = TestApp::spawn().await;
    let (besluit, document) = besluit_and_document(&app, "RYW").await;
    let link = json!({"besluit": besluit["url"], "informatieobject": document["url"]});
    for _ in 0..3 {
        let bio = post(&app, BIO, &link).await;
        assert_eq!(mirrored(&app, &besluit["url"]).await.len(), 1);
        assert_eq!(
            status_of(app.request(Method::DELETE, s(&bio["url"]))).await,
            StatusCode::NO_CONTENT
        );
        assert!(mirrored(&app, &besluit["url"]).await.is_empty());
    }
    post(&app, BIO, &link).await;
    assert_eq!(
        status_of(app.request(Method::DELETE, s(&besluit["url"]))).await,
        StatusCode::NO_CONTENT
    );
    assert!(mirrored(&app, &besluit["url"]).await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn the_documenten_apis_own_objectinformatieobject_writes_for_our_zaken_and_besluiten_only_check_the_relation_and_a_second_is_not_unique(
) {
    let app = TestApp::spawn().await;
    let oio = format!("{API}/objectinformatieobjecten");
    let (zaak, document) = zaak_and_document(&app).await;
    let own =
        json!({"informatieobject": document["url"], "object": zaak["url"], "objectType": "zaak"});
    let (status, refused) = app.send_json(Method::POST, &oio, &own).await;
    assert_eq!(
        (status, codes(&refused)),
        (
            StatusCode::BAD_REQUEST,
            vec!["inconsistent-relation".to_owned()]
        ),
        "the Zaken API has no such zaakinformatieobject"
    );
    let zio = post(
        &app,
        ZIO,
        &json!({"zaak": zaak["url"], "informatieobject": document["url"]}),
    )
    .await;
    let (status, refused) = app.send_json(Method::POST, &oio, &own).await;
    assert_eq!(
        (status, codes(&refused)),
        (StatusCode::BAD_REQUEST, vec!["unique".to_owned()]),
        "the mirror exists: a second is refused, as the reference's unique validator does"
    );
    let mirrors = mirrored(&app, &zaak["url"]).await;
    assert_eq!(mirrors.len(), 1, "the mirrored relation, not a second");
    let existing = mirrors[0].clone();
    let (status, refused) = app
        .send_json(Method::DELETE, s(&existing["url"]), &json!({}))
        .await;
    assert_eq!(
        (status, codes(&refused)),
        (
            StatusCode::BAD_REQUEST,
            vec!["remote-relation-exists".to_owned()]
        )
    );
    assert_eq!(
        status_of(app.request(Method::DELETE, s(&zio["url"]))).await,
        StatusCode::NO_CONTENT
    );
    assert!(mirrored(&app, &zaak["url"]).await.is_empty());

    let (besluit, document) = besluit_and_document(&app, "OWNW").await;
    let own = json!({"informatieobject": document["url"], "object": besluit["url"], "objectType": "besluit"});
    let (status, refused) = app.send_json(Method::POST, &oio, &own).await;
    assert_eq!(
        (status, codes(&refused)),
        (
            StatusCode::BAD_REQUEST,
            vec!["inconsistent-relation".to_owned()]
        )
    );
    let link = json!({"besluit": besluit["url"], "informatieobject": document["url"]});
    post(&app, BIO, &link).await;
    let (status, refused) = app.send_json(Method::POST, &oio, &own).await;
    assert_eq!(
        (status, codes(&refused)),
        (StatusCode::BAD_REQUEST, vec!["unique".to_owned()])
    );
    assert_eq!(mirrored(&app, &besluit["url"]).await.len(), 1);
    app.stop().await;
}
