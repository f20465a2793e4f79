//! Relations across the Zaken, Besluiten and Documenten APIs: a zaakinformatieobject or
//! besluitinformatieobject of one of our documents is mirrored by the process manager as
//! that document's objectinformatieobject (and removed with it, or with its zaak/besluit).

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::besluiten::besluit_body;
use support::catalogi::codes;
use support::documenten::{document_body, API};
use support::TestApp;

const BIO: &str = "/besluiten/api/v1/besluitinformatieobjecten";

async fn post(app: &TestApp, path: &str, body: &Value) -> Value {
    let (status, created) = app.send_json(Method::POST, path, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created:#}");
    created
}

#[tokio::test]
async fn a_besluitinformatieobject_of_our_document_is_checked_against_our_documenten_read_model() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
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
