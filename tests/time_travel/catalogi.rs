//! Catalogi resources as they were, derived fields included (a zaaktype's statustypen, a
//! statustype's place in its zaaktype, a catalogus's zaaktypen).

use chrono::{DateTime, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::support::catalogi::{statustype_body, zaaktype_body};
use super::support::TestApp;
use super::{as_of, instant, send};

/// Now, what GET answers for each of `paths`.
async fn step(app: &TestApp, paths: &[&str]) -> (DateTime<Utc>, Vec<Value>) {
    let mut bodies = Vec::new();
    for path in paths {
        bodies.push(app.get_json(path).await);
    }
    (instant().await, bodies)
}

#[tokio::test]
async fn catalogi_resources_as_of_each_step_are_what_get_answered_then() {
    let app = TestApp::spawn().await;
    let before = instant().await;
    let catalogus = app.create_catalogus("TTRV").await;
    let zaaktype = app
        .create_in("zaaktypen", &zaaktype_body(&catalogus, "TT-1"))
        .await;
    let zaaktype_url = zaaktype["url"].as_str().unwrap().to_owned();
    let zaaktype = app.path_of(&zaaktype);
    let first = app
        .create_in("statustypen", &statustype_body(&zaaktype_url, 1))
        .await;
    let first = app.path_of(&first);
    let catalogus = app.path_of(&json!({"url": catalogus}));
    let paths = [catalogus.as_str(), zaaktype.as_str(), first.as_str()];
    let mut steps = vec![step(&app, &paths).await];
    let patch = json!({"omschrijving": "Ander doel"});
    send(&app, Method::PATCH, &zaaktype, patch).await;
    steps.push(step(&app, &paths).await);
    // A second statustype makes the first no longer the eindstatus.
    let second = app
        .create_in("statustypen", &statustype_body(&zaaktype_url, 2))
        .await;
    let second = app.path_of(&second);
    steps.push(step(&app, &paths).await);
    let with_second = step(&app, &[second.as_str()]).await;
    assert_ne!(steps[1].1[2], steps[2].1[2], "isEindstatus changed");
    for (i, (at, then)) in steps.iter().enumerate() {
        for (path, body) in paths.iter().zip(then) {
            let response = app.get(&as_of(path, *at)).await;
            assert_eq!(response.status(), StatusCode::OK, "step {i}: {path}");
            assert!(response.headers().contains_key("memento-datetime"));
            let past: Value = response.json().await.unwrap();
            assert_eq!(&past, body, "step {i}: {path}");
        }
    }
    // Deleted: gone after, as it was before; before it existed: 404.
    let deleted = app.request(Method::DELETE, &second).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&as_of(&second, instant().await)).await.status(),
        StatusCode::GONE
    );
    let (at, then) = &with_second;
    assert_eq!(&app.get_json(&as_of(&second, *at)).await, &then[0]);
    for path in paths {
        assert_eq!(
            app.get(&as_of(path, before)).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    // datumGeldigheid filters the zaaktype as it was.
    let geldig = format!("{zaaktype}?datumGeldigheid=2026-06-01");
    let outside = format!("{zaaktype}?datumGeldigheid=2020-06-01");
    let at = steps[1].0;
    assert_eq!(
        app.get_json(&as_of(&geldig, at).replace("?asOf", "&asOf"))
            .await,
        steps[1].1[1]
    );
    let early = app
        .get(&as_of(&outside, at).replace("?asOf", "&asOf"))
        .await;
    assert_eq!(early.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn a_catalogus_objects_past_is_refused_as_its_present_is() {
    let app = TestApp::spawn().await;
    let statustype = app.path_of(&json!({"url": app.types.statustypen[0]}));
    app.grant_limited(json!([{"component": "zrc", "scopes": ["zaken.lezen"],
        "zaaktype": app.types.zaaktype, "maxVertrouwelijkheidaanduiding": "openbaar"}]))
        .await;
    let at = instant().await;
    let present = app.limited(Method::GET, &statustype).send().await.unwrap();
    let past = app
        .limited(Method::GET, &as_of(&statustype, at))
        .send()
        .await
        .unwrap();
    assert_eq!(present.status(), StatusCode::FORBIDDEN);
    assert_eq!(past.status(), present.status());
    let (present, past): (Value, Value) =
        (present.json().await.unwrap(), past.json().await.unwrap());
    assert_eq!(past["code"], present["code"]);
    // Zaaktypen are readable with zaken.lezen: then as now.
    let zaaktype = app.path_of(&json!({"url": app.types.zaaktype}));
    let then = app
        .limited(Method::GET, &as_of(&zaaktype, at))
        .send()
        .await
        .unwrap();
    assert_eq!(then.status(), StatusCode::OK);
    app.stop().await;
}
