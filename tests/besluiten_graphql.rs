//! GraphQL gives a zaak's besluiten, batched, under the caller's brc grants.

mod support;

use serde_json::{json, Value};
use support::besluiten::besluit_body;
use support::{zaak_body_for, TestApp};

#[tokio::test]
async fn graphql_gives_each_zaak_its_besluiten_that_the_caller_may_read() {
    let Some(app) = TestApp::spawn_bare().await else {
        return;
    };
    let mine = app.besluit_types("MIJN").await;
    let zaak = |zaaktype: String| {
        let app = &app;
        async move {
            let created = app.create_zaak(&zaak_body_for(&zaaktype)).await;
            created.json::<Value>().await.unwrap()["url"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let (z1, z2) = (
        zaak(mine.zaaktype.clone()).await,
        zaak(mine.zaaktype.clone()).await,
    );
    let b1 = app
        .new_besluit(&besluit_body(&mine.besluittype, Some(&z1)))
        .await;
    let b2 = app
        .new_besluit(&besluit_body(&mine.besluittype, Some(&z1)))
        .await;
    let query =
        "{ zaken { edges { node { url besluiten { url identificatie besluittype resource } } } } }";
    let got = app.graphql(query).await;
    let edges = got["data"]["zaken"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{got}"));
    let node = |url: &str| {
        edges
            .iter()
            .map(|e| &e["node"])
            .find(|n| n["url"] == url)
            .unwrap_or_else(|| panic!("{url} in {got}"))
            .clone()
    };
    let first = node(&z1);
    assert_eq!(first["besluiten"][0]["url"], b1["url"]);
    assert_eq!(first["besluiten"][1]["identificatie"], b2["identificatie"]);
    assert_eq!(
        first["besluiten"][0]["resource"], b1,
        "the same resource as REST"
    );
    assert_eq!(node(&z2)["besluiten"], json!([]));

    // A client that may read the zaken but no besluiten of this besluittype sees none.
    app.grant_limited(json!([
        {"component": "zrc", "scopes": ["zaken.lezen"], "zaaktype": mine.zaaktype,
            "maxVertrouwelijkheidaanduiding": "zeer_geheim"},
        {"component": "brc", "scopes": ["besluiten.lezen"],
            "besluittype": "https://ztc.example.nl/besluittypen/ander"}
    ]))
    .await;
    let limited = app
        .graphql_as(support::LIMITED_ID, support::LIMITED_SECRET, query)
        .await;
    let edges = limited["data"]["zaken"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 2, "{limited}");
    assert!(
        edges.iter().all(|e| e["node"]["besluiten"] == json!([])),
        "{limited}"
    );
    app.stop().await;
}
