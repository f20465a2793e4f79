//! `Authorization: Token <key>`, as Open Klant's clients authenticate, given to a client as
//! `zaakstroom applicatie set-token --generate` does: accepted on the Klantinteracties API,
//! carrying that client's applicatie's rights (not all rights); refused elsewhere and once
//! removed. (A token from the setup file: klantinteracties_partijen.rs.)

mod support;

use reqwest::{Method, StatusCode};
use serde_json::json;
use support::klantinteracties::{bsn, new_partij, persoon, send, API, BSN};
use support::{TestApp, LIMITED_ID};

#[tokio::test]
async fn a_token_acts_as_its_client_with_that_clients_rights_on_klantinteracties_only() {
    let app = TestApp::spawn().await;
    app.grant_limited(json!([{"component": "kic", "scopes": ["klantinteracties.lezen"]}]))
        .await;
    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    let key = query_api::tokens::generate();
    query_api::tokens::set(&pool, LIMITED_ID, &key)
        .await
        .unwrap();
    let with = |key: &str, method: Method, path: &str| {
        app.http
            .request(method, app.url(path))
            .header("Authorization", format!("Token {key}"))
    };
    let list = format!("{API}/partijen");

    // Reads what its applicatie may read.
    let (status, page) = send(with(&key, Method::GET, &list)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["results"][0]["url"], partij["url"]);
    // Not what it may not: its applicatie holds no klantinteracties.aanmaken.
    let body = persoon(json!([]));
    let (status, refused) = send(with(&key, Method::POST, &list).json(&body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    // Only the APIs Open Klant's clients call take a key.
    let (status, other) = send(with(&key, Method::GET, "/zaken/api/v1/zaken")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{other}");
    assert_eq!(other["code"], "not_authenticated");
    // An unknown key, or one removed: 401 as Open Klant answers.
    let (status, unknown) = send(with("zs_0000", Method::GET, &list)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{unknown}");
    assert_eq!(unknown["code"], "authentication_failed");
    assert!(query_api::tokens::remove(&pool, LIMITED_ID).await.unwrap());
    let (status, _) = send(with(&key, Method::GET, &list)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A key of a client id no applicatie names: authenticated, allowed nothing.
    let stray = query_api::tokens::generate();
    query_api::tokens::set(&pool, "nobody", &stray)
        .await
        .unwrap();
    let (status, _) = send(with(&stray, Method::GET, &list)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.stop().await;
}
