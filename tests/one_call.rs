//! Open Zaak's one-call endpoints, driven as a client drives them: a zaak registered with
//! its status, rollen and zaakobjecten in one request (a refused rol stores nothing at all),
//! a zaak closed with its resultaat, suspended, extended, and its rollen replaced in one
//! request; zaaknummers reserved and taken by the first zaak of their bronorganisatie.

mod support;

use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::TestApp;

async fn post(app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
    app.send_json(Method::POST, path, &body).await
}

fn params(body: &Value) -> Vec<(String, String)> {
    support::catalogi::invalid_params(body)
}

fn rol(app: &TestApp, bsn: &str) -> Value {
    rol_of(&app.types.roltype, bsn)
}

fn rol_of(roltype: &str, bsn: &str) -> Value {
    json!({"betrokkeneType": "natuurlijk_persoon", "roltype": roltype,
        "roltoelichting": "aanvrager",
        "betrokkeneIdentificatie": {"inpBsn": bsn, "geslachtsnaam": "Jansen"}})
}

/// A roltype `behandelaar` of the app's zaaktype (its own roltype is the initiator, of
/// which a zaak has one): the app's zaaktype made anew with it, as the app's types.
async fn with_behandelaar(app: &mut TestApp) -> String {
    let catalogus = app.create_catalogus("BEHAN").await;
    let zaaktype = app.complete_zaaktype(&catalogus, "BEHANDELD").await;
    let behandelaar = app
        .create_in(
            "roltypen",
            &json!({"zaaktype": zaaktype, "omschrijving": "Behandelaar",
            "omschrijvingGeneriek": "behandelaar"}),
        )
        .await;
    let (status, published) = app.publish(&zaaktype).await;
    assert_eq!(status, StatusCode::OK, "{published}");
    let url = |v: &Value| v.as_str().unwrap().to_owned();
    let roltype = published["roltypen"]
        .as_array()
        .unwrap()
        .iter()
        .map(url)
        .find(|r| *r != url(&behandelaar["url"]))
        .unwrap();
    app.types = support::catalogi::Types {
        catalogus,
        statustypen: published["statustypen"]
            .as_array()
            .unwrap()
            .iter()
            .map(url)
            .collect(),
        roltype,
        resultaattype: url(&published["resultaattypen"][0]),
        eigenschap: String::new(),
        zaaktype,
    };
    url(&behandelaar["url"])
}

fn status(app: &TestApp, n: usize, minutes_ago: i64) -> Value {
    json!({"statustype": app.types.statustypen[n],
        "datumStatusGezet": (Utc::now() - Duration::minutes(minutes_ago)).to_rfc3339()})
}

fn registration(app: &TestApp, identificatie: &str, rollen: Vec<Value>) -> Value {
    let mut zaak = app.zaak_body();
    zaak["identificatie"] = json!(identificatie);
    json!({"zaak": zaak, "rollen": rollen, "status": status(app, 0, 30),
        "zaakobjecten": [{"objectType": "overige", "objectTypeOverige": "boom",
            "objectIdentificatie": {"overigeData": {"soort": "eik"}}, "relatieomschrijving": "Locatie"}]})
}

/// How many events the app's store holds.
async fn events(app: &TestApp) -> i64 {
    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    sqlx::query_scalar("SELECT count(*) FROM es_events")
        .fetch_one(&pool)
        .await
        .unwrap()
}

async fn zaken_with(app: &TestApp, identificatie: &str) -> i64 {
    let list = app
        .get_json(&format!(
            "/zaken/api/v1/zaken?identificatie={identificatie}"
        ))
        .await;
    list["count"].as_i64().unwrap()
}

#[tokio::test]
async fn zaak_registreren_stores_the_zaak_its_status_rollen_and_zaakobjecten_as_one() {
    let mut app = TestApp::spawn().await;
    let behandelaar = with_behandelaar(&mut app).await;
    let body = registration(
        &app,
        "REG-1",
        vec![rol(&app, "111222333"), rol_of(&behandelaar, "999888777")],
    );
    let (s, done) = post(&app, "/zaken/api/v1/zaak_registreren", body).await;
    assert_eq!(s, StatusCode::CREATED, "{done}");
    for key in [
        "zaak",
        "rollen",
        "zaakinformatieobjecten",
        "zaakobjecten",
        "status",
    ] {
        assert!(done.get(key).is_some(), "{key} in {done}");
    }
    let zaak = &done["zaak"];
    assert_eq!(zaak["identificatie"], "REG-1");
    assert_eq!(done["rollen"].as_array().unwrap().len(), 2);
    assert_eq!(done["zaakinformatieobjecten"], json!([]));
    // Every part is the resource a GET returns, of the new zaak, and the zaak shows them.
    for part in done["rollen"]
        .as_array()
        .unwrap()
        .iter()
        .chain([&done["status"], &done["zaakobjecten"][0]])
    {
        assert_eq!(part["zaak"], zaak["url"]);
        assert_eq!(&app.get_json(part["url"].as_str().unwrap()).await, part);
    }
    let stored = app.get_json(zaak["url"].as_str().unwrap()).await;
    assert_eq!(&stored, zaak, "the answer's zaak is the zaak as it is read");
    assert_eq!(stored["status"], done["status"]["url"]);
    assert_eq!(stored["rollen"].as_array().unwrap().len(), 2);
    assert_eq!(stored["zaakobjecten"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn zaak_registreren_with_a_refused_rol_stores_nothing_at_all() {
    let app = TestApp::spawn().await;
    let other = app.published_zaaktype("ANDER-TYPE").await;
    let mut wrong = rol(&app, "999888777");
    wrong["roltype"] = json!(other.roltype);
    let before = events(&app).await;
    let body = registration(&app, "REG-2", vec![rol(&app, "111222333"), wrong]);
    let (s, refused) = post(&app, "/zaken/api/v1/zaak_registreren", body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(
        params(&refused),
        [(
            "rollen.1.nonFieldErrors".to_owned(),
            "zaaktype-mismatch".to_owned()
        )]
    );
    assert_eq!(
        events(&app).await,
        before,
        "no event at all: not the zaak, not its claim"
    );
    assert_eq!(zaken_with(&app, "REG-2").await, 0);
    // The identificatie was not claimed: the same registration without the bad rol passes.
    let body = registration(&app, "REG-2", vec![rol(&app, "111222333")]);
    let (s, done) = post(&app, "/zaken/api/v1/zaak_registreren", body).await;
    assert_eq!(s, StatusCode::CREATED, "{done}");
    assert_eq!(zaken_with(&app, "REG-2").await, 1);
}

#[tokio::test]
async fn zaak_registreren_names_each_refusal_under_its_part() {
    let app = TestApp::spawn().await;
    let (s, refused) = post(
        &app,
        "/zaken/api/v1/zaak_registreren",
        json!({"zaak": app.zaak_body()}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [
            ("rollen".to_owned(), "required".to_owned()),
            ("status".to_owned(), "required".to_owned())
        ]
    );
    let mut body = registration(&app, "REG-3", vec![]);
    body["zaak"]
        .as_object_mut()
        .unwrap()
        .remove("bronorganisatie");
    let (_, refused) = post(&app, "/zaken/api/v1/zaak_registreren", body).await;
    assert_eq!(
        params(&refused),
        [("zaak.bronorganisatie".to_owned(), "required".to_owned())]
    );
    // An eindstatus cannot be set on a zaak without resultaat, as in Open Zaak.
    let mut body = registration(&app, "REG-3", vec![]);
    body["status"] = status(&app, 1, 30);
    let (_, refused) = post(&app, "/zaken/api/v1/zaak_registreren", body).await;
    assert_eq!(
        params(&refused),
        [(
            "status.nonFieldErrors".to_owned(),
            "resultaat-does-not-exist".to_owned()
        )]
    );
    let mut body = registration(&app, "REG-3", vec![]);
    body["zaakobjecten"][0]
        .as_object_mut()
        .unwrap()
        .remove("objectTypeOverige");
    let (_, refused) = post(&app, "/zaken/api/v1/zaak_registreren", body).await;
    assert_eq!(
        params(&refused),
        [(
            "zaakobjecten.0.nonFieldErrors".to_owned(),
            "missing-object-type-overige".to_owned()
        )]
    );
    assert_eq!(zaken_with(&app, "REG-3").await, 0);
}

#[tokio::test]
async fn zaak_registreren_needs_aanmaken_and_bijwerken() {
    let app = TestApp::spawn().await;
    let grant = |scopes: &[&str]| {
        json!([{"component": "zrc", "scopes": scopes, "zaaktype": app.types.zaaktype,
            "maxVertrouwelijkheidaanduiding": "zeer_geheim"}])
    };
    app.grant_limited(grant(&["zaken.aanmaken"])).await;
    let body = registration(&app, "REG-4", vec![rol(&app, "111222333")]);
    let response = app
        .limited(Method::POST, "/zaken/api/v1/zaak_registreren")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    app.grant_limited(grant(&["zaken.aanmaken", "zaken.geforceerd-bijwerken"]))
        .await;
    let response = app
        .limited(Method::POST, "/zaken/api/v1/zaak_registreren")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn zaak_afsluiten_closes_with_the_resultaat_and_the_eindstatus_or_changes_nothing() {
    let app = TestApp::spawn().await;
    let zaak = app.new_zaak().await;
    let path = format!(
        "/zaken/api/v1/zaak_afsluiten/{}",
        zaak["uuid"].as_str().unwrap()
    );
    let resultaat = json!({"resultaattype": app.types.resultaattype, "toelichting": "verleend"});
    let before = events(&app).await;
    let (s, refused) = post(
        &app,
        &path,
        json!({"zaak": {}, "resultaat": resultaat, "status": status(&app, 0, 20)}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(
        params(&refused),
        [(
            "status.nonFieldErrors".to_owned(),
            "eindstatus-required".to_owned()
        )]
    );
    assert_eq!(
        events(&app).await,
        before,
        "neither the resultaat nor the zaak's change"
    );

    let body = json!({"zaak": {"toelichting": "klaar"}, "resultaat": resultaat, "status": status(&app, 1, 10)});
    let (s, done) = post(&app, &path, body).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    let einddatum = (Utc::now() - Duration::minutes(10)).date_naive();
    assert_eq!(done["zaak"]["einddatum"], json!(einddatum));
    assert_eq!(done["zaak"]["toelichting"], "klaar");
    assert_eq!(done["zaak"]["resultaat"], done["resultaat"]["url"]);
    assert_eq!(done["zaak"]["status"], done["status"]["url"]);
    assert_eq!(done["zaak"]["archiefnominatie"], "vernietigen");
}

#[tokio::test]
async fn zaak_opschorten_and_verlengen_write_only_their_field_with_a_status() {
    let app = TestApp::spawn().await;
    let zaak = app.new_zaak().await;
    let uuid = zaak["uuid"].as_str().unwrap();
    let (s, refused) = post(
        &app,
        &format!("/zaken/api/v1/zaak_opschorten/{uuid}"),
        json!({"zaak": {}, "status": {"statustype": app.types.statustypen[0]}}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [
            ("zaak.opschorting".to_owned(), "required".to_owned()),
            ("status.datumStatusGezet".to_owned(), "required".to_owned())
        ],
        "the zaak's and the status's refusals together"
    );
    let body = json!({"zaak": {"opschorting": {"indicatie": true, "reden": "wachten"}, "omschrijving": "genegeerd"},
        "status": status(&app, 0, 20)});
    let (s, done) = post(&app, &format!("/zaken/api/v1/zaak_opschorten/{uuid}"), body).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(
        done["zaak"]["opschorting"],
        json!({"indicatie": true, "reden": "wachten", "eerdereOpschorting": true})
    );
    assert_eq!(
        done["zaak"]["omschrijving"], zaak["omschrijving"],
        "read-only here"
    );

    let body = json!({"zaak": {"verlenging": {"reden": "drukte", "duur": "P5D"}}, "status": status(&app, 0, 10)});
    let (s, done) = post(&app, &format!("/zaken/api/v1/zaak_verlengen/{uuid}"), body).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(
        done["zaak"]["verlenging"],
        json!({"reden": "drukte", "duur": "P5D"})
    );
    let body = json!({"zaak": {"verlenging": {"reden": "drukte", "duur": "P5D"}}, "status": status(&app, 1, 5)});
    let (_, refused) = post(&app, &format!("/zaken/api/v1/zaak_verlengen/{uuid}"), body).await;
    assert_eq!(
        params(&refused),
        [(
            "status.nonFieldErrors".to_owned(),
            "eindstatus-not-allowed".to_owned()
        )]
    );
}

#[tokio::test]
async fn zaak_bijwerken_makes_the_rollen_exactly_those_named() {
    let mut app = TestApp::spawn().await;
    let behandelaar = with_behandelaar(&mut app).await;
    let body = registration(
        &app,
        "BIJ-1",
        vec![rol(&app, "111222333"), rol_of(&behandelaar, "999888777")],
    );
    let (_, registered) = post(&app, "/zaken/api/v1/zaak_registreren", body).await;
    let zaak = &registered["zaak"];
    let path = format!(
        "/zaken/api/v1/zaak_bijwerken/{}",
        zaak["uuid"].as_str().unwrap()
    );
    let kept = &registered["rollen"][0];
    let mut keep = rol(&app, "111222333");
    keep["uuid"] = kept["uuid"].clone();
    keep["roltoelichting"] = json!("behandelaar");
    let mut unknown = rol_of(&behandelaar, "123456782");
    unknown["uuid"] = json!("1b2b6a2e-7a36-4a4c-9d4e-8b7b1f6c2d11");
    let (s, refused) = post(
        &app,
        &path,
        json!({"status": status(&app, 0, 20),
        "rollen": [keep.clone(), keep.clone(), unknown]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [
            ("rollen.1.uuid".to_owned(), "duplicate".to_owned()),
            ("rollen.2.uuid".to_owned(), "does-not-exist".to_owned())
        ]
    );
    let body = json!({"zaak": {"omschrijving": "bijgewerkt"}, "status": status(&app, 0, 10),
        "rollen": [keep, rol_of(&behandelaar, "123456782")]});
    let (s, done) = post(&app, &path, body).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["zaak"]["omschrijving"], "bijgewerkt");
    let rollen = done["rollen"].as_array().unwrap();
    assert_eq!(rollen.len(), 2);
    assert_eq!(rollen[0]["url"], kept["url"]);
    assert_eq!(rollen[0]["roltoelichting"], "behandelaar");
    let mut now: Vec<&Value> = done["zaak"]["rollen"].as_array().unwrap().iter().collect();
    now.sort_by_key(|u| u.as_str());
    let mut expected: Vec<&Value> = rollen.iter().map(|r| &r["url"]).collect();
    expected.sort_by_key(|u| u.as_str());
    assert_eq!(now, expected, "the unnamed rol is gone");
    let gone = app
        .get(registered["rollen"][1]["url"].as_str().unwrap())
        .await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reserved_zaaknummer_goes_to_the_first_zaak_of_its_bronorganisatie() {
    let app = TestApp::spawn().await;
    let (s, one) = post(
        &app,
        "/zaken/api/v1/zaaknummer_reserveren",
        json!({"bronorganisatie": "517439943"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{one}");
    let nummer = one["zaaknummer"].as_str().unwrap().to_owned();
    let year = Utc::now().format("%Y").to_string();
    assert!(
        nummer.starts_with(&format!("ZAAK-{year}-")) && nummer.len() == 20,
        "{nummer}"
    );
    let (s, three) = post(
        &app,
        "/zaken/api/v1/reserveer_zaaknummer",
        json!({"bronorganisatie": "517439943", "aantal": 3}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(three.as_array().unwrap().len(), 3);
    let (s, refused) = post(
        &app,
        "/zaken/api/v1/zaaknummer_reserveren",
        json!({"bronorganisatie": "517439943", "aantal": 0}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [("aantal".to_owned(), "min_value".to_owned())]
    );

    let mut body = app.zaak_body();
    body["identificatie"] = json!(nummer);
    assert_eq!(app.create_zaak(&body).await.status(), StatusCode::CREATED);
    let second = app.create_zaak(&body).await;
    assert_eq!(second.status(), StatusCode::BAD_REQUEST);
    let second: Value = second.json().await.unwrap();
    assert_eq!(
        params(&second),
        [(
            "identificatie".to_owned(),
            "identificatie-niet-uniek".to_owned()
        )]
    );
    body["bronorganisatie"] = json!("000000000");
    assert_eq!(
        app.create_zaak(&body).await.status(),
        StatusCode::CREATED,
        "another bronorganisatie's identificatie"
    );
}

#[tokio::test]
async fn graphql_registers_a_zaak_through_the_same_use_case() {
    let app = TestApp::spawn().await;
    let query = "mutation($input: JSON!) { registerZaak(input: $input) { url identificatie } }";
    let run = |input: Value| {
        let app = &app;
        async move {
            app.request(Method::POST, "/graphql")
                .json(&json!({"query": query, "variables": {"input": input}}))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let done = run(registration(&app, "GQL-1", vec![rol(&app, "111222333")])).await;
    assert_eq!(
        done["data"]["registerZaak"]["identificatie"], "GQL-1",
        "{done}"
    );
    let url = done["data"]["registerZaak"]["url"].as_str().unwrap();
    assert_eq!(
        app.get_json(url).await["rollen"].as_array().unwrap().len(),
        1
    );

    let mut wrong = rol(&app, "111222333");
    wrong["roltype"] = json!(app.types.resultaattype);
    let refused = run(registration(&app, "GQL-2", vec![wrong])).await;
    let error = &refused["errors"][0]["extensions"];
    assert_eq!(error["status"], 400, "{refused}");
    assert_eq!(error["invalidParams"][0]["name"], "rollen.0.roltype");
    assert_eq!(zaken_with(&app, "GQL-2").await, 0);
}

#[tokio::test]
async fn zaak_registreren_notifies_each_resource_as_its_own_endpoint_would() {
    use futures::StreamExt;
    let app = TestApp::spawn().await;
    let nats = support::nats(&app.config).await;
    let tenant = app.config.tenant.clone();
    let mut zgw = nats
        .subscribe(format!("zgw.{tenant}.zaken.>"))
        .await
        .unwrap();
    nats.flush().await.unwrap();
    let body = registration(&app, "NOTIF-1", vec![rol(&app, "111222333")]);
    let (s, done) = post(&app, "/zaken/api/v1/zaak_registreren", body).await;
    assert_eq!(s, StatusCode::CREATED, "{done}");
    let expected = [
        ("zaak", done["zaak"]["url"].clone()),
        ("status", done["status"]["url"].clone()),
        ("rol", done["rollen"][0]["url"].clone()),
        ("zaakobject", done["zaakobjecten"][0]["url"].clone()),
    ];
    for (resource, url) in expected {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(10), zgw.next())
            .await
            .unwrap_or_else(|_| panic!("no notification of the {resource}"))
            .unwrap();
        assert_eq!(
            msg.subject.as_str(),
            format!("zgw.{tenant}.zaken.{resource}.create")
        );
        let body: Value = serde_json::from_slice(&msg.payload).unwrap();
        assert_eq!(body["resourceUrl"], url, "{resource}");
        assert_eq!(body["hoofdObject"], done["zaak"]["url"]);
    }
}
