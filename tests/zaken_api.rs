//! The Zaken API end to end: a real server on port 0, the real PostgreSQL and NATS.

mod support;

use futures::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::TestApp;

#[tokio::test]
async fn a_created_zaak_is_returned_by_get_list_and_graphql_on_the_very_next_request() {
    let app = TestApp::spawn().await;
    let created = app.create_zaak(&app.zaak_body()).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(created.headers()["api-version"], "1.5.1");
    assert_eq!(created.headers()["content-crs"], "EPSG:4326");
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let zaak: Value = created.json().await.unwrap();
    assert_eq!(zaak["url"], location);
    assert!(zaak["identificatie"].as_str().unwrap().starts_with("ZAAK-"));
    assert_eq!(
        zaak["registratiedatum"],
        chrono::Utc::now().date_naive().to_string()
    );

    let got = app.get(&location).await;
    assert_eq!(got.status(), StatusCode::OK);
    assert!(got.headers().contains_key("etag"));
    assert_eq!(got.json::<Value>().await.unwrap(), zaak);

    let list: Value = app.get("/zaken/api/v1/zaken").await.json().await.unwrap();
    assert_eq!(list["count"], 1);
    assert_eq!(list["results"][0], zaak);
    assert_eq!(list["next"], Value::Null);

    let uuid = zaak["uuid"].as_str().unwrap();
    let gql = app
        .graphql(&format!("{{ zaak(uuid: \"{uuid}\") {{ url identificatie zaaktype }} zaken {{ totalCount edges {{ node {{ uuid }} }} }} }}"))
        .await;
    assert_eq!(gql["data"]["zaak"]["url"], location, "{gql}");
    assert_eq!(gql["data"]["zaak"]["identificatie"], zaak["identificatie"]);
    assert_eq!(gql["data"]["zaken"]["totalCount"], 1);
    assert_eq!(gql["data"]["zaken"]["edges"][0]["node"]["uuid"], uuid);
    app.stop().await;
}

#[tokio::test]
async fn a_created_zaak_is_announced_once_on_nats_with_the_event_id_as_message_id() {
    let app = TestApp::spawn().await;
    let nats = support::nats(&app.config).await;
    let tenant = app.config.tenant.clone();
    let mut zgw = nats
        .subscribe(format!("zgw.{tenant}.zaken.>"))
        .await
        .unwrap();
    let mut envelopes = nats
        .subscribe(format!("events.{tenant}.zaak.>"))
        .await
        .unwrap();
    nats.flush().await.unwrap();

    let zaak: Value = app.new_zaak().await;
    let msg = tokio::time::timeout(std::time::Duration::from_secs(10), zgw.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        msg.subject.as_str(),
        format!("zgw.{tenant}.zaken.zaak.create")
    );
    let body: Value = serde_json::from_slice(&msg.payload).unwrap();
    assert_eq!(body["kanaal"], "zaken");
    assert_eq!(body["hoofdObject"], zaak["url"]);
    assert_eq!(body["resource"], "zaak");
    assert_eq!(body["resourceUrl"], zaak["url"]);
    assert_eq!(body["actie"], "create");
    assert_eq!(
        body["kenmerken"],
        json!({"bronorganisatie": "517439943", "zaaktype": app.types.zaaktype, "vertrouwelijkheidaanduiding": "openbaar"})
    );
    let headers = msg.headers.clone().unwrap();
    assert_eq!(
        headers.get("bronorganisatie").unwrap().as_str(),
        "517439943"
    );
    let msg_id = headers.get("Nats-Msg-Id").unwrap().as_str().to_owned();

    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    let event_id: uuid::Uuid =
        sqlx::query_scalar("SELECT event_id FROM es_events WHERE stream = $1 AND revision = 0")
            .bind(format!("zaak-{}", zaak["uuid"].as_str().unwrap()))
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(msg_id, event_id.to_string());

    let envelope = tokio::time::timeout(std::time::Duration::from_secs(10), envelopes.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        envelope.subject.as_str(),
        format!("events.{tenant}.zaak.ZaakCreated")
    );
    let envelope: Value = serde_json::from_slice(&envelope.payload).unwrap();
    assert_eq!(envelope["event_id"], event_id.to_string());
    assert_eq!(envelope["actor"]["client_id"], support::CLIENT_ID);

    let again = tokio::time::timeout(std::time::Duration::from_millis(500), zgw.next()).await;
    assert!(again.is_err(), "exactly one notification");
    app.stop().await;
}

#[tokio::test]
async fn a_patch_changes_only_what_it_names_and_the_next_get_shows_it() {
    let app = TestApp::spawn().await;
    let zaak: Value = app.new_zaak().await;
    let url = zaak["url"].as_str().unwrap();
    let etag = app.get(url).await.headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    let not_modified = app
        .request(Method::GET, url.strip_prefix(&app.base).unwrap())
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);

    let patched = app
        .request(Method::PATCH, url.strip_prefix(&app.base).unwrap())
        .json(&json!({"omschrijving": "Gewijzigd", "einddatumGepland": "2026-12-31"}))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), StatusCode::OK);
    let patched: Value = patched.json().await.unwrap();
    assert_eq!(patched["omschrijving"], "Gewijzigd");
    assert_eq!(patched["einddatumGepland"], "2026-12-31");
    assert_eq!(patched["startdatum"], zaak["startdatum"]);
    let got = app.get(url).await;
    assert_ne!(got.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(got.json::<Value>().await.unwrap(), patched);
    app.stop().await;
}

#[tokio::test]
async fn an_identificatie_is_unique_per_bronorganisatie() {
    let app = TestApp::spawn().await;
    let mut body = app.zaak_body();
    body["identificatie"] = json!("ZAAK-UNIEK-1");
    assert_eq!(app.create_zaak(&body).await.status(), StatusCode::CREATED);
    let again = app.create_zaak(&body).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let problem: Value = again.json().await.unwrap();
    assert_eq!(problem["invalidParams"][0]["name"], "identificatie");
    assert_eq!(
        problem["invalidParams"][0]["code"],
        "identificatie-niet-uniek"
    );
    body["bronorganisatie"] = json!("002220647");
    assert_eq!(app.create_zaak(&body).await.status(), StatusCode::CREATED);
    app.stop().await;
}

#[tokio::test]
async fn invalid_input_gets_problem_json_naming_every_field() {
    let app = TestApp::spawn().await;
    let response = app
        .create_zaak(&json!({"bronorganisatie": "123456789", "zaaktype": "geen url"}))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "invalid");
    assert_eq!(problem["status"], 400);
    let mut params: Vec<(String, String)> = problem["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().into(),
                p["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    params.sort();
    assert_eq!(
        params,
        vec![
            ("bronorganisatie".into(), "invalid".into()),
            ("startdatum".into(), "required".into()),
            ("verantwoordelijkeOrganisatie".into(), "required".into()),
            ("zaaktype".into(), "invalid".into()),
        ]
    );
    let not_json = app
        .request(Method::POST, "/zaken/api/v1/zaken")
        .header("Content-Type", "application/json")
        .body("{niet json")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
    let count: Value = app.get("/zaken/api/v1/zaken").await.json().await.unwrap();
    assert_eq!(count["count"], 0, "nothing was stored");
    app.stop().await;
}

#[tokio::test]
async fn every_authentication_failure_is_a_403_with_the_standards_code() {
    let app = TestApp::spawn().await;
    let list = app.url("/zaken/api/v1/zaken");
    let code = |r: reqwest::Response| async move {
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        r.json::<Value>().await.unwrap()["code"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let now = chrono::Utc::now().timestamp();
    let none = app
        .http
        .get(&list)
        .header("Accept-Crs", "EPSG:4326")
        .send()
        .await
        .unwrap();
    assert_eq!(code(none).await, "not_authenticated");
    for (token, expected) in [
        (
            support::token(support::CLIENT_ID, "wrong-secret", now),
            "invalid-jwt-signature",
        ),
        (
            support::token("unknown-client", support::SECRET, now),
            "invalid-client-identifier",
        ),
        (
            support::token(support::CLIENT_ID, support::SECRET, now - 3_700),
            "jwt-expired",
        ),
    ] {
        let r = app
            .http
            .get(&list)
            .bearer_auth(token)
            .header("Accept-Crs", "EPSG:4326")
            .send()
            .await
            .unwrap();
        assert_eq!(code(r).await, expected);
    }
    let gql = app
        .http
        .post(app.url("/graphql"))
        .json(&json!({"query": "{ zaken { totalCount } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(code(gql).await, "not_authenticated");
    app.stop().await;
}

#[tokio::test]
async fn lists_filter_page_and_refuse_unknown_parameters() {
    let app = TestApp::spawn().await;
    let mut other = app.zaak_body();
    other["zaaktype"] = json!(app.published_zaaktype("ANDER-ZT").await.zaaktype);
    for _ in 0..3 {
        app.create_zaak(&app.zaak_body()).await;
    }
    app.create_zaak(&other).await;
    let filtered: Value = app
        .get(&format!(
            "/zaken/api/v1/zaken?zaaktype={}",
            app.types.zaaktype
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["count"], 3);
    let none: Value = app
        .get("/zaken/api/v1/zaken?startdatum__gt=2026-11-01")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none["count"], 0);
    let unknown = app.get("/zaken/api/v1/zaken?kleur=rood").await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    // Past the last page, and any page that is no page: 404 as Open Zaak (DRF) answers.
    let beyond = app.get("/zaken/api/v1/zaken?page=2").await;
    assert_eq!(
        beyond.status(),
        StatusCode::NOT_FOUND,
        "a page past the last"
    );
    let beyond: Value = beyond.json().await.unwrap();
    assert_eq!(
        (beyond["code"].as_str(), beyond["detail"].as_str()),
        (Some("not_found"), Some("Ongeldige pagina."))
    );
    for page in ["0", "-1", "een", "2305843009213693952"] {
        let bad = app.get(&format!("/zaken/api/v1/zaken?page={page}")).await;
        assert_eq!(bad.status(), StatusCode::NOT_FOUND, "page={page}");
        let rollen = app.get(&format!("/zaken/api/v1/rollen?page={page}")).await;
        assert_eq!(rollen.status(), StatusCode::NOT_FOUND, "rollen page={page}");
    }
    let no_crs = app
        .http
        .get(app.url("/zaken/api/v1/zaken"))
        .bearer_auth(app.token())
        .send()
        .await
        .unwrap();
    assert_eq!(no_crs.status(), StatusCode::PRECONDITION_FAILED);
    let wrong_crs = app
        .http
        .get(app.url("/zaken/api/v1/zaken"))
        .bearer_auth(app.token())
        .header("Accept-Crs", "EPSG:28992")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_crs.status(), StatusCode::NOT_ACCEPTABLE);
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_path_is_a_problem_json_404() {
    let app = TestApp::spawn().await;
    let r = app.get("/zaken/api/v1/bestaat-niet").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "not_found");
    app.stop().await;
}

#[tokio::test]
async fn a_hoofdzaak_lists_its_deelzaken_and_deelzaken_do_not_nest() {
    let app = TestApp::spawn().await;
    let hoofdzaak: Value = app.new_zaak().await;
    let mut body = app.zaak_body();
    body["hoofdzaak"] = hoofdzaak["url"].clone();
    let deelzaak = app.create_zaak(&body).await;
    assert_eq!(deelzaak.status(), StatusCode::CREATED);
    let deelzaak: Value = deelzaak.json().await.unwrap();
    let got = app.get_json(hoofdzaak["url"].as_str().unwrap()).await;
    assert_eq!(got["deelzaken"], json!([deelzaak["url"]]));

    // A hoofdzaak changed later keeps its deelzaken, in the response and on the next GET.
    let patched = app
        .request(Method::PATCH, hoofdzaak["url"].as_str().unwrap())
        .json(&json!({"omschrijving": "Hoofdzaak"}))
        .send()
        .await
        .unwrap();
    let patched: Value = patched.json().await.unwrap();
    assert_eq!(patched["deelzaken"], json!([deelzaak["url"]]));

    let mut nested = app.zaak_body();
    nested["hoofdzaak"] = deelzaak["url"].clone();
    let refused: Value = app.create_zaak(&nested).await.json().await.unwrap();
    assert_eq!(
        refused["invalidParams"][0]["code"], "deelzaak-als-hoofdzaak",
        "{refused}"
    );
    let to_self = app
        .request(Method::PATCH, hoofdzaak["url"].as_str().unwrap())
        .json(&json!({"hoofdzaak": hoofdzaak["url"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(to_self.status(), StatusCode::BAD_REQUEST);
    let err: Value = to_self.json().await.unwrap();
    assert_eq!(err["invalidParams"][0]["code"], "self-forbidden");

    let gone = app
        .request(Method::DELETE, deelzaak["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let got = app.get_json(hoofdzaak["url"].as_str().unwrap()).await;
    assert_eq!(
        got["deelzaken"],
        json!([]),
        "a deleted deelzaak leaves the list"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_zaaktype_of_a_zaak_does_not_change() {
    let app = TestApp::spawn().await;
    let zaak: Value = app.new_zaak().await;
    let changed = app
        .request(Method::PATCH, zaak["url"].as_str().unwrap())
        .json(&json!({"zaaktype": "https://catalogi.example.nl/catalogi/api/v1/zaaktypen/ander"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::BAD_REQUEST);
    let err: Value = changed.json().await.unwrap();
    assert_eq!(err["invalidParams"][0]["name"], "zaaktype");
    assert_eq!(err["invalidParams"][0]["code"], "wijzigen-niet-toegelaten");
    app.stop().await;
}

#[tokio::test]
async fn zoek_finds_zaken_within_a_polygon_by_uuid_and_zaaktype_under_the_grants() {
    let app = TestApp::spawn().await;
    let at = |lon: f64, lat: f64| {
        let mut body = app.zaak_body();
        body["zaakgeometrie"] = json!({"type": "Point", "coordinates": [lon, lat]});
        body
    };
    let amsterdam: Value = app.create_zaak(&at(4.9, 52.37)).await.json().await.unwrap();
    let utrecht: Value = app
        .create_zaak(&at(5.12, 52.09))
        .await
        .json()
        .await
        .unwrap();
    let nowhere: Value = app.new_zaak().await;
    let around_amsterdam = json!({"type": "Polygon", "coordinates": [[[4.7, 52.3], [5.0, 52.3], [5.0, 52.45], [4.7, 52.45], [4.7, 52.3]]]});
    let zoek = |body: Value| {
        let app = &app;
        async move {
            let r = app
                .request(Method::POST, "/zaken/api/v1/zaken/_zoek")
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = r.status();
            (status, r.json::<Value>().await.unwrap())
        }
    };
    let (status, found) = zoek(json!({"zaakgeometrie": {"within": around_amsterdam}})).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["count"], 1);
    assert_eq!(found["results"][0]["url"], amsterdam["url"]);

    let (_, by_uuid) = zoek(json!({"uuid__in": [utrecht["uuid"], nowhere["uuid"]]})).await;
    assert_eq!(by_uuid["count"], 2);
    let (_, by_type) = zoek(json!({"zaaktype__in": ["https://elders.nl/zaaktypen/1"]})).await;
    assert_eq!(by_type["count"], 0);
    let (_, combined) = zoek(
        json!({"zaaktype": app.types.zaaktype, "einddatum__isnull": true, "uuid__in": [amsterdam["uuid"]]}),
    )
    .await;
    assert_eq!(combined["count"], 1, "{combined}");
    let (status, err) = zoek(json!({"kleur": "rood"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["invalidParams"][0]["code"], "unknown-parameters");

    app.grant_limited(json!([{"component": "zrc", "scopes": ["zaken.lezen"],
        "zaaktype": "https://ztc.example.nl/zaaktypen/ander", "maxVertrouwelijkheidaanduiding": "zeer_geheim"}]))
        .await;
    let limited: Value = app
        .limited(Method::POST, "/zaken/api/v1/zaken/_zoek")
        .json(&json!({"uuid__in": [amsterdam["uuid"]]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        limited["count"], 0,
        "_zoek obeys the same grants: {limited}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_nul_character_in_a_body_or_a_query_is_refused_not_a_server_error() {
    let app = TestApp::spawn().await;
    let mut body = app.zaak_body();
    body["omschrijving"] = json!("met\u{0}nul");
    let refused = app.create_zaak(&body).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let err: Value = refused.json().await.unwrap();
    assert_eq!(
        err["invalidParams"][0]["code"],
        "null_characters_not_allowed"
    );
    for path in [
        "/zaken/api/v1/zaken?identificatie=a%00b",
        "/zaken/api/v1/rollen?omschrijving=%00",
        "/catalogi/api/v1/zaaktypen?trefwoorden=%00",
    ] {
        assert_eq!(
            app.get(path).await.status(),
            StatusCode::BAD_REQUEST,
            "{path}"
        );
    }
    let token = support::token(
        "nul\u{0}client",
        support::SECRET,
        chrono::Utc::now().timestamp(),
    );
    let forbidden = app
        .http
        .get(app.url("/zaken/api/v1/zaken"))
        .bearer_auth(token)
        .header("Accept-Crs", "EPSG:4326")
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    app.stop().await;
}
