//! A list's exact `count` (and GraphQL's `zaken.totalCount`) comes from the `zaken_counts`
//! totals when only the zaaktype and the caller's grants filter: it must stay equal to counting the rows through creates,
//! a change of vertrouwelijkheid, a deletion and a rebuild.

mod support;

use reqwest::Method;
use serde_json::{json, Value};
use support::TestApp;

async fn count_as_limited(app: &TestApp, query: &str) -> Value {
    let count = app
        .limited_json(&format!("/zaken/api/v1/zaken{query}"))
        .await["count"]
        .clone();
    if query.is_empty() {
        let graph = app
            .graphql_as(
                support::LIMITED_ID,
                support::LIMITED_SECRET,
                "{ zaken(first: 1) { totalCount } }",
            )
            .await;
        assert_eq!(
            graph["data"]["zaken"]["totalCount"], count,
            "GraphQL's totalCount is the REST list's count: {graph}"
        );
    }
    count
}

async fn totals_match_rows(app: &TestApp) {
    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    let differing: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT zaaktype, vertrouwelijkheid_rank, count(*) AS n FROM zaken
            GROUP BY 1, 2) r
         FULL JOIN (SELECT * FROM zaken_counts WHERE n <> 0) c USING (zaaktype, vertrouwelijkheid_rank)
         WHERE r.n IS DISTINCT FROM c.n",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(differing, 0, "zaken_counts differs from the zaken rows");
}

#[tokio::test]
async fn list_counts_from_totals_follow_creates_changes_deletes_and_rebuilds() {
    let app = TestApp::spawn().await;
    let zaaktype = app.types.zaaktype.clone();
    let other = app.published_zaaktype("ANDER-ZT").await.zaaktype;
    let mut zaken = Vec::new();
    for zaaktype in [&zaaktype, &zaaktype, &other] {
        let mut body = app.zaak_body();
        body["zaaktype"] = json!(zaaktype);
        zaken.push(app.create_zaak(&body).await.json::<Value>().await.unwrap());
    }
    app.grant_limited(json!([
        {"component": "zrc", "scopes": ["zaken.lezen"], "zaaktype": zaaktype,
         "maxVertrouwelijkheidaanduiding": "openbaar"},
        {"component": "zrc", "scopes": ["zaken.lezen"], "zaaktype": other,
         "maxVertrouwelijkheidaanduiding": "zeer_geheim"}]))
        .await;
    assert_eq!(count_as_limited(&app, "").await, 3);
    assert_eq!(
        count_as_limited(&app, &format!("?zaaktype={zaaktype}")).await,
        2
    );

    let patched = app
        .request(Method::PATCH, zaken[0]["url"].as_str().unwrap())
        .json(&json!({"vertrouwelijkheidaanduiding": "geheim"}))
        .send()
        .await
        .unwrap();
    assert!(patched.status().is_success());
    assert_eq!(
        count_as_limited(&app, &format!("?zaaktype={zaaktype}")).await,
        1
    );
    let deleted = app
        .request(Method::DELETE, zaken[2]["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert!(deleted.status().is_success());
    assert_eq!(count_as_limited(&app, "").await, 1);
    totals_match_rows(&app).await;
    let config = app.config.clone();
    app.stop().await;

    zaakstroom::rebuild(&config).await.unwrap();
    let app = TestApp::spawn_bare_with(config, &[zaakstroom::Role::Api]).await;
    totals_match_rows(&app).await;
    assert_eq!(count_as_limited(&app, "").await, 1);
    app.stop().await;
}
