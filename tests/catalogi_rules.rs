//! The rules of the Catalogi API end to end, each with the standard's error code.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::catalogi::{
    besluittype_body, catalogus_body, codes, informatieobjecttype_body, invalid_params,
    resultaattype_body, roltype_body, statustype_body, zaaktype_body, API,
};
use support::TestApp;
use zaakstroom::Role;

#[tokio::test]
async fn a_relation_to_another_catalogus_is_refused() {
    let app = TestApp::spawn_bare().await;
    let ours = app.create_catalogus("ONS").await;
    let theirs = app.create_catalogus("ZIJ").await;
    let besluittype = app
        .create_in("besluittypen", &besluittype_body(&theirs))
        .await;
    let mut body = zaaktype_body(&ours, "ZT-X");
    body["besluittypen"] = json!([besluittype["url"]]);
    let (status, refused) = app
        .send_json(Method::POST, &format!("{API}/zaaktypen"), &body)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(codes(&refused), ["relations-incorrect-catalogus"]);

    let zaaktype = app
        .create_in("zaaktypen", &zaaktype_body(&ours, "ZT-Y"))
        .await;
    let iot = app
        .create_in("informatieobjecttypen", &informatieobjecttype_body(&theirs))
        .await;
    let ziot = json!({"zaaktype": zaaktype["url"], "informatieobjecttype": iot["url"],
        "volgnummer": 1, "richting": "inkomend"});
    let (status, refused) = app
        .send_json(
            Method::POST,
            &format!("{API}/zaaktype-informatieobjecttypen"),
            &ziot,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(codes(&refused), ["relations-incorrect-catalogus"]);
    app.stop().await;
}

#[tokio::test]
async fn a_reference_that_is_not_ours_or_does_not_exist_is_refused() {
    let app = TestApp::spawn_bare().await;
    let elsewhere = "https://catalogi.elders.nl/catalogi/api/v1/catalogussen/1";
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("{API}/zaaktypen"),
            &zaaktype_body(elsewhere, "A"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        invalid_params(&body),
        [("catalogus".into(), "no_match".into())]
    );
    let missing = app.url(&format!("{API}/catalogussen/{}", uuid::Uuid::new_v4()));
    let (_, body) = app
        .send_json(
            Method::POST,
            &format!("{API}/zaaktypen"),
            &zaaktype_body(&missing, "A"),
        )
        .await;
    assert_eq!(
        invalid_params(&body),
        [("catalogus".into(), "does_not_exist".into())]
    );
    app.stop().await;
}

/// A zaaktype with a concept besluittype, refused: the fields named.
async fn publish_refused(app: &TestApp, catalogus: &str) -> (Value, Vec<String>) {
    let besluittype = app
        .create_in("besluittypen", &besluittype_body(catalogus))
        .await;
    let mut body = zaaktype_body(catalogus, "ZT-P");
    body["besluittypen"] = json!([besluittype["url"]]);
    let zaaktype = app.create_in("zaaktypen", &body).await;
    let (status, refused) = app.publish(zaaktype["url"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(codes(&refused).iter().all(|c| c == "concept-relation"));
    let fields = invalid_params(&refused)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    (
        json!({"zaaktype": zaaktype, "besluittype": besluittype}),
        fields,
    )
}

#[tokio::test]
async fn publishing_a_zaaktype_needs_published_besluittypen_and_no_child_types_as_catalogi_1_3() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("PUB").await;
    let (made, fields) = publish_refused(&app, &catalogus).await;
    assert_eq!(fields, ["nonFieldErrors"]);
    let besluittype = made["besluittype"]["url"].as_str().unwrap();
    let zaaktype = made["zaaktype"]["url"].as_str().unwrap();
    let (status, published) = app.publish(besluittype).await;
    assert_eq!(
        (status, published["concept"].clone()),
        (StatusCode::OK, json!(false))
    );
    let (_, published) = app.get_with_status(besluittype).await;
    assert_eq!(published["zaaktypen"], json!([zaaktype]));
    // No roltype, resultaattype or statustype: published all the same.
    let (status, published) = app.publish(zaaktype).await;
    assert_eq!(
        (status, published["concept"].clone()),
        (StatusCode::OK, json!(false))
    );
    app.stop().await;
}

#[tokio::test]
async fn publishing_needs_enough_children_where_the_installation_requires_them() {
    let mut config = support::test_config().await;
    config.publish_requires_children = true;
    let app = TestApp::spawn_bare_with(config, &[Role::Api, Role::Projector]).await;
    let catalogus = app.create_catalogus("PUB").await;
    let (_, fields) = publish_refused(&app, &catalogus).await;
    assert_eq!(
        fields,
        [
            "nonFieldErrors",
            "roltypen",
            "resultaattypen",
            "statustypen"
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn published_zaaktype_versions_with_one_identificatie_may_not_overlap() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("VER").await;
    let mut first = zaaktype_body(&catalogus, "ZT-V");
    first["eindeGeldigheid"] = json!("2026-06-30");
    let first = app.create_in("zaaktypen", &first).await;
    assert_eq!(app.publish(first["url"].as_str().unwrap()).await.0, 200);
    let mut overlapping = zaaktype_body(&catalogus, "ZT-V");
    overlapping["beginGeldigheid"] = json!("2026-06-01");
    let overlapping = app.create_in("zaaktypen", &overlapping).await;
    let (status, body) = app.publish(overlapping["url"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        invalid_params(&body),
        [("beginGeldigheid".into(), "overlap".into())]
    );
    let deleted = app
        .request(Method::DELETE, overlapping["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let mut next = zaaktype_body(&catalogus, "ZT-V");
    next["beginGeldigheid"] = json!("2026-07-01");
    let next = app.create_in("zaaktypen", &next).await;
    let url = next["url"].as_str().unwrap();
    assert_eq!(app.publish(url).await.0, 200);
    let valid = app
        .get_with_status(&format!("{url}?datumGeldigheid=2026-08-01"))
        .await;
    assert_eq!(valid.0, StatusCode::OK);
    let not_yet = app
        .get_with_status(&format!("{url}?datumGeldigheid=2026-05-01"))
        .await;
    assert_eq!(not_yet.0, StatusCode::NOT_FOUND);
    let geldig = app
        .get_with_status(&format!(
            "{API}/zaaktypen?status=alles&datumGeldigheid=2026-08-01"
        ))
        .await
        .1;
    assert_eq!(geldig["count"], 1);
    assert_eq!(geldig["results"][0]["beginGeldigheid"], "2026-07-01");
    app.stop().await;
}

#[tokio::test]
async fn a_catalogus_needs_a_valid_rsin_and_a_unique_domein_and_rsin() {
    let app = TestApp::spawn_bare().await;
    let mut body = catalogus_body("RSIN");
    body["rsin"] = json!("123456789");
    let (status, refused) = app
        .send_json(Method::POST, &format!("{API}/catalogussen"), &body)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        invalid_params(&refused),
        [("rsin".into(), "invalid".into())]
    );
    app.create_catalogus("DUBBL").await;
    let (status, refused) = app
        .send_json(
            Method::POST,
            &format!("{API}/catalogussen"),
            &catalogus_body("DUBBL"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(codes(&refused), ["unique"]);
    app.stop().await;
}

#[tokio::test]
async fn a_resultaattype_whose_brondatum_does_not_fit_its_afleidingswijze_is_refused() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("ARCH").await;
    let zaaktype = app
        .create_in("zaaktypen", &zaaktype_body(&catalogus, "ZT-A"))
        .await;
    let mut body = resultaattype_body(zaaktype["url"].as_str().unwrap());
    body["brondatumArchiefprocedure"] = json!({"afleidingswijze": "termijn", "datumkenmerk": "x"});
    let (status, refused) = app
        .send_json(Method::POST, &format!("{API}/resultaattypen"), &body)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        invalid_params(&refused),
        [
            (
                "brondatumArchiefprocedure.procestermijn".into(),
                "required".into()
            ),
            (
                "brondatumArchiefprocedure.datumkenmerk".into(),
                "must-be-empty".into()
            ),
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn two_statustypen_of_a_zaaktype_cannot_share_a_volgnummer() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("VOLG").await;
    let zaaktype = app
        .create_in("zaaktypen", &zaaktype_body(&catalogus, "ZT-S"))
        .await;
    let url = zaaktype["url"].as_str().unwrap();
    app.create_in("statustypen", &statustype_body(url, 1)).await;
    let (status, refused) = app
        .send_json(
            Method::POST,
            &format!("{API}/statustypen"),
            &statustype_body(url, 1),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(codes(&refused), ["unique"]);
    app.stop().await;
}

#[tokio::test]
async fn a_deleted_concept_statustype_leaves_its_zaaktype_and_a_deleted_zaaktype_its_children() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("DEL").await;
    let zaaktype = app.complete_zaaktype(&catalogus, "ZT-D").await;
    let (_, before) = app.get_with_status(&zaaktype).await;
    let first = before["statustypen"][0].as_str().unwrap().to_owned();
    let deleted = app.request(Method::DELETE, &first).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get_with_status(&first).await.0, StatusCode::NOT_FOUND);
    let (_, after) = app.get_with_status(&zaaktype).await;
    assert_eq!(after["statustypen"].as_array().unwrap().len(), 1);
    let (_, last) = app
        .get_with_status(after["statustypen"][0].as_str().unwrap())
        .await;
    assert_eq!(last["isEindstatus"], true);

    let roltype = after["roltypen"][0].as_str().unwrap().to_owned();
    let deleted = app.request(Method::DELETE, &zaaktype).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_with_status(&zaaktype).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get_with_status(&roltype).await.0, StatusCode::NOT_FOUND);
    let (_, catalogus) = app.get_with_status(&catalogus).await;
    assert_eq!(catalogus["zaaktypen"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn the_children_of_a_deleted_zaaktype_are_not_found_for_a_change_or_a_delete_either() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("ORPH").await;
    let zaaktype = app.complete_zaaktype(&catalogus, "ZT-O").await;
    let (_, before) = app.get_with_status(&zaaktype).await;
    let roltype = before["roltypen"][0].as_str().unwrap().to_owned();
    let deleted = app.request(Method::DELETE, &zaaktype).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let (status, body) = app
        .send_json(Method::PATCH, &roltype, &json!({"omschrijving": "Nieuw"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["code"], "not_found");
    let deleted = app.request(Method::DELETE, &roltype).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn a_put_replaces_and_a_patch_merges_a_concept_roltype() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("ROL").await;
    let zaaktype = app
        .create_in("zaaktypen", &zaaktype_body(&catalogus, "ZT-R"))
        .await;
    let roltype = app
        .create_in("roltypen", &roltype_body(zaaktype["url"].as_str().unwrap()))
        .await;
    let url = roltype["url"].as_str().unwrap();
    let (status, patched) = app
        .send_json(Method::PATCH, url, &json!({"omschrijving": "Behandelaar"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(patched["omschrijving"], "Behandelaar");
    assert_eq!(patched["omschrijvingGeneriek"], "initiator");
    let (status, refused) = app
        .send_json(Method::PUT, url, &json!({"omschrijving": "Alleen dit"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        invalid_params(&refused),
        [
            ("zaaktype".into(), "required".into()),
            ("omschrijvingGeneriek".into(), "required".into()),
        ]
    );
    assert_eq!(app.get_with_status(url).await.1, patched);
    app.stop().await;
}

#[tokio::test]
async fn a_published_zaaktype_may_still_get_an_einde_geldigheid() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("EIND").await;
    let zaaktype = app.complete_zaaktype(&catalogus, "ZT-E").await;
    assert_eq!(app.publish(&zaaktype).await.0, StatusCode::OK);
    let (status, ended) = app
        .send_json(
            Method::PATCH,
            &zaaktype,
            &json!({"eindeGeldigheid": "2026-12-31"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{ended:#}");
    assert_eq!(ended["eindeGeldigheid"], "2026-12-31");
    app.stop().await;
}

#[tokio::test]
async fn an_eigenschap_cannot_refer_to_a_statustype_of_another_zaaktype() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("ZTREL").await;
    let one = app
        .create_in("zaaktypen", &zaaktype_body(&catalogus, "ZT-1"))
        .await;
    let other = app
        .create_in("zaaktypen", &zaaktype_body(&catalogus, "ZT-2"))
        .await;
    let statustype = app
        .create_in(
            "statustypen",
            &statustype_body(one["url"].as_str().unwrap(), 1),
        )
        .await;
    let eigenschap = json!({"zaaktype": other["url"], "naam": "kenteken", "definitie": "Kenteken",
        "statustype": statustype["url"],
        "specificatie": {"formaat": "tekst", "lengte": "8", "kardinaliteit": "1"}});
    let (status, refused) = app
        .send_json(Method::POST, &format!("{API}/eigenschappen"), &eigenschap)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(codes(&refused), ["relations-incorrect-zaaktype"]);
    app.stop().await;
}

#[tokio::test]
async fn a_concept_type_related_to_a_published_type_either_way_is_not_changed_or_deleted() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("NCR").await;
    // besluittype (concept) -> informatieobjecttype (published)
    let iot = app
        .create_in(
            "informatieobjecttypen",
            &informatieobjecttype_body(&catalogus),
        )
        .await;
    let iot = iot["url"].as_str().unwrap().to_owned();
    assert_eq!(app.publish(&iot).await.0, StatusCode::OK);
    let mut body = besluittype_body(&catalogus);
    body["informatieobjecttypen"] = json!([iot]);
    let besluittype = app.create_in("besluittypen", &body).await;
    let besluittype = besluittype["url"].as_str().unwrap().to_owned();
    // A client without catalogi.geforceerd-schrijven/-verwijderen.
    app.grant_limited(json!([{"component": "ztc",
        "scopes": ["catalogi.lezen", "catalogi.schrijven"]}]))
        .await;
    let refused = |method: Method, url: String| {
        let request = app
            .limited(method, &url)
            .json(&json!({"omschrijving": "Anders"}));
        async move {
            let response = request.send().await.unwrap();
            let status = response.status();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    for method in [Method::PATCH, Method::DELETE] {
        let (status, body) = refused(method, besluittype.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(codes(&body), ["non-concept-relation"]);
    }

    // informatieobjecttype (concept) <- besluittype (published)
    let mut other = informatieobjecttype_body(&catalogus);
    other["omschrijving"] = json!("Bijlage");
    let concept_iot = app.create_in("informatieobjecttypen", &other).await;
    let concept_iot = concept_iot["url"].as_str().unwrap().to_owned();
    let mut body = besluittype_body(&catalogus);
    body["omschrijving"] = json!("Ander besluit");
    body["informatieobjecttypen"] = json!([concept_iot]);
    let published = app.create_in("besluittypen", &body).await;
    let (status, _) = app.publish(published["url"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = refused(Method::PATCH, concept_iot).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(codes(&body), ["non-concept-relation"]);
    app.stop().await;
}
