//! `pageSize` on every paginated list, as Open Zaak 1.30 serves it (its documents list it
//! on each: "default: 100, maximum: 500"): a positive number chooses the page size, cut to
//! 500; anything else is the default, not an error (DRF's `_positive_int`). The page links
//! keep it. Lists that are plain arrays take no `pageSize`.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::TestApp;

#[tokio::test]
async fn page_size_chooses_how_many_per_page_and_the_links_keep_it() {
    let app = TestApp::spawn().await;
    for _ in 0..3 {
        app.new_zaak().await;
    }
    let first = app.get_json("/zaken/api/v1/zaken?pageSize=2").await;
    assert_eq!(first["count"], 3, "{first}");
    assert_eq!(first["results"].as_array().unwrap().len(), 2);
    let next = first["next"].as_str().unwrap();
    assert!(
        next.contains("pageSize=2") && next.contains("page=2"),
        "{next}"
    );
    let second = app.get_json(next).await;
    assert_eq!(second["results"].as_array().unwrap().len(), 1);
    assert!(second["next"].is_null());
    assert!(second["previous"].as_str().unwrap().contains("pageSize=2"));
    // Past the last page of that size: not found, as any page past the last.
    let past = app.get("/zaken/api/v1/zaken?pageSize=1&page=4").await;
    assert_eq!(past.status(), StatusCode::NOT_FOUND);
    // Not a positive number: the default size, as the reference (no 400).
    for odd in ["0", "-5", "abc", ""] {
        let page = app
            .get_json(&format!("/zaken/api/v1/zaken?pageSize={odd}"))
            .await;
        assert_eq!(
            page["results"].as_array().unwrap().len(),
            3,
            "pageSize={odd}"
        );
    }
    // The same on _zoek (a query parameter beside the body).
    let search: Value = app
        .request(Method::POST, "/zaken/api/v1/zaken/_zoek?pageSize=1")
        .json(&json!({"zaaktype": app.zaak_body()["zaaktype"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(search["count"], 3, "{search}");
    assert_eq!(search["results"].as_array().unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn every_paginated_api_takes_page_size_and_plain_lists_refuse_it() {
    let app = TestApp::spawn().await;
    app.new_zaak().await;
    for list in [
        "/catalogi/api/v1/zaaktypen",
        "/catalogi/api/v1/catalogussen",
        "/besluiten/api/v1/besluiten",
        "/documenten/api/v1/enkelvoudiginformatieobjecten",
        "/autorisaties/api/v1/applicaties",
        "/zaken/api/v1/statussen",
    ] {
        let response = app.get(&format!("{list}?pageSize=1")).await;
        assert_eq!(response.status(), StatusCode::OK, "{list}");
        let page: Value = response.json().await.unwrap();
        assert!(
            page["results"].as_array().unwrap().len() <= 1,
            "{list}: {page}"
        );
    }
    // Two applicaties (the test's own and the limited client's): one a page.
    app.grant_limited(json!([{"component": "ac", "scopes": ["autorisaties.lezen"]}]))
        .await;
    let applicaties = app
        .get_json("/autorisaties/api/v1/applicaties?pageSize=1")
        .await;
    assert!(applicaties["count"].as_i64().unwrap() >= 2, "{applicaties}");
    assert!(applicaties["next"].as_str().unwrap().contains("pageSize=1"));
    // A plain array has no pages to size.
    let plain = app
        .get("/zaken/api/v1/zaakinformatieobjecten?pageSize=1")
        .await;
    assert_eq!(plain.status(), StatusCode::BAD_REQUEST);
    app.stop().await;
}
