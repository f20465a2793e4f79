//! The process manager handles a besluit event again (a crash before its checkpoint, or a
//! replay from the start) without adding anything twice, nor undoing a later change: a
//! replayed command carries the event ids of its first append, so the store stores nothing.

mod support;

use std::sync::Arc;

use event_store::postgres::PgEventStore;
use event_store::EventStore;
use projections::render::Urls;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::besluiten::besluit_body;
use support::TestApp;

async fn linked(app: &TestApp, zaak: &str) -> Vec<Value> {
    let list = app.get_json(&format!("{zaak}/besluiten")).await;
    list.as_array().unwrap().clone()
}

#[tokio::test]
async fn handling_the_whole_log_again_neither_adds_a_zaakbesluit_twice_nor_brings_a_moved_one_back()
{
    let app = TestApp::spawn_bare().await;
    let types = app.besluit_types("REDO").await;
    let first = app.new_zaak_of(&types.zaaktype).await["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = app.new_zaak_of(&types.zaaktype).await["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let besluit = app
        .new_besluit(&besluit_body(&types.besluittype, Some(&first)))
        .await;
    let url = besluit["url"].as_str().unwrap();
    let (status, _) = app
        .send_json(Method::PATCH, url, &json!({"zaak": second}))
        .await;
    assert_eq!(status, StatusCode::OK);

    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    let store: Arc<dyn EventStore> = Arc::new(PgEventStore::new(pool.clone()));
    let streams = [&first, &second].map(|z| format!("zaak-{}", z.rsplit('/').next().unwrap()));
    let mut before = Vec::new();
    for stream in &streams {
        before.push(store.read_stream(stream, 0).await.unwrap().len());
    }
    let log = store.read_all(None, 10_000).await.unwrap();
    let manager = zaakstroom::process_manager(&Urls::new(&app.base), store.clone());
    projections::runtime::apply_batch(&pool, &manager, &log)
        .await
        .unwrap();

    for (stream, before) in streams.iter().zip(before) {
        let after = store.read_stream(stream, 0).await.unwrap().len();
        assert_eq!(after, before, "{stream}");
    }
    assert!(linked(&app, &first).await.is_empty());
    let on_second = linked(&app, &second).await;
    assert_eq!(on_second.len(), 1, "{on_second:#?}");
    assert_eq!(on_second[0]["besluit"], besluit["url"]);
    app.stop().await;
}
