//! Spawning the real application on port 0 against the real PostgreSQL (a fresh database
//! per test) and NATS, plus typed request helpers.
#![allow(dead_code)]

pub mod besluiten;
pub mod browser;
pub mod catalogi;
pub mod documenten;
pub mod klantinteracties;
pub mod process;
pub mod referentielijsten;
pub mod remote;
pub mod spec;
pub mod webhooks;

pub use catalogi::Types;

use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use zaakstroom::{Config, Role, ServeArgs};

pub const CLIENT_ID: &str = "e2e-client";
pub const SECRET: &str = "e2e-secret";
/// A client with a secret but, until a test registers its applicatie, no rights.
pub const LIMITED_ID: &str = "e2e-limited";
pub const LIMITED_SECRET: &str = "e2e-limited-secret";
/// The key test servers encrypt client secrets with.
pub const SECRET_KEY: &str = "7a61616b7374726f6f6d2d746573742d6b65792d3332627974657321212121ff";

/// The setup file of every test server: a superuser client and a limited one.
pub fn setup_file() -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("zaakstroom-setup-{}.yaml", uuid::Uuid::new_v4()));
    let yaml = format!(
        "clients:\n  - clientId: {CLIENT_ID}\n    secret: {SECRET}\n  - clientId: {LIMITED_ID}\n    secret: {LIMITED_SECRET}\napplicaties:\n  - label: End-to-end tests\n    clientIds: [{CLIENT_ID}]\n    heeftAlleAutorisaties: true\n"
    );
    std::fs::write(&path, yaml).unwrap();
    path
}
pub const NATS_DEFAULT: &str = "nats://127.0.0.1:4222";

pub struct TestApp {
    pub base: String,
    /// A published zaaktype with its types, made on start (empty without the API role).
    pub types: Types,
    pub http: reqwest::Client,
    pub config: Config,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

/// An end-to-end test that cannot run here fails, naming what is missing: never a silent
/// pass, with or without REQUIRE_INFRA (`ops/serve` and `ops/test` start the services).
pub fn not_run(what: &str, why: impl std::fmt::Display) -> ! {
    panic!("NOT RUN: {what} is not available here ({why}); this end-to-end test needs it");
}

/// A configuration on a fresh database, with a tenant of its own (so NATS subjects of
/// parallel tests do not mix). Fails the test (NOT RUN) when PostgreSQL is not there.
pub async fn test_config() -> Config {
    let Some(database_url) = event_store::testing::fresh_database_url().await else {
        not_run("PostgreSQL (DATABASE_URL)", "no connection, see above");
    };
    let nats_url = std::env::var("NATS_URL").unwrap_or_else(|_| NATS_DEFAULT.into());
    Config {
        database_url,
        eventstore_url: std::env::var("EVENTSTORE_URL").ok(),
        selectielijst_url: None,
        publish_requires_children: false,
        nats_url,
        public_url: String::new(),
        tenant: format!("t{}", &uuid::Uuid::new_v4().simple().to_string()[..12]),
        secret_key: Some(SECRET_KEY.into()),
        setup_file: Some(setup_file()),
        jwt_leeway_seconds: 0,
        // A bound, not a wait: generous, since a loaded 2-core machine has passed 5 s.
        read_your_writes_ms: 20_000,
        read_log_retention_days: 365,
        ready_max_lag_seconds: 60,
        // Tests run servers side by side (three at once in some) on PostgreSQL's default
        // 100 connections.
        db_pool_size: 16,
        // Generous on a loaded machine; the outage test sets its own.
        db_acquire_timeout_ms: 10_000,
        http: Default::default(),
        webhooks: Default::default(),
        telemetry: Default::default(),
        log_format: zaakstroom::config::LogFormat::Text,
        content_dir: std::env::temp_dir()
            .join(format!("zaakstroom-content-{}", uuid::Uuid::new_v4())),
        content_url: None,
        bestandsdeel_size: 1024 * 1024,
        max_json_body: 64 * 1024 * 1024,
    }
}

/// A client of the test's NATS; fails the test (NOT RUN) when NATS is not there.
pub async fn nats(config: &Config) -> async_nats::Client {
    match async_nats::connect(config.nats_url.as_str()).await {
        Ok(c) => c,
        Err(e) => not_run("NATS (NATS_URL)", e),
    }
}

impl TestApp {
    /// Every role in one process, as `zaakstroom serve` runs by default.
    pub async fn spawn() -> Self {
        let config = test_config().await;
        nats(&config).await;
        Self::spawn_with(config, &[Role::Api, Role::Projector, Role::Notifier]).await
    }

    /// Like [`Self::spawn`], with an empty catalogue (no published zaaktype made).
    pub async fn spawn_bare() -> Self {
        let config = test_config().await;
        nats(&config).await;
        Self::spawn_bare_with(config, &[Role::Api, Role::Projector, Role::Notifier]).await
    }

    pub async fn spawn_with(config: Config, roles: &[Role]) -> Self {
        let mut app = Self::spawn_bare_with(config, roles).await;
        if roles.contains(&Role::Api) {
            app.types = app.published_zaaktype("ZAAK-E2E").await;
        }
        app
    }

    pub async fn spawn_bare_with(mut config: Config, roles: &[Role]) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        if config.public_url.is_empty() {
            config.public_url = format!("http://{addr}");
        }
        let args = ServeArgs {
            listen: addr,
            roles: roles.to_vec(),
        };
        let (tx, rx) = oneshot::channel::<()>();
        let task_config = config.clone();
        let task = tokio::spawn(async move {
            zaakstroom::serve(&task_config, &args, listener, async {
                let _ = rx.await;
            })
            .await
        });
        let mut app = Self {
            types: Types::default(),
            base: format!("http://{addr}"),
            http: reqwest::Client::new(),
            config,
            shutdown: Some(tx),
            task: Some(task),
        };
        app.wait_until_up().await;
        app
    }

    /// A handle on a server started otherwise (e.g. as a child process) at `base`, with a
    /// published zaaktype made on it.
    pub async fn attach(base: String, config: Config) -> Self {
        let mut app = Self {
            types: Types::default(),
            base,
            http: reqwest::Client::new(),
            config,
            shutdown: None,
            task: None,
        };
        app.types = app.published_zaaktype("ZAAK-E2E").await;
        app
    }

    /// A handle on a server started otherwise, on a catalogue another handle made.
    pub fn attach_without_types(base: String, config: Config) -> Self {
        Self {
            types: Types::default(),
            base,
            http: reqwest::Client::new(),
            config,
            shutdown: None,
            task: None,
        }
    }

    /// Start-up migrates a fresh database and applies the setup file; the listener is bound
    /// before, so a request waits for it. A start-up that fails is reported with its error.
    async fn wait_until_up(&mut self) {
        for _ in 0..1200 {
            if self.task.as_ref().is_some_and(|t| t.is_finished()) {
                let task = self.task.take().unwrap();
                panic!("the server stopped during start-up: {:?}", task.await);
            }
            if self
                .http
                .get(format!("{}/graphql", self.base))
                .send()
                .await
                .is_ok()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the server did not come up");
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
        // Each test server stores document content in a temporary directory of its own.
        if self.config.content_url.is_none() {
            let _ = std::fs::remove_dir_all(&self.config.content_dir);
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn token(&self) -> String {
        token(CLIENT_ID, SECRET, chrono::Utc::now().timestamp())
    }

    /// A request of the superuser client with the CRS headers the Zaken API requires.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.request_as(CLIENT_ID, SECRET, method, path)
    }

    /// A request of `client_id` with the CRS headers the Zaken API requires.
    pub fn request_as(
        &self,
        client_id: &str,
        secret: &str,
        method: reqwest::Method,
        path: &str,
    ) -> reqwest::RequestBuilder {
        let path = path.strip_prefix(&self.base).unwrap_or(path);
        self.http
            .request(method, self.url(path))
            .bearer_auth(token(client_id, secret, chrono::Utc::now().timestamp()))
            .header("Accept-Crs", "EPSG:4326")
            .header("Content-Crs", "EPSG:4326")
    }

    /// A request of the limited client (whose rights tests give it through the API).
    pub fn limited(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.request_as(LIMITED_ID, LIMITED_SECRET, method, path)
    }

    /// Gives the limited client exactly `autorisaties` (creating or replacing its
    /// applicatie through the Autorisaties API, as the superuser).
    pub async fn grant_limited(&self, autorisaties: Value) {
        let body =
            json!({"clientIds": [LIMITED_ID], "label": "Beperkt", "autorisaties": autorisaties});
        let existing: Value = self
            .request(
                reqwest::Method::GET,
                &format!("/autorisaties/api/v1/applicaties/consumer?clientId={LIMITED_ID}"),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let response = match existing["url"].as_str() {
            Some(url) => {
                self.request(reqwest::Method::PUT, url)
                    .json(&body)
                    .send()
                    .await
            }
            None => {
                self.request(reqwest::Method::POST, "/autorisaties/api/v1/applicaties")
                    .json(&body)
                    .send()
                    .await
            }
        }
        .unwrap();
        assert!(
            response.status().is_success(),
            "{:?}",
            response.text().await
        );
    }

    pub async fn create_zaak(&self, body: &Value) -> reqwest::Response {
        self.request(reqwest::Method::POST, "/zaken/api/v1/zaken")
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// The path (under the app's base) of a resource's `url`.
    pub fn path_of(&self, resource: &Value) -> String {
        let url = resource["url"].as_str().expect("a resource with a url");
        url.strip_prefix(&self.base).unwrap_or(url).to_owned()
    }

    /// A new zaak of the app's zaaktype, as created.
    pub async fn new_zaak(&self) -> Value {
        let created = self.create_zaak(&self.zaak_body()).await;
        assert_eq!(created.status(), reqwest::StatusCode::CREATED);
        created.json().await.unwrap()
    }

    pub async fn get(&self, url_or_path: &str) -> reqwest::Response {
        let path = url_or_path.strip_prefix(&self.base).unwrap_or(url_or_path);
        self.request(reqwest::Method::GET, path)
            .send()
            .await
            .unwrap()
    }

    /// The JSON body of a GET by the superuser client.
    pub async fn get_json(&self, url_or_path: &str) -> Value {
        self.get(url_or_path).await.json().await.unwrap()
    }

    /// The JSON body of a GET by the limited client.
    pub async fn limited_json(&self, url_or_path: &str) -> Value {
        self.limited(reqwest::Method::GET, url_or_path)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn graphql(&self, query: &str) -> Value {
        self.graphql_as(CLIENT_ID, SECRET, query).await
    }

    pub async fn graphql_as(&self, client_id: &str, secret: &str, query: &str) -> Value {
        self.http
            .post(self.url("/graphql"))
            .bearer_auth(token(client_id, secret, chrono::Utc::now().timestamp()))
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A JWT-ZGW token as ZGW clients make it.
pub fn token(client_id: &str, secret: &str, iat: i64) -> String {
    let enc = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let header = json!({"alg": "HS256", "typ": "JWT"});
    let claims = json!({"iss": client_id, "iat": iat, "client_id": client_id,
        "user_id": "tester", "user_representation": "Test Er"});
    let input = format!("{}.{}", enc(&header), enc(&claims));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{input}.{sig}")
}

/// A zaak of `zaaktype` with the fields a ZGW client typically sends.
pub fn zaak_body_for(zaaktype: &str) -> Value {
    json!({
        "bronorganisatie": "517439943",
        "verantwoordelijkeOrganisatie": "517439943",
        "zaaktype": zaaktype,
        "startdatum": "2026-11-01",
        "omschrijving": "Aanvraag parkeervergunning",
        "vertrouwelijkheidaanduiding": "openbaar"
    })
}

impl TestApp {
    /// A zaak of the app's published zaaktype.
    pub fn zaak_body(&self) -> Value {
        zaak_body_for(&self.types.zaaktype)
    }
}

/// The `Nats-Msg-Id`s of every message on JetStream stream `stream` matching `filter`
/// (read with a fresh pull consumer). `None` while the stream does not exist yet.
pub async fn jetstream_msg_ids(
    client: async_nats::Client,
    stream: &str,
    filter: String,
) -> Option<std::collections::HashSet<String>> {
    use async_nats::jetstream::{self, consumer::pull};
    use futures::StreamExt;
    let stream = jetstream::new(client).get_stream(stream).await.ok()?;
    let consumer = stream
        .create_consumer(pull::Config {
            filter_subject: filter,
            ..Default::default()
        })
        .await
        .unwrap();
    let mut ids = std::collections::HashSet::new();
    loop {
        let mut batch = consumer
            .fetch()
            .max_messages(1_000)
            .expires(Duration::from_millis(500))
            .messages()
            .await
            .unwrap();
        let mut got = 0;
        while let Some(Ok(m)) = batch.next().await {
            got += 1;
            let id = m
                .headers
                .as_ref()
                .and_then(|h| h.get("Nats-Msg-Id"))
                .expect("every message has an id");
            ids.insert(id.as_str().to_owned());
        }
        if got == 0 {
            return Some(ids);
        }
    }
}

/// The ZGW notifications of the app's tenant on `kanaal`, subscribed before the test writes.
pub struct Notifications {
    subscriber: async_nats::Subscriber,
}

impl Notifications {
    pub async fn on(app: &TestApp, kanaal: &str) -> Self {
        let nats = nats(&app.config).await;
        let tenant = &app.config.tenant;
        let subscriber = nats
            .subscribe(format!("zgw.{tenant}.{kanaal}.>"))
            .await
            .unwrap();
        nats.flush().await.unwrap();
        Self { subscriber }
    }

    /// The next notification: its subject and body (fails after 10 s).
    pub async fn next(&mut self) -> (String, Value) {
        use futures::StreamExt;
        let msg = tokio::time::timeout(Duration::from_secs(10), self.subscriber.next())
            .await
            .expect("a notification within 10 s")
            .unwrap();
        let body = serde_json::from_slice(&msg.payload).unwrap();
        (msg.subject.to_string(), body)
    }
}
