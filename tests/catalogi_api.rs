//! The Catalogi API end to end: a real server on port 0, the real PostgreSQL and NATS.

mod support;

use futures::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::catalogi::{
    besluittype_body, informatieobjecttype_body, invalid_params, statustype_body, zaaktype_body,
    API,
};
use support::TestApp;

fn codes(body: &Value) -> Vec<String> {
    invalid_params(body).into_iter().map(|(_, c)| c).collect()
}

#[tokio::test]
async fn a_published_zaaktype_is_readable_and_refuses_changes_without_the_forcing_scope() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let catalogus = app.create_catalogus("PARK").await;
    let zaaktype = app.complete_zaaktype(&catalogus, "ZT-PARK").await;

    let (status, concept) = app.get_json(&zaaktype).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(concept["concept"], true);
    assert_eq!(concept["statustypen"].as_array().unwrap().len(), 2);
    assert_eq!(concept["roltypen"].as_array().unwrap().len(), 1);
    assert_eq!(concept["resultaattypen"].as_array().unwrap().len(), 1);
    let (_, eind) = app
        .get_json(concept["statustypen"][1].as_str().unwrap())
        .await;
    assert_eq!(
        (eind["volgnummer"].clone(), eind["isEindstatus"].clone()),
        (json!(2), json!(true))
    );
    assert_eq!(eind["zaaktypeIdentificatie"], "ZT-PARK");
    let (_, catalogus_body) = app.get_json(&catalogus).await;
    assert_eq!(catalogus_body["zaaktypen"], json!([zaaktype]));

    let (status, published) = app.publish(&zaaktype).await;
    assert_eq!(status, StatusCode::OK, "{published:#}");
    assert_eq!(published["concept"], false);
    assert_eq!(app.get_json(&zaaktype).await.1, published);

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
    let Some(app) = TestApp::spawn().await else {
        return;
    };
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
        async move { app.get_json(&format!("{API}/zaaktypen{q}")).await.1 }
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
    let statustypen = app
        .get_json(&format!(
            "{API}/statustypen?status=concept&zaaktype={concept}"
        ))
        .await
        .1;
    assert_eq!(statustypen["count"], 2);
    let (status, body) = app.get_json(&format!("{API}/zaaktypen?kleur=rood")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(codes(&body), ["unknown-parameters"]);
    let (status, _) = app.get_json(&format!("{API}/zaaktypen?status=oud")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    app.stop().await;
}

#[tokio::test]
async fn a_relation_to_another_catalogus_is_refused() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
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
    let Some(app) = TestApp::spawn().await else {
        return;
    };
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

#[tokio::test]
async fn publishing_needs_published_besluittypen_and_enough_children() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let catalogus = app.create_catalogus("PUB").await;
    let besluittype = app
        .create_in("besluittypen", &besluittype_body(&catalogus))
        .await;
    let mut body = zaaktype_body(&catalogus, "ZT-P");
    body["besluittypen"] = json!([besluittype["url"]]);
    let zaaktype = app.create_in("zaaktypen", &body).await;
    let url = zaaktype["url"].as_str().unwrap();
    let (status, refused) = app.publish(url).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let fields: Vec<String> = invalid_params(&refused)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        fields,
        [
            "nonFieldErrors",
            "roltypen",
            "resultaattypen",
            "statustypen"
        ]
    );
    assert!(codes(&refused).iter().all(|c| c == "concept-relation"));

    let (status, besluittype) = app.publish(besluittype["url"].as_str().unwrap()).await;
    assert_eq!(
        (status, besluittype["concept"].clone()),
        (StatusCode::OK, json!(false))
    );
    let (_, besluittype) = app.get_json(besluittype["url"].as_str().unwrap()).await;
    assert_eq!(besluittype["zaaktypen"], json!([url]));
    app.stop().await;
}

#[tokio::test]
async fn zaaktype_versions_with_one_identificatie_may_not_overlap() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let catalogus = app.create_catalogus("VER").await;
    let mut first = zaaktype_body(&catalogus, "ZT-V");
    first["eindeGeldigheid"] = json!("2026-06-30");
    app.create_in("zaaktypen", &first).await;
    let mut overlapping = zaaktype_body(&catalogus, "ZT-V");
    overlapping["beginGeldigheid"] = json!("2026-06-01");
    let (status, body) = app
        .send_json(Method::POST, &format!("{API}/zaaktypen"), &overlapping)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        invalid_params(&body),
        [("beginGeldigheid".into(), "overlap".into())]
    );
    let mut next = zaaktype_body(&catalogus, "ZT-V");
    next["beginGeldigheid"] = json!("2026-07-01");
    app.create_in("zaaktypen", &next).await;
    let geldig = app
        .get_json(&format!(
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
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let mut body = support::catalogi::catalogus_body("RSIN");
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
            &support::catalogi::catalogus_body("DUBBL"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(codes(&refused), ["unique"]);
    app.stop().await;
}

#[tokio::test]
async fn a_detail_has_an_etag_and_answers_304_when_it_did_not_change() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
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

#[tokio::test]
async fn a_created_zaaktype_is_announced_on_the_zaaktypen_kanaal() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let nats = support::nats(&app.config).await.unwrap();
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
    let msg = tokio::time::timeout(std::time::Duration::from_secs(10), zgw.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        msg.subject.as_str(),
        format!("zgw.{tenant}.zaaktypen.zaaktype.create")
    );
    let body: Value = serde_json::from_slice(&msg.payload).unwrap();
    assert_eq!(body["hoofdObject"], zaaktype["url"]);
    assert_eq!(body["resource"], "zaaktype");
    assert_eq!(body["kenmerken"], json!({"catalogus": catalogus}));
    app.stop().await;
}

#[tokio::test]
async fn the_facts_of_a_zaaktype_give_its_statustypen_and_their_eindstatus() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
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
    let elsewhere = zaaktype.replace("127.0.0.1", "example.org");
    assert!(query_api::catalogi::facts::zaaktype(&pool, &elsewhere)
        .await
        .unwrap()
        .is_none());
    app.stop().await;
}
