//! Documents as they were: the latest version of then, a version of then by `versie` or
//! `registratieOp`, the lock as it was; the grants as then and as now.

use chrono::{DateTime, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::support::documenten::{b64, document_body};
use super::support::TestApp;
use super::{as_of, instant, send};

/// The document's detail path with `query` (`?…&…`) and `asOf=at` added.
fn as_of_with(path: &str, query: &str, at: DateTime<Utc>) -> String {
    as_of(&format!("{path}{query}"), at).replacen("?asOf", "&asOf", usize::from(!query.is_empty()))
}

#[tokio::test]
async fn a_document_as_of_each_step_is_what_get_answered_then() {
    let app = TestApp::spawn().await;
    let before = instant().await;
    let (_, doc) = app.new_document().await;
    let path = app.path_of(&doc);
    let mut steps: Vec<(DateTime<Utc>, Value)> = Vec::new();
    steps.push((instant().await, app.get_json(&path).await));
    let lock = app.lock(doc["url"].as_str().unwrap()).await;
    steps.push((instant().await, app.get_json(&path).await));
    let patch = json!({"titel": "Tweede", "inhoud": b64(b"tweede versie"), "lock": lock});
    send(&app, Method::PATCH, &path, patch).await;
    steps.push((instant().await, app.get_json(&path).await));
    let unlock = app.request(Method::POST, &format!("{path}/unlock"));
    let unlocked = unlock.json(&json!({"lock": lock})).send().await.unwrap();
    assert!(unlocked.status().is_success());
    let last = instant().await;
    steps.push((last, app.get_json(&path).await));
    assert_eq!(steps[1].1["locked"], true);
    assert_eq!(steps[3].1["versie"], 2);
    for (i, (at, then)) in steps.iter().enumerate() {
        let response = app.get(&as_of(&path, *at)).await;
        assert_eq!(response.status(), StatusCode::OK, "step {i}");
        assert!(response.headers().contains_key("memento-datetime"));
        assert_eq!(&response.json::<Value>().await.unwrap(), then, "step {i}");
    }
    // versie and registratieOp choose among the versions there were then.
    let first_version = app.get_json(&format!("{path}?versie=1")).await;
    let v1_now = app.get_json(&as_of_with(&path, "?versie=1", last)).await;
    assert_eq!(v1_now, first_version);
    let v1_then = app
        .get_json(&as_of_with(&path, "?versie=1", steps[1].0))
        .await;
    assert_eq!(v1_then, steps[1].1, "version 1 as it was: locked then");
    let v2_early = app.get(&as_of_with(&path, "?versie=2", steps[1].0)).await;
    assert_eq!(v2_early.status(), StatusCode::NOT_FOUND);
    let registered = steps[0].0.to_rfc3339().replace('+', "%2B");
    let by_registratie = as_of_with(&path, &format!("?registratieOp={registered}"), last);
    assert_eq!(app.get_json(&by_registratie).await, first_version);
    let unknown = app.get(&as_of_with(&path, "?onbekend=1", last)).await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    // Before it existed: 404; deleted since: 410 after, as it was before.
    assert_eq!(
        app.get(&as_of(&path, before)).await.status(),
        StatusCode::NOT_FOUND
    );
    let deleted = app.request(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = app.get(&as_of(&path, instant().await)).await;
    assert_eq!(gone.status(), StatusCode::GONE);
    assert_eq!(app.get_json(&as_of(&path, last)).await, steps[3].1);
    app.stop().await;
}

#[tokio::test]
async fn a_documents_past_is_refused_as_its_present_is() {
    let app = TestApp::spawn().await;
    let (iot, doc) = app.new_document().await;
    let path = app.path_of(&doc);
    let mut geheim = document_body(&iot);
    geheim["vertrouwelijkheidaanduiding"] = "geheim".into();
    let other = app.create_document(&geheim).await;
    let other_path = app.path_of(&other);
    app.grant_limited(json!([{"component": "drc", "scopes": ["documenten.lezen"],
        "informatieobjecttype": iot, "maxVertrouwelijkheidaanduiding": "openbaar"}]))
        .await;
    let open_then = instant().await;
    let limited = |p: String| app.limited(Method::GET, &p).send();
    assert_eq!(
        limited(as_of(&path, open_then)).await.unwrap().status(),
        StatusCode::OK
    );
    // Geheim: the same refusal as for the present.
    let present = limited(other_path.clone()).await.unwrap();
    let past = limited(as_of(&other_path, open_then)).await.unwrap();
    assert_eq!(present.status(), StatusCode::FORBIDDEN);
    assert_eq!(past.status(), present.status());
    let (present, past): (Value, Value) =
        (present.json().await.unwrap(), past.json().await.unwrap());
    assert_eq!(past["code"], present["code"]);
    // Openbaar then, vertrouwelijk now: the past is closed too.
    let lock = app.lock(doc["url"].as_str().unwrap()).await;
    let patch = json!({"vertrouwelijkheidaanduiding": "vertrouwelijk", "lock": lock});
    send(&app, Method::PATCH, &path, patch).await;
    assert_eq!(
        limited(path.clone()).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let closed = limited(as_of(&path, open_then)).await.unwrap();
    assert_eq!(closed.status(), StatusCode::FORBIDDEN);
    app.stop().await;
}

/// The documenten projection snapshots a document every `EVERY` events; reads from the
/// snapshot are what GET answered.
#[tokio::test]
async fn a_documents_long_history_is_snapshotted_and_reads_the_same() {
    let app = TestApp::spawn().await;
    let (_, doc) = app.new_document().await;
    let url = doc["url"].as_str().unwrap();
    let path = app.path_of(&doc);
    let every = projections::snapshots::EVERY as usize;
    let mut steps = Vec::new();
    // Revision 0 is the creation; each cycle adds a lock and an unlock.
    for _ in 0..every.div_ceil(2) + 1 {
        let lock = app.lock(url).await;
        let unlock = app.request(Method::POST, &format!("{path}/unlock"));
        let unlocked = unlock.json(&json!({"lock": lock})).send().await.unwrap();
        assert!(unlocked.status().is_success());
        steps.push((instant().await, app.get_json(&path).await));
    }
    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    let stream = format!("document-{}", path.rsplit('/').next().unwrap());
    let revisions: Vec<i64> =
        sqlx::query_scalar("SELECT revision FROM aggregate_snapshots WHERE stream = $1")
            .bind(&stream)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(revisions, [every as i64 - 1]);
    for (at, then) in steps.iter().rev().take(3) {
        assert_eq!(&app.get_json(&as_of(&path, *at)).await, then);
    }
    app.stop().await;
}
