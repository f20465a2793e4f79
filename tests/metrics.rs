//! What an operator scrapes and reads: /metrics in Prometheus' text format (requests by
//! route template, appends, projection lag, the pool, webhook deliveries), served by every
//! role, and one access-log line per request in the JSON log format.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::webhooks::Receiver;
use support::{test_config, TestApp};
use zaakstroom::Role;

/// The servers of this file share one recorder (one process); gauges set at scrape time
/// are read back under this lock, so one test's scrape does not overwrite another's between
/// setting and rendering.
static SCRAPING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn scrape(app: &TestApp) -> String {
    let _one_at_a_time = SCRAPING.lock().await;
    let response = app.http.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "no token needed");
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    response.text().await.unwrap()
}

/// The sum of every sample of `name` carrying all of `labels` (`None`: there is none).
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let mut found = None;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((series, value)) = line.rsplit_once(' ') else {
            continue;
        };
        let (metric, rest) = series.split_once('{').unwrap_or((series, ""));
        if metric != name
            || !labels
                .iter()
                .all(|(k, v)| rest.contains(&format!("{k}=\"{v}\"")))
        {
            continue;
        }
        *found.get_or_insert(0.0) += value.parse::<f64>().unwrap();
    }
    found
}

#[tokio::test]
async fn metrics_name_the_route_template_count_appends_and_show_projection_lag_and_the_pool() {
    let app = TestApp::spawn().await;
    let zaak = app.new_zaak().await;
    let uuid = zaak["uuid"].as_str().unwrap().to_owned();
    assert_eq!(app.get(&app.path_of(&zaak)).await.status(), StatusCode::OK);
    // The same identificatie again: its claim's append is refused on the expected version.
    let mut again = app.zaak_body();
    again["identificatie"] = zaak["identificatie"].clone();
    assert_eq!(
        app.create_zaak(&again).await.status(),
        StatusCode::BAD_REQUEST
    );
    let text = scrape(&app).await;

    let detail = [
        ("method", "GET"),
        ("route", "/zaken/api/v1/zaken/{uuid}"),
        ("status", "200"),
    ];
    assert!(
        sample(&text, "zaakstroom_http_requests_total", &detail).unwrap_or(0.0) >= 1.0,
        "{text}"
    );
    let created = [
        ("method", "POST"),
        ("route", "/zaken/api/v1/zaken"),
        ("status", "201"),
    ];
    assert!(sample(&text, "zaakstroom_http_requests_total", &created).unwrap_or(0.0) >= 1.0);
    assert!(
        !text.contains(&uuid),
        "no concrete uuid in any label: {text}"
    );
    let buckets = text
        .lines()
        .filter(|l| {
            l.starts_with("zaakstroom_http_request_duration_seconds_bucket{")
                && l.contains("method=\"GET\"")
                && l.contains("route=\"/zaken/api/v1/zaken/{uuid}\"")
        })
        .count();
    assert_eq!(buckets, 15, "1 ms to 10 s and +Inf: {text}");

    assert!(
        sample(
            &text,
            "zaakstroom_events_appended_total",
            &[("category", "zaak")]
        )
        .unwrap_or(0.0)
            >= 1.0,
        "{text}"
    );
    assert!(
        sample(
            &text,
            "zaakstroom_event_appends_total",
            &[("category", "claim")]
        )
        .is_some(),
        "the identificatie's claim is an append too"
    );
    assert!(
        sample(
            &text,
            "zaakstroom_append_conflicts_total",
            &[("category", "claim")]
        )
        .unwrap_or(0.0)
            >= 1.0,
        "{text}"
    );

    for projection in ["zaken", "notificaties", "process-manager", "notifier"] {
        let of = [("projection", projection)];
        assert!(
            sample(&text, "zaakstroom_projection_lag_seconds", &of).is_some(),
            "{projection}: {text}"
        );
        assert!(sample(&text, "zaakstroom_projection_lag_events", &of).is_some());
        assert!(sample(
            &text,
            "zaakstroom_projection_checkpoint_commit_position",
            &of
        )
        .is_some());
    }
    // Read-your-writes: the zaken read model had the zaak before the 201.
    assert_eq!(
        sample(
            &text,
            "zaakstroom_projection_lag_events",
            &[("projection", "zaken")]
        ),
        Some(0.0),
        "{text}"
    );

    let in_use = sample(
        &text,
        "zaakstroom_db_pool_connections",
        &[("state", "in_use")],
    );
    let idle = sample(
        &text,
        "zaakstroom_db_pool_connections",
        &[("state", "idle")],
    );
    assert!(in_use.is_some() && idle.unwrap() >= 0.0, "{text}");
    assert_eq!(
        sample(&text, "zaakstroom_db_pool_max_connections", &[]),
        Some(f64::from(app.config.db_pool_size))
    );
    assert!(sample(&text, "process_resident_memory_bytes", &[]).unwrap() > 1e6);
    assert!(sample(&text, "zaakstroom_notifier_failures_total", &[]).is_some());
    app.stop().await;
}

#[tokio::test]
async fn a_process_without_the_api_role_serves_its_metrics_and_probes_only() {
    let config = test_config().await;
    let app = TestApp::spawn_bare_with(config, &[Role::Projector]).await;
    let text = scrape(&app).await;
    assert!(
        sample(
            &text,
            "zaakstroom_projection_lag_seconds",
            &[("projection", "zaken")]
        )
        .is_some(),
        "{text}"
    );
    let live = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(live.status(), StatusCode::OK);
    let ready = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert!(ready.json::<Value>().await.unwrap()["checks"]["database"].is_object());
    let api = app.get("/zaken/api/v1/zaken").await;
    assert_eq!(api.status(), StatusCode::NOT_FOUND, "no API here");
    app.stop().await;
}

#[tokio::test]
async fn webhook_deliveries_failures_dead_letters_and_lag_are_counted_per_abonnement() {
    let mut config = test_config().await;
    support::nats(&config).await;
    config.webhooks.retry_base_secs = 0.05;
    config.webhooks.max_attempts = 1;
    config.webhooks.timeout_secs = 5.0;
    let app = TestApp::spawn_with(
        config,
        &[Role::Api, Role::Projector, Role::Notifier, Role::Webhooks],
    )
    .await;
    let good = Receiver::start().await;
    let bad = Receiver::start().await;
    let subscribe = |receiver: &Receiver| {
        app.request(Method::POST, "/notificaties/api/v1/abonnement")
            .json(
                &json!({"callbackUrl": receiver.url, "auth": "Bearer geheim",
                "kanalen": [{"naam": "zaken"}]}),
            )
            .send()
    };
    let uuid_of = |response: Value| {
        let url = response["url"].as_str().unwrap().to_owned();
        url.rsplit('/').next().unwrap().to_owned()
    };
    let delivered_to = uuid_of(subscribe(&good).await.unwrap().json().await.unwrap());
    let refused_by = uuid_of(subscribe(&bad).await.unwrap().json().await.unwrap());
    bad.answer(500);
    app.new_zaak().await;
    good.wait_for(Duration::from_secs(30), |d| !d.is_empty())
        .await;

    // Attempts count once recorded, just after the receiver answered.
    let mut text = String::new();
    for _ in 0..200 {
        text = scrape(&app).await;
        let dead = [("abonnement", refused_by.as_str())];
        if sample(&text, "zaakstroom_webhook_dead_letters_total", &dead).is_some()
            && sample(
                &text,
                "zaakstroom_webhook_deliveries_total",
                &[("abonnement", delivered_to.as_str())],
            )
            .is_some()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let good_one = [("abonnement", delivered_to.as_str())];
    let bad_one = [("abonnement", refused_by.as_str())];
    assert_eq!(
        sample(&text, "zaakstroom_webhook_deliveries_total", &good_one),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "zaakstroom_webhook_attempts_total", &good_one),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, "zaakstroom_webhook_failures_total", &good_one),
        None
    );
    assert_eq!(
        sample(&text, "zaakstroom_webhook_failures_total", &bad_one),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, "zaakstroom_webhook_dead_letters_total", &bad_one),
        Some(1.0)
    );
    for abonnement in [&good_one, &bad_one] {
        assert_eq!(
            sample(&text, "zaakstroom_webhook_pending", abonnement),
            Some(0.0)
        );
        assert_eq!(
            sample(&text, "zaakstroom_webhook_lag_seconds", abonnement),
            Some(0.0),
            "nothing waits: {text}"
        );
    }
    assert!(
        sample(
            &text,
            "zaakstroom_notifier_published_total",
            &[("kind", "notification")]
        )
        .unwrap_or(0.0)
            >= 1.0,
        "{text}"
    );
    every_charted_series_is_exported(&text);
    app.stop().await;
}

/// Every metric the Grafana dashboard (ops/grafana/dashboards) charts is one the server
/// exports: a renamed metric fails here, not in an operator's empty panel.
fn every_charted_series_is_exported(text: &str) {
    let dashboard: Value =
        serde_json::from_str(include_str!("../ops/grafana/dashboards/zaakstroom.json")).unwrap();
    let mut charted = std::collections::BTreeSet::new();
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().into_iter().flatten() {
            let expr = target["expr"].as_str().unwrap();
            charted.extend(
                expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .filter(|w| w.starts_with("zaakstroom_") || w.starts_with("process_"))
                    .map(str::to_owned),
            );
        }
    }
    assert!(charted.len() > 10, "{charted:?}");
    // Only once a command gave up (a 409), which this test does not provoke.
    charted.remove("zaakstroom_command_contention_total");
    for name in charted {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} "))),
            "the dashboard charts {name}, which /metrics does not export"
        );
    }
}

/// The binary, with its log (JSON lines on stdout) collected.
struct Server {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(config: &zaakstroom::Config, listen: &str) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zaakstroom"))
            .args(["--log-format", "json", "serve", "--listen", listen])
            .env("DATABASE_URL", &config.database_url)
            .env("NATS_URL", &config.nats_url)
            .env("ZAAKSTROOM_TENANT", &config.tenant)
            .env("ZAAKSTROOM_SECRET_KEY", support::SECRET_KEY)
            .env("ZAAKSTROOM_SETUP", config.setup_file.as_ref().unwrap())
            .env("ZAAKSTROOM_PUBLIC_URL", format!("http://{listen}"))
            .env("RUST_LOG", "info")
            .env_remove("EVENTSTORE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the zaakstroom binary");
        let stdout = child.stdout.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Self { child, lines }
    }

    /// The access-log lines so far, as JSON.
    fn access_log(&self) -> Vec<Value> {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .map(|l| serde_json::from_str::<Value>(l).expect("every log line is JSON"))
            .filter(|l| l["target"] == "zaakstroom::access")
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn every_request_but_probes_and_scrapes_is_one_json_access_log_line_with_its_client() {
    let config = test_config().await;
    support::nats(&config).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let server = Server::start(&config, &listen);
    let base = format!("http://{listen}");
    let http = reqwest::Client::new();
    let list = format!("{base}/zaken/api/v1/zaken");
    let token = || {
        support::token(
            support::CLIENT_ID,
            support::SECRET,
            chrono::Utc::now().timestamp(),
        )
    };
    // Up, with the setup file's client projected.
    let mut answered = None;
    for _ in 0..1200 {
        let sent = http
            .get(&list)
            .bearer_auth(token())
            .header("Accept-Crs", "EPSG:4326")
            .send()
            .await;
        if let Ok(r) = sent {
            if r.status() == StatusCode::OK {
                answered = Some(r.status());
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(answered, Some(StatusCode::OK), "the server came up");
    let zaak = format!("{base}/zaken/api/v1/zaken/{}", uuid::Uuid::new_v4());
    let refused = http.get(&zaak).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "no token");
    for probe in ["/healthz", "/readyz", "/metrics"] {
        http.get(format!("{base}{probe}")).send().await.unwrap();
    }
    // The last request, so every line before it is there once it is.
    let missing = http
        .get(&zaak)
        .bearer_auth(token())
        .header("Accept-Crs", "EPSG:4326")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let mut log = Vec::new();
    for _ in 0..200 {
        log = server.access_log();
        if log.iter().any(|l| l["fields"]["status"] == 404) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let fields: Vec<&Value> = log.iter().map(|l| &l["fields"]).collect();
    let listed = fields
        .iter()
        .find(|f| f["route"] == "/zaken/api/v1/zaken" && f["status"] == 200)
        .unwrap_or_else(|| panic!("a line of the list: {fields:#?}"));
    assert_eq!(listed["method"], "GET");
    assert_eq!(listed["client_id"], support::CLIENT_ID);
    assert!(listed["duration_ms"].as_f64().unwrap() >= 0.0, "{listed}");
    assert_eq!(log[0]["level"], "INFO");

    let on_zaak: Vec<&&Value> = fields
        .iter()
        .filter(|f| f["route"] == "/zaken/api/v1/zaken/{uuid}")
        .collect();
    assert_eq!(on_zaak.len(), 2, "{fields:#?}");
    assert_eq!(on_zaak[0]["status"], 403);
    assert!(
        on_zaak[0].get("client_id").is_none(),
        "no valid token, no client: {}",
        on_zaak[0]
    );
    assert_eq!(on_zaak[1]["status"], 404);
    assert_eq!(on_zaak[1]["client_id"], support::CLIENT_ID);
    assert!(
        fields
            .iter()
            .all(|f| !["/healthz", "/readyz", "/metrics"].contains(&f["route"].as_str().unwrap())),
        "probes and scrapes are not logged: {fields:#?}"
    );
    let text = serde_json::to_string(&log).unwrap();
    assert!(
        !text.contains("\"uri\""),
        "one line per request, no tower-http lines: {text}"
    );
    let per_request = log.iter().filter(|l| l["fields"]["message"] == "request");
    assert_eq!(per_request.count(), log.len());
}
