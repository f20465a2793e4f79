//! The audit trail of a zaak: every change as an entry with who, what and the resource
//! before and after, readable on the very next request and valid per the Zaken API spec.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::{spec, TestApp};

#[tokio::test]
async fn every_change_to_a_zaak_is_in_its_audit_trail_with_who_and_before_and_after() {
    let app = TestApp::spawn().await;
    let zaak: Value = app.new_zaak().await;
    let url = zaak["url"].as_str().unwrap();
    let patched: Value = app
        .request(Method::PATCH, url)
        .json(&json!({"omschrijving": "Gewijzigd"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rol: Value = app
        .request(Method::POST, "/zaken/api/v1/rollen")
        .json(&json!({"zaak": url, "betrokkeneType": "medewerker",
            "roltype": app.types.roltype, "roltoelichting": "behandelaar"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let deleted = app
        .request(Method::DELETE, rol["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);

    let trail = app.get_json(&format!("{url}/audittrail")).await;
    let entries = trail.as_array().unwrap();
    let summary: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["resource"].as_str().unwrap(),
                e["actie"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("zaak", "create"),
            ("zaak", "partial_update"),
            ("rol", "create"),
            ("rol", "destroy")
        ]
    );
    let spec = spec::load("zaken-1.5.1.yaml");
    for e in entries {
        spec::assert_valid(&spec, "AuditTrail", e);
        assert_eq!(e["bron"], "zrc");
        assert_eq!(e["hoofdObject"], zaak["url"]);
        assert_eq!(e["applicatieId"], support::CLIENT_ID);
        assert_eq!(e["applicatieWeergave"], "End-to-end tests");
        assert_eq!(e["gebruikersId"], "tester");
        assert_eq!(e["gebruikersWeergave"], "Test Er");
    }
    assert_eq!(entries[0]["wijzigingen"], json!({"nieuw": zaak}));
    assert_eq!(
        entries[1]["wijzigingen"]["oud"]["omschrijving"],
        zaak["omschrijving"]
    );
    assert_eq!(entries[1]["wijzigingen"]["nieuw"], patched);
    assert_eq!(entries[1]["resultaat"], 200);
    assert_eq!(entries[3]["wijzigingen"], json!({"oud": rol}));
    assert_eq!(entries[3]["resourceUrl"], rol["url"]);

    let one = app
        .get_json(&format!(
            "{url}/audittrail/{}",
            entries[2]["uuid"].as_str().unwrap()
        ))
        .await;
    assert_eq!(one, entries[2]);
    app.stop().await;
}

#[tokio::test]
async fn the_audit_trail_needs_audittrails_lezen_on_the_zaaktype() {
    let app = TestApp::spawn().await;
    let zaak: Value = app.new_zaak().await;
    let trail = format!("{}/audittrail", zaak["url"].as_str().unwrap());
    app.grant_limited(json!([{"component": "zrc", "scopes": ["zaken.lezen"],
        "zaaktype": app.types.zaaktype, "maxVertrouwelijkheidaanduiding": "zeer_geheim"}]))
        .await;
    let refused = app.limited(Method::GET, &trail).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    app.grant_limited(json!([{"component": "zrc", "scopes": ["audittrails.lezen"],
        "zaaktype": "https://ztc.example.nl/zaaktypen/ander", "maxVertrouwelijkheidaanduiding": "zeer_geheim"}]))
        .await;
    let elsewhere = app.limited(Method::GET, &trail).send().await.unwrap();
    assert_eq!(
        elsewhere.status(),
        StatusCode::FORBIDDEN,
        "a grant on another zaaktype does not count"
    );
    app.grant_limited(json!([{"component": "zrc", "scopes": ["audittrails.lezen"],
        "zaaktype": app.types.zaaktype, "maxVertrouwelijkheidaanduiding": "openbaar"}]))
        .await;
    let allowed = app.limited_json(&trail).await;
    assert_eq!(allowed.as_array().map(Vec::len), Some(1), "{allowed}");
    app.stop().await;
}

/// The standard's X-Audit-Toelichting header: the client's explanation of a change, kept as
/// the audit trail entry's toelichting (and in the event's envelope, so replays keep it).
#[tokio::test]
async fn x_audit_toelichting_is_recorded_as_the_entrys_toelichting() {
    let app = TestApp::spawn().await;
    let zaak: Value = app.new_zaak().await;
    let url = zaak["url"].as_str().unwrap();
    let patched = app
        .request(Method::PATCH, url)
        .header(
            "X-Audit-Toelichting",
            "Omschrijving verduidelijkt na telefoongesprek",
        )
        .json(&json!({"omschrijving": "Gewijzigd"}))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), StatusCode::OK);

    let trail = app.get_json(&format!("{url}/audittrail")).await;
    let toelichtingen: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["toelichting"].as_str().unwrap())
        .collect();
    assert_eq!(
        toelichtingen,
        vec!["", "Omschrijving verduidelijkt na telefoongesprek"]
    );
}
