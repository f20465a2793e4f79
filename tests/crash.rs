//! kill -9 of the real binary during a stream of creates, then a restart: every
//! acknowledged zaak is there, the read model equals a fresh rebuild, and every event
//! reached NATS at least once.

mod support;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Mutex;
use zaakstroom::Config;

fn start(config: &Config, listen: &str) -> support::process::Server {
    support::process::start(config, listen, "api,projector,notifier,webhooks")
}

async fn wait_up(http: &reqwest::Client, base: &str) {
    support::process::wait_up(http, base).await
}

/// Creates zaken from 8 tasks until the server stops answering; returns acknowledged urls.
async fn create_until_down(http: reqwest::Client, base: String, zaak: Value) -> Vec<String> {
    let acked = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (http, base, acked, zaak) = (http.clone(), base.clone(), acked.clone(), zaak.clone());
        tasks.push(tokio::spawn(async move {
            for _ in 0..2_000 {
                let token = support::token(
                    support::CLIENT_ID,
                    support::SECRET,
                    chrono::Utc::now().timestamp(),
                );
                let sent = http
                    .post(format!("{base}/zaken/api/v1/zaken"))
                    .bearer_auth(token)
                    .header("Accept-Crs", "EPSG:4326")
                    .header("Content-Crs", "EPSG:4326")
                    .json(&zaak)
                    .send()
                    .await;
                let Ok(r) = sent else { return };
                if r.status() != 201 {
                    return;
                }
                let Ok(body) = r.json::<Value>().await else {
                    return;
                };
                acked
                    .lock()
                    .await
                    .push(body["url"].as_str().unwrap().to_owned());
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    Arc::try_unwrap(acked).unwrap().into_inner()
}

async fn caught_up(pool: &sqlx::PgPool, projection: &str) -> bool {
    sqlx::query_scalar(
        "SELECT COALESCE((SELECT NOT EXISTS (SELECT 1 FROM es_events e
             WHERE (e.tx_id, e.seq) > (c.commit_pos, c.prepare_pos))
           FROM projection_checkpoints c WHERE c.name = $1), false)",
    )
    .bind(projection)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn dump(pool: &sqlx::PgPool) -> Vec<(uuid::Uuid, Value, i64)> {
    sqlx::query_as("SELECT uuid, resource, version FROM zaken ORDER BY uuid")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_kill_9_and_restart_nothing_acknowledged_is_lost_and_the_read_model_equals_a_rebuild()
{
    let mut config = support::test_config().await;
    let nats = support::nats(&config).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    config.public_url = format!("http://{listen}");
    let http = reqwest::Client::new();

    let mut server = start(&config, &listen);
    wait_up(&http, &config.public_url).await;
    let app = support::TestApp::attach(config.public_url.clone(), config.clone()).await;
    let load = tokio::spawn(create_until_down(
        http.clone(),
        config.public_url.clone(),
        app.zaak_body(),
    ));
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    let acked = load.await.unwrap();
    eprintln!("{} creates acknowledged before kill -9", acked.len());
    assert!(
        !acked.is_empty(),
        "some creates were acknowledged before the kill"
    );

    let mut server = start(&config, &listen);
    wait_up(&http, &config.public_url).await;
    let pool = sqlx::PgPool::connect(&config.database_url).await.unwrap();
    for _ in 0..600 {
        if caught_up(&pool, "zaken").await && caught_up(&pool, "notifier").await {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        caught_up(&pool, "zaken").await && caught_up(&pool, "notifier").await,
        "projections caught up"
    );
    let live = dump(&pool).await;
    let urls: HashSet<String> = live
        .iter()
        .map(|(_, r, _)| r["url"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        acked.iter().all(|u| urls.contains(u)),
        "every acknowledged zaak is in the read model"
    );
    server.kill().unwrap();
    server.wait().unwrap();

    zaakstroom::rebuild(&config).await.unwrap();
    assert_eq!(
        dump(&pool).await,
        live,
        "the read model equals a rebuild from the log"
    );

    let stored: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT event_id FROM es_events")
        .fetch_all(&pool)
        .await
        .unwrap();
    let published =
        support::jetstream_msg_ids(nats, "EVENTS", format!("events.{}.>", config.tenant))
            .await
            .expect("the EVENTS stream exists");
    eprintln!(
        "{} events stored, {} distinct ids on NATS",
        stored.len(),
        published.len()
    );
    let missing: Vec<_> = stored
        .iter()
        .filter(|id| !published.contains(&id.to_string()))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} events never reached NATS",
        missing.len(),
        stored.len()
    );
}

/// kill -9 while webhooks are being delivered (the receiver takes 2 s to answer, so some are
/// in flight whatever the machine's load), then a restart: every acknowledged zaak's notification reaches the subscriber,
/// nothing stays pending, and a notification sent twice (in flight at the kill) keeps its id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_kill_9_mid_delivery_and_restart_every_webhook_arrives() {
    let mut config = support::test_config().await;
    support::nats(&config).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    config.public_url = format!("http://{listen}");
    let http = reqwest::Client::new();
    let receiver = support::webhooks::Receiver::start().await;

    let mut server = start(&config, &listen);
    wait_up(&http, &config.public_url).await;
    let app = support::TestApp::attach(config.public_url.clone(), config.clone()).await;
    let subscribed = app
        .request(reqwest::Method::POST, "/notificaties/api/v1/abonnement")
        .json(
            &serde_json::json!({"callbackUrl": receiver.url, "auth": "Bearer x",
            "kanalen": [{"naam": "zaken"}]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(subscribed.status(), 201);
    receiver.delay(Duration::from_secs(2));
    let load = tokio::spawn(create_until_down(
        http.clone(),
        config.public_url.clone(),
        app.zaak_body(),
    ));
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    let acked = load.await.unwrap();
    let before = receiver.delivered().len();
    eprintln!(
        "{} creates acknowledged, {before} delivered before kill -9",
        acked.len()
    );
    assert!(!acked.is_empty());
    assert!(before < acked.len(), "the kill came mid-delivery");

    receiver.delay(Duration::ZERO);
    let mut server = start(&config, &listen);
    wait_up(&http, &config.public_url).await;
    receiver
        .wait_for(Duration::from_secs(120), |d| {
            let hoofd: HashSet<&str> = d
                .iter()
                .filter_map(|r| r.body["hoofdObject"].as_str())
                .collect();
            acked.iter().all(|u| hoofd.contains(u.as_str()))
        })
        .await;
    let pool = sqlx::PgPool::connect(&config.database_url).await.unwrap();
    let mut pending: i64 = -1;
    for _ in 0..200 {
        pending =
            sqlx::query_scalar("SELECT count(*) FROM nrc_deliveries WHERE state <> 'delivered'")
                .fetch_one(&pool)
                .await
                .unwrap();
        if pending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(pending, 0, "every delivery delivered");
    // Also the zaken stored but not acknowledged before the kill.
    let ids: HashSet<String> = receiver.delivered().iter().map(|r| r.id()).collect();
    let enqueued: i64 = sqlx::query_scalar("SELECT count(*) FROM nrc_deliveries")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        ids.len() as i64,
        enqueued,
        "each notification arrived, under one id"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}
