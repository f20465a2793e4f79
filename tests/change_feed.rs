//! The change feed (issue 19): `GET /events?after=&limit=` gives the envelopes of the events
//! the caller may read, in the log's order, with the position to resume from; resumed from
//! any position it yields exactly the events after it; a limited client sees only events of
//! the objects its grants cover; `Accept: text/event-stream` gives the same as server-sent
//! events that stay open.

mod support;

use std::time::Duration;

use futures::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::TestApp;

/// Every event the client sees, following `next` page by page with `limit`.
async fn all_events(app: &TestApp, limited: bool, after: Option<&str>, limit: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after = after.map(str::to_owned);
    for _ in 0..1000 {
        let mut path = format!("/events?limit={limit}");
        if let Some(a) = &after {
            path.push_str(&format!("&after={a}"));
        }
        let request = if limited {
            app.limited(Method::GET, &path)
        } else {
            app.request(Method::GET, &path)
        };
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let page: Value = response.json().await.unwrap();
        let results = page["results"].as_array().unwrap();
        assert!(results.len() <= limit, "{page}");
        out.extend(results.iter().cloned());
        after = page["next"].as_str().map(str::to_owned);
        if page["caughtUp"] == true {
            return out;
        }
    }
    panic!("the feed never caught up");
}

fn ids(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["event_id"].as_str().unwrap().to_owned())
        .collect()
}

fn of_stream<'a>(events: &'a [Value], stream: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["stream"] == stream).collect()
}

#[tokio::test]
async fn the_feed_gives_every_event_in_order_and_resumes_from_any_position() {
    let app = TestApp::spawn().await;
    let zaak = app.new_zaak().await;
    let patch = app
        .request(Method::PATCH, &app.path_of(&zaak))
        .json(&json!({"toelichting": "bijgewerkt"}))
        .send()
        .await
        .unwrap();
    assert_eq!(patch.status(), StatusCode::OK);
    let everything = all_events(&app, false, None, 1000).await;
    let stream = format!("zaak-{}", zaak["uuid"].as_str().unwrap());
    let of_zaak = of_stream(&everything, &stream);
    assert_eq!(of_zaak.len(), 2, "created and updated: {of_zaak:?}");
    assert_eq!(of_zaak[0]["revision"], 0);
    assert_eq!(of_zaak[1]["revision"], 1);
    // Each carries what an outside party needs to check it: hash chain and position.
    assert_eq!(of_zaak[1]["prev_hash"], of_zaak[0]["hash"]);
    assert!(of_zaak[0]["position"].as_str().unwrap().contains('/'));
    // Page by page, one at a time: the same events in the same order.
    assert_eq!(
        ids(&all_events(&app, false, None, 1).await),
        ids(&everything)
    );
    // From any position: exactly the events after it.
    for i in [0, everything.len() / 2, everything.len() - 1] {
        let position = everything[i]["position"].as_str().unwrap();
        let rest = all_events(&app, false, Some(position), 7).await;
        assert_eq!(ids(&rest), ids(&everything[i + 1..]), "after {position}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_limited_client_reads_only_events_of_what_its_grants_cover() {
    let app = TestApp::spawn().await;
    app.grant_limited(json!([{"component": "zrc", "scopes": ["zaken.lezen"],
        "zaaktype": app.types.zaaktype, "maxVertrouwelijkheidaanduiding": "openbaar"}]))
        .await;
    let open = app.new_zaak().await;
    let mut secret = app.zaak_body();
    secret["vertrouwelijkheidaanduiding"] = json!("geheim");
    let secret: Value = app.create_zaak(&secret).await.json().await.unwrap();
    assert_eq!(secret["vertrouwelijkheidaanduiding"], "geheim", "{secret}");
    let everything = all_events(&app, false, None, 1000).await;
    let seen = all_events(&app, true, None, 1000).await;
    let open_stream = format!("zaak-{}", open["uuid"].as_str().unwrap());
    let expected: Vec<&Value> = everything
        .iter()
        .filter(|e| e["stream"] == open_stream)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(
        ids(&seen),
        expected
            .iter()
            .map(|e| e["event_id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>(),
        "only the openbaar zaak's events: no geheim zaak, no catalogue, applicaties or claims"
    );
    // Resumed from a position it could not see (the geheim zaak's), still exactly what follows.
    let secret_stream = format!("zaak-{}", secret["uuid"].as_str().unwrap());
    let hidden = of_stream(&everything, &secret_stream)[0]["position"]
        .as_str()
        .unwrap()
        .to_owned();
    let after_hidden = all_events(&app, true, Some(&hidden), 3).await;
    let hidden_index = everything
        .iter()
        .position(|e| e["position"] == hidden.as_str())
        .unwrap();
    let expected_after: Vec<String> = everything[hidden_index + 1..]
        .iter()
        .filter(|e| e["stream"] == open_stream)
        .map(|e| e["event_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids(&after_hidden), expected_after);
    // One stream's chain: intact for who may read it, not found for who may not.
    let chain = |stream: &str| format!("/events/chain?stream={stream}");
    let intact = app.get_json(&chain(&secret_stream)).await;
    assert_eq!(intact["intact"], true, "{intact}");
    assert_eq!(intact["events"], 1);
    let hidden_chain = app
        .limited(Method::GET, &chain(&secret_stream))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden_chain.status(), StatusCode::NOT_FOUND);
    let open_chain = app
        .limited(Method::GET, &chain(&open_stream))
        .send()
        .await
        .unwrap();
    assert_eq!(open_chain.status(), StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn bad_parameters_are_refused_and_a_token_is_needed() {
    let app = TestApp::spawn().await;
    for query in [
        "after=12",
        "after=a/b",
        "limit=0",
        "limit=1001",
        "limit=x",
        "since=1/2",
    ] {
        let response = app
            .request(Method::GET, &format!("/events?{query}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let body: Value = response.json().await.unwrap();
        assert!(body["invalidParams"].is_array(), "{body}");
    }
    let anonymous = reqwest::get(app.url("/events")).await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::FORBIDDEN);
    app.stop().await;
}

#[tokio::test]
async fn the_feed_as_server_sent_events_stays_open_and_carries_new_events() {
    let app = TestApp::spawn().await;
    app.new_zaak().await;
    let response = app
        .request(Method::GET, "/events")
        .header("Accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let mut body = response.bytes_stream();
    let mut text = String::new();
    let later = app.new_zaak().await;
    let wanted = format!("zaak-{}", later["uuid"].as_str().unwrap());
    let read = async {
        while !text.contains(&wanted) {
            let chunk = body.next().await.expect("the stream stays open").unwrap();
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    tokio::time::timeout(Duration::from_secs(20), read)
        .await
        .expect("the new zaak's event arrives on the open stream");
    // Each event: its position as id (for Last-Event-ID), its type, the envelope as data.
    let first = text.split("\n\n").find(|e| e.contains("data:")).unwrap();
    assert!(
        first
            .lines()
            .any(|l| l.starts_with("id: ") && l.contains('/')),
        "{first}"
    );
    assert!(first.lines().any(|l| l.starts_with("event: ")), "{first}");
    let data = first
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .unwrap();
    let envelope: Value = serde_json::from_str(data).unwrap();
    assert!(envelope["event_id"].is_string() && envelope["payload"].is_object());
    // Resumed with Last-Event-ID: nothing it already had.
    let id = first.lines().find_map(|l| l.strip_prefix("id: ")).unwrap();
    let resumed: Value = app
        .request(Method::GET, "/events?limit=1000")
        .header("Last-Event-ID", id)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(resumed["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["event_id"] != envelope["event_id"]));
    app.stop().await;
}
