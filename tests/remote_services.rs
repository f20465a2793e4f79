//! Calls to other ZGW APIs carry credentials: a setup file's `services` give the client id
//! and secret Zaakstroom signs its JWT-ZGW with for URLs under an API root, as Open Zaak's
//! "services" do. Here a second Zaakstroom is "another catalogue", which, like every ZGW
//! API, answers only authenticated requests.

mod support;

use serde_json::Value;
use support::{test_config, zaak_body_for, TestApp, CLIENT_ID, SECRET};
use zaakstroom::Role;

const ROLES: &[Role] = &[Role::Api, Role::Projector, Role::Notifier];

/// A setup file with the usual test clients plus one service: `root` with our client.
fn setup_with_service(root: &str) -> std::path::PathBuf {
    let path = support::setup_file();
    let mut yaml = std::fs::read_to_string(&path).unwrap();
    yaml.push_str(&format!(
        "services:\n  - apiRoot: {root}\n    clientId: {CLIENT_ID}\n    secret: {SECRET}\n"
    ));
    std::fs::write(&path, yaml).unwrap();
    path
}

async fn create_zaak(app: &TestApp, zaaktype: &str) -> (u16, Value) {
    let response = app.create_zaak(&zaak_body_for(zaaktype)).await;
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_zaaktype_of_another_catalogue_is_fetched_with_the_configured_credentials() {
    let catalogue = TestApp::spawn().await;
    let zaaktype = catalogue.types.zaaktype.clone();

    let mut config = test_config().await;
    config.setup_file = Some(setup_with_service(&catalogue.url("/catalogi/api/v1/")));
    let with_service = TestApp::spawn_bare_with(config, ROLES).await;
    let (status, zaak) = create_zaak(&with_service, &zaaktype).await;
    assert_eq!(status, 201, "{zaak}");
    assert_eq!(zaak["zaaktype"], zaaktype.as_str());

    // Without credentials the other catalogue refuses (403), so the zaaktype is a bad-url.
    let without = TestApp::spawn_bare().await;
    let (status, problem) = create_zaak(&without, &zaaktype).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(problem["invalidParams"][0]["name"], "zaaktype");
    assert_eq!(problem["invalidParams"][0]["code"], "bad-url");
}
