//! Scale-out on one database: two API processes and one worker process (projector,
//! notifier, webhooks), requests round-robin over the two APIs as a load balancer would.
//! A write answered by one API is read back at once from the other (read-your-writes across
//! processes: the writer waits for the projector's checkpoint in the database), and nothing
//! is lost: every zaak is in both lists, every notification reaches a subscriber.

mod support;

use std::collections::HashSet;
use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use support::process::{free_address, start, wait_up};
use support::webhooks::Receiver;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_api_processes_and_one_worker_keep_read_your_writes_and_lose_nothing() {
    let mut config = support::test_config().await;
    support::nats(&config).await;
    let (a, b, w) = (free_address(), free_address(), free_address());
    // Behind a load balancer both APIs hand out the same base URL; here it is A's.
    config.public_url = format!("http://{a}");
    let http = reqwest::Client::new();
    let mut worker = start(&config, &w, "projector,notifier,webhooks");
    let mut api_a = start(&config, &a, "api");
    let mut api_b = start(&config, &b, "api");
    let bases = [format!("http://{a}"), format!("http://{b}")];
    for base in &bases {
        wait_up(&http, base).await;
    }
    let apps: Vec<support::TestApp> = vec![
        support::TestApp::attach(bases[0].clone(), config.clone()).await,
        support::TestApp::attach_without_types(bases[1].clone(), config.clone()),
    ];
    // Three processes started at once on a fresh database made our kanalen once.
    let (_, kanalen) = send(apps[1].request(Method::GET, "/notificaties/api/v1/kanaal")).await;
    let names: Vec<&str> = kanalen
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k["naam"].as_str())
        .collect();
    let ours = commands::notificaties::OUR_KANALEN.len();
    assert_eq!(names.len(), ours, "{names:?}");
    assert_eq!(
        names.iter().collect::<HashSet<_>>().len(),
        ours,
        "{names:?}"
    );
    let receiver = Receiver::start().await;
    let (status, _) = send(
        apps[1]
            .request(Method::POST, "/notificaties/api/v1/abonnement")
            .json(&json!({
        "callbackUrl": receiver.url, "auth": "Bearer lb", "kanalen": [{"naam": "zaken"}]})),
    )
    .await;
    assert_eq!(status, 201, "an abonnement made through B");

    let body = apps[0].zaak_body();
    let mut created = Vec::new();
    for i in 0..24 {
        let (writer, reader) = (&apps[i % 2], &apps[(i + 1) % 2]);
        let (status, zaak) = send(
            writer
                .request(Method::POST, "/zaken/api/v1/zaken")
                .json(&body),
        )
        .await;
        assert_eq!(status, 201, "{zaak}");
        let path = apps[0].path_of(&zaak); // every url has the load balancer's base (A's)
        let (status, read) = send(reader.request(Method::GET, &path)).await;
        assert_eq!(
            (status, &read),
            (200, &zaak),
            "created on one API, read at once on the other"
        );
        let omschrijving = format!("Gewijzigd {i}");
        let (status, patched) = send(
            reader
                .request(Method::PATCH, &path)
                .json(&json!({"omschrijving": omschrijving})),
        )
        .await;
        assert_eq!(status, 200, "{patched}");
        let (status, read) = send(writer.request(Method::GET, &path)).await;
        assert_eq!(
            (status, &read["omschrijving"]),
            (200, &json!(omschrijving)),
            "changed on one, read on the other"
        );
        created.push(zaak["url"].as_str().unwrap().to_owned());
    }
    for app in &apps {
        let (status, list) = send(app.request(Method::GET, "/zaken/api/v1/zaken")).await;
        assert_eq!(status, 200);
        assert_eq!(
            list["count"],
            json!(created.len()),
            "both APIs list every zaak"
        );
    }
    // Each zaak's create and change reached the subscriber, once each.
    let delivered = receiver
        .wait_for(Duration::from_secs(60), |d| d.len() >= created.len() * 2)
        .await;
    let ids: HashSet<String> = delivered.iter().map(|r| r.id()).collect();
    assert_eq!(ids.len(), created.len() * 2);
    let hoofd: HashSet<&str> = delivered
        .iter()
        .filter_map(|r| r.body["hoofdObject"].as_str())
        .collect();
    assert!(created.iter().all(|u| hoofd.contains(u.as_str())));

    for child in [&mut worker, &mut api_a, &mut api_b] {
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

async fn send(r: reqwest::RequestBuilder) -> (u16, Value) {
    let response = r.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}
