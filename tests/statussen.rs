//! Statussen and the catalogue: a status's statustype must be of the zaak's zaaktype, the
//! eindstatus closes the zaak (with a resultaat) and derives its archive fields, a later
//! status reopens it (with zaken.heropenen); types of parts come from the same catalogue.

mod support;

use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::TestApp;

async fn post(app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
    app.send_json(Method::POST, path, &body).await
}

fn status(app: &TestApp, zaak: &Value, n: usize, minutes_ago: i64) -> Value {
    json!({"zaak": zaak["url"], "statustype": app.types.statustypen[n],
        "datumStatusGezet": (Utc::now() - Duration::minutes(minutes_ago)).to_rfc3339()})
}

fn code(body: &Value) -> &str {
    body["invalidParams"][0]["code"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test]
async fn the_eindstatus_closes_the_zaak_with_a_resultaat_and_derives_its_archive_fields() {
    let app = TestApp::spawn().await;
    let zaak: Value = app.new_zaak().await;
    let (s, first) = post(&app, "/zaken/api/v1/statussen", status(&app, &zaak, 0, 30)).await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    assert_eq!(first["indicatieLaatstGezetteStatus"], true);

    let (s, refused) = post(&app, "/zaken/api/v1/statussen", status(&app, &zaak, 1, 20)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(code(&refused), "resultaat-does-not-exist");

    let resultaat = json!({"zaak": zaak["url"], "resultaattype": app.types.resultaattype});
    assert_eq!(
        post(&app, "/zaken/api/v1/resultaten", resultaat).await.0,
        StatusCode::CREATED
    );
    let (s, eind) = post(&app, "/zaken/api/v1/statussen", status(&app, &zaak, 1, 10)).await;
    assert_eq!(s, StatusCode::CREATED, "{eind}");
    let closed = app.get_json(zaak["url"].as_str().unwrap()).await;
    let einddatum = (Utc::now() - Duration::minutes(10)).date_naive();
    assert_eq!(closed["einddatum"], json!(einddatum));
    assert_eq!(closed["status"], eind["url"]);
    assert_eq!(closed["archiefnominatie"], "vernietigen");
    let termijn = einddatum
        .checked_add_months(chrono::Months::new(120))
        .unwrap();
    assert_eq!(
        closed["archiefactiedatum"],
        json!(termijn),
        "afgehandeld + P10Y"
    );

    let statussen = app
        .get_json(&format!(
            "/zaken/api/v1/statussen?zaak={}",
            zaak["url"].as_str().unwrap()
        ))
        .await;
    assert_eq!(statussen["count"], 2);
    let laatste = app
        .get_json("/zaken/api/v1/statussen?indicatieLaatstGezetteStatus=true")
        .await;
    assert_eq!(laatste["count"], 1);
    assert_eq!(laatste["results"][0]["url"], eind["url"]);
    let spec = support::spec::load("zaken-1.5.1.yaml");
    support::spec::assert_valid(&spec, "PaginatedStatusList", &statussen);
    app.stop().await;
}

#[tokio::test]
async fn a_closed_zaak_reopens_only_for_a_client_with_zaken_heropenen() {
    let app = TestApp::spawn().await;
    let zaak: Value = app.new_zaak().await;
    let resultaat = json!({"zaak": zaak["url"], "resultaattype": app.types.resultaattype});
    post(&app, "/zaken/api/v1/resultaten", resultaat).await;
    let (s, _) = post(&app, "/zaken/api/v1/statussen", status(&app, &zaak, 1, 30)).await;
    assert_eq!(s, StatusCode::CREATED);

    let grant = |scopes: Value| {
        json!([{"component": "zrc", "scopes": scopes, "zaaktype": app.types.zaaktype,
            "maxVertrouwelijkheidaanduiding": "zeer_geheim"}])
    };
    app.grant_limited(grant(json!(["zaken.lezen", "zaken.statussen.toevoegen"])))
        .await;
    let reopen = status(&app, &zaak, 0, 20);
    let refused = app
        .limited(Method::POST, "/zaken/api/v1/statussen")
        .json(&reopen)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    app.grant_limited(grant(json!(["zaken.lezen", "zaken.heropenen"])))
        .await;
    let reopened = app
        .limited(Method::POST, "/zaken/api/v1/statussen")
        .json(&reopen)
        .send()
        .await
        .unwrap();
    assert_eq!(reopened.status(), StatusCode::CREATED);
    let open = app.get_json(zaak["url"].as_str().unwrap()).await;
    assert_eq!(open["einddatum"], Value::Null);
    assert_eq!(open["archiefnominatie"], Value::Null);
    assert_eq!(open["archiefactiedatum"], Value::Null);
    app.stop().await;
}

#[tokio::test]
async fn types_of_another_zaaktype_and_bad_statussen_are_refused_with_the_standards_codes() {
    let app = TestApp::spawn().await;
    let zaak: Value = app.new_zaak().await;
    let other = app.published_zaaktype("ANDER-ZT").await;
    let mut wrong = status(&app, &zaak, 0, 5);
    wrong["statustype"] = json!(other.statustypen[0]);
    let (s, body) = post(&app, "/zaken/api/v1/statussen", wrong).await;
    assert_eq!(
        (s, code(&body)),
        (StatusCode::BAD_REQUEST, "zaaktype-mismatch")
    );
    let rol = json!({"zaak": zaak["url"], "betrokkeneType": "medewerker", "roltype": other.roltype,
        "roltoelichting": "behandelaar"});
    let (s, body) = post(&app, "/zaken/api/v1/rollen", rol).await;
    assert_eq!(
        (s, code(&body)),
        (StatusCode::BAD_REQUEST, "zaaktype-mismatch")
    );

    let future = status(&app, &zaak, 0, -60);
    let (s, body) = post(&app, "/zaken/api/v1/statussen", future).await;
    assert_eq!(
        (s, code(&body)),
        (StatusCode::BAD_REQUEST, "date-in-future")
    );
    let mut unknown = status(&app, &zaak, 0, 5);
    unknown["statustype"] = json!(format!(
        "{}/catalogi/api/v1/statustypen/{}",
        app.base,
        uuid::Uuid::new_v4()
    ));
    let (s, body) = post(&app, "/zaken/api/v1/statussen", unknown).await;
    assert_eq!((s, code(&body)), (StatusCode::BAD_REQUEST, "bad-url"));
    let once = status(&app, &zaak, 0, 5);
    assert_eq!(
        post(&app, "/zaken/api/v1/statussen", once.clone()).await.0,
        StatusCode::CREATED
    );
    let (s, body) = post(&app, "/zaken/api/v1/statussen", once).await;
    assert_eq!((s, code(&body)), (StatusCode::BAD_REQUEST, "unique"));
    app.stop().await;
}

#[tokio::test]
async fn a_zaak_needs_a_published_zaaktype_and_takes_its_vertrouwelijkheidaanduiding() {
    let app = TestApp::spawn().await;
    let concept = app
        .complete_zaaktype(&app.types.catalogus, "CONCEPT-ZT")
        .await;
    let mut body = app.zaak_body();
    body["zaaktype"] = json!(concept);
    let (s, err) = post(&app, "/zaken/api/v1/zaken", body).await;
    assert_eq!((s, code(&err)), (StatusCode::BAD_REQUEST, "not-published"));
    let mut body = app.zaak_body();
    body["zaaktype"] = json!(format!(
        "{}/catalogi/api/v1/zaaktypen/{}",
        app.base,
        uuid::Uuid::new_v4()
    ));
    let (s, err) = post(&app, "/zaken/api/v1/zaken", body).await;
    assert_eq!((s, code(&err)), (StatusCode::BAD_REQUEST, "bad-url"));
    let mut body = app.zaak_body();
    body["productenOfDiensten"] = json!(["https://pdc.example.nl/api/v1/producten/99"]);
    let (s, err) = post(&app, "/zaken/api/v1/zaken", body).await;
    assert_eq!(
        (s, code(&err)),
        (StatusCode::BAD_REQUEST, "invalid-products-services")
    );

    let mut body = app.zaak_body();
    body.as_object_mut()
        .unwrap()
        .remove("vertrouwelijkheidaanduiding");
    let (s, zaak) = post(&app, "/zaken/api/v1/zaken", body).await;
    assert_eq!(s, StatusCode::CREATED, "{zaak}");
    assert_eq!(
        zaak["vertrouwelijkheidaanduiding"], "openbaar",
        "the zaaktype's"
    );

    let rol = json!({"zaak": zaak["url"], "betrokkeneType": "medewerker", "roltype": app.types.roltype,
        "roltoelichting": "behandelaar"});
    let (s, rol) = post(&app, "/zaken/api/v1/rollen", rol).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(rol["omschrijving"], "Aanvrager", "from the roltype");
    assert_eq!(rol["omschrijvingGeneriek"], "initiator");
    app.stop().await;
}

#[tokio::test]
async fn expand_embeds_linked_resources_but_never_past_the_callers_grants() {
    let app = TestApp::spawn().await;
    // A hoofdzaak of another zaaktype (of the same catalogus, with the app's zaaktype among
    // its deelzaaktypen), which the limited client below may not read.
    let mut other = support::catalogi::zaaktype_body(&app.types.catalogus, "ANDER-ZT");
    other["deelzaaktypen"] = json!([app.types.zaaktype]);
    let other = app.complete_zaaktype_from(&other).await;
    assert_eq!(app.publish(&other).await.0, StatusCode::OK);
    let mut hoofd = app.zaak_body();
    hoofd["zaaktype"] = json!(other);
    let hoofdzaak: Value = app.create_zaak(&hoofd).await.json().await.unwrap();
    let mut deel = app.zaak_body();
    deel["hoofdzaak"] = hoofdzaak["url"].clone();
    let zaak: Value = app.create_zaak(&deel).await.json().await.unwrap();
    let (_, st) = post(&app, "/zaken/api/v1/statussen", status(&app, &zaak, 0, 5)).await;
    let rol = json!({"zaak": zaak["url"], "betrokkeneType": "medewerker", "roltype": app.types.roltype,
        "roltoelichting": "behandelaar"});
    let (_, rol) = post(&app, "/zaken/api/v1/rollen", rol).await;

    let url = zaak["url"].as_str().unwrap();
    let got = app
        .get_json(&format!(
            "{url}?expand=zaaktype,status.statustype,rollen,hoofdzaak"
        ))
        .await;
    let e = &got["_expand"];
    assert_eq!(e["zaaktype"]["url"], app.types.zaaktype, "{got:#}");
    assert_eq!(e["status"]["url"], st["url"]);
    assert_eq!(
        e["status"]["_expand"]["statustype"]["url"],
        app.types.statustypen[0]
    );
    assert_eq!(e["rollen"], json!([rol]));
    assert_eq!(e["hoofdzaak"]["url"], hoofdzaak["url"]);
    let bad = app.get(&format!("{url}?expand=geheimen")).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // A client that may read the deelzaak but not the hoofdzaak gets no hoofdzaak embedded,
    // through the detail, the list and _zoek alike.
    app.grant_limited(json!([{"component": "zrc", "scopes": ["zaken.lezen"],
        "zaaktype": app.types.zaaktype, "maxVertrouwelijkheidaanduiding": "zeer_geheim"}]))
        .await;
    let detail = app
        .limited_json(&format!("{url}?expand=hoofdzaak,rollen"))
        .await;
    assert_eq!(detail["_expand"]["hoofdzaak"], Value::Null, "{detail:#}");
    assert_eq!(detail["_expand"]["rollen"], json!([rol]));
    let list = app
        .limited_json("/zaken/api/v1/zaken?expand=hoofdzaak")
        .await;
    assert_eq!(list["count"], 1);
    assert_eq!(list["results"][0]["_expand"]["hoofdzaak"], Value::Null);
    let zoek: Value = app
        .limited(Method::POST, "/zaken/api/v1/zaken/_zoek")
        .json(&json!({"expand": "hoofdzaak.rollen", "uuid__in": [zaak["uuid"]]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        zoek["results"][0]["_expand"]["hoofdzaak"],
        Value::Null,
        "{zoek:#}"
    );
    app.stop().await;
}

/// A Documenten API double: enkelvoudiginformatieobjecten the test sets the state of.
async fn documenten() -> (String, std::sync::Arc<std::sync::Mutex<Value>>) {
    use axum::routing::get;
    let state = std::sync::Arc::new(std::sync::Mutex::new(json!({})));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/documenten/api/v1/enkelvoudiginformatieobjecten/1",
        listener.local_addr().unwrap()
    );
    let shared = state.clone();
    let app = axum::Router::new().route(
        "/documenten/api/v1/enkelvoudiginformatieobjecten/1",
        get(move || {
            let doc = shared.lock().unwrap().clone();
            async move { axum::Json(doc) }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, state)
}

#[tokio::test]
async fn a_zaak_closes_only_when_its_documents_have_indicatie_gebruiksrecht_and_archives_only_archived_ones(
) {
    let app = TestApp::spawn().await;
    let (document, state) = documenten().await;
    *state.lock().unwrap() = json!({"url": document, "indicatieGebruiksrecht": null, "locked": false, "status": "definitief",
        "bronorganisatie": "000000000", "titel": "Elders", "informatieobjecttype": "http://elders.nl/iot/1"});
    let zaak: Value = app.new_zaak().await;
    let link = json!({"zaak": zaak["url"], "informatieobject": document});
    assert_eq!(
        post(&app, "/zaken/api/v1/zaakinformatieobjecten", link)
            .await
            .0,
        StatusCode::CREATED
    );
    let resultaat = json!({"zaak": zaak["url"], "resultaattype": app.types.resultaattype});
    post(&app, "/zaken/api/v1/resultaten", resultaat).await;

    let (s, body) = post(&app, "/zaken/api/v1/statussen", status(&app, &zaak, 1, 10)).await;
    assert_eq!(
        (s, code(&body)),
        (StatusCode::BAD_REQUEST, "indicatiegebruiksrecht-unset")
    );
    state.lock().unwrap()["indicatieGebruiksrecht"] = json!(false);
    let (s, body) = post(&app, "/zaken/api/v1/statussen", status(&app, &zaak, 1, 10)).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");

    let archive = json!({"archiefstatus": "gearchiveerd", "archiefnominatie": "vernietigen", "archiefactiedatum": "2036-01-01"});
    let (s, body) = app
        .send_json(Method::PATCH, zaak["url"].as_str().unwrap(), &archive)
        .await;
    assert_eq!(
        (s, code(&body)),
        (StatusCode::BAD_REQUEST, "documents-not-archived")
    );
    state.lock().unwrap()["status"] = json!("gearchiveerd");
    let (s, body) = app
        .send_json(Method::PATCH, zaak["url"].as_str().unwrap(), &archive)
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["archiefstatus"], "gearchiveerd");
    app.stop().await;
}
