//! GraphQL gives a zaak's besluiten, batched, under the caller's brc grants.

mod support;

use serde_json::json;
use support::besluiten::besluit_body;
use support::TestApp;

#[tokio::test]
async fn graphql_gives_each_zaak_its_besluiten_that_the_caller_may_read() {
    let app = TestApp::spawn_bare().await;
    let mine = app.besluit_types("MIJN").await;
    let mut zaken = Vec::new();
    for _ in 0..2 {
        let zaak = app.new_zaak_of(&mine.zaaktype).await;
        zaken.push(zaak["url"].as_str().unwrap().to_owned());
    }
    let (z1, z2) = (&zaken[0], &zaken[1]);
    let b1 = app
        .new_besluit(&besluit_body(&mine.besluittype, Some(z1)))
        .await;
    let b2 = app
        .new_besluit(&besluit_body(&mine.besluittype, Some(z1)))
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
    let first = node(z1);
    assert_eq!(first["besluiten"][0]["url"], b1["url"]);
    assert_eq!(first["besluiten"][1]["identificatie"], b2["identificatie"]);
    assert_eq!(
        first["besluiten"][0]["resource"], b1,
        "the same resource as REST"
    );
    assert_eq!(node(z2)["besluiten"], json!([]));

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
