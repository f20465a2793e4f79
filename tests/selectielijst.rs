//! With a Referentielijsten/Selectielijst API configured, the catalogue's and zaken's
//! references into it are checked for real: the right kind of resource, under that API,
//! a selectielijstklasse of the zaaktype's procestype.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::catalogi::{resultaattype_body, zaaktype_body, API};
use support::{referentielijsten, TestApp};

fn code(body: &Value) -> (String, String) {
    (
        body["invalidParams"][0]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        body["invalidParams"][0]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[tokio::test]
async fn references_into_the_selectielijst_are_checked_against_that_api() {
    let mut config = support::test_config().await;
    let vrl = referentielijsten::start().await;
    config.selectielijst_url = Some(vrl.root.clone());
    let app = TestApp::spawn_bare_with(
        config,
        &[zaakstroom::Role::Api, zaakstroom::Role::Projector],
    )
    .await;
    let catalogus = app.create_catalogus("VRL").await;
    let mut zaaktype = zaaktype_body(&catalogus, "ZT-VRL");
    zaaktype["selectielijstProcestype"] = json!(vrl.resultaat);
    let (status, refused) = app
        .send_json(Method::POST, &format!("{API}/zaaktypen"), &zaaktype)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        code(&refused),
        ("selectielijstProcestype".into(), "invalid-resource".into())
    );
    zaaktype["selectielijstProcestype"] = json!(vrl.procestype);
    let zaaktype = app.create_in("zaaktypen", &zaaktype).await;
    let zaaktype = zaaktype["url"].as_str().unwrap();

    let mut resultaattype = resultaattype_body(zaaktype);
    resultaattype["resultaattypeomschrijving"] = json!(vrl.omschrijving);
    resultaattype["selectielijstklasse"] = json!(vrl.resultaat_other_procestype);
    let (status, refused) = app
        .send_json(
            Method::POST,
            &format!("{API}/resultaattypen"),
            &resultaattype,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // An object-level rule, under nonFieldErrors as the reference's ProcesTypeValidator.
    assert_eq!(
        code(&refused),
        ("nonFieldErrors".into(), "procestype-mismatch".into())
    );
    resultaattype["selectielijstklasse"] =
        json!(format!("{}resultaten/{}", vrl.root, uuid::Uuid::new_v4()));
    let (_, refused) = app
        .send_json(
            Method::POST,
            &format!("{API}/resultaattypen"),
            &resultaattype,
        )
        .await;
    assert_eq!(
        code(&refused),
        ("selectielijstklasse".into(), "bad-url".into())
    );
    resultaattype["selectielijstklasse"] = json!(vrl.resultaat);
    let created = app.create_in("resultaattypen", &resultaattype).await;
    assert_eq!(
        created["omschrijvingGeneriek"], vrl.omschrijving_text,
        "from the resultaattypeomschrijving"
    );
    app.stop().await;
}
