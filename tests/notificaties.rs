//! The Notificaties API as existing ZGW clients drive it (kanalen, abonnementen, POST
//! /notificaties), and delivery to real webhook receivers: every notification of ours once,
//! in order per hoofdObject, with its id; retries, dead letters, CloudEvents, a slow
//! subscriber that does not hold up the others, NATS away.

mod support;

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use support::webhooks::Receiver;
use support::{spec, test_config, TestApp};
use zaakstroom::Role;

const NRC: &str = "/notificaties/api/v1";
const SPEC: &str = "notificaties-1.0.0-opennotificaties.yaml";
const ALL_ROLES: &[Role] = &[Role::Api, Role::Projector, Role::Notifier, Role::Webhooks];

async fn send(r: reqwest::RequestBuilder) -> (u16, Value) {
    let response = r.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn codes(body: &Value) -> Vec<(String, String)> {
    body["invalidParams"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap_or_default().to_owned(),
                        p["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A server with every role, webhooks retried after `retry_base` (x2 each time).
async fn spawn(retry_base: Duration, attempts: u32) -> TestApp {
    let mut config = test_config().await;
    support::nats(&config).await;
    config.webhooks.retry_base_secs = retry_base.as_secs_f64();
    config.webhooks.retry_factor = 2.0;
    config.webhooks.retry_max_secs = 2.0;
    config.webhooks.max_attempts = attempts;
    config.webhooks.timeout_secs = 5.0;
    TestApp::spawn_with(config, ALL_ROLES).await
}

async fn subscribe(app: &TestApp, receiver: &Receiver, kanalen: Value) -> Value {
    let (status, body) = send(
        app.request(Method::POST, &format!("{NRC}/abonnement"))
            .json(&json!({
                "callbackUrl": receiver.url, "auth": "Bearer geheim", "kanalen": kanalen
            })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body
}

#[tokio::test]
async fn our_kanalen_exist_from_the_start_and_a_kanaal_naam_is_unique_and_never_changes() {
    let app = spawn(Duration::from_secs(1), 8).await;
    let (status, kanalen) = send(app.request(Method::GET, &format!("{NRC}/kanaal"))).await;
    assert_eq!(status, 200);
    let names: Vec<&str> = kanalen
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k["naam"].as_str())
        .collect();
    for naam in [
        "zaken",
        "documenten",
        "besluiten",
        "zaaktypen",
        "informatieobjecttypen",
        "besluittypen",
        "autorisaties",
    ] {
        assert!(names.contains(&naam), "{naam} in {names:?}");
    }
    let (_, zaken) = send(app.request(Method::GET, &format!("{NRC}/kanaal?naam=zaken"))).await;
    assert_eq!(zaken.as_array().unwrap().len(), 1);
    assert_eq!(
        zaken[0]["filters"],
        json!([
            "bronorganisatie",
            "zaaktype",
            "zaaktype.catalogus",
            "vertrouwelijkheidaanduiding"
        ])
    );

    // As the conformance suite does: a kanaal of its own, then read back.
    let post = |body: Value| {
        app.request(Method::POST, &format!("{NRC}/kanaal"))
            .json(&body)
    };
    let (status, created) = send(post(json!({"naam": "testkanaal", "filters": []}))).await;
    assert_eq!(status, 201, "{created}");
    let spec = spec::load(SPEC);
    spec::assert_valid(&spec, "Kanaal", &created);
    spec::assert_valid(&spec, "Kanaal", &zaken[0]);
    let (status, read) = send(app.request(Method::GET, created["url"].as_str().unwrap())).await;
    assert_eq!((status, &read), (200, &created));
    let (status, refused) = send(post(json!({"naam": "testkanaal"}))).await;
    assert_eq!(
        (status, codes(&refused)),
        (400, vec![("naam".into(), "unique".into())])
    );
    let (status, refused) = send(post(json!({"naam": "zaken"}))).await;
    assert_eq!(
        (status, codes(&refused)),
        (400, vec![("naam".into(), "unique".into())]),
        "ours are claimed too"
    );

    // Open Notificaties' PUT/PATCH: filters change, the naam does not.
    let url = created["url"].as_str().unwrap();
    let (status, changed) = send(
        app.request(Method::PATCH, url)
            .json(&json!({"filters": ["kleur"]})),
    )
    .await;
    assert_eq!((status, &changed["filters"]), (200, &json!(["kleur"])));
    let (status, refused) = send(
        app.request(Method::PUT, url)
            .json(&json!({"naam": "ander"})),
    )
    .await;
    assert_eq!(
        (status, codes(&refused)),
        (
            400,
            vec![("naam".into(), "wijzigen-niet-toegelaten".into())]
        )
    );
    let (status, _) = send(app.request(Method::DELETE, url)).await;
    assert_eq!(status, 405);

    let (status, refused) =
        send(app.request(Method::GET, &format!("{NRC}/kanaal?kleur=rood"))).await;
    assert_eq!(
        (status, codes(&refused)),
        (
            400,
            vec![("nonFieldErrors".into(), "unknown-parameters".into())]
        )
    );
}

#[tokio::test]
async fn an_abonnement_is_checked_with_a_test_notification_and_bad_ones_store_nothing() {
    let app = spawn(Duration::from_secs(1), 8).await;
    let receiver = Receiver::start().await;
    let created = subscribe(
        &app,
        &receiver,
        json!([{"naam": "zaken", "filters": {"bronorganisatie": "517439943"}}]),
    )
    .await;
    assert!(
        created.get("auth").is_none(),
        "auth is write-only: {created}"
    );
    assert_eq!(
        created["kanalen"],
        json!([{"naam": "zaken", "filters": {"bronorganisatie": "517439943"}}])
    );
    let probe = receiver
        .all()
        .into_iter()
        .next()
        .expect("the subscribe-time check");
    assert!(probe.is_probe());
    assert_eq!(
        probe.header("authorization").as_deref(),
        Some("Bearer geheim")
    );

    let list = || async {
        send(app.request(Method::GET, &format!("{NRC}/abonnement")))
            .await
            .1
    };
    assert_eq!(list().await.as_array().unwrap().len(), 1);
    let post = |body: Value| {
        app.request(Method::POST, &format!("{NRC}/abonnement"))
            .json(&body)
    };

    // The callback refuses the test notification: 400 with the reason, nothing stored.
    receiver.answer(403);
    let (status, refused) = send(post(
        json!({"callbackUrl": receiver.url, "auth": "x", "kanalen": [{"naam": "zaken"}]}),
    ))
    .await;
    assert_eq!(
        (status, codes(&refused)),
        (
            400,
            vec![("nonFieldErrors".into(), "invalid-callback-url".into())]
        )
    );
    assert!(
        refused["invalidParams"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("403"),
        "{refused}"
    );
    receiver.answer(204);
    // Nothing listening.
    let (status, refused) = send(post(
        json!({"callbackUrl": "http://127.0.0.1:9/callback", "auth": "x", "kanalen": []}),
    ))
    .await;
    assert_eq!(
        (status, codes(&refused)),
        (
            400,
            vec![("nonFieldErrors".into(), "invalid-callback-url".into())]
        )
    );
    // Not http(s); a kanaal that does not exist; a filter the kanaal does not have.
    let (status, refused) = send(post(
        json!({"callbackUrl": "ftp://example.org/x", "auth": "x", "kanalen": []}),
    ))
    .await;
    assert_eq!(
        (status, codes(&refused)),
        (400, vec![("callbackUrl".into(), "invalid".into())])
    );
    let (status, refused) = send(post(
        json!({"callbackUrl": receiver.url, "auth": "x", "kanalen": [{"naam": "bestaat-niet"}]}),
    ))
    .await;
    assert_eq!(
        (status, codes(&refused)),
        (400, vec![("naam".into(), "kanaal_naam".into())])
    );
    let (status, refused) = send(post(json!({"callbackUrl": receiver.url, "auth": "x",
        "kanalen": [{"naam": "zaken", "filters": {"bronorganisatie": "1", "kleur": "rood"}}]})))
    .await;
    assert_eq!(
        (status, codes(&refused)),
        (
            400,
            vec![("filters".into(), "inconsistent-abonnement-filters".into())]
        )
    );
    let (status, refused) = send(post(json!({"callbackUrl": receiver.url, "kanalen": []}))).await;
    assert_eq!(
        (status, codes(&refused)),
        (400, vec![("auth".into(), "required".into())])
    );
    assert_eq!(list().await.as_array().unwrap().len(), 1, "nothing stored");

    // The conformance suite's PUT, PATCH without auth (the stored auth is used), DELETE.
    let url = created["url"].as_str().unwrap();
    let (status, put) = send(app.request(Method::PUT, url).json(&json!({
        "callbackUrl": receiver.url, "auth": "Bearer nieuw", "kanalen": [{"naam": "documenten", "filters": {}}]}))).await;
    assert_eq!(
        (status, &put["kanalen"][0]["naam"]),
        (200, &json!("documenten")),
        "{put}"
    );
    let (status, patched) = send(
        app.request(Method::PATCH, url)
            .json(&json!({"kanalen": [{"naam": "zaken", "filters": {}}]})),
    )
    .await;
    assert_eq!(
        (status, &patched["kanalen"][0]["naam"]),
        (200, &json!("zaken")),
        "{patched}"
    );
    assert_eq!(
        receiver
            .all()
            .last()
            .unwrap()
            .header("authorization")
            .as_deref(),
        Some("Bearer nieuw")
    );
    let (status, _) = send(app.request(Method::DELETE, url)).await;
    assert_eq!(status, 204);
    assert_eq!(list().await.as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn who_may_do_what_follows_the_scopes_and_an_abonnement_is_its_clients() {
    let app = spawn(Duration::from_secs(1), 8).await;
    let receiver = Receiver::start().await;
    app.grant_limited(json!([{"component": "nrc", "scopes": ["notificaties.consumeren"]}]))
        .await;
    let (status, _) = send(
        app.limited(Method::POST, &format!("{NRC}/kanaal"))
            .json(&json!({"naam": "x"})),
    )
    .await;
    assert_eq!(status, 403, "a consumer does not make kanalen");
    let (status, _) = send(
        app.limited(Method::POST, &format!("{NRC}/notificaties"))
            .json(&json!({})),
    )
    .await;
    assert_eq!(status, 403, "nor publishes");
    let (status, _) = send(app.limited(
        Method::GET,
        &format!("{NRC}/abonnement/{}/deliveries", uuid::Uuid::new_v4()),
    ))
    .await;
    assert_eq!(status, 403, "the delivery log is an administrator's");
    let (status, mine) = send(
        app.limited(Method::POST, &format!("{NRC}/abonnement"))
            .json(&json!({
        "callbackUrl": receiver.url, "auth": "a", "kanalen": [{"naam": "zaken"}]})),
    )
    .await;
    assert_eq!(status, 201, "{mine}");
    let theirs = subscribe(&app, &receiver, json!([{"naam": "zaken"}])).await;
    let (status, _) = send(app.limited(Method::DELETE, theirs["url"].as_str().unwrap())).await;
    assert_eq!(status, 403, "another client's abonnement");
    let (status, _) = send(app.limited(Method::DELETE, mine["url"].as_str().unwrap())).await;
    assert_eq!(status, 204);
    let (status, _) =
        send(app.request_as("nobody", "x", Method::GET, &format!("{NRC}/kanaal"))).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn every_notification_of_a_zaak_lifecycle_arrives_once_in_order_with_its_id() {
    let app = spawn(Duration::from_secs(1), 8).await;
    let receiver = Receiver::start().await;
    let other = Receiver::start().await;
    subscribe(
        &app,
        &receiver,
        json!([{"naam": "zaken", "filters": {"bronorganisatie": "517439943"}}]),
    )
    .await;
    subscribe(
        &app,
        &other,
        json!([{"naam": "zaken", "filters": {"bronorganisatie": "999999999"}}]),
    )
    .await;

    let zaak = app.new_zaak().await;
    let zaak_url = zaak["url"].as_str().unwrap();
    let (status, _) = send(
        app.request(Method::PATCH, zaak_url)
            .json(&json!({"omschrijving": "Gewijzigd"})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = send(app.request(Method::POST, "/zaken/api/v1/statussen").json(&json!({
        "zaak": zaak_url, "statustype": app.types.statustypen[0], "datumStatusGezet": "2026-11-02T10:00:00Z"}))).await;
    assert_eq!(status, 201);
    let (status, _) = send(
        app.request(Method::POST, "/zaken/api/v1/rollen")
            .json(&json!({
        "zaak": zaak_url, "roltype": app.types.roltype, "betrokkeneType": "natuurlijk_persoon",
        "roltoelichting": "aanvrager", "betrokkeneIdentificatie": {"inpBsn": "111222333"}})),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = send(app.request(Method::DELETE, zaak_url)).await;
    assert_eq!(status, 204);

    receiver
        .wait_for(Duration::from_secs(30), |d| d.len() >= 5)
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let delivered = receiver.delivered();
    assert_eq!(
        delivered.len(),
        5,
        "exactly five: {:#?}",
        delivered.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    let seen: Vec<(String, String)> = delivered
        .iter()
        .map(|r| {
            (
                r.body["resource"].as_str().unwrap().to_owned(),
                r.body["actie"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("zaak", "create"),
        ("zaak", "partial_update"),
        ("status", "create"),
        ("rol", "create"),
        ("zaak", "destroy"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(seen, expected, "in the order they happened");
    let mut ids: Vec<String> = delivered.iter().map(|r| r.id()).collect();
    assert!(
        ids.iter().all(|id| uuid::Uuid::parse_str(id).is_ok()),
        "{ids:?}"
    );
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "one id per notification");
    for r in &delivered {
        assert_eq!(r.body["kanaal"], "zaken");
        assert_eq!(r.body["hoofdObject"], zaak_url);
        assert_eq!(r.body["kenmerken"]["bronorganisatie"], "517439943");
        assert_eq!(r.body["kenmerken"]["zaaktype"], app.types.zaaktype);
        assert_eq!(r.header("authorization").as_deref(), Some("Bearer geheim"));
        assert_eq!(
            r.header("content-type").as_deref(),
            Some("application/json")
        );
    }
    assert!(
        other.delivered().is_empty(),
        "filtered out: {:?}",
        other.delivered()
    );
}

#[tokio::test]
async fn a_notification_of_an_outside_publisher_is_stored_then_delivered() {
    let app = spawn(Duration::from_secs(1), 8).await;
    let receiver = Receiver::start().await;
    let post = |body: Value| {
        app.request(Method::POST, &format!("{NRC}/kanaal"))
            .json(&body)
    };
    assert_eq!(
        send(post(
            json!({"naam": "testkanaal", "filters": ["object_type"]})
        ))
        .await
        .0,
        201
    );
    subscribe(
        &app,
        &receiver,
        json!([{"naam": "testkanaal", "filters": {"objectType": "*"}}]),
    )
    .await;
    let message = json!({"kanaal": "testkanaal", "hoofdObject": "https://ref.tld/objects/1",
        "resource": "object", "resourceUrl": "https://ref.tld/objects/1", "actie": "CREATE",
        "aanmaakdatum": "2019-01-01T12:00:00Z", "kenmerken": {"object_type": "https://ref.tld/types/1"}});
    let (status, echoed) = send(
        app.request(Method::POST, &format!("{NRC}/notificaties"))
            .json(&message),
    )
    .await;
    assert_eq!(status, 201, "{echoed}");
    assert_eq!(
        echoed["kenmerken"],
        json!({"objectType": "https://ref.tld/types/1"}),
        "camelCase, as Open Notificaties forwards"
    );
    let delivered = receiver
        .wait_for(Duration::from_secs(30), |d| !d.is_empty())
        .await;
    assert_eq!(delivered[0].body["actie"], "CREATE");
    assert_eq!(
        delivered[0].body["kenmerken"]["objectType"],
        "https://ref.tld/types/1"
    );

    let publish = |body: Value| {
        app.request(Method::POST, &format!("{NRC}/notificaties"))
            .json(&body)
    };
    let mut unknown = message.clone();
    unknown["kanaal"] = json!("bestaat-niet");
    let (status, refused) = send(publish(unknown)).await;
    assert_eq!(
        (status, codes(&refused)),
        (400, vec![("kanaal".into(), "message_kanaal".into())])
    );
    let mut inconsistent = message.clone();
    inconsistent["kenmerken"] = json!({"kleur": "rood"});
    let (status, refused) = send(publish(inconsistent)).await;
    assert_eq!(
        (status, codes(&refused)),
        (
            400,
            vec![("kenmerken".into(), "kenmerken_inconsistent".into())]
        )
    );
    let mut future = message.clone();
    future["aanmaakdatum"] = json!("2999-01-01T00:00:00Z");
    let (status, refused) = send(publish(future)).await;
    assert_eq!(
        (status, codes(&refused)),
        (
            400,
            vec![("aanmaakdatum".into(), "future_not_allowed".into())]
        )
    );
    let mut without = message.clone();
    without.as_object_mut().unwrap().remove("kenmerken");
    assert_eq!(
        send(publish(without)).await.0,
        201,
        "no kenmerken is none (Open Notificaties: 500)"
    );
}

#[tokio::test]
async fn a_subscriber_that_was_down_gets_everything_in_order_per_zaak_when_it_is_back() {
    let app = spawn(Duration::from_millis(100), 1000).await;
    let receiver = Receiver::start().await;
    subscribe(&app, &receiver, json!([{"naam": "zaken"}])).await;
    receiver.answer(503);
    let mut zaken = Vec::new();
    for _ in 0..3 {
        let zaak = app.new_zaak().await;
        let url = zaak["url"].as_str().unwrap().to_owned();
        for omschrijving in ["een", "twee"] {
            let (status, _) = send(
                app.request(Method::PATCH, &url)
                    .json(&json!({"omschrijving": omschrijving})),
            )
            .await;
            assert_eq!(status, 200);
        }
        zaken.push(url);
    }
    // Down for a while: tried, and failed, again and again.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let failed = receiver
        .all()
        .iter()
        .filter(|r| !r.is_probe() && r.answered == 503)
        .count();
    assert!(failed >= 3, "retried while down: {failed}");
    receiver.answer(200);
    let delivered = receiver
        .wait_for(Duration::from_secs(60), |d| d.len() >= 9)
        .await;
    for zaak in &zaken {
        let acties: Vec<&str> = delivered
            .iter()
            .filter(|r| r.body["hoofdObject"] == zaak.as_str())
            .map(|r| r.body["actie"].as_str().unwrap())
            .collect();
        assert_eq!(
            acties,
            ["create", "partial_update", "partial_update"],
            "in order for {zaak}"
        );
    }
    let mut ids: Vec<String> = delivered.iter().map(|r| r.id()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 9, "each once");
    // The same notification kept its id across its failed and its good attempt.
    let first = &delivered[0];
    assert!(receiver
        .all()
        .iter()
        .any(|r| r.answered == 503 && r.id() == first.id()));
}

#[tokio::test]
async fn after_the_last_try_a_delivery_is_a_dead_letter_that_an_operator_can_send_again() {
    let app = spawn(Duration::from_millis(50), 2).await;
    let receiver = Receiver::start().await;
    let abonnement = subscribe(&app, &receiver, json!([{"naam": "zaken"}])).await;
    let uuid = abonnement["url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    receiver.answer(500);
    app.new_zaak().await;
    let log_url = format!("{NRC}/abonnement/{uuid}/deliveries");
    let mut log = Value::Null;
    for _ in 0..200 {
        log = send(app.request(Method::GET, &log_url)).await.1;
        if log["summary"]["dead"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(log["summary"]["dead"], 1, "{log:#}");
    let dead = &log["deliveries"][0];
    assert_eq!(dead["state"], "dead");
    assert_eq!(
        dead["tries"].as_array().unwrap().len(),
        2,
        "every attempt recorded: {dead:#}"
    );
    assert_eq!(dead["tries"][0]["status"], 500);
    assert_eq!(dead["lastStatus"], 500);
    // Nothing more is tried.
    let tried = receiver.all().len();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.all().len(), tried);

    // The operator's CLI shows it, and sends it again once the subscriber is fixed.
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_zaakstroom"))
            .args(args)
            .env("DATABASE_URL", &app.config.database_url)
            .env("ZAAKSTROOM_TENANT", &app.config.tenant)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let status = cli(&["webhooks", "status", "--abonnement", &uuid]);
    assert!(status.contains("1 dead"), "{status}");
    let lines = cli(&["webhooks", "log", &uuid, "--state", "dead"]);
    let entry: Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    assert_eq!(entry["id"], dead["id"]);
    receiver.answer(200);
    let resent = cli(&["webhooks", "resend", "--abonnement", &uuid]);
    assert!(resent.starts_with("1 "), "{resent}");
    let delivered = receiver
        .wait_for(Duration::from_secs(30), |d| !d.is_empty())
        .await;
    assert_eq!(
        delivered[0].id(),
        dead["notification"].as_str().unwrap(),
        "the same notification id"
    );
    // Recorded once the dispatcher has its answer (just after the receiver has it).
    let mut log = Value::Null;
    for _ in 0..100 {
        log = send(app.request(Method::GET, &log_url)).await.1;
        if log["summary"]["delivered"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        (
            log["summary"]["dead"].clone(),
            log["summary"]["delivered"].clone()
        ),
        (json!(0), json!(1))
    );
    // The admin endpoint resends one too; an unknown delivery is 404.
    let (status, _) = send(app.request(
        Method::POST,
        &format!("{NRC}/deliveries/{}/resend", uuid::Uuid::new_v4()),
    ))
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_cloudevents_subscriber_gets_cloudevents() {
    let app = spawn(Duration::from_secs(1), 8).await;
    let receiver = Receiver::start().await;
    let (status, body) = send(
        app.request(Method::POST, &format!("{NRC}/abonnement"))
            .json(&json!({
        "callbackUrl": receiver.url, "auth": "Bearer ce", "sendCloudevents": true,
        "kanalen": [{"naam": "zaken"}], "cloudeventFilters": [{"typeSubstring": "nl.gemeente"}]})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["sendCloudevents"], true);
    let zaak = app.new_zaak().await;
    let delivered = receiver
        .wait_for(Duration::from_secs(30), |d| !d.is_empty())
        .await;
    let ce = &delivered[0];
    assert_eq!(
        ce.header("content-type").as_deref(),
        Some("application/cloudevents+json")
    );
    assert_eq!(ce.body["type"], "nl.overheid.zaken.zaak.create");
    assert_eq!(ce.body["specversion"], "1.0");
    assert_eq!(
        ce.body["id"].as_str(),
        Some(ce.id().as_str()),
        "the event id is the CloudEvent id"
    );
    assert_eq!(ce.body["data"]["hoofdObject"], zaak["url"]);
    assert_eq!(ce.body["subject"], zaak["uuid"]);

    // A CloudEvent posted by an outside publisher goes to the matching type filter.
    let event = json!({"id": "e-1", "source": "urn:gemeente", "specversion": "1.0",
        "type": "nl.gemeente.melding.ontvangen", "data": {"hoofdObject": "https://x/1"}});
    let post = || {
        app.request(Method::POST, &format!("{NRC}/cloudevents"))
            .header("Content-Type", "application/cloudevents+json")
            .body(event.to_string())
    };
    let (status, _) = send(post()).await;
    assert_eq!(status, 201);
    let (status, refused) = send(post()).await;
    assert_eq!(
        (status, codes(&refused)),
        (400, vec![("nonFieldErrors".into(), "unique".into())])
    );
    let (status, _) = send(
        app.request(Method::POST, &format!("{NRC}/cloudevents"))
            .json(&event),
    )
    .await;
    assert_eq!(status, 415);
    let delivered = receiver
        .wait_for(Duration::from_secs(30), |d| d.len() >= 2)
        .await;
    assert_eq!(delivered[1].body, event, "forwarded unchanged");
}

#[tokio::test]
async fn a_slow_subscriber_does_not_hold_up_the_others() {
    let app = spawn(Duration::from_secs(1), 8).await;
    let slow = Receiver::start().await;
    let fast = Receiver::start().await;
    subscribe(&app, &slow, json!([{"naam": "zaken"}])).await;
    subscribe(&app, &fast, json!([{"naam": "zaken"}])).await;
    slow.delay(Duration::from_secs(3));
    for _ in 0..12 {
        app.new_zaak().await;
    }
    fast.wait_for(Duration::from_secs(30), |d| d.len() >= 12)
        .await;
    assert!(
        slow.delivered().len() < 12,
        "the slow one is still busy while the fast one has all"
    );
    slow.delay(Duration::ZERO);
    slow.wait_for(Duration::from_secs(60), |d| d.len() >= 12)
        .await;
}

#[tokio::test]
async fn webhooks_go_out_while_nats_is_away() {
    let mut config = test_config().await;
    config.nats_url = "nats://127.0.0.1:1".into();
    let app = TestApp::spawn_with(config, ALL_ROLES).await;
    let receiver = Receiver::start().await;
    subscribe(&app, &receiver, json!([{"naam": "zaken"}])).await;
    let zaak = app.new_zaak().await;
    let delivered = receiver
        .wait_for(Duration::from_secs(30), |d| !d.is_empty())
        .await;
    assert_eq!(delivered[0].body["hoofdObject"], zaak["url"]);
}
