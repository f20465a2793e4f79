//! Applicaties as they were: their autorisaties then.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::support::TestApp;
use super::{as_of, instant, read_back_then_delete, send};

const APPLICATIES: &str = "/autorisaties/api/v1/applicaties";

fn zrc(zaaktype: &str, max: &str) -> Value {
    json!({"component": "zrc", "scopes": ["zaken.lezen"], "zaaktype": zaaktype,
           "maxVertrouwelijkheidaanduiding": max})
}

#[tokio::test]
async fn an_applicatie_as_of_each_step_is_what_get_answered_then() {
    let app = TestApp::spawn().await;
    let before = instant().await;
    let zaaktype = app.types.zaaktype.clone();
    let body = json!({"clientIds": ["tt-a"], "label": "Zaaksysteem",
        "autorisaties": [zrc(&zaaktype, "openbaar")]});
    let created = send(&app, Method::POST, APPLICATIES, body).await;
    let path = app.path_of(&created);
    let mut steps = vec![(instant().await, app.get_json(&path).await)];
    let body = json!({"clientIds": ["tt-a", "tt-b"], "label": "Zaaksysteem",
        "autorisaties": [zrc(&zaaktype, "geheim")]});
    send(&app, Method::PUT, &path, body).await;
    steps.push((instant().await, app.get_json(&path).await));
    let patch = json!({"label": "Zaaksysteem 2"});
    send(&app, Method::PATCH, &path, patch).await;
    steps.push((instant().await, app.get_json(&path).await));
    assert_ne!(steps[0].1, steps[1].1);
    read_back_then_delete(&app, &path, before, &steps).await;
    // A client that may not read applicaties: refused then as now.
    app.grant_limited(json!([zrc(&zaaktype, "openbaar")])).await;
    let present = app.limited(Method::GET, &path).send().await.unwrap();
    let past = app
        .limited(Method::GET, &as_of(&path, steps[2].0))
        .send()
        .await
        .unwrap();
    assert_eq!(present.status(), StatusCode::FORBIDDEN);
    assert_eq!(past.status(), present.status());
    app.stop().await;
}
