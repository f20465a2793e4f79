//! The auditor's page (issue 19) in a real headless browser (Chromium over WebDriver, on
//! this offline machine): it loads a zaak's, a document's or a besluit's history with the
//! auditor's token, shows who changed what (field by field), that the hash chain is intact,
//! and, clicked on a point of the timeline, the object as it was then.

mod support;

use reqwest::{header, Method, StatusCode};
use serde_json::{json, Value};
use support::besluiten::besluit_body;
use support::browser::Driver;
use support::documenten::b64;
use support::TestApp;

/// PATCHes `url` with `body`, giving `why` as the audit trail's toelichting; asserts 200.
async fn patch(app: &TestApp, url: &str, body: &Value, why: &str) {
    let request = app.request(Method::PATCH, url).json(body);
    let response = request
        .header("X-Audit-Toelichting", why)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{url}");
}

/// Clicks "Bekijk zoals toen" on change `i` of the timeline and waits until the object
/// shown has `field` = `expected`; the object shown.
async fn view_as_of(driver: &Driver, i: usize, field: &str, expected: &Value) -> Value {
    let buttons = driver.all("#timeline li.change button.as-of").await;
    driver.click(&buttons[i]).await;
    let mut shown = Value::Null;
    for _ in 0..100 {
        let heading = driver.text("#object-heading").await;
        if heading.starts_with("Zoals op") {
            shown = serde_json::from_str(&driver.text("#object").await).unwrap_or(Value::Null);
            if &shown[field] == expected {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(&shown[field], expected, "as of change {i}");
    shown
}

/// The texts of the timeline's changes once it shows at least `n`.
async fn changes(driver: &Driver, n: usize) -> Vec<String> {
    let mut texts = Vec::new();
    for e in driver.wait_for("#timeline li.change", n).await {
        texts.push(driver.element_text(&e).await);
    }
    texts
}

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
        patch(&app, &path, &change, "bezwaar verwerkt").await;
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
        let shown = view_as_of(&driver, i, "toelichting", &expected["toelichting"]).await;
        assert_eq!(
            shown["omschrijving"], expected["omschrijving"],
            "as of entry {i}"
        );
    }
    driver.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn an_auditor_picks_a_document_and_views_its_versions_as_they_were() {
    let app = TestApp::spawn().await;
    let (_, doc) = app.new_document().await;
    let url = doc["url"].as_str().unwrap();
    let lock = app.lock(url).await;
    let body = json!({"titel": "Tweede", "inhoud": b64(b"tweede versie"), "lock": lock});
    patch(&app, url, &body, "nieuwe versie ontvangen").await;
    let driver = Driver::start("an_auditor_picks_a_document_and_views_its_versions").await;
    // The document's URL: the page tells its kind from it.
    driver
        .goto(&app.url(&format!(
            "/audit#token={}&informatieobject={url}",
            app.token()
        )))
        .await;
    let texts = changes(&driver, 2).await;
    assert!(texts[0].contains("Object aangemaakt"), "{texts:?}");
    let edit = texts
        .iter()
        .position(|t| t.contains("titel: \"Aanvraagformulier\" → \"Tweede\""))
        .unwrap_or_else(|| panic!("the new version, field by field: {texts:?}"));
    assert!(
        texts[edit].contains("nieuwe versie ontvangen"),
        "{}",
        texts[edit]
    );
    let chain = driver.text("#chain").await;
    assert!(chain.contains("intact"), "{chain}");
    let now = driver.text("#object").await;
    assert!(now.contains("\"versie\": 2"), "as it is now: {now}");
    let first = view_as_of(&driver, 0, "titel", &json!("Aanvraagformulier")).await;
    assert_eq!(first["versie"], 1);
    let second = view_as_of(&driver, edit, "titel", &json!("Tweede")).await;
    assert_eq!(second["versie"], 2);
    driver.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn an_auditor_picks_a_besluit_and_views_it_as_it_was() {
    let app = TestApp::spawn().await;
    let types = app.besluit_types("AUDIT").await;
    let zaak = app.new_zaak_of(&types.zaaktype).await;
    let besluit = app
        .new_besluit(&besluit_body(&types.besluittype, zaak["url"].as_str()))
        .await;
    let path = app.path_of(&besluit);
    let change = json!({"toelichting": "Herzien na bezwaar"});
    patch(&app, &path, &change, "bezwaar gegrond").await;
    let driver = Driver::start("an_auditor_picks_a_besluit_and_views_it_as_it_was").await;
    // A uuid: of the kind chosen in the form.
    let uuid = path.rsplit('/').next().unwrap();
    driver
        .goto(&app.url(&format!("/audit#token={}&besluit={uuid}", app.token())))
        .await;
    let texts = changes(&driver, 2).await;
    assert!(
        texts[1].contains("toelichting: \"Vergunning verleend\" → \"Herzien na bezwaar\""),
        "{texts:?}"
    );
    view_as_of(&driver, 0, "toelichting", &json!("Vergunning verleend")).await;
    view_as_of(&driver, 1, "toelichting", &json!("Herzien na bezwaar")).await;
    driver.quit().await;
    app.stop().await;
}
