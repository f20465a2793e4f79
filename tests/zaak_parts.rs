//! What a zaak owns (rollen, resultaat, zaakobjecten, zaakeigenschappen, links to documents
//! and contacts) end to end: each an event in the zaak's stream, readable from the
//! `zaak_parts` read model on the very next request, under the same grants as the zaak.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::TestApp;

async fn post(app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
    let r = app
        .request(Method::POST, path)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn zaak(app: &TestApp) -> Value {
    app.new_zaak().await
}

fn rol(app: &TestApp, zaak: &Value, bsn: &str) -> Value {
    json!({
        "zaak": zaak["url"],
        "betrokkeneType": "natuurlijk_persoon",
        "roltype": app.types.roltype,
        "roltoelichting": "aanvrager",
        "betrokkeneIdentificatie": {"inpBsn": bsn, "geslachtsnaam": "Jansen"}
    })
}

#[tokio::test]
async fn a_rol_is_readable_listed_by_bsn_and_finds_its_zaak_on_the_very_next_request() {
    let app = TestApp::spawn().await;
    let (z1, z2) = (zaak(&app).await, zaak(&app).await);
    let (status, created) = post(&app, "/zaken/api/v1/rollen", rol(&app, &z1, "111222333")).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    post(&app, "/zaken/api/v1/rollen", rol(&app, &z2, "999888777")).await;
    assert_eq!(created["zaak"], z1["url"]);
    assert!(created["registratiedatum"].is_string());
    assert_eq!(created["statussen"], json!([]));

    let got: Value = app.get_json(created["url"].as_str().unwrap()).await;
    assert_eq!(got, created);
    let by_bsn: Value = app
        .get_json(
            "/zaken/api/v1/rollen?betrokkeneIdentificatie__natuurlijkPersoon__inpBsn=111222333",
        )
        .await;
    assert_eq!(by_bsn["count"], 1);
    assert_eq!(by_bsn["results"][0], created);
    let zaken: Value = app
        .get_json(
            "/zaken/api/v1/zaken?rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn=111222333",
        )
        .await;
    assert_eq!(zaken["count"], 1);
    assert_eq!(zaken["results"][0]["url"], z1["url"]);
    assert_eq!(zaken["results"][0]["rollen"], json!([created["url"]]));

    let deleted = app
        .request(Method::DELETE, created["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(created["url"].as_str().unwrap()).await.status(),
        StatusCode::NOT_FOUND
    );
    let zaak: Value = app.get_json(z1["url"].as_str().unwrap()).await;
    assert_eq!(zaak["rollen"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn a_zaak_has_one_resultaat_and_links_a_document_once() {
    let app = TestApp::spawn().await;
    let z = zaak(&app).await;
    let resultaat = json!({"zaak": z["url"], "resultaattype": app.types.resultaattype});
    let (first, _) = post(&app, "/zaken/api/v1/resultaten", resultaat.clone()).await;
    assert_eq!(first, StatusCode::CREATED);
    let (second, err) = post(&app, "/zaken/api/v1/resultaten", resultaat).await;
    assert_eq!(second, StatusCode::BAD_REQUEST);
    assert_eq!(err["invalidParams"][0]["code"], "unique", "{err}");

    let remote = support::remote::RemoteApis::start().await;
    let link = json!({"zaak": z["url"], "informatieobject": remote.document()});
    let (status, zio) = post(&app, "/zaken/api/v1/zaakinformatieobjecten", link.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{zio}");
    assert_eq!(zio["aardRelatieWeergave"], "Hoort bij, omgekeerd: kent");
    let (again, err) = post(&app, "/zaken/api/v1/zaakinformatieobjecten", link).await;
    assert_eq!(again, StatusCode::BAD_REQUEST);
    assert_eq!(err["invalidParams"][0]["code"], "unique", "{err}");

    let moved = app
        .request(Method::PATCH, zio["url"].as_str().unwrap())
        .json(&json!({"informatieobject": remote.document()}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), StatusCode::BAD_REQUEST);
    let err: Value = moved.json().await.unwrap();
    assert_eq!(err["invalidParams"][0]["code"], "wijzigen-niet-toegelaten");
    let retitled = app
        .request(Method::PATCH, zio["url"].as_str().unwrap())
        .json(&json!({"titel": "Aanvraag"}))
        .send()
        .await
        .unwrap();
    assert_eq!(retitled.status(), StatusCode::OK);
    let retitled: Value = retitled.json().await.unwrap();
    assert_eq!(retitled["titel"], "Aanvraag");
    assert_eq!(retitled["registratiedatum"], zio["registratiedatum"]);

    let list: Value = app
        .get_json(&format!(
            "/zaken/api/v1/zaakinformatieobjecten?zaak={}",
            z["url"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        list,
        json!([retitled]),
        "an unpaginated list, as the spec has it"
    );
    app.stop().await;
}

#[tokio::test]
async fn zaakeigenschappen_live_under_their_zaak_only() {
    let app = TestApp::spawn().await;
    let (z1, z2) = (zaak(&app).await, zaak(&app).await);
    let path = format!("{}/zaakeigenschappen", z1["url"].as_str().unwrap());
    let body =
        json!({"zaak": z1["url"], "eigenschap": app.types.eigenschap, "waarde": "2030-01-01"});
    let (status, created) = post(&app, &path, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let list: Value = app.get_json(&path).await;
    assert_eq!(list, json!([created]));
    let uuid = created["uuid"].as_str().unwrap();
    let elsewhere = format!("{}/zaakeigenschappen/{uuid}", z2["url"].as_str().unwrap());
    assert_eq!(app.get(&elsewhere).await.status(), StatusCode::NOT_FOUND);
    let zaak: Value = app.get_json(z1["url"].as_str().unwrap()).await;
    assert_eq!(zaak["eigenschappen"], json!([created["url"]]));
    app.stop().await;
}

#[tokio::test]
async fn parts_of_zaken_outside_the_grants_do_not_leak_through_lists_or_details() {
    let app = TestApp::spawn().await;
    let z = zaak(&app).await;
    let (_, created) = post(&app, "/zaken/api/v1/rollen", rol(&app, &z, "111222333")).await;
    app.grant_limited(json!([{
        "component": "zrc", "scopes": ["zaken.lezen"],
        "zaaktype": "https://catalogi.example.nl/catalogi/api/v1/zaaktypen/other",
        "maxVertrouwelijkheidaanduiding": "zeer_geheim"
    }]))
    .await;
    let list: Value = app.limited_json("/zaken/api/v1/rollen").await;
    assert_eq!(list["count"], 0, "{list}");
    let detail = app
        .limited(Method::GET, created["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(detail.status(), StatusCode::FORBIDDEN);

    app.grant_limited(json!([{
        "component": "zrc", "scopes": ["zaken.lezen"], "zaaktype": app.types.zaaktype,
        "maxVertrouwelijkheidaanduiding": "openbaar"
    }]))
    .await;
    let list: Value = app.limited_json("/zaken/api/v1/rollen").await;
    assert_eq!(
        list["count"], 1,
        "the grant counts on the very next request"
    );
    let write = app
        .limited(Method::POST, "/zaken/api/v1/rollen")
        .json(&rol(&app, &z, "1"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        write.status(),
        StatusCode::FORBIDDEN,
        "reading is not writing"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_deleted_zaak_takes_its_parts_along_and_frees_its_identificatie() {
    let app = TestApp::spawn().await;
    let mut body = app.zaak_body();
    body["identificatie"] = json!("ZAAK-HERGEBRUIK");
    let z: Value = app.create_zaak(&body).await.json().await.unwrap();
    let (_, created) = post(&app, "/zaken/api/v1/rollen", rol(&app, &z, "111222333")).await;
    let deleted = app
        .request(Method::DELETE, z["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(z["url"].as_str().unwrap()).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(created["url"].as_str().unwrap()).await.status(),
        StatusCode::NOT_FOUND
    );
    let again = app.create_zaak(&body).await;
    assert_eq!(
        again.status(),
        StatusCode::CREATED,
        "{:?}",
        again.text().await
    );
    app.stop().await;
}

#[tokio::test]
async fn a_part_for_a_zaak_that_is_not_ours_or_not_there_names_the_zaak_field() {
    let app = TestApp::spawn().await;
    let foreign = json!({"url": "https://elders.nl/zaken/api/v1/zaken/1"});
    let (status, err) = post(&app, "/zaken/api/v1/rollen", rol(&app, &foreign, "1")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["invalidParams"][0]["name"], "zaak");
    let missing =
        json!({"url": format!("{}/zaken/api/v1/zaken/{}", app.base, uuid::Uuid::new_v4())});
    let (status, err) = post(&app, "/zaken/api/v1/rollen", rol(&app, &missing, "1")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["invalidParams"][0]["code"], "does_not_exist");
    let unknown = app.get("/zaken/api/v1/rollen?kleur=rood").await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    app.stop().await;
}

#[tokio::test]
async fn graphql_gives_a_zaak_with_its_rollen_and_resultaat_in_one_query() {
    let app = TestApp::spawn().await;
    let (z1, z2) = (zaak(&app).await, zaak(&app).await);
    let (_, r1) = post(&app, "/zaken/api/v1/rollen", rol(&app, &z1, "111222333")).await;
    post(&app, "/zaken/api/v1/rollen", rol(&app, &z2, "999888777")).await;
    let resultaat = json!({"zaak": z1["url"], "resultaattype": app.types.resultaattype});
    post(&app, "/zaken/api/v1/resultaten", resultaat).await;
    let query = "{ zaken { edges { node { url zaaktypeObject { url identificatie } rollen { url roltype resource } resultaat { resultaattype } statussen { url } } } } }";
    let got = app.graphql(query).await;
    let edges = got["data"]["zaken"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{got}"));
    assert_eq!(edges.len(), 2);
    let first = &edges[0]["node"];
    assert_eq!(first["url"], z1["url"]);
    assert_eq!(first["rollen"][0]["url"], r1["url"]);
    assert_eq!(
        first["rollen"][0]["resource"], r1,
        "the same resource as REST"
    );
    assert_eq!(first["resultaat"]["resultaattype"], app.types.resultaattype);
    assert_eq!(first["statussen"], json!([]));
    assert_eq!(first["zaaktypeObject"]["url"], app.types.zaaktype);
    assert_eq!(first["zaaktypeObject"]["identificatie"], "ZAAK-E2E");
    assert_eq!(edges[1]["node"]["resultaat"], Value::Null);
    assert_eq!(edges[1]["node"]["rollen"].as_array().map(Vec::len), Some(1));

    // A client without grants on the zaaktype sees neither the zaken nor their parts.
    app.grant_limited(json!([{"component": "zrc", "scopes": ["zaken.lezen"],
        "zaaktype": "https://ztc.example.nl/zaaktypen/ander", "maxVertrouwelijkheidaanduiding": "zeer_geheim"}]))
        .await;
    let limited = app
        .graphql_as(support::LIMITED_ID, support::LIMITED_SECRET, query)
        .await;
    assert_eq!(limited["data"]["zaken"]["edges"], json!([]), "{limited}");
    app.stop().await;
}

#[tokio::test]
async fn an_object_type_overige_definitie_needs_its_url_schema_and_object_data_and_keeps_only_them()
{
    let app = TestApp::spawn().await;
    let zaak = zaak(&app).await;
    let remote = support::remote::RemoteApis::start().await;
    let object = remote.object();
    let body = |definitie: Value| {
        json!({"zaak": zaak["url"], "object": object,
            "objectType": "overige", "objectTypeOverige": "boom",
            "objectTypeOverigeDefinitie": definitie, "relatieomschrijving": "Locatie"})
    };
    let (status, err) = post(
        &app,
        "/zaken/api/v1/zaakobjecten",
        body(json!({"": [], "schema": ".jsonSchema", "url": "https://objecttypen.example.nl/1"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(
        err["invalidParams"][0]["name"],
        "objectTypeOverigeDefinitie.objectData"
    );
    assert_eq!(err["invalidParams"][0]["code"], "required");
    let definitie = json!({"url": "https://objecttypen.example.nl/1", "schema": ".jsonSchema",
        "objectData": ".record.data"});
    let mut extra = definitie.clone();
    extra["+0.0"] = json!({});
    let (status, created) = post(&app, "/zaken/api/v1/zaakobjecten", body(extra)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["objectTypeOverigeDefinitie"], definitie);
    app.stop().await;
}
