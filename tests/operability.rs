//! What an operator and a client developer reach for first: each API's root answers as
//! Open Zaak's does (a link to every collection it serves, and every link answers a GET),
//! and a mistyped database URL is refused instead of creating a stray database.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::Value;
use support::TestApp;

#[tokio::test]
async fn every_api_root_links_to_each_of_its_collections() {
    let app = TestApp::spawn().await;
    let expected = [
        (
            "/zaken/api/v1",
            &[
                "zaken",
                "statussen",
                "rollen",
                "resultaten",
                "zaakobjecten",
                "zaakinformatieobjecten",
            ][..],
        ),
        (
            "/catalogi/api/v1",
            &[
                "catalogussen",
                "zaaktypen",
                "statustypen",
                "roltypen",
                "informatieobjecttypen",
                "besluittypen",
            ][..],
        ),
        (
            "/besluiten/api/v1",
            &["besluiten", "besluitinformatieobjecten"][..],
        ),
        (
            "/documenten/api/v1",
            &[
                "enkelvoudiginformatieobjecten",
                "gebruiksrechten",
                "objectinformatieobjecten",
            ][..],
        ),
        ("/autorisaties/api/v1", &["applicaties"][..]),
    ];
    for (api, collections) in expected {
        for path in [api.to_owned(), format!("{api}/")] {
            let response = app.http.get(app.url(&path)).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            let root: Value = response.json().await.unwrap();
            for name in collections {
                assert_eq!(
                    root[*name],
                    app.url(&format!("{api}/{name}")),
                    "{path}: {root:#}"
                );
            }
            for (name, url) in root.as_object().unwrap() {
                let list = app
                    .request(Method::GET, url.as_str().unwrap())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(list.status(), StatusCode::OK, "{api} {name}");
            }
        }
    }
}

#[test]
fn a_database_url_of_another_scheme_is_refused_before_anything_connects() {
    for bad in [
        "postgress://postgres@127.0.0.1:5432/zaakstroom",
        "mysql://root@127.0.0.1/zaakstroom",
        "127.0.0.1:5432/zaakstroom",
    ] {
        let refused = zaakstroom::database_options(bad).unwrap_err().to_string();
        assert!(refused.contains("postgres://"), "{bad}: {refused}");
    }
    for good in [
        "postgres://postgres@127.0.0.1:5432/zaakstroom?sslmode=disable",
        "postgresql://postgres@127.0.0.1/zaakstroom",
    ] {
        assert!(zaakstroom::database_options(good).is_ok(), "{good}");
    }
}
