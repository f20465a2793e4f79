//! The Klantinteracties API's register-wide uniqueness end to end: a partij-identificator
//! (its four codes) and a partij's nummer are claimed in a claim stream, refused to anyone
//! else, also under concurrent requests, and freed when changed or deleted.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::json;
use support::klantinteracties::*;
use support::{spec, TestApp};

#[tokio::test]
async fn an_identificator_is_unique_in_the_whole_register_until_it_is_deleted_or_changed() {
    let app = TestApp::spawn_bare().await;
    let first = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;

    // Nested in a new partij: refused, and that partij is not stored.
    let (status, body) = post(&app, "/partijen", &persoon(json!([bsn(BSN)]))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_eq!(
        params(&body),
        [("__all__".to_owned(), "invalid".to_owned())]
    );
    assert_eq!(get(&app, "/partijen").await["count"], 1);

    // On its own, for another partij: refused too.
    let second = new_partij(&app, &persoon(json!([]))).await;
    let mut own = bsn(BSN);
    own["identificeerdePartij"] = json!({"uuid": second["uuid"]});
    let (status, body) = post(&app, "/partij-identificatoren", &own).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_eq!(
        params(&body),
        [("__all__".to_owned(), "invalid".to_owned())]
    );

    // The first partij's identificator changes: the BSN is free for the second.
    let old = path_of(&app, &first["partijIdentificatoren"][0]);
    let patch = json!({"partijIdentificator": {"codeObjecttype": "natuurlijk_persoon",
        "codeSoortObjectId": "bsn", "objectId": OTHER_BSN, "codeRegister": "brp"}});
    let (status, changed) = send(app.request(Method::PATCH, &old).json(&patch)).await;
    assert_eq!(status, StatusCode::OK, "{changed:#}");
    spec::assert_valid(&spec::load(SPEC), "PartijIdentificator", &changed);
    let (status, taken) = post(&app, "/partij-identificatoren", &own).await;
    assert_eq!(status, StatusCode::CREATED, "{taken:#}");

    // Deleting the first partij frees OTHER_BSN.
    let (status, _) = send(app.request(Method::DELETE, &path_of(&app, &first))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    new_partij(&app, &persoon(json!([bsn(OTHER_BSN)]))).await;

    // Deleting an identificator frees its BSN.
    let (status, _) = send(app.request(Method::DELETE, &path_of(&app, &taken))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    app.stop().await;
}

#[tokio::test]
async fn of_concurrent_partijen_with_one_bsn_exactly_one_is_stored() {
    let app = TestApp::spawn_bare().await;
    let body = persoon(json!([bsn(BSN)]));
    let attempts = (0..6).map(|_| post(&app, "/partijen", &body));
    let statuses: Vec<_> = futures::future::join_all(attempts)
        .await
        .into_iter()
        .map(|(status, _)| status)
        .collect();
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{statuses:?}");
    assert!(statuses
        .iter()
        .all(|s| *s == StatusCode::CREATED || *s == StatusCode::BAD_REQUEST));
    let found = get(
        &app,
        &format!("/partijen?partijIdentificator__objectId={BSN}"),
    )
    .await;
    assert_eq!(found["count"], 1);
    assert_eq!(get(&app, "/partijen").await["count"], 1);
    app.stop().await;
}

#[tokio::test]
async fn a_nummer_is_unique_among_partijen_until_it_changes() {
    let app = TestApp::spawn_bare().await;
    let mut body = persoon(json!([]));
    body["nummer"] = json!("0000000042");
    let first = new_partij(&app, &body).await;
    let (status, refused) = post(&app, "/partijen", &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(
        params(&refused),
        [("nummer".to_owned(), "unique".to_owned())]
    );
    let patch = json!({"nummer": "0000000043"});
    let (status, _) = send(
        app.request(Method::PATCH, &path_of(&app, &first))
            .json(&patch),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    new_partij(&app, &body).await;
    app.stop().await;
}
