//! Responses of the running server validate against the official Zaken API 1.5.1 schemas
//! (../shared/specs/zaken-1.5.1.yaml), so drift from the standard fails CI.

mod support;

use reqwest::Method;
use serde_json::{json, Value};
use support::{spec, zaak_body, TestApp};

fn full_zaak() -> Value {
    let mut body = zaak_body();
    let extra = json!({
        "toelichting": "Met alle gegevensgroepen",
        "einddatumGepland": "2026-12-31",
        "uiterlijkeEinddatumAfdoening": "2027-01-31",
        "publicatiedatum": "2026-11-02",
        "communicatiekanaal": "https://referentielijsten.example.nl/api/v1/communicatiekanalen/1",
        "productenOfDiensten": ["https://pdc.example.nl/api/v1/producten/1"],
        "betalingsindicatie": "gedeeltelijk",
        "laatsteBetaaldatum": "2026-11-03T10:00:00Z",
        "zaakgeometrie": {"type": "Point", "coordinates": [4.9, 52.37]},
        "verlenging": {"reden": "Drukte", "duur": "P5D"},
        "opschorting": {"indicatie": true, "reden": "Wacht op stukken"},
        "selectielijstklasse": "https://selectielijst.example.nl/api/v1/resultaten/1",
        "relevanteAndereZaken": [{"url": "https://zaken.example.nl/zaken/api/v1/zaken/1", "aardRelatie": "vervolg"}],
        "kenmerken": [{"kenmerk": "K-1", "bron": "Balie"}],
        "opdrachtgevendeOrganisatie": "002220647",
        "processobjectaard": "Vergunning",
        "processobject": {"datumkenmerk": "d", "identificatie": "i", "objecttype": "o", "registratie": "r"}
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

#[tokio::test]
async fn zaak_responses_validate_against_the_zaken_1_5_1_spec() {
    let Some(spec) = spec::load("zaken-1.5.1.yaml") else {
        return;
    };
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let minimal: Value = app.create_zaak(&zaak_body()).await.json().await.unwrap();
    spec::assert_valid(&spec, "Zaak", &minimal);
    let full = app.create_zaak(&full_zaak()).await;
    assert_eq!(full.status(), 201);
    let full: Value = full.json().await.unwrap();
    spec::assert_valid(&spec, "Zaak", &full);
    assert_eq!(
        full["zaakgeometrie"],
        json!({"type": "Point", "coordinates": [4.9, 52.37]})
    );
    assert_eq!(
        full["betalingsindicatieWeergave"],
        "De met de zaak gemoeide kosten zijn gedeeltelijk betaald."
    );

    let detail: Value = app
        .get(full["url"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    spec::assert_valid(&spec, "Zaak", &detail);
    let list: Value = app.get("/zaken/api/v1/zaken").await.json().await.unwrap();
    spec::assert_valid(&spec, "PaginatedZaakList", &list);

    let path = full["url"]
        .as_str()
        .unwrap()
        .strip_prefix(&app.base)
        .unwrap()
        .to_owned();
    let patched: Value = app
        .request(Method::PATCH, &path)
        .json(&json!({"verlenging": null, "betalingsindicatie": ""}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    spec::assert_valid(&spec, "Zaak", &patched);
    assert_eq!(patched["verlenging"], Value::Null);
    app.stop().await;
}

#[tokio::test]
async fn error_bodies_validate_against_the_specs_fout_schemas() {
    let Some(spec) = spec::load("zaken-1.5.1.yaml") else {
        return;
    };
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let invalid: Value = app.create_zaak(&json!({})).await.json().await.unwrap();
    spec::assert_valid(&spec, "ValidatieFout", &invalid);
    let missing: Value = app
        .get(&format!("/zaken/api/v1/zaken/{}", uuid::Uuid::new_v4()))
        .await
        .json()
        .await
        .unwrap();
    spec::assert_valid(&spec, "Fout", &missing);
    assert_eq!(missing["status"], 404);
    let forbidden: Value = app
        .http
        .get(app.url("/zaken/api/v1/zaken"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    spec::assert_valid(&spec, "Fout", &forbidden);
    app.stop().await;
}

#[test]
fn the_spec_validator_rejects_what_the_standard_forbids() {
    let Some(spec) = spec::load("zaken-1.5.1.yaml") else {
        return;
    };
    let zaak = spec::validator(&spec, "Zaak");
    assert!(!zaak.is_valid(&json!({})), "required fields are checked");
    assert!(
        !zaak.is_valid(&json!({"vertrouwelijkheidaanduiding": "heel_geheim"})),
        "enums are checked"
    );
    let fout = spec::validator(&spec, "ValidatieFout");
    assert!(!fout.is_valid(&json!({"code": "invalid"})));
}
