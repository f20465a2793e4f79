//! The auditor's page (issue 19) in a real headless browser (Chromium over WebDriver, on
//! this offline machine): it loads a zaak's history with the auditor's token, shows who
//! changed what (field by field), that the hash chain is intact, and, clicked on a point of
//! the timeline, the zaak as it was then.

mod support;

use reqwest::{header, Method, StatusCode};
use serde_json::{json, Value};
use support::browser::Driver;
use support::TestApp;

#[tokio::test]
async fn the_page_is_ours_alone() {
    let app = TestApp::spawn().await;
    let page = reqwest::get(app.url("/audit")).await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let policy = page.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.contains("default-src 'none'") && policy.contains("connect-src 'self'"));
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{html}"
    );
    for asset in ["app.js", "page.css"] {
        let r = reqwest::get(app.url(&format!("/audit/assets/{asset}")))
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{asset}");
    }
    app.stop().await;
}

#[tokio::test]
async fn an_auditor_clicks_through_a_zaaks_history_in_a_browser() {
    let app = TestApp::spawn().await;
    let zaak = app.new_zaak().await;
    let path = app.path_of(&zaak);
    let original = app.get_json(&path).await;
    for change in [
        json!({"toelichting": "eerste wijziging"}),
        json!({"omschrijving": "Herzien"}),
    ] {
        let response = app
            .request(Method::PATCH, &path)
            .header("X-Audit-Toelichting", "bezwaar verwerkt")
            .json(&change)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let driver = Driver::start("an_auditor_clicks_through_a_zaaks_history_in_a_browser").await;
    let uuid = zaak["uuid"].as_str().unwrap();
    driver
        .goto(&app.url(&format!("/audit#token={}&zaak={uuid}", app.token())))
        .await;
    let entries = driver.wait_for("#timeline li.change", 3).await;
    let first = driver.element_text(&entries[0]).await;
    assert!(first.contains("Object aangemaakt"), "{first}");
    let second = driver.element_text(&entries[1]).await;
    assert!(
        second.contains("toelichting: \"\" → \"eerste wijziging\"")
            && second.contains("bezwaar verwerkt"),
        "the change, field by field, and why: {second}"
    );
    let chain = driver.text("#chain").await;
    assert!(chain.contains("intact"), "{chain}");
    // As it was: after its creation, then after the first change.
    for (i, expected) in [
        (0, original.clone()),
        (1, {
            let mut v = original.clone();
            v["toelichting"] = json!("eerste wijziging");
            v
        }),
    ] {
        let buttons = driver.all("#timeline li.change button.as-of").await;
        driver.click(&buttons[i]).await;
        let mut shown = Value::Null;
        for _ in 0..100 {
            let heading = driver.text("#object-heading").await;
            if heading.starts_with("Zoals op") {
                shown = serde_json::from_str(&driver.text("#object").await).unwrap_or(Value::Null);
                if shown["toelichting"] == expected["toelichting"] {
                    break;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(
            shown["toelichting"], expected["toelichting"],
            "as of entry {i}"
        );
        assert_eq!(
            shown["omschrijving"], expected["omschrijving"],
            "as of entry {i}"
        );
    }
    driver.quit().await;
    app.stop().await;
}
