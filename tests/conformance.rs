//! Conformance: what an existing ZGW client sends and expects, driven over HTTP as such a
//! client does (test data with RSIN 000000000, naive date-times, numbers for strings,
//! publish-then-extend catalogues, external references, limited clients), each scenario
//! asserting the status codes and error codes of the standard and its reference
//! implementation (Open Zaak, vng-api-common).
//!
//! The scenarios:
//! 1. a catalogue with the zero RSIN, a zaaktype identificatie sent as a number, published
//!    before it has any child type
//! 2. a zaak with naive date-times (read as UTC) and the zero RSIN
//! 3. every invalid field of a zaak reported at once, nested fields by their path
//! 4. external references: `bad-url` when they do not answer 200, `invalid-resource` when
//!    they answer with something else
//! 5. productenOfDiensten checked on PATCH as on create
//! 6. a second resultaat on a closed zaak is `unique`
//! 7. a document PUT without its lock names `lock`
//! 8. autorisaties: type fields only where the scopes concern that type; each missing
//!    field named; a limited client's grants count on its very next request
//! 9. lists longer than one page: `next` / `previous` in REST, `after` / `pageInfo` in
//!    GraphQL
//! 10. HEAD, Content-Crs missing or wrong (412 / 406), a non-JSON Content-Type (415), all
//!     as problem+json
//! 11. the notification of every actie of a zaak and its parts, with its kenmerken
//! 12. a deelzaak's zaaktype is among its hoofdzaak's deelzaaktypen; a hoofdzaak closes
//!     only after its deelzaken; a deelzaak of a closed hoofdzaak is not reopened
//! 13. a zaak has at most one initiator (`max-occurences`)
//! 14. a zaakobject names an object that answers, or its identificatie; objectTypeOverige
//!     only with objectType overige
//! 15. documents as Open Zaak reads them: base64 `inhoud` with line breaks, its padding
//!     errors by code; a verzending has exactly one address (`invalid-address`); a locked
//!     document with relations is refused deletion for its relations (`pending-relations`)
//! 16. besluiten as Open Zaak validates them: `zaak` and `vervalreden` not null; field
//!     problems (all of them) before the identificatie's uniqueness; a besluit URL that is
//!     not one is `no_match`
//! 20. zaaktype versions: no identificatie gets `ZAAKTYPE-{year}-{n}`; a concept version may
//!     overlap, publishing it may not (`overlap` on beginGeldigheid); versions that only
//!     touch do not overlap; beginObject / eindeObject derived from the versions
//! 21. a zaaktype's children as Open Zaak takes them: a zaakobjecttype without catalogus,
//!     with one statustype (shown in the statustype's zaakobjecttypen); roltypen unique per
//!     omschrijving; a resultaattype without brondatumArchiefprocedure only when kept for
//!     ever

mod support;

use std::time::Duration;

use futures::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::catalogi::{
    besluittype_body, codes, informatieobjecttype_body, invalid_params, zaaktype_body, API,
};
use support::remote::RemoteApis;
use support::TestApp;

/// (name, code) of every invalidParam, in the order given.
fn params(body: &Value) -> Vec<(String, String)> {
    invalid_params(body)
}

fn pair(name: &str, code: &str) -> (String, String) {
    (name.to_owned(), code.to_owned())
}

async fn post(app: &TestApp, path: &str, body: &Value) -> (StatusCode, Value) {
    app.send_json(Method::POST, path, body).await
}

/// A zaak body of the app's zaaktype with the zero RSIN test data uses.
fn zero_rsin_zaak(app: &TestApp) -> Value {
    let mut body = app.zaak_body();
    body["bronorganisatie"] = json!("000000000");
    body["verantwoordelijkeOrganisatie"] = json!("000000000");
    body
}

#[tokio::test]
async fn scenario_1_a_catalogue_with_the_zero_rsin_publishes_a_zaaktype_before_its_child_types() {
    let app = TestApp::spawn_bare().await;
    let (status, catalogus) = post(
        &app,
        &format!("{API}/catalogussen"),
        &json!({"domein": "ZERO", "rsin": "000000000", "contactpersoonBeheerNaam": "Beheer"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{catalogus}");
    assert_eq!(catalogus["rsin"], "000000000");
    let catalogus = catalogus["url"].as_str().unwrap().to_owned();

    for (rsin, code) in [
        ("12345678a", "only-digits"),
        ("12345678", "invalid-length"),
        ("123456789", "invalid"),
    ] {
        let body = json!({"domein": "BAD", "rsin": rsin, "contactpersoonBeheerNaam": "B"});
        let (status, refused) = post(&app, &format!("{API}/catalogussen"), &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{rsin}");
        assert_eq!(params(&refused), [pair("rsin", code)], "{rsin}");
    }

    let iot = app
        .create_in(
            "informatieobjecttypen",
            &informatieobjecttype_body(&catalogus),
        )
        .await;
    let besluittype = app
        .create_in("besluittypen", &besluittype_body(&catalogus))
        .await;
    let mut body = zaaktype_body(&catalogus, "unused");
    body["identificatie"] = json!(20);
    body["besluittypen"] = json!([besluittype["url"]]);
    let zaaktype = app.create_in("zaaktypen", &body).await;
    assert_eq!(
        zaaktype["identificatie"], "20",
        "a number is taken as its string"
    );
    let zaaktype = zaaktype["url"].as_str().unwrap().to_owned();

    let (status, refused) = app.publish(&zaaktype).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [pair("nonFieldErrors", "concept-relation")]
    );
    for url in [&iot["url"], &besluittype["url"]] {
        assert_eq!(app.publish(url.as_str().unwrap()).await.0, StatusCode::OK);
    }
    let (status, published) = app.publish(&zaaktype).await;
    assert_eq!(status, StatusCode::OK, "{published}");
    assert_eq!(published["concept"], false);
    assert_eq!(published["statustypen"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn scenario_2_a_zaak_takes_naive_date_times_as_utc_and_the_zero_rsin() {
    let app = TestApp::spawn().await;
    let mut body = zero_rsin_zaak(&app);
    body["laatsteBetaaldatum"] = json!("2026-11-03T13:37:00");
    body["betalingsindicatie"] = json!("geheel");
    body["startdatum"] = json!("2026-11-1");
    let (status, zaak) = post(&app, "/zaken/api/v1/zaken", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{zaak}");
    assert_eq!(zaak["bronorganisatie"], "000000000");
    assert_eq!(zaak["startdatum"], "2026-11-01");
    let paid = zaak["laatsteBetaaldatum"].as_str().unwrap();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(paid).unwrap(),
        chrono::DateTime::parse_from_rfc3339("2026-11-03T13:37:00Z").unwrap(),
        "output is RFC 3339 with an offset: {paid}"
    );
    let statustype = app.types.statustypen[0].clone();
    let status = json!({"zaak": zaak["url"], "statustype": statustype,
        "datumStatusGezet": "2026-11-03T14:00:00"});
    let (code, created) = post(&app, "/zaken/api/v1/statussen", &status).await;
    assert_eq!(code, StatusCode::CREATED, "{created}");
    app.stop().await;
}

#[tokio::test]
async fn scenario_3_every_invalid_field_of_a_zaak_is_reported_at_once_nested_ones_by_path() {
    let app = TestApp::spawn().await;
    let mut body = app.zaak_body();
    body["bronorganisatie"] = json!("123");
    body["opschorting"] = json!({"reden": "wachten"});
    body["verlenging"] = json!({"duur": "P5D"});
    body["kenmerken"] = json!([{"kenmerk": "k"}]);
    let (status, refused) = post(&app, "/zaken/api/v1/zaken", &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let mut got = params(&refused);
    got.sort();
    assert_eq!(
        got,
        [
            pair("bronorganisatie", "invalid-length"),
            pair("kenmerken.0.bron", "required"),
            pair("opschorting.indicatie", "required"),
            pair("verlenging.reden", "required"),
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn scenario_4_external_references_are_fetched_bad_url_or_invalid_resource() {
    let app = TestApp::spawn().await;
    let remote = RemoteApis::start().await;
    let refused = |field: &'static str, value: Value| {
        let mut body = app.zaak_body();
        body[field] = value;
        body
    };
    for (field, value, name, code) in [
        ("zaaktype", json!(remote.missing()), "zaaktype", "bad-url"),
        (
            "zaaktype",
            json!(remote.unrelated()),
            "zaaktype",
            "invalid-resource",
        ),
        (
            "zaaktype",
            json!(app.types.catalogus),
            "zaaktype",
            "invalid-resource",
        ),
        (
            "communicatiekanaal",
            json!(remote.missing()),
            "communicatiekanaal",
            "bad-url",
        ),
        (
            "communicatiekanaal",
            json!(remote.html()),
            "communicatiekanaal",
            "invalid-resource",
        ),
        (
            "relevanteAndereZaken",
            json!([{"url": remote.zaak(), "aardRelatie": "vervolg"},
                   {"url": remote.missing(), "aardRelatie": "vervolg"}]),
            "relevanteAndereZaken.1.url",
            "bad-url",
        ),
    ] {
        let (status, body) = post(&app, "/zaken/api/v1/zaken", &refused(field, value)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {body}");
        assert_eq!(params(&body), [pair(name, code)], "{field}");
    }
    let mut good = app.zaak_body();
    good["communicatiekanaal"] = json!(remote.communicatiekanaal());
    good["relevanteAndereZaken"] = json!([{"url": remote.zaak(), "aardRelatie": "onderwerp"}]);
    let (status, zaak) = post(&app, "/zaken/api/v1/zaken", &good).await;
    assert_eq!(status, StatusCode::CREATED, "{zaak}");

    for (path, field, url, code) in [
        (
            "/zaken/api/v1/zaakinformatieobjecten",
            "informatieobject",
            remote.missing(),
            "bad-url",
        ),
        (
            "/zaken/api/v1/zaakinformatieobjecten",
            "informatieobject",
            remote.html(),
            "invalid-resource",
        ),
        (
            "/zaken/api/v1/zaakcontactmomenten",
            "contactmoment",
            remote.unrelated(),
            "invalid-resource",
        ),
        (
            "/zaken/api/v1/zaakverzoeken",
            "verzoek",
            remote.missing(),
            "bad-url",
        ),
    ] {
        let body = json!({"zaak": zaak["url"], field: url});
        let (status, refused) = post(&app, path, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {refused}");
        assert_eq!(params(&refused), [pair(field, code)], "{path}");
    }
    let link = json!({"zaak": zaak["url"], "informatieobject": remote.document()});
    let (status, created) = post(&app, "/zaken/api/v1/zaakinformatieobjecten", &link).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    app.stop().await;
}

#[tokio::test]
async fn scenario_5_producten_of_diensten_is_checked_on_patch_as_on_create() {
    let app = TestApp::spawn().await;
    let zaak = app.new_zaak().await;
    let patch = json!({"productenOfDiensten": ["https://pdc.example.nl/api/v1/producten/99"]});
    let (status, refused) = app
        .send_json(Method::PATCH, &app.path_of(&zaak), &patch)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(
        params(&refused),
        [pair("productenOfDiensten", "invalid-products-services")]
    );
    app.stop().await;
}

#[tokio::test]
async fn scenario_6_a_second_resultaat_on_a_closed_zaak_is_unique_before_closed() {
    let app = TestApp::spawn().await;
    let zaak = app.new_zaak().await;
    let resultaat = json!({"zaak": zaak["url"], "resultaattype": app.types.resultaattype});
    assert_eq!(
        post(&app, "/zaken/api/v1/resultaten", &resultaat).await.0,
        StatusCode::CREATED
    );
    let eind = app.types.statustypen.last().unwrap().clone();
    let status = json!({"zaak": zaak["url"], "statustype": eind,
        "datumStatusGezet": chrono::Utc::now().to_rfc3339()});
    let (code, body) = post(&app, "/zaken/api/v1/statussen", &status).await;
    assert_eq!(code, StatusCode::CREATED, "{body}");
    let (code, refused) = post(&app, "/zaken/api/v1/resultaten", &resultaat).await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(codes(&refused), ["unique"]);
    app.stop().await;
}

#[tokio::test]
async fn scenario_7_a_document_put_without_its_lock_names_lock() {
    let app = TestApp::spawn().await;
    let (_, document) = app.new_document().await;
    let url = document["url"].as_str().unwrap();
    let mut put = document.clone();
    for read_only in [
        "url",
        "inhoud",
        "bestandsdelen",
        "locked",
        "versie",
        "beginRegistratie",
    ] {
        put.as_object_mut().unwrap().remove(read_only);
    }
    put.as_object_mut().unwrap().remove("lock");
    put["titel"] = json!("Anders");
    let (status, refused) = app.send_json(Method::PUT, url, &put).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(params(&refused), [pair("lock", "required")]);
    app.stop().await;
}

#[tokio::test]
async fn scenario_8_autorisaties_require_type_fields_only_for_their_resources_and_count_at_once() {
    let app = TestApp::spawn().await;
    let applicaties = "/autorisaties/api/v1/applicaties";
    let notificaties_only = json!({"clientIds": ["publisher"], "label": "Publisher",
        "autorisaties": [{"component": "zrc", "scopes": ["notificaties.publiceren"],
            "zaaktype": "", "maxVertrouwelijkheidaanduiding": ""}]});
    let (status, body) = post(&app, applicaties, &notificaties_only).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let incomplete = json!({"clientIds": ["lezer"], "label": "Lezer",
        "autorisaties": [{"component": "zrc", "scopes": ["zaken.lezen"]}]});
    let (status, refused) = post(&app, applicaties, &incomplete).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [
            pair("autorisaties.0.maxVertrouwelijkheidaanduiding", "required"),
            pair("autorisaties.0.zaaktype", "required"),
        ]
    );

    let zaak = app.new_zaak().await;
    let path = app.path_of(&zaak);
    let read = |max: &str| {
        json!([{"component": "zrc", "scopes": ["zaken.lezen"],
            "zaaktype": app.types.zaaktype, "maxVertrouwelijkheidaanduiding": max}])
    };
    app.grant_limited(read("openbaar")).await;
    assert_eq!(
        app.limited(Method::GET, &path)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let mut secret = zaak.clone();
    secret["vertrouwelijkheidaanduiding"] = json!("geheim");
    let patch = json!({"vertrouwelijkheidaanduiding": "geheim"});
    assert_eq!(
        app.send_json(Method::PATCH, &path, &patch).await.0,
        StatusCode::OK
    );
    let hidden = app.limited(Method::GET, &path).send().await.unwrap();
    assert_eq!(hidden.status(), 403, "a geheim zaak past an openbaar grant");
    app.grant_limited(read("geheim")).await;
    assert_eq!(
        app.limited(Method::GET, &path)
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "the new grant counts on the very next request"
    );
    app.stop().await;
}

#[tokio::test]
async fn scenario_9_lists_longer_than_a_page_link_next_and_previous() {
    let app = TestApp::spawn().await;
    for _ in 0..101 {
        app.new_zaak().await;
    }
    let first = app.get_json("/zaken/api/v1/zaken").await;
    assert_eq!(first["count"], 101);
    assert_eq!(first["results"].as_array().unwrap().len(), 100);
    assert_eq!(first["previous"], Value::Null);
    let next = first["next"].as_str().expect("a next page");
    let second = app.get_json(next).await;
    assert_eq!(second["results"].as_array().unwrap().len(), 1);
    assert_eq!(second["next"], Value::Null);
    assert!(second["previous"].is_string());

    let page = |after: &str| {
        format!("{{ zaken(first: 60{after}) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ url }} }} }} }}")
    };
    let one = app.graphql(&page("")).await;
    let zaken = &one["data"]["zaken"];
    assert_eq!(zaken["totalCount"], 101, "{one}");
    assert_eq!(zaken["pageInfo"]["hasNextPage"], true);
    let cursor = zaken["pageInfo"]["endCursor"].as_str().unwrap();
    let two = app.graphql(&page(&format!(", after: \"{cursor}\""))).await;
    let zaken = &two["data"]["zaken"];
    assert_eq!(zaken["edges"].as_array().unwrap().len(), 41, "{two}");
    assert_eq!(zaken["pageInfo"]["hasNextPage"], false);
    app.stop().await;
}

#[tokio::test]
async fn scenario_10_head_crs_headers_and_content_type_answer_as_the_standard() {
    let app = TestApp::spawn().await;
    let zaak = app.new_zaak().await;
    let path = app.path_of(&zaak);
    let head = app.request(Method::HEAD, &path).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert!(head.headers().contains_key("etag"));
    assert!(head.bytes().await.unwrap().is_empty());

    let token = app.token();
    let bare = |method: Method, path: &str| {
        app.http
            .request(method, app.url(path))
            .bearer_auth(&token)
            .header("Accept-Crs", "EPSG:4326")
    };
    let problem = |r: reqwest::Response| async move {
        let status = r.status();
        let kind = r.headers()["content-type"].to_str().unwrap().to_owned();
        assert_eq!(kind, "application/problem+json", "{status}");
        status
    };
    let body = app.zaak_body();
    let (status, empty) = post(&app, "/zaken/api/v1/zaken/_zoek", &json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(codes(&empty), ["empty_search_body"]);
    for (request, expected) in [
        (bare(Method::POST, "/zaken/api/v1/zaken").json(&body), 412),
        (
            bare(Method::POST, "/zaken/api/v1/zaken")
                .header("Content-Crs", "EPSG:28992")
                .json(&body),
            406,
        ),
        (
            bare(Method::POST, "/zaken/api/v1/zaken/_zoek").json(&json!({})),
            412,
        ),
        (
            bare(Method::POST, "/zaken/api/v1/zaken")
                .header("Content-Crs", "EPSG:4326")
                .header("Content-Type", "text/plain")
                .body("bronorganisatie=000000000"),
            415,
        ),
    ] {
        assert_eq!(problem(request.send().await.unwrap()).await, expected);
    }
    app.stop().await;
}

#[tokio::test]
async fn scenario_11_every_actie_of_a_zaak_and_its_parts_is_notified_with_its_kenmerken() {
    let app = TestApp::spawn().await;
    let nats = support::nats(&app.config).await;
    let tenant = app.config.tenant.clone();
    let mut zgw = nats
        .subscribe(format!("zgw.{tenant}.zaken.>"))
        .await
        .unwrap();
    nats.flush().await.unwrap();

    let zaak = app.new_zaak().await;
    let path = app.path_of(&zaak);
    let status = json!({"zaak": zaak["url"], "statustype": app.types.statustypen[0],
        "datumStatusGezet": chrono::Utc::now().to_rfc3339()});
    assert_eq!(
        post(&app, "/zaken/api/v1/statussen", &status).await.0,
        StatusCode::CREATED
    );
    let mut put = app.zaak_body();
    put["omschrijving"] = json!("Geheel bijgewerkt");
    assert_eq!(
        app.send_json(Method::PUT, &path, &put).await.0,
        StatusCode::OK
    );
    let patch = json!({"toelichting": "Deels bijgewerkt"});
    assert_eq!(
        app.send_json(Method::PATCH, &path, &patch).await.0,
        StatusCode::OK
    );
    let deleted = app.request(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);

    let expected = [
        ("zaak", "create"),
        ("status", "create"),
        ("zaak", "update"),
        ("zaak", "partial_update"),
        ("zaak", "destroy"),
    ];
    let kenmerken = json!({"bronorganisatie": "517439943", "zaaktype": app.types.zaaktype,
        "vertrouwelijkheidaanduiding": "openbaar"});
    for (resource, actie) in expected {
        let msg = tokio::time::timeout(Duration::from_secs(10), zgw.next())
            .await
            .unwrap_or_else(|_| panic!("no notification of {resource}.{actie}"))
            .unwrap();
        assert_eq!(
            msg.subject.as_str(),
            format!("zgw.{tenant}.zaken.{resource}.{actie}")
        );
        let body: Value = serde_json::from_slice(&msg.payload).unwrap();
        assert_eq!(body["kanaal"], "zaken");
        assert_eq!(body["hoofdObject"], zaak["url"], "{resource}.{actie}");
        assert_eq!(body["actie"], actie);
        assert_eq!(body["kenmerken"], kenmerken, "{resource}.{actie}");
    }
    app.stop().await;
}

/// Gives `zaak` a resultaat and its eindstatus.
async fn close(app: &TestApp, zaak: &Value) -> (StatusCode, Value) {
    let resultaat = json!({"zaak": zaak["url"], "resultaattype": app.types.resultaattype});
    post(app, "/zaken/api/v1/resultaten", &resultaat).await;
    let eind = app.types.statustypen.last().unwrap().clone();
    let status = json!({"zaak": zaak["url"], "statustype": eind,
        "datumStatusGezet": chrono::Utc::now().to_rfc3339()});
    post(app, "/zaken/api/v1/statussen", &status).await
}

#[tokio::test]
async fn scenario_12_a_hoofdzaak_closes_after_its_deelzaken_and_a_closed_hoofdzaak_keeps_them_closed(
) {
    let app = TestApp::spawn().await;
    let hoofdzaak = app.new_zaak().await;
    let mut body = app.zaak_body();
    body["hoofdzaak"] = hoofdzaak["url"].clone();
    let (status, deelzaak) = post(&app, "/zaken/api/v1/zaken", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{deelzaak}");
    let other = app.published_zaaktype("ANDERS-1").await;
    let mut wrong_type = support::zaak_body_for(&other.zaaktype);
    wrong_type["hoofdzaak"] = hoofdzaak["url"].clone();
    let (status, refused) = post(&app, "/zaken/api/v1/zaken", &wrong_type).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(
        params(&refused),
        [pair("hoofdzaak", "invalid-deelzaaktype")]
    );

    let (status, refused) = close(&app, &hoofdzaak).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(codes(&refused), ["deelzaken-not-closed"]);
    assert_eq!(close(&app, &deelzaak).await.0, StatusCode::CREATED);
    let (status, closed) = close(&app, &hoofdzaak).await;
    assert_eq!(status, StatusCode::CREATED, "{closed}");

    let reopen = json!({"zaak": deelzaak["url"], "statustype": app.types.statustypen[0],
        "datumStatusGezet": chrono::Utc::now().to_rfc3339()});
    let (status, refused) = post(&app, "/zaken/api/v1/statussen", &reopen).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(codes(&refused), ["hoofdzaak-closed"]);
    app.stop().await;
}

#[tokio::test]
async fn scenario_13_a_zaak_has_at_most_one_initiator() {
    let app = TestApp::spawn().await;
    let zaak = app.new_zaak().await;
    let rol = json!({"zaak": zaak["url"], "betrokkeneType": "natuurlijk_persoon",
        "roltype": app.types.roltype, "roltoelichting": "aanvrager",
        "betrokkeneIdentificatie": {"inpBsn": "111222333"}});
    let (status, first) = post(&app, "/zaken/api/v1/rollen", &rol).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["omschrijvingGeneriek"], "initiator");
    let (status, refused) = post(&app, "/zaken/api/v1/rollen", &rol).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(params(&refused), [pair("roltype", "max-occurences")]);
    app.stop().await;
}

#[tokio::test]
async fn scenario_14_a_zaakobject_names_an_answering_object_and_uses_overige_only_for_overige() {
    let app = TestApp::spawn().await;
    let remote = RemoteApis::start().await;
    let zaak = app.new_zaak().await;
    let zaakobject = |extra: Value| {
        let mut body = json!({"zaak": zaak["url"], "objectType": "pand"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    for (extra, name, code) in [
        (json!({}), "nonFieldErrors", "invalid-zaakobject"),
        (json!({"object": remote.missing()}), "object", "bad-url"),
        (
            json!({"object": remote.object(), "objectTypeOverige": "boom"}),
            "nonFieldErrors",
            "invalid-object-type-overige-usage",
        ),
        (
            json!({"object": remote.object(), "objectType": "overige"}),
            "nonFieldErrors",
            "missing-object-type-overige",
        ),
    ] {
        let (status, refused) = post(&app, "/zaken/api/v1/zaakobjecten", &zaakobject(extra)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
        assert_eq!(params(&refused), [pair(name, code)]);
    }
    let body = zaakobject(json!({"object": remote.object()}));
    let (status, created) = post(&app, "/zaken/api/v1/zaakobjecten", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    app.stop().await;
}

#[tokio::test]
async fn scenario_15_documents_as_open_zaak_reads_them_base64_verzendingen_and_deletion() {
    let app = TestApp::spawn().await;
    let remote = RemoteApis::start().await;
    let iot = app.published_informatieobjecttype().await;
    let documenten = support::documenten::API;

    // base64 as Python's lenient decoder reads it: line breaks (MIME style) are skipped.
    let mut body = support::documenten::document_body(&iot);
    body["inhoud"] = json!("aGVsbG8g\nd29ybGQ=\n");
    let (status, document) = post(
        &app,
        &format!("{documenten}/enkelvoudiginformatieobjecten"),
        &body,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{document}");
    assert_eq!(document["bestandsomvang"], 11);
    let url = document["url"].as_str().unwrap().to_owned();
    assert_eq!(
        app.download(document["inhoud"].as_str().unwrap()).await,
        b"hello world"
    );
    for (inhoud, code) in [
        ("aGVsbG8", "incorrect-base64-padding"),
        ("aGVsb", "invalid-base64"),
    ] {
        body["inhoud"] = json!(inhoud);
        let (status, refused) = post(
            &app,
            &format!("{documenten}/enkelvoudiginformatieobjecten"),
            &body,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
        assert_eq!(params(&refused), [pair("inhoud", code)]);
    }

    // A verzending reaches its betrokkene one way: none or two is `invalid-address`.
    let verzending = |extra: Value| {
        let mut body = json!({"informatieobject": url,
            "betrokkene": "https://klanten.example.nl/klanten/1", "aardRelatie": "geadresseerde",
            "contactPersoon": "https://medewerkers.example.nl/1"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let verzendingen = format!("{documenten}/verzendingen");
    for extra in [
        json!({}),
        json!({"emailadres": "post@example.nl", "mijnOverheid": true}),
    ] {
        let (status, refused) = post(&app, &verzendingen, &verzending(extra)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
        assert_eq!(
            params(&refused),
            [pair("nonFieldErrors", "invalid-address")]
        );
    }
    let (status, created) = post(
        &app,
        &verzendingen,
        &verzending(json!({"emailadres": "post@example.nl"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, refused) = app
        .send_json(
            Method::PATCH,
            created["url"].as_str().unwrap(),
            &json!({"mijnOverheid": true}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(
        params(&refused),
        [pair("nonFieldErrors", "invalid-address")]
    );

    // A locked document with a relation: the relation is named first, as Open Zaak does.
    let oio = json!({"informatieobject": url, "object": remote.zaak(), "objectType": "zaak"});
    let (status, linked) = post(
        &app,
        &format!("{documenten}/objectinformatieobjecten"),
        &oio,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{linked}");
    app.lock(&url).await;
    let (status, refused) = app.send_json(Method::DELETE, &url, &json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(codes(&refused), ["pending-relations"]);
    app.stop().await;
}

#[tokio::test]
async fn scenario_16_besluiten_as_open_zaak_validates_them() {
    let app = TestApp::spawn().await;
    let types = app.besluit_types("CONF").await;
    let besluiten = format!("{}/besluiten", support::besluiten::API);

    let mut nulls = support::besluiten::besluit_body(&types.besluittype, None);
    nulls["zaak"] = Value::Null;
    nulls["vervalreden"] = Value::Null;
    let (status, refused) = post(&app, &besluiten, &nulls).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(
        params(&refused),
        [pair("zaak", "null"), pair("vervalreden", "null")]
    );

    // Field problems come before the identificatie's uniqueness (an object-level rule).
    let mut body = support::besluiten::besluit_body(&types.besluittype, None);
    body["identificatie"] = json!("BESLUIT-CONFORM-1");
    let created = app.new_besluit(&body).await;
    body["datum"] = json!("2999-01-01");
    let (status, refused) = post(&app, &besluiten, &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(params(&refused), [pair("datum", "future_not_allowed")]);
    body["datum"] = json!("2026-11-20");
    let (status, refused) = post(&app, &besluiten, &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(
        params(&refused),
        [pair("identificatie", "identificatie-niet-uniek")]
    );

    // A PATCH of a besluit without zaak keeps it so; a null zaak is refused there too.
    let url = created["url"].as_str().unwrap();
    let (status, patched) = app
        .send_json(Method::PATCH, url, &json!({"toelichting": "Anders"}))
        .await;
    assert_eq!(
        (status, patched["zaak"].clone()),
        (StatusCode::OK, json!("")),
        "{patched}"
    );
    let (status, refused) = app
        .send_json(Method::PATCH, url, &json!({"zaak": null}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(params(&refused), [pair("zaak", "null")]);

    let bio = json!({"informatieobject": "https://documenten.example.nl/api/v1/enkelvoudiginformatieobjecten/1",
        "besluit": "https://elders.example.nl/iets/1"});
    let (status, refused) = post(
        &app,
        &format!("{}/besluitinformatieobjecten", support::besluiten::API),
        &bio,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(params(&refused), [pair("besluit", "no_match")]);
    app.stop().await;
}

#[tokio::test]
async fn scenario_20_zaaktype_versions_overlap_only_once_published() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("VERS").await;
    let mut body = zaaktype_body(&catalogus, "");
    body.as_object_mut().unwrap().remove("identificatie");
    body["versiedatum"] = json!("2026-02-01");
    body["eindeGeldigheid"] = json!("2026-06-30");
    let (status, first) = post(&app, &format!("{API}/zaaktypen"), &body).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let identificatie = first["identificatie"].as_str().unwrap().to_owned();
    assert_eq!(identificatie, "ZAAKTYPE-2026-0000000001");
    assert_eq!(app.publish(first["url"].as_str().unwrap()).await.0, 200);

    let mut overlapping = zaaktype_body(&catalogus, &identificatie);
    overlapping["beginGeldigheid"] = json!("2026-06-01");
    let (status, concept) = post(&app, &format!("{API}/zaaktypen"), &overlapping).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "a concept version may overlap: {concept}"
    );
    let (status, refused) = app.publish(concept["url"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(params(&refused), [pair("beginGeldigheid", "overlap")]);

    let (status, touching) = app
        .send_json(
            Method::PATCH,
            concept["url"].as_str().unwrap(),
            &json!({"beginGeldigheid": "2026-06-30"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{touching}");
    let (status, published) = app.publish(concept["url"].as_str().unwrap()).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "touching versions do not overlap: {published}"
    );
    assert_eq!(published["beginObject"], "2026-01-01");
    assert_eq!(published["eindeObject"], Value::Null);

    let (status, refused) = app
        .send_json(
            Method::PATCH,
            first["url"].as_str().unwrap(),
            &json!({"eindeGeldigheid": "2026-12-31"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(params(&refused), [pair("eindeGeldigheid", "overlap")]);
    app.stop().await;
}

#[tokio::test]
async fn scenario_21_zaaktype_children_as_open_zaak_takes_them() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("KIND").await;
    let zaaktype = app
        .create_in("zaaktypen", &zaaktype_body(&catalogus, "ZT-KIND"))
        .await;
    let zaaktype = zaaktype["url"].as_str().unwrap().to_owned();
    let statustype = app
        .create_in(
            "statustypen",
            &support::catalogi::statustype_body(&zaaktype, 1),
        )
        .await;
    let body = json!({"zaaktype": zaaktype, "anderObjecttype": false,
        "objecttype": "https://objecttypen.example.nl/api/v1/objecttypes/1",
        "relatieOmschrijving": "Voertuig", "statustype": statustype["url"]});
    let (status, zaakobjecttype) = post(&app, &format!("{API}/zaakobjecttypen"), &body).await;
    assert_eq!(status, StatusCode::CREATED, "{zaakobjecttype}");
    assert_eq!(zaakobjecttype["catalogus"], json!(catalogus));
    assert_eq!(zaakobjecttype["statustype"], statustype["url"]);
    assert_eq!(zaakobjecttype["resultaattypen"], json!([]));
    let statustype = app.get_json(statustype["url"].as_str().unwrap()).await;
    assert_eq!(
        statustype["zaakobjecttypen"],
        json!([zaakobjecttype["url"]])
    );

    let roltype = support::catalogi::roltype_body(&zaaktype);
    assert_eq!(
        post(&app, &format!("{API}/roltypen"), &roltype).await.0,
        201
    );
    let (status, refused) = post(&app, &format!("{API}/roltypen"), &roltype).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(params(&refused), [pair("nonFieldErrors", "unique")]);

    let mut resultaattype = support::catalogi::resultaattype_body(&zaaktype);
    resultaattype
        .as_object_mut()
        .unwrap()
        .remove("brondatumArchiefprocedure");
    let (status, refused) = post(&app, &format!("{API}/resultaattypen"), &resultaattype).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [pair("brondatumArchiefprocedure", "required")]
    );
    resultaattype["archiefnominatie"] = json!("blijvend_bewaren");
    let (status, created) = post(&app, &format!("{API}/resultaattypen"), &resultaattype).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    app.stop().await;
}
