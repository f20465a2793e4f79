//! A besluit and its zaak across the two APIs: the process manager puts a besluit with a zaak
//! on that zaak as a zaakbesluit (moved with besluit.zaak, removed with the besluit), before
//! the besluit write returns; a zaak with besluiten is not deleted before them.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::besluiten::{besluit_body, s, status_of};
use support::catalogi::codes;
use support::TestApp;

/// The zaakbesluiten of a zaak, as the Zaken API lists them.
async fn zaakbesluiten(app: &TestApp, zaak: &Value) -> Vec<Value> {
    let list = app
        .get_json(&format!("{}/besluiten", s(&zaak["url"])))
        .await;
    list.as_array().unwrap().clone()
}

#[tokio::test]
async fn a_besluit_with_a_zaak_is_on_that_zaak_as_soon_as_it_is_created_and_gone_when_deleted() {
    let app = TestApp::spawn_bare().await;
    let types = app.besluit_types("BSL").await;
    let zaak = app.new_zaak_of(&types.zaaktype).await;
    let besluit = app
        .new_besluit(&besluit_body(&types.besluittype, Some(s(&zaak["url"]))))
        .await;
    assert!(
        s(&besluit["identificatie"]).starts_with("BESLUIT-2026-"),
        "{besluit}"
    );
    assert_eq!(besluit["zaak"], zaak["url"]);
    assert_eq!(besluit["vervalreden"], "");
    assert_eq!(app.get_json(s(&besluit["url"])).await, besluit);

    let linked = zaakbesluiten(&app, &zaak).await;
    assert_eq!(linked.len(), 1, "{linked:?}");
    assert_eq!(linked[0]["besluit"], besluit["url"]);

    assert_eq!(
        status_of(app.request(Method::DELETE, s(&besluit["url"]))).await,
        StatusCode::NO_CONTENT
    );
    assert!(zaakbesluiten(&app, &zaak).await.is_empty());
    assert_eq!(
        app.get(s(&besluit["url"])).await.status(),
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

#[tokio::test]
async fn changing_a_besluits_zaak_moves_its_zaakbesluit() {
    let app = TestApp::spawn_bare().await;
    let types = app.besluit_types("MOVE").await;
    let first = app.new_zaak_of(&types.zaaktype).await;
    let second = app.new_zaak_of(&types.zaaktype).await;
    let besluit = app
        .new_besluit(&besluit_body(&types.besluittype, Some(s(&first["url"]))))
        .await;
    let (status, moved) = app
        .send_json(
            Method::PATCH,
            s(&besluit["url"]),
            &json!({"zaak": second["url"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved:#}");
    assert!(zaakbesluiten(&app, &first).await.is_empty());
    let on_second = zaakbesluiten(&app, &second).await;
    assert_eq!(on_second.len(), 1);
    assert_eq!(on_second[0]["besluit"], besluit["url"]);
    app.stop().await;
}

#[tokio::test]
async fn a_zaak_with_a_besluit_is_not_deleted_before_the_besluit() {
    let app = TestApp::spawn_bare().await;
    let types = app.besluit_types("PEND").await;
    let zaak = app.new_zaak_of(&types.zaaktype).await;
    let besluit = app
        .new_besluit(&besluit_body(&types.besluittype, Some(s(&zaak["url"]))))
        .await;
    let (status, refused) = app
        .send_json(Method::DELETE, s(&zaak["url"]), &json!({}))
        .await;
    assert_eq!(
        (status, codes(&refused)),
        (
            StatusCode::BAD_REQUEST,
            vec!["pending-besluit-relation".to_owned()]
        )
    );
    assert_eq!(
        status_of(app.request(Method::DELETE, s(&besluit["url"]))).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        status_of(app.request(Method::DELETE, s(&zaak["url"]))).await,
        StatusCode::NO_CONTENT
    );
    app.stop().await;
}

#[tokio::test]
async fn the_zaken_apis_zaakbesluit_writes_for_our_besluiten_only_check_the_relation() {
    let app = TestApp::spawn_bare().await;
    let types = app.besluit_types("REL").await;
    let zaak = app.new_zaak_of(&types.zaaktype).await;
    let other = app.new_zaak_of(&types.zaaktype).await;
    let besluit = app
        .new_besluit(&besluit_body(&types.besluittype, Some(s(&zaak["url"]))))
        .await;
    let path = format!("{}/besluiten", s(&zaak["url"]));
    let (status, posted) = app
        .send_json(Method::POST, &path, &json!({"besluit": besluit["url"]}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{posted:#}");
    let linked = zaakbesluiten(&app, &zaak).await;
    assert_eq!(
        linked,
        vec![posted.clone()],
        "the existing relation, not a second"
    );

    let elsewhere = format!("{}/besluiten", s(&other["url"]));
    let (status, refused) = app
        .send_json(
            Method::POST,
            &elsewhere,
            &json!({"besluit": besluit["url"]}),
        )
        .await;
    assert_eq!(
        (status, codes(&refused)),
        (
            StatusCode::BAD_REQUEST,
            vec!["inconsistent-relation".to_owned()]
        )
    );
    let (status, refused) = app
        .send_json(Method::DELETE, s(&posted["url"]), &json!({}))
        .await;
    assert_eq!(
        (status, codes(&refused)),
        (
            StatusCode::BAD_REQUEST,
            vec!["inconsistent-relation".to_owned()]
        )
    );
    app.stop().await;
}

#[tokio::test]
async fn a_besluit_expands_its_besluittype_and_its_zaak_as_far_as_the_caller_may_read() {
    let app = TestApp::spawn_bare().await;
    let types = app.besluit_types("EXP").await;
    let zaak = app.new_zaak_of(&types.zaaktype).await;
    let besluit = app
        .new_besluit(&besluit_body(&types.besluittype, Some(s(&zaak["url"]))))
        .await;
    let url = format!("{}?expand=besluittype,zaak", s(&besluit["url"]));
    let expanded = app.get_json(&url).await;
    // The zaak as it is now: the besluit gave it a zaakbesluit (and a new laatstGemuteerd).
    let zaak = app.get_json(s(&zaak["url"])).await;
    assert_eq!(expanded["_expand"]["zaak"], zaak);
    assert_eq!(expanded["_expand"]["besluittype"]["url"], types.besluittype);
    let page = app
        .get_json("/besluiten/api/v1/besluiten?expand=zaak")
        .await;
    assert_eq!(page["results"][0]["_expand"]["zaak"], zaak);
    let refused = app
        .get(&format!("{}?expand=geheim", s(&besluit["url"])))
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);

    // Without zaken.lezen on the zaak's zaaktype, the zaak is not embedded.
    app.grant_limited(json!([{"component": "brc", "scopes": ["besluiten.lezen"],
        "besluittype": types.besluittype}]))
        .await;
    let limited = app.limited_json(&url).await;
    assert_eq!(limited["_expand"]["zaak"], Value::Null, "{limited:#}");
    assert_eq!(limited["_expand"]["besluittype"]["url"], types.besluittype);
    app.stop().await;
}

#[tokio::test]
async fn a_closed_zaaks_besluiten_change_only_with_zaken_geforceerd_bijwerken() {
    let app = TestApp::spawn_bare().await;
    let types = app.besluit_types("DICHT").await;
    let zaak = app.new_zaak_of(&types.zaaktype).await;
    let besluit = app
        .new_besluit(&besluit_body(&types.besluittype, Some(s(&zaak["url"]))))
        .await;
    let zaaktype = app.get_json(&types.zaaktype).await;
    let resultaat = json!({"zaak": zaak["url"], "resultaattype": zaaktype["resultaattypen"][0]});
    let (status, _) = app
        .send_json(Method::POST, "/zaken/api/v1/resultaten", &resultaat)
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let eind = json!({"zaak": zaak["url"], "statustype": zaaktype["statustypen"][1],
        "datumStatusGezet": "2026-11-20T10:00:00Z"});
    let (status, closed) = app
        .send_json(Method::POST, "/zaken/api/v1/statussen", &eind)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{closed:#}");

    app.grant_limited(json!([
        {"component": "brc", "scopes": ["besluiten.aanmaken", "besluiten.bijwerken"],
            "besluittype": types.besluittype},
        {"component": "zrc", "scopes": ["zaken.lezen", "zaken.bijwerken"],
            "zaaktype": types.zaaktype, "maxVertrouwelijkheidaanduiding": "zeer_geheim"}
    ]))
    .await;
    let body = besluit_body(&types.besluittype, Some(s(&zaak["url"])));
    let created = app
        .limited(Method::POST, "/besluiten/api/v1/besluiten")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::FORBIDDEN);
    let patched = app
        .limited(Method::PATCH, s(&besluit["url"]))
        .json(&json!({"toelichting": "Later"}))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), StatusCode::FORBIDDEN);
    // The superuser holds zaken.geforceerd-bijwerken.
    app.new_besluit(&body).await;
    app.stop().await;
}
