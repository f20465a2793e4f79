//! Operability over HTTP: Prometheus metrics at `/metrics` and one access-log line per
//! request.
//!
//! Metrics are recorded through the `metrics` facade wherever they happen (the store's
//! appends, the commands' contention, the notifier, the webhook dispatcher, the HTTP
//! middleware here) and kept by `metrics-exporter-prometheus`'s recorder, installed once per
//! process ([`install`]). The exporter's own HTTP listener is not used: our router renders
//! the recorder at `GET /metrics`, unauthenticated like `/healthz`, after setting the
//! gauges that are read at scrape time (`scrape`: projection lag, webhook lag, the
//! connection pool, RSS).

mod access;
mod scrape;

use std::sync::OnceLock;
use std::time::Duration;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use metrics_util::MetricKindMask;

use crate::AppState;

pub use access::{track, ClientId};

/// Requests answered, by method, route template and status.
pub const HTTP_REQUESTS: &str = "zaakstroom_http_requests_total";
/// Time to the response's head, by method and route template.
pub const HTTP_DURATION: &str = "zaakstroom_http_request_duration_seconds";
/// Buckets of [`HTTP_DURATION`]: 1 ms to 10 s.
const HTTP_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 7.5, 10.0,
];
/// How long a gauge set at scrape time outlives its last scrape (an abonnement that ended,
/// a projection no longer run, drop out after this).
const STALE_GAUGES: Duration = Duration::from_secs(300);
/// How often histograms are compacted, whether or not anything scrapes.
const UPKEEP: Duration = Duration::from_secs(5);

/// What `/metrics` renders and how it reads the gauges it sets at scrape time.
#[derive(Clone)]
pub struct Metrics {
    handle: PrometheusHandle,
    /// The event log is PostgreSQL's `es_events` (else KurrentDB: projection lag is then
    /// read through the store, in seconds only).
    log_in_postgres: bool,
}

impl Metrics {
    /// The process's recorder ([`install`]ed on first use) for a server whose log is in
    /// PostgreSQL or not.
    pub fn new(log_in_postgres: bool) -> Self {
        Self {
            handle: install(),
            log_in_postgres,
        }
    }
}

/// Installs the Prometheus recorder as the process's global `metrics` recorder, once, and
/// returns its handle (every later call returns the same handle). Histogram samples are
/// compacted every few seconds by a thread of its own, so memory stays bounded when nothing
/// scrapes.
pub fn install() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.into()), &HTTP_BUCKETS)
                .expect("the buckets are not empty")
                .idle_timeout(MetricKindMask::GAUGE, Some(STALE_GAUGES))
                .install_recorder()
                .expect("no other metrics recorder is installed in this process");
            let upkeep = handle.clone();
            std::thread::Builder::new()
                .name("metrics-upkeep".into())
                .spawn(move || loop {
                    std::thread::sleep(UPKEEP);
                    upkeep.run_upkeep();
                })
                .expect("spawning the metrics upkeep thread");
            describe();
            handle
        })
        .clone()
}

/// HELP lines, and the counters that exist from the start (at 0) rather than from their
/// first increment.
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(
        HTTP_REQUESTS,
        "Requests answered, by method, route template and status."
    );
    describe_histogram!(
        HTTP_DURATION,
        Unit::Seconds,
        "Time from a request's arrival to its response's head, by method and route template."
    );
    describe_counter!(
        event_store::metered::APPENDS,
        "Appends stored, by aggregate category."
    );
    describe_counter!(
        event_store::metered::EVENTS,
        "Events stored, by aggregate category."
    );
    describe_counter!(
        event_store::metered::CONFLICTS,
        "Appends refused on the expected version (decided again, a claim taken, If-Match), by category."
    );
    describe_counter!(
        commands::CONTENTION,
        "Commands that gave up after concurrent writes (409), by category."
    );
    describe_counter!(
        projections::notifier::PUBLISHED,
        "Messages JetStream acked, by kind (notification: ZGW; event: envelope)."
    );
    describe_counter!(
        projections::notifier::FAILURES,
        "Notifier batches that failed on NATS (tried again from the checkpoint)."
    );
    use projections::webhooks::deliver as webhooks;
    describe_counter!(
        webhooks::ATTEMPTS,
        "Webhook attempts recorded, by abonnement."
    );
    describe_counter!(
        webhooks::DELIVERED,
        "Webhook attempts answered 2xx, by abonnement."
    );
    describe_counter!(
        webhooks::FAILED,
        "Webhook attempts that failed, by abonnement."
    );
    describe_counter!(
        webhooks::DEAD_LETTERS,
        "Deliveries that became dead letters, by abonnement."
    );
    describe_gauge!(
        scrape::CHECKPOINT,
        "Commit part of each projection's checkpoint position."
    );
    describe_gauge!(
        scrape::LAG_EVENTS,
        "Events in the log after each projection's checkpoint (PostgreSQL log; counted up to 1,000,000)."
    );
    describe_gauge!(
        scrape::LAG_SECONDS,
        Unit::Seconds,
        "Age of the oldest event each projection has not applied (0: at the head)."
    );
    describe_gauge!(
        scrape::WEBHOOK_PENDING,
        "Undelivered deliveries, by abonnement."
    );
    describe_gauge!(
        scrape::WEBHOOK_LAG,
        Unit::Seconds,
        "Age of each abonnement's oldest undelivered notification (0: none waiting)."
    );
    describe_gauge!(
        scrape::POOL,
        "PostgreSQL pool connections, by state (in_use, idle)."
    );
    describe_gauge!(scrape::POOL_MAX, "The PostgreSQL pool's maximum size.");
    describe_gauge!(
        scrape::RSS,
        Unit::Bytes,
        "Resident set size of the process."
    );
    metrics::counter!(projections::notifier::FAILURES).absolute(0);
}

/// `GET /metrics`, as every process serves it (with the API, or alone in a worker).
pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(render))
}

async fn render(State(state): State<AppState>) -> impl IntoResponse {
    scrape::update(&state).await;
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.handle.render(),
    )
}

/// Whether requests to `route` stay out of the access log (probes and scrapes: noise).
pub(crate) fn is_quiet(route: &str) -> bool {
    matches!(route, "/metrics" | "/healthz" | "/readyz")
}
