//! A partij and a klantcontact as they were (Klantinteracties): with their parts as they
//! were, what GET answered at each step; 404 before, 410 after deletion; the scope decides
//! then as now.

use chrono::{DateTime, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::support::klantinteracties::{bsn, maak, new_partij, path_of, persoon, post, BSN};
use super::support::TestApp;
use super::{as_of, instant, patched, read_back_then_delete, send};

#[tokio::test]
async fn a_partij_as_of_each_step_is_what_get_answered_then() {
    let app = TestApp::spawn().await;
    let before = instant().await;
    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    let path = path_of(&app, &partij);
    let mut steps: Vec<(DateTime<Utc>, Value)> = Vec::new();
    steps.push((instant().await, app.get_json(&path).await));
    send(&app, Method::PATCH, &path, json!({"voorkeurstaal": "eng"})).await;
    steps.push((instant().await, app.get_json(&path).await));
    let adres = json!({"verstrektDoorPartij": {"uuid": partij["uuid"]}, "adres": "jan@example.nl",
        "soortDigitaalAdres": "email", "isStandaardAdres": true, "omschrijving": "Privé"});
    let (status, body) = post(&app, "/digitaleadressen", &adres).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    steps.push((instant().await, app.get_json(&path).await));
    assert_ne!(steps[0].1, steps[1].1);
    assert_ne!(steps[1].1, steps[2].1);
    // Read under the scope alone, then as now.
    app.grant_limited(json!([{"component": "zrc", "scopes": ["zaken.lezen"],
        "zaaktype": app.types.zaaktype, "maxVertrouwelijkheidaanduiding": "openbaar"}]))
        .await;
    let refused = app
        .limited(Method::GET, &as_of(&path, steps[0].0))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    read_back_then_delete(&app, &path, before, &steps).await;
    app.stop().await;
}

#[tokio::test]
async fn a_klantcontact_as_of_each_step_is_what_get_answered_then() {
    let app = TestApp::spawn().await;
    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    let before = instant().await;
    let (status, made) = post(&app, "/maak-klantcontact", &maak(&partij)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let path = path_of(&app, &made["klantcontact"]);
    let mut steps = vec![(instant().await, app.get_json(&path).await)];
    patched(&app, &path, json!({"onderwerp": "Rijbewijs"}), &mut steps).await;
    let inhoud = json!({"inhoud": "Wanneer is het klaar?"});
    patched(&app, &path, inhoud, &mut steps).await;
    assert_ne!(steps[0].1, steps[1].1);
    assert_eq!(
        steps[0].1["hadBetrokkenen"][0]["uuid"],
        made["betrokkene"]["uuid"]
    );
    read_back_then_delete(&app, &path, before, &steps).await;
    app.stop().await;
}
