//! Concurrent writers over HTTP: many clients writing one zaak get a success or a 409,
//! never a 500, and the stream holds exactly their successes; `If-Match` on every PUT,
//! PATCH and DELETE turns a stale or wrong ETag into 412 instead of a lost update.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::besluiten::besluit_body;
use support::catalogi::informatieobjecttype_body;
use support::documenten::{document_body, gebruiksrecht};
use support::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_patchers_and_ten_status_posters_on_one_zaak_get_successes_or_409_and_no_event_is_lost()
{
    let app = TestApp::spawn().await;
    let app = std::sync::Arc::new(app);
    let zaak = app.new_zaak().await;
    let url = zaak["url"].as_str().unwrap().to_owned();
    const CLIENTS: usize = 10;
    const REQUESTS: usize = 5;
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        for statussen in [false, true] {
            let (app, url) = (app.clone(), url.clone());
            tasks.push(tokio::spawn(async move {
                let mut answers = Vec::new();
                for i in 0..REQUESTS {
                    let request = if statussen {
                        // A moment of its own per status (one status per moment is a rule).
                        let minutes = (client * REQUESTS + i + 1) as i64;
                        let gezet = chrono::Utc::now() - chrono::Duration::minutes(minutes);
                        app.request(Method::POST, "/zaken/api/v1/statussen")
                            .json(&json!({
                            "zaak": url, "statustype": app.types.statustypen[0],
                            "datumStatusGezet": gezet.to_rfc3339()}))
                    } else {
                        app.request(Method::PATCH, &url)
                            .json(&json!({"toelichting": format!("client {client} write {i}")}))
                    };
                    let response = request.send().await.unwrap();
                    let status = response.status();
                    let body: Value = response.json().await.unwrap_or(Value::Null);
                    answers.push((statussen, status, body));
                }
                answers
            }));
        }
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.extend(t.await.unwrap());
    }
    let unexpected: Vec<_> = answers
        .iter()
        .filter(|(_, s, _)| {
            ![StatusCode::OK, StatusCode::CREATED, StatusCode::CONFLICT].contains(s)
        })
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
    for (_, status, body) in &answers {
        if *status == StatusCode::CONFLICT {
            assert_eq!(body["status"], 409, "problem+json: {body}");
        }
    }
    let succeeded = |statussen: bool| {
        answers
            .iter()
            .filter(|(s, status, _)| *s == statussen && status.is_success())
            .count()
    };
    let (patched, posted) = (succeeded(false), succeeded(true));
    eprintln!(
        "{} requests: {patched} PATCH and {posted} POST status succeeded, {} answered 409",
        answers.len(),
        answers.len() - patched - posted
    );
    // One event per success (ZaakUpdated, StatusAdded) after ZaakCreated; the audit trail
    // has one entry per event of the zaak's stream.
    let trail: Value = app.get_json(&format!("{url}/audittrail")).await;
    assert_eq!(trail.as_array().unwrap().len(), 1 + patched + posted);
    let statussen: Value = app
        .request(Method::GET, "/zaken/api/v1/statussen")
        .query(&[("zaak", &url)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed = statussen
        .get("count")
        .cloned()
        .unwrap_or_else(|| json!(statussen.as_array().map_or(0, Vec::len)));
    assert_eq!(listed, json!(posted));
}

/// The ETag a detail GET returns.
async fn etag(app: &TestApp, url: &str) -> String {
    let response = app.get(url).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {url}");
    response.headers()["etag"].to_str().unwrap().to_owned()
}

async fn send(
    app: &TestApp,
    method: Method,
    url: &str,
    if_match: Option<&str>,
    body: Option<&Value>,
) -> (StatusCode, Option<String>, Value) {
    let mut request = app.request(method, url);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let etag = response
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_owned());
    let is_problem = response
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes() == b"application/problem+json");
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if status == StatusCode::PRECONDITION_FAILED {
        assert!(is_problem, "412 as problem+json: {body}");
        assert_eq!(
            (&body["status"], &body["code"]),
            (&json!(412), &json!("precondition_failed"))
        );
    }
    (status, etag, body)
}

/// PATCH (and PUT where given) of `url` with `patch(n)`: a wrong or stale ETag is 412 and
/// changes nothing; the ETag GET returns, a list holding it, `*` and no If-Match write.
async fn writes_honour_if_match(
    app: &TestApp,
    url: &str,
    patch: impl Fn(u32) -> Value,
    put: Option<Value>,
) {
    let first = etag(app, url).await;
    let (status, _, body) = send(app, Method::PATCH, url, Some("\"0123\""), Some(&patch(1))).await;
    assert_eq!(
        status,
        StatusCode::PRECONDITION_FAILED,
        "wrong ETag: {body}"
    );
    assert_eq!(
        etag(app, url).await,
        first,
        "a refused write changes nothing"
    );

    let (status, answered, body) =
        send(app, Method::PATCH, url, Some(&first), Some(&patch(2))).await;
    assert_eq!(status, StatusCode::OK, "GET's ETag: {body}");
    let second = etag(app, url).await;
    assert_ne!(second, first);
    assert_eq!(
        answered.as_deref(),
        Some(second.as_str()),
        "the answer's ETag is GET's"
    );

    let (status, _, body) = send(app, Method::PATCH, url, Some(&first), Some(&patch(3))).await;
    assert_eq!(
        status,
        StatusCode::PRECONDITION_FAILED,
        "stale ETag: {body}"
    );
    assert_eq!(etag(app, url).await, second);

    let list = format!("\"0123\", {second}");
    let (status, _, body) = send(app, Method::PATCH, url, Some(&list), Some(&patch(4))).await;
    assert_eq!(status, StatusCode::OK, "a list holding the ETag: {body}");
    let (status, _, body) = send(app, Method::PATCH, url, Some("*"), Some(&patch(5))).await;
    assert_eq!(status, StatusCode::OK, "If-Match: * {body}");
    let (status, _, body) = send(app, Method::PATCH, url, None, Some(&patch(6))).await;
    assert_eq!(status, StatusCode::OK, "no If-Match: {body}");

    if let Some(put) = put {
        let (status, _, body) = send(app, Method::PUT, url, Some(&second), Some(&put)).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED, "stale PUT: {body}");
        let current = etag(app, url).await;
        let (status, _, body) = send(app, Method::PUT, url, Some(&current), Some(&put)).await;
        assert_eq!(status, StatusCode::OK, "PUT with GET's ETag: {body}");
    }
}

/// DELETE of `url`: a stale ETag is 412 and deletes nothing; GET's ETag deletes.
async fn delete_honours_if_match(app: &TestApp, url: &str) {
    let current = etag(app, url).await;
    let (status, _, body) = send(app, Method::DELETE, url, Some("\"0123\""), None).await;
    assert_eq!(
        status,
        StatusCode::PRECONDITION_FAILED,
        "DELETE, wrong ETag: {body}"
    );
    assert_eq!(app.get(url).await.status(), StatusCode::OK);
    let (status, _, body) = send(app, Method::DELETE, url, Some(&current), None).await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "DELETE with GET's ETag: {body}"
    );
    assert_eq!(app.get(url).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn zaken_and_their_parts_honour_if_match() {
    let app = TestApp::spawn().await;
    let zaak = app.new_zaak().await;
    let url = zaak["url"].as_str().unwrap();
    let mut put = app.zaak_body();
    put["identificatie"] = zaak["identificatie"].clone();
    writes_honour_if_match(
        &app,
        url,
        |n| json!({"toelichting": format!("wijziging {n}")}),
        Some(put),
    )
    .await;

    let (status, resultaat) = app
        .send_json(
            Method::POST,
            "/zaken/api/v1/resultaten",
            &json!({"zaak": url, "resultaattype": app.types.resultaattype}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{resultaat}");
    let part = resultaat["url"].as_str().unwrap();
    writes_honour_if_match(
        &app,
        part,
        |n| json!({"toelichting": format!("resultaat {n}")}),
        None,
    )
    .await;
    // A change elsewhere in the zaak leaves the part's ETag valid.
    let before = etag(&app, part).await;
    let (status, _, _) = send(
        &app,
        Method::PATCH,
        url,
        None,
        Some(&json!({"toelichting": "elders"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(etag(&app, part).await, before);
    delete_honours_if_match(&app, part).await;
    delete_honours_if_match(&app, url).await;
}

#[tokio::test]
async fn catalogi_objects_honour_if_match() {
    let app = TestApp::spawn().await;
    let iot = app
        .create_in(
            "informatieobjecttypen",
            &informatieobjecttype_body(&app.types.catalogus),
        )
        .await;
    let url = iot["url"].as_str().unwrap();
    writes_honour_if_match(
        &app,
        url,
        |n| json!({"omschrijving": format!("Formulier {n}")}),
        Some(informatieobjecttype_body(&app.types.catalogus)),
    )
    .await;
    delete_honours_if_match(&app, url).await;
}

#[tokio::test]
async fn besluiten_and_besluitinformatieobjecten_honour_if_match() {
    let app = TestApp::spawn_bare().await;
    let types = app.besluit_types("BIM").await;
    let besluit = app
        .new_besluit(&besluit_body(&types.besluittype, None))
        .await;
    let url = besluit["url"].as_str().unwrap();
    let mut put = besluit_body(&types.besluittype, None);
    put["identificatie"] = besluit["identificatie"].clone();
    writes_honour_if_match(
        &app,
        url,
        |n| json!({"toelichting": format!("besluit {n}")}),
        Some(put),
    )
    .await;

    let doc = app
        .create_document(&document_body(&types.informatieobjecttype))
        .await;
    let (status, bio) = app
        .send_json(
            Method::POST,
            "/besluiten/api/v1/besluitinformatieobjecten",
            &json!({"informatieobject": doc["url"], "besluit": url}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{bio}");
    delete_honours_if_match(&app, bio["url"].as_str().unwrap()).await;
    delete_honours_if_match(&app, url).await;
}

#[tokio::test]
async fn documenten_and_their_parts_honour_if_match() {
    let app = TestApp::spawn().await;
    let (_, doc) = app.new_document().await;
    let url = doc["url"].as_str().unwrap();

    let (status, recht) = app
        .send_json(
            Method::POST,
            "/documenten/api/v1/gebruiksrechten",
            &gebruiksrecht(url),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{recht}");
    let part = recht["url"].as_str().unwrap();
    writes_honour_if_match(
        &app,
        part,
        |n| json!({"omschrijvingVoorwaarden": format!("voorwaarde {n}")}),
        None,
    )
    .await;
    delete_honours_if_match(&app, part).await;

    let lock = app.lock(url).await;
    writes_honour_if_match(
        &app,
        url,
        |n| json!({"titel": format!("titel {n}"), "lock": lock}),
        None,
    )
    .await;
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("{url}/unlock"),
            &json!({"lock": lock}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    delete_honours_if_match(&app, url).await;
}

#[tokio::test]
async fn applicaties_honour_if_match() {
    let app = TestApp::spawn().await;
    let body = json!({"clientIds": ["if-match-app"], "label": "Zaaksysteem",
        "heeftAlleAutorisaties": true});
    let (status, created) = app
        .send_json(Method::POST, "/autorisaties/api/v1/applicaties", &body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let url = created["url"].as_str().unwrap();
    writes_honour_if_match(
        &app,
        url,
        |n| json!({"label": format!("Zaaksysteem {n}")}),
        Some(body),
    )
    .await;
    delete_honours_if_match(&app, url).await;
}
