//! OpenTelemetry, end to end, with the real binary (the tracer provider is process-wide, so
//! each server is a child process of its own) and a real OTLP/HTTP receiver here: a request
//! with a W3C `traceparent` is followed through the append (the stored envelope), the
//! projection, the NATS notification and the webhook POST, and its spans arrive, flushed
//! when the process stops. Without an endpoint nothing is exported and nothing changes.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::routing::post;
use axum::Router;
use futures::StreamExt;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{any_value, KeyValue};
use opentelemetry_proto::tonic::trace::v1::span::SpanKind;
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message as _;
use reqwest::Method;
use serde_json::{json, Value};
use support::process::{free_address, start_with, stop, wait_up, Server};
use support::webhooks::Receiver;
use support::TestApp;

const ROLES: &str = "api,projector,notifier,webhooks";

/// An OTLP/HTTP receiver: keeps every span POSTed to /v1/traces (protobuf), with its
/// resource's service.name.
#[derive(Clone, Default)]
struct Collector {
    spans: Arc<Mutex<Vec<(String, Span)>>>,
    /// The Content-Type of every request.
    requests: Arc<Mutex<Vec<String>>>,
}

impl Collector {
    /// Listening on `addr` (`127.0.0.1:0` for any port); `None` when it is taken.
    async fn start(addr: &str) -> Option<(Self, String)> {
        let listener = tokio::net::TcpListener::bind(addr).await.ok()?;
        let base = format!("http://{}", listener.local_addr().unwrap());
        let collector = Self::default();
        let app = Router::new()
            .route("/v1/traces", post(receive))
            .with_state(collector.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Some((collector, base))
    }

    fn spans(&self) -> Vec<(String, Span)> {
        self.spans.lock().unwrap().clone()
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

async fn receive(
    State(collector): State<Collector>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> (StatusCode, [(header::HeaderName, &'static str); 1], Vec<u8>) {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    collector
        .requests
        .lock()
        .unwrap()
        .push(content_type.to_owned());
    let Ok(request) = ExportTraceServiceRequest::decode(body) else {
        return (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain")],
            Vec::new(),
        );
    };
    let mut spans = collector.spans.lock().unwrap();
    for resource_spans in request.resource_spans {
        let service = resource_spans
            .resource
            .iter()
            .flat_map(|r| &r.attributes)
            .find(|a| a.key == "service.name")
            .and_then(text)
            .unwrap_or_default();
        for scope in resource_spans.scope_spans {
            spans.extend(scope.spans.into_iter().map(|s| (service.clone(), s)));
        }
    }
    // An empty ExportTraceServiceResponse: success.
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/x-protobuf")],
        Vec::new(),
    )
}

fn text(kv: &KeyValue) -> Option<String> {
    match kv.value.as_ref()?.value.as_ref()? {
        any_value::Value::StringValue(s) => Some(s.clone()),
        any_value::Value::IntValue(i) => Some(i.to_string()),
        _ => None,
    }
}

fn attribute(span: &Span, key: &str) -> Option<String> {
    span.attributes.iter().find(|a| a.key == key).and_then(text)
}

/// A caller's W3C trace context: a new trace id and span id.
fn caller_traceparent() -> (String, String, String) {
    let trace = uuid::Uuid::new_v4().simple().to_string();
    let span = uuid::Uuid::new_v4().simple().to_string()[..16].to_owned();
    (format!("00-{trace}-{span}-01"), trace, span)
}

/// The trace id and parent (span) id of a `traceparent`.
fn ids(traceparent: &str) -> (String, String) {
    let fields: Vec<&str> = traceparent.split('-').collect();
    assert_eq!(fields.len(), 4, "a W3C traceparent: {traceparent}");
    assert_eq!(fields[0], "00", "{traceparent}");
    (fields[1].to_owned(), fields[2].to_owned())
}

/// The server on its own, all roles, with `env`, and the test's handle on it.
async fn serve(env: &[(&str, &str)]) -> (Server, TestApp, async_nats::Client) {
    let mut config = support::test_config().await;
    let nats = support::nats(&config).await;
    let listen = free_address();
    config.public_url = format!("http://{listen}");
    let child = start_with(&config, &listen, ROLES, env);
    wait_up(&reqwest::Client::new(), &config.public_url).await;
    let app = TestApp::attach(config.public_url.clone(), config).await;
    (child, app, nats)
}

/// A zaak created with `traceparent` on the request; its body.
async fn create_traced_zaak(app: &TestApp, traceparent: &str) -> Value {
    let response = app
        .request(Method::POST, "/zaken/api/v1/zaken")
        .header("traceparent", traceparent)
        .header("tracestate", "zaakstroom-test=1")
        .json(&app.zaak_body())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// The `traceparent` of every stored event of the zaak's stream.
async fn stored_traceparents(app: &TestApp, zaak: &Value) -> Vec<Option<String>> {
    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    let stream = format!("zaak-{}", zaak["uuid"].as_str().unwrap());
    let stored = sqlx::query_scalar("SELECT traceparent FROM es_events WHERE stream = $1")
        .bind(stream)
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    stored
}

async fn subscribe_webhook(app: &TestApp, receiver: &Receiver) {
    let response = app
        .request(Method::POST, "/notificaties/api/v1/abonnement")
        .json(&json!({
            "callbackUrl": receiver.url, "auth": "Bearer otel", "kanalen": [{"naam": "zaken"}]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

/// The zaak's create notification on NATS; its `traceparent` header, if any.
async fn nats_traceparent(
    subscription: &mut async_nats::Subscriber,
    zaak: &Value,
) -> Option<String> {
    let message = tokio::time::timeout(Duration::from_secs(30), subscription.next())
        .await
        .expect("the zaak's notification on NATS within 30 s")
        .unwrap();
    let body: Value = serde_json::from_slice(&message.payload).unwrap();
    assert_eq!(body["resourceUrl"], zaak["url"]);
    message
        .headers
        .as_ref()
        .and_then(|h| h.get("traceparent"))
        .map(|v| v.as_str().to_owned())
}

/// The zaak's create notification delivered to `receiver`; its `traceparent` header.
async fn webhook_traceparent(receiver: &Receiver, zaak: &Value) -> Option<String> {
    let is_it = |r: &support::webhooks::Received| {
        r.body["resourceUrl"] == zaak["url"] && r.body["actie"] == "create"
    };
    let delivered = receiver
        .wait_for(Duration::from_secs(30), |d| d.iter().any(is_it))
        .await;
    delivered
        .into_iter()
        .find(is_it)
        .unwrap()
        .header("traceparent")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requests_trace_follows_it_through_the_append_the_projection_nats_and_the_webhook() {
    let (collector, base) = Collector::start("127.0.0.1:0").await.unwrap();
    // Nothing is sent before the process stops (no timer, no full batch): what arrives,
    // arrives by the flush.
    let (mut child, app, nats) = serve(&[
        ("OTEL_EXPORTER_OTLP_ENDPOINT", &base),
        ("OTEL_BSP_SCHEDULE_DELAY", "600000"),
        ("OTEL_BSP_MAX_QUEUE_SIZE", "65536"),
        ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "65536"),
    ])
    .await;
    let receiver = Receiver::start().await;
    subscribe_webhook(&app, &receiver).await;
    let tenant = &app.config.tenant;
    let mut subscription = nats
        .subscribe(format!("zgw.{tenant}.zaken.zaak.create"))
        .await
        .unwrap();
    nats.flush().await.unwrap();

    let (traceparent, trace, caller_span) = caller_traceparent();
    let zaak = create_traced_zaak(&app, &traceparent).await;

    let stored = stored_traceparents(&app, &zaak).await;
    assert!(!stored.is_empty());
    let mut request_span = None;
    for tp in &stored {
        let (t, span) = ids(tp.as_deref().expect("every event of the request is traced"));
        assert_eq!(t, trace, "the envelope carries the caller's trace");
        assert_ne!(span, caller_span, "and our span in it, not the caller's");
        request_span = Some(span);
    }
    let request_span = request_span.unwrap();

    let on_nats = nats_traceparent(&mut subscription, &zaak)
        .await
        .expect("the NATS message has a traceparent header");
    let (t, publish_span) = ids(&on_nats);
    assert_eq!(
        t, trace,
        "the notification on NATS is in the caller's trace"
    );

    let on_webhook = webhook_traceparent(&receiver, &zaak)
        .await
        .expect("the webhook POST has a traceparent header");
    let (t, webhook_span) = ids(&on_webhook);
    assert_eq!(t, trace, "the webhook is in the caller's trace");

    assert_eq!(
        collector.requests(),
        Vec::<String>::new(),
        "batched until the process stops"
    );
    assert!(stop(&mut child).await.success());
    let requests = collector.requests();
    assert!(!requests.is_empty(), "flushed when the process stopped");
    assert!(
        requests.iter().all(|t| t == "application/x-protobuf"),
        "{requests:?}"
    );
    let spans = collector.spans();
    assert!(
        spans.iter().all(|(service, _)| service == "zaakstroom"),
        "service.name"
    );
    let ours: Vec<&Span> = spans
        .iter()
        .map(|(_, s)| s)
        .filter(|s| hex(&s.trace_id) == trace)
        .collect();
    let describe = || {
        ours.iter()
            .map(|s| format!("{} ({:?})", s.name, s.kind()))
            .collect::<Vec<_>>()
    };

    let server = ours
        .iter()
        .find(|s| s.kind() == SpanKind::Server && s.name == "POST /zaken/api/v1/zaken")
        .unwrap_or_else(|| panic!("no server span in the caller's trace: {:?}", describe()));
    assert_eq!(
        hex(&server.parent_span_id),
        caller_span,
        "a child of the caller's"
    );
    assert_eq!(
        hex(&server.span_id),
        request_span,
        "the span the envelope names"
    );
    assert_eq!(server.trace_state, "zaakstroom-test=1", "tracestate kept");
    assert_eq!(
        attribute(server, "http.request.method").as_deref(),
        Some("POST")
    );
    assert_eq!(
        attribute(server, "http.route").as_deref(),
        Some("/zaken/api/v1/zaken")
    );
    assert_eq!(
        attribute(server, "http.response.status_code").as_deref(),
        Some("201")
    );

    let publish = ours
        .iter()
        .find(|s| hex(&s.span_id) == publish_span)
        .unwrap_or_else(|| panic!("no span of the NATS message: {:?}", describe()));
    assert_eq!(publish.kind(), SpanKind::Producer);
    assert_eq!(publish.name, "publish ZaakCreated");
    assert_eq!(hex(&publish.parent_span_id), request_span);

    let webhook = ours
        .iter()
        .find(|s| hex(&s.span_id) == webhook_span)
        .unwrap_or_else(|| panic!("no span of the webhook POST: {:?}", describe()));
    assert_eq!(webhook.kind(), SpanKind::Client);
    assert_eq!(
        attribute(webhook, "http.response.status_code").as_deref(),
        Some("204")
    );
    assert_eq!(hex(&webhook.parent_span_id), request_span);

    // The projection's batch: a child of the request's span, or (in a batch with other
    // requests' events) linked to it.
    let projected = spans.iter().map(|(_, s)| s).any(|s| {
        s.name == "project zaken"
            && (hex(&s.parent_span_id) == request_span
                || s.links.iter().any(|l| hex(&l.span_id) == request_span))
    });
    assert!(
        projected,
        "the zaken projection's batch joins the trace: {:?}",
        describe()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_otlp_endpoint_nothing_is_exported_and_a_traced_request_works_as_before() {
    // The SDKs' default endpoint: were anything exported by default, it would come here.
    let default = Collector::start("127.0.0.1:4318").await;
    if default.is_none() {
        eprintln!("127.0.0.1:4318 is taken here: not checked that nothing goes to it");
    }
    let (mut child, app, nats) = serve(&[("OTEL_SERVICE_NAME", "zaakstroom-untraced")]).await;
    let tenant = &app.config.tenant;
    let mut subscription = nats
        .subscribe(format!("zgw.{tenant}.zaken.zaak.create"))
        .await
        .unwrap();
    nats.flush().await.unwrap();

    let (traceparent, _, _) = caller_traceparent();
    let zaak = create_traced_zaak(&app, &traceparent).await;
    let read = app.get_json(&app.path_of(&zaak)).await;
    assert_eq!(read, zaak, "read back as created");

    let stored = stored_traceparents(&app, &zaak).await;
    assert!(
        !stored.is_empty() && stored.iter().all(Option::is_none),
        "no trace is stored, since nothing records one: {stored:?}"
    );
    assert_eq!(
        nats_traceparent(&mut subscription, &zaak).await,
        None,
        "and none goes on NATS"
    );
    assert!(stop(&mut child).await.success());
    if let Some((collector, _)) = default {
        assert_eq!(
            collector.requests(),
            Vec::<String>::new(),
            "nothing was exported"
        );
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
