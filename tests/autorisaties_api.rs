//! The Autorisaties API 1.0 (applicaties and their rules) and authorisation on every read
//! path: a limited client sees exactly what its grants allow, through REST lists, detail
//! GETs and GraphQL, and a change of its grants counts on the very next request.

mod support;

use reqwest::Method;
use serde_json::{json, Value};
use support::{spec, TestApp, LIMITED_ID};

const APPLICATIES: &str = "/autorisaties/api/v1/applicaties";

fn zrc(scopes: &[&str], zaaktype: &str, max: &str) -> Value {
    json!({"component": "zrc", "scopes": scopes, "zaaktype": zaaktype,
           "maxVertrouwelijkheidaanduiding": max})
}

async fn send(r: reqwest::RequestBuilder) -> (u16, Value) {
    let response = r.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn code_of(body: &Value, name: &str) -> Option<String> {
    body["invalidParams"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["code"].as_str())
        .map(str::to_owned)
}

async fn create_zaak(app: &TestApp, zaaktype: &str, vertrouwelijkheid: &str) -> Value {
    let mut body = app.zaak_body();
    body["zaaktype"] = json!(zaaktype);
    body["vertrouwelijkheidaanduiding"] = json!(vertrouwelijkheid);
    let response = app.create_zaak(&body).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

#[tokio::test]
async fn applicaties_follow_the_rules_of_the_autorisaties_api() {
    let app = TestApp::spawn().await;
    let spec = spec::load("autorisaties-1.0.0.yaml");
    let post = |body: Value| app.request(Method::POST, APPLICATIES).json(&body);

    let (status, created) = send(post(json!({
        "clientIds": ["app-a", "app-b"], "label": "Zaaksysteem",
        "autorisaties": [zrc(&["zaken.lezen"], &app.types.zaaktype, "openbaar"),
                         {"component": "ztc", "scopes": ["catalogi.lezen"]}]
    })))
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["autorisaties"][0]["componentWeergave"], "Zaken API");
    assert_eq!(created["autorisaties"][0]["zaaktype"], app.types.zaaktype);
    spec::assert_valid(&spec, "Applicatie", &created);

    // A client id belongs to one applicatie.
    let (status, body) = send(post(json!({
        "clientIds": ["app-b"], "label": "Ander", "heeftAlleAutorisaties": true
    })))
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        code_of(&body, "clientIds").as_deref(),
        Some("clientId-exists")
    );

    // heeftAlleAutorisaties xor autorisaties.
    let (status, body) = send(post(json!({
        "clientIds": ["app-c"], "label": "Beide", "heeftAlleAutorisaties": true,
        "autorisaties": [zrc(&["zaken.lezen"], &app.types.zaaktype, "openbaar")]
    })))
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        code_of(&body, "nonFieldErrors").as_deref(),
        Some("ambiguous-authorizations-specified")
    );
    let (status, body) = send(post(
        json!({"clientIds": ["app-c"], "label": "Geen", "autorisaties": []}),
    ))
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        code_of(&body, "nonFieldErrors").as_deref(),
        Some("missing-authorizations")
    );
    // A zaken autorisatie names its zaaktype.
    let (status, body) = send(post(json!({
        "clientIds": ["app-c"], "label": "Onvolledig",
        "autorisaties": [{"component": "zrc", "scopes": ["zaken.lezen"],
                          "maxVertrouwelijkheidaanduiding": "openbaar"}]
    })))
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        code_of(&body, "autorisaties.0.zaaktype").as_deref(),
        Some("required")
    );
    // A refused request took no client id: app-c is still free.
    let (status, _) = send(post(json!({
        "clientIds": ["app-c"], "label": "Vrij", "heeftAlleAutorisaties": true
    })))
    .await;
    assert_eq!(status, 201);

    // consumer: the applicatie of one client id.
    let (status, consumer) = send(app.request(
        Method::GET,
        &format!("{APPLICATIES}/consumer?clientId=app-a"),
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(consumer["url"], created["url"]);
    let (status, _) = send(app.request(
        Method::GET,
        &format!("{APPLICATIES}/consumer?clientId=nobody"),
    ))
    .await;
    assert_eq!(status, 404);

    // List, filtered by client id; unknown parameters refused.
    let (_, page) = send(app.request(Method::GET, &format!("{APPLICATIES}?clientIds=app-b"))).await;
    assert_eq!(page["count"], 1);
    assert_eq!(page["results"][0]["label"], "Zaaksysteem");
    let (status, _) = send(app.request(Method::GET, &format!("{APPLICATIES}?label=x"))).await;
    assert_eq!(status, 400);

    // PATCH replaces autorisaties and may drop a client id, which becomes free again.
    let url = created["url"].as_str().unwrap();
    let (status, patched) = send(app.request(Method::PATCH, url).json(&json!({
        "clientIds": ["app-a"], "autorisaties": [], "heeftAlleAutorisaties": true
    })))
    .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["autorisaties"], json!([]));
    assert_eq!(patched["label"], "Zaaksysteem");
    let (status, _) = send(post(json!({
        "clientIds": ["app-b"], "label": "Nu vrij", "heeftAlleAutorisaties": true
    })))
    .await;
    assert_eq!(status, 201);

    // DELETE frees its client ids too.
    let (status, _) = send(app.request(Method::DELETE, url)).await;
    assert_eq!(status, 204);
    let (status, _) = send(app.request(Method::GET, url)).await;
    assert_eq!(status, 404);
    let (status, _) = send(post(json!({
        "clientIds": ["app-a"], "label": "Opnieuw", "heeftAlleAutorisaties": true
    })))
    .await;
    assert_eq!(status, 201);
    app.stop().await;
}

#[tokio::test]
async fn a_client_without_an_applicatie_may_do_nothing() {
    let app = TestApp::spawn().await;
    for path in ["/zaken/api/v1/zaken", APPLICATIES] {
        let (status, body) = send(app.limited(Method::GET, path)).await;
        assert_eq!(status, 403, "{path}");
        assert_eq!(body["code"], "permission_denied");
    }
    let (status, _) = send(
        app.limited(Method::POST, "/zaken/api/v1/zaken")
            .json(&app.zaak_body()),
    )
    .await;
    assert_eq!(status, 403);
    app.stop().await;
}

/// The read paths a client has today: list (with count), detail, HEAD, GraphQL zaak and
/// zaken (with totalCount). _zoek, expand and the audittrail join this test as they are built.
#[tokio::test]
async fn no_read_path_shows_a_zaak_outside_the_callers_grants() {
    let app = TestApp::spawn().await;
    let other_zaaktype = app.published_zaaktype("ANDER-ZT").await.zaaktype;
    let visible = create_zaak(&app, &app.types.zaaktype, "openbaar").await;
    let too_secret = create_zaak(&app, &app.types.zaaktype, "geheim").await;
    let other_type = create_zaak(&app, &other_zaaktype, "openbaar").await;
    app.grant_limited(json!([zrc(
        &["zaken.lezen"],
        &app.types.zaaktype,
        "intern"
    )]))
    .await;

    let (status, page) = send(app.limited(Method::GET, "/zaken/api/v1/zaken")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["count"], 1);
    assert_eq!(page["results"][0]["url"], visible["url"]);
    // Filters cannot widen it.
    let (_, page) = send(app.limited(
        Method::GET,
        &format!("/zaken/api/v1/zaken?zaaktype={other_zaaktype}"),
    ))
    .await;
    assert_eq!(page["count"], 0);

    let url = |z: &Value| z["url"].as_str().unwrap().to_owned();
    let (status, _) = send(app.limited(Method::GET, &url(&visible))).await;
    assert_eq!(status, 200);
    for hidden in [&too_secret, &other_type] {
        let (status, body) = send(app.limited(Method::GET, &url(hidden))).await;
        assert_eq!(status, 403, "{hidden}");
        assert_eq!(body["code"], "permission_denied");
        let head = app
            .limited(Method::HEAD, &url(hidden))
            .send()
            .await
            .unwrap();
        assert_eq!(head.status(), 403);
    }

    let graph = app
        .graphql_as(
            LIMITED_ID,
            support::LIMITED_SECRET,
            &format!(
                r#"{{ zaken(first: 100) {{ totalCount edges {{ node {{ url }} }} }}
                     hidden: zaak(uuid: "{}") {{ url }}
                     shown: zaak(uuid: "{}") {{ url }} }}"#,
                too_secret["uuid"].as_str().unwrap(),
                visible["uuid"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(graph["data"]["zaken"]["totalCount"], 1, "{graph}");
    assert_eq!(
        graph["data"]["zaken"]["edges"][0]["node"]["url"],
        visible["url"]
    );
    assert_eq!(graph["data"]["hidden"], Value::Null);
    assert_eq!(graph["data"]["shown"]["url"], visible["url"]);

    // Writes: no aanmaken scope yet, then granted for one zaaktype only.
    let (status, _) = send(
        app.limited(Method::POST, "/zaken/api/v1/zaken")
            .json(&app.zaak_body()),
    )
    .await;
    assert_eq!(status, 403);
    app.grant_limited(json!([zrc(
        &["zaken.lezen", "zaken.aanmaken"],
        &app.types.zaaktype,
        "intern"
    )]))
    .await;
    let (status, _) = send(
        app.limited(Method::POST, "/zaken/api/v1/zaken")
            .json(&app.zaak_body()),
    )
    .await;
    assert_eq!(status, 201, "a new grant counts on the very next request");
    let mut other = app.zaak_body();
    other["zaaktype"] = json!(other_zaaktype);
    let (status, _) = send(
        app.limited(Method::POST, "/zaken/api/v1/zaken")
            .json(&other),
    )
    .await;
    assert_eq!(status, 403);
    let mut secret = app.zaak_body();
    secret["vertrouwelijkheidaanduiding"] = json!("geheim");
    let (status, _) = send(
        app.limited(Method::POST, "/zaken/api/v1/zaken")
            .json(&secret),
    )
    .await;
    assert_eq!(status, 403, "above the maximum vertrouwelijkheid");
    // Changing a zaak needs bijwerken.
    let (status, _) = send(
        app.limited(Method::PATCH, &url(&visible))
            .json(&json!({"omschrijving": "nieuw"})),
    )
    .await;
    assert_eq!(status, 403);

    // Taking the grant away counts on the next request too.
    app.grant_limited(json!([zrc(&["zaken.lezen"], &other_zaaktype, "openbaar")]))
        .await;
    let (status, _) = send(app.limited(Method::GET, &url(&visible))).await;
    assert_eq!(status, 403);
    let (_, page) = send(app.limited(Method::GET, "/zaken/api/v1/zaken")).await;
    assert_eq!(page["count"], 1);
    assert_eq!(page["results"][0]["url"], other_type["url"]);
    app.stop().await;
}

#[tokio::test]
async fn applicatie_changes_are_notified_on_kanaal_autorisaties() {
    use futures::StreamExt;
    let app = TestApp::spawn().await;
    let nats = support::nats(&app.config).await;
    let tenant = app.config.tenant.clone();
    let mut sub = nats
        .subscribe(format!("zgw.{tenant}.autorisaties.>"))
        .await
        .unwrap();
    nats.flush().await.unwrap();
    let (status, created) = send(app.request(Method::POST, APPLICATIES).json(&json!({
        "clientIds": ["notified"], "label": "Genotificeerd", "heeftAlleAutorisaties": true
    })))
    .await;
    assert_eq!(status, 201);
    let (status, _) = send(app.request(Method::DELETE, created["url"].as_str().unwrap())).await;
    assert_eq!(status, 204);
    let mut seen = Vec::new();
    while seen.len() < 2 {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(10), sub.next())
            .await
            .expect("a notification within 10 s")
            .unwrap();
        let body: Value = serde_json::from_slice(&msg.payload).unwrap();
        // The setup file's applicatie may be announced first.
        if body["resourceUrl"] == created["url"] {
            assert_eq!(body["kanaal"], "autorisaties");
            assert_eq!(body["hoofdObject"], created["url"]);
            assert_eq!(body["resource"], "applicatie");
            seen.push(body["actie"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(seen, ["create", "destroy"]);
    app.stop().await;
}
