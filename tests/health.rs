//! Probes an orchestrator uses: /healthz answers while the process does; /readyz says ready
//! (with each check) while PostgreSQL answers, every migration is applied and the read
//! models follow the log, and 503 once a read model falls behind its bound.

mod support;

use reqwest::StatusCode;
use serde_json::Value;
use support::TestApp;
use zaakstroom::config::Role;

async fn probe(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let response = app.http.get(app.url(path)).send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_serving_instance_is_live_and_ready_with_every_check_named() {
    let app = TestApp::spawn().await;
    assert_eq!(probe(&app, "/healthz").await.0, StatusCode::OK);
    app.new_zaak().await;
    let (status, ready) = probe(&app, "/readyz").await;
    assert_eq!(status, StatusCode::OK, "{ready:#}");
    assert_eq!(ready["status"], "ready");
    let checks = &ready["checks"];
    assert_eq!(checks["database"]["status"], "ok");
    assert_eq!(checks["migrations"]["status"], "ok");
    assert_eq!(checks["nats"]["status"], "ok");
    assert_eq!(checks["projections"]["zaken"]["status"], "ok", "{checks:#}");
    assert_eq!(checks["projections"]["process-manager"]["status"], "ok");
    assert!(checks["projections"]["notifier"].is_object());
    app.stop().await;
}

#[tokio::test]
async fn an_instance_whose_read_models_fall_behind_is_not_ready() {
    let mut config = support::test_config().await;
    // No projector here: the setup file's applicatie stays unapplied; any lag is too much.
    config.ready_max_lag_seconds = 0;
    // Nothing projects the setup file's applicatie: do not wait for it.
    config.read_your_writes_ms = 100;
    support::nats(&config).await;
    let app = TestApp::spawn_bare_with(config, &[Role::Api]).await;
    let (status, ready) = probe(&app, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{ready:#}");
    assert_eq!(ready["status"], "not ready");
    let zaken = &ready["checks"]["projections"]["zaken"];
    assert_eq!(zaken["status"], "failing", "{ready:#}");
    assert!(zaken["lagSeconds"].as_f64().unwrap() >= 0.0);
    assert_eq!(ready["checks"]["database"]["status"], "ok");
    assert_eq!(
        ready["checks"]["nats"]["status"],
        "not used by this process"
    );
    assert_eq!(
        probe(&app, "/healthz").await.0,
        StatusCode::OK,
        "still live"
    );
    app.stop().await;
}
