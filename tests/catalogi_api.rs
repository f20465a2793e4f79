//! The Catalogi API end to end: a real server on port 0, the real PostgreSQL and NATS.

mod support;

use futures::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::catalogi::{
    codes, informatieobjecttype_body, invalid_params, statustype_body, zaaktype_body, API,
};
use support::TestApp;

#[tokio::test]
async fn a_published_zaaktype_is_readable_and_refuses_changes_without_the_forcing_scope() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("PARK").await;
    let zaaktype = app.complete_zaaktype(&catalogus, "ZT-PARK").await;

    let (status, concept) = app.get_with_status(&zaaktype).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(concept["concept"], true);
    assert_eq!(concept["statustypen"].as_array().unwrap().len(), 2);
    assert_eq!(concept["roltypen"].as_array().unwrap().len(), 1);
    assert_eq!(concept["resultaattypen"].as_array().unwrap().len(), 1);
    let (_, eind) = app
        .get_with_status(concept["statustypen"][1].as_str().unwrap())
        .await;
    assert_eq!(
        (eind["volgnummer"].clone(), eind["isEindstatus"].clone()),
        (json!(2), json!(true))
    );
    assert_eq!(eind["zaaktypeIdentificatie"], "ZT-PARK");
    let (_, catalogus_body) = app.get_with_status(&catalogus).await;
    assert_eq!(catalogus_body["zaaktypen"], json!([zaaktype]));

    let (status, published) = app.publish(&zaaktype).await;
    assert_eq!(status, StatusCode::OK, "{published:#}");
    assert_eq!(published["concept"], false);
    assert_eq!(app.get_with_status(&zaaktype).await.1, published);

    app.grant_limited(
        json!([{"component": "ztc", "scopes": ["catalogi.lezen", "catalogi.schrijven"]}]),
    )
    .await;
    let patch = json!({"omschrijving": "Gewijzigd"});
    let refused = app
        .limited(Method::PATCH, &zaaktype)
        .json(&patch)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        codes(&refused.json().await.unwrap()),
        ["non-concept-object"]
    );
    let child = app
        .limited(Method::POST, &format!("{API}/statustypen"))
        .json(&statustype_body(&zaaktype, 3))
        .send()
        .await
        .unwrap();
    assert_eq!(
        codes(&child.json().await.unwrap()),
        ["non-concept-zaaktype"]
    );
    let deleted = app.limited(Method::DELETE, &zaaktype).send().await.unwrap();
    assert_eq!(
        codes(&deleted.json().await.unwrap()),
        ["non-concept-object"]
    );

    app.grant_limited(json!([{"component": "ztc",
        "scopes": ["catalogi.lezen", "catalogi.geforceerd-schrijven"]}]))
        .await;
    let forced = app
        .limited(Method::PATCH, &zaaktype)
        .json(&patch)
        .send()
        .await
        .unwrap();
    assert_eq!(forced.status(), StatusCode::OK);
    assert_eq!(
        forced.json::<Value>().await.unwrap()["omschrijving"],
        "Gewijzigd"
    );
    app.stop().await;
}

#[tokio::test]
async fn lists_show_published_objects_unless_the_status_filter_says_otherwise() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("LIST").await;
    let published = app.complete_zaaktype(&catalogus, "ZT-1").await;
    let concept = app.complete_zaaktype(&catalogus, "ZT-2").await;
    assert_eq!(app.publish(&published).await.0, StatusCode::OK);
    let urls = |body: Value| -> Vec<Value> {
        body["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["url"].clone())
            .collect()
    };
    let list = |q: &'static str| {
        let app = &app;
        async move { app.get_with_status(&format!("{API}/zaaktypen{q}")).await.1 }
    };
    assert_eq!(urls(list("").await), [json!(published)]);
    assert_eq!(urls(list("?status=definitief").await), [json!(published)]);
    assert_eq!(urls(list("?status=concept").await), [json!(concept)]);
    let all = list("?status=alles").await;
    assert_eq!(all["count"], 2);
    assert_eq!(
        (all["next"].clone(), all["previous"].clone()),
        (Value::Null, Value::Null)
    );
    assert_eq!(
        urls(list("?status=alles&identificatie=ZT-2").await),
        [json!(concept)]
    );
    let trefwoorden = list("?status=alles&trefwoorden=parkeren,vergunning").await;
    assert_eq!(trefwoorden["count"], 2);
    assert_eq!(
        list("?status=alles&trefwoorden=parkeren,visum").await["count"],
        0
    );
    let statustypen = app
        .get_with_status(&format!(
            "{API}/statustypen?status=concept&zaaktype={concept}"
        ))
        .await
        .1;
    assert_eq!(statustypen["count"], 2);
    let (status, body) = app
        .get_with_status(&format!("{API}/zaaktypen?kleur=rood"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(codes(&body), ["unknown-parameters"]);
    let (status, _) = app
        .get_with_status(&format!("{API}/zaaktypen?status=oud"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    app.stop().await;
}

#[tokio::test]
async fn a_detail_has_an_etag_and_answers_304_when_it_did_not_change() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("ETAG").await;
    let got = app.get(&catalogus).await;
    assert_eq!(got.headers()["api-version"], "1.3.1");
    let etag = got.headers()["etag"].to_str().unwrap().to_owned();
    let cached = app
        .request(Method::GET, &catalogus)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
    let head = app.request(Method::HEAD, &catalogus).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()["etag"].to_str().unwrap(), etag);
    app.stop().await;
}

/// The next message of `subscriber` (within 10 s): subject and JSON body.
async fn next_message(subscriber: &mut async_nats::Subscriber) -> (String, Value) {
    let msg = tokio::time::timeout(std::time::Duration::from_secs(10), subscriber.next())
        .await
        .unwrap()
        .unwrap();
    (
        msg.subject.to_string(),
        serde_json::from_slice(&msg.payload).unwrap(),
    )
}

#[tokio::test]
async fn a_zaaktype_is_announced_on_the_zaaktypen_kanaal_when_created_and_destroyed() {
    let app = TestApp::spawn_bare().await;
    let nats = support::nats(&app.config).await;
    let tenant = app.config.tenant.clone();
    let mut zgw = nats
        .subscribe(format!("zgw.{tenant}.zaaktypen.>"))
        .await
        .unwrap();
    nats.flush().await.unwrap();
    let catalogus = app.create_catalogus("NOTIF").await;
    let zaaktype = app
        .create_in("zaaktypen", &zaaktype_body(&catalogus, "ZT-N"))
        .await;
    let (subject, body) = next_message(&mut zgw).await;
    assert_eq!(subject, format!("zgw.{tenant}.zaaktypen.zaaktype.create"));
    assert_eq!(body["hoofdObject"], zaaktype["url"]);
    assert_eq!(body["resource"], "zaaktype");
    assert_eq!(body["kenmerken"], json!({"catalogus": catalogus}));

    let url = zaaktype["url"].as_str().unwrap();
    let deleted = app.request(Method::DELETE, url).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let (subject, body) = next_message(&mut zgw).await;
    assert_eq!(subject, format!("zgw.{tenant}.zaaktypen.zaaktype.destroy"));
    assert_eq!(body["kenmerken"], json!({"catalogus": catalogus}));
    app.stop().await;
}

#[tokio::test]
async fn the_facts_of_a_zaaktype_give_its_statustypen_and_their_eindstatus() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("FACT").await;
    let zaaktype = app.complete_zaaktype(&catalogus, "ZT-F").await;
    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    let facts = query_api::catalogi::facts::zaaktype(&pool, &zaaktype)
        .await
        .unwrap()
        .expect("our zaaktype");
    assert!(facts.concept);
    assert_eq!(facts.catalogus, catalogus);
    let volgnummers: Vec<(i64, bool)> = facts
        .statustypen
        .iter()
        .map(|s| (s.volgnummer, s.is_eindstatus))
        .collect();
    assert_eq!(volgnummers, [(1, false), (2, true)]);
    assert_eq!(facts.roltypen[0].omschrijving_generiek, "initiator");
    let resultaattype = &facts.resultaattypen[0];
    assert_eq!(resultaattype.archiefactietermijn.as_deref(), Some("P10Y"));
    let looked_up = query_api::catalogi::facts::statustype(&pool, &facts.statustypen[1].url)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(looked_up.zaaktype, zaaktype);
    let iot = app
        .create_in(
            "informatieobjecttypen",
            &informatieobjecttype_body(&catalogus),
        )
        .await;
    let iot_url = iot["url"].as_str().unwrap();
    let iot = query_api::catalogi::facts::informatieobjecttype(&pool, iot_url)
        .await
        .unwrap()
        .unwrap();
    assert!(iot.concept && iot.zaaktypen.is_empty());
    let elsewhere = zaaktype.replace("127.0.0.1", "example.org");
    assert!(query_api::catalogi::facts::zaaktype(&pool, &elsewhere)
        .await
        .unwrap()
        .is_none());
    app.stop().await;
}

type CatalogiRow = (uuid::Uuid, String, Value, String, i64, bool);

async fn catalogi_read_model(database_url: &str) -> Vec<CatalogiRow> {
    let pool = sqlx::PgPool::connect(database_url).await.unwrap();
    let rows = sqlx::query_as(
        "SELECT uuid, kind, resource, etag, version, concept FROM catalogus_objecten ORDER BY uuid",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    rows
}

#[tokio::test]
async fn a_rebuild_from_the_log_reproduces_the_catalogi_read_model_exactly() {
    let config = support::test_config().await;
    let app = TestApp::spawn_bare_with(
        config,
        &[zaakstroom::Role::Api, zaakstroom::Role::Projector],
    )
    .await;
    let catalogus = app.create_catalogus("REBLD").await;
    let published = app.complete_zaaktype(&catalogus, "ZT-1").await;
    assert_eq!(app.publish(&published).await.0, StatusCode::OK);
    let concept = app.complete_zaaktype(&catalogus, "ZT-2").await;
    let (_, zaaktype) = app.get_with_status(&concept).await;
    let statustype = zaaktype["statustypen"][1].as_str().unwrap();
    let deleted = app
        .request(Method::DELETE, statustype)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let config = app.config.clone();
    app.stop().await;
    let before = catalogi_read_model(&config.database_url).await;
    assert_eq!(before.len(), 1 + 2 * 5 - 1);
    zaakstroom::rebuild(&config).await.unwrap();
    assert_eq!(catalogi_read_model(&config.database_url).await, before);
}

#[tokio::test]
async fn a_client_that_reads_zaken_may_read_zaaktypen_but_not_statustypen() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("LEZEN").await;
    let zaaktype = app.complete_zaaktype(&catalogus, "ZT-L").await;
    app.grant_limited(json!([{"component": "zrc", "scopes": ["zaken.lezen"],
        "zaaktype": zaaktype, "maxVertrouwelijkheidaanduiding": "openbaar"}]))
        .await;
    let read = app.limited(Method::GET, &zaaktype).send().await.unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    let statustypen = format!("{API}/statustypen");
    let refused = app.limited(Method::GET, &statustypen).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    app.stop().await;
}

#[tokio::test]
async fn bad_input_to_any_collection_is_a_400_with_invalid_params_never_a_500() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("BAD").await;
    let zaaktype = app
        .create_in("zaaktypen", &zaaktype_body(&catalogus, "ZT-B"))
        .await;
    let bodies = [
        json!(null),
        json!([]),
        json!("tekst"),
        json!({}),
        json!({"zaaktype": zaaktype["url"], "catalogus": 7, "volgnummer": "een",
            "specificatie": [], "brondatumArchiefprocedure": "x", "referentieproces": {"naam": 1},
            "gerelateerdeZaaktypen": [1, {"aardRelatie": "x"}], "besluittypen": "geen lijst",
            "beginGeldigheid": "gisteren", "doorlooptijd": "P", "richting": null}),
    ];
    let collections = [
        "catalogussen",
        "zaaktypen",
        "informatieobjecttypen",
        "besluittypen",
        "statustypen",
        "roltypen",
        "resultaattypen",
        "eigenschappen",
        "zaakobjecttypen",
        "zaaktype-informatieobjecttypen",
    ];
    for collection in collections {
        for body in &bodies {
            let (status, problem) = app
                .send_json(Method::POST, &format!("{API}/{collection}"), body)
                .await;
            assert_eq!(
                status,
                StatusCode::BAD_REQUEST,
                "{collection} {body}: {problem}"
            );
            assert!(!invalid_params(&problem).is_empty(), "{collection} {body}");
        }
    }
    let patch = app
        .send_json(
            Method::PATCH,
            zaaktype["url"].as_str().unwrap(),
            &json!([1]),
        )
        .await;
    assert_eq!(patch.0, StatusCode::BAD_REQUEST);
    app.stop().await;
}
