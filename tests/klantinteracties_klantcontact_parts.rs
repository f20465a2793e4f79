//! The parts of a klantcontact as resources of their own (`/betrokkenen`,
//! `/onderwerpobjecten`), end to end over real PostgreSQL and NATS: each lives in its
//! klantcontact's stream, each rule a test with Open Klant's codes.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::klantinteracties::*;
use support::{spec, TestApp};

async fn new_klantcontact(app: &TestApp) -> Value {
    let body = json!({
        "kanaal": "telefoon", "onderwerp": "Paspoort", "taal": "nld", "vertrouwelijk": false,
    });
    let (status, k) = post(app, "/klantcontacten", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{k:#}");
    k
}

fn betrokkene(k: &Value, partij: &Value) -> Value {
    json!({
        "hadKlantcontact": {"uuid": k["uuid"]},
        "wasPartij": {"uuid": partij["uuid"]},
        "rol": "klant",
        "initiator": true,
        "organisatienaam": "",
        "contactnaam": {"voornaam": "Jan", "achternaam": "Vries"},
    })
}

fn onderwerpobject(k: &Value, object_id: &str) -> Value {
    json!({
        "klantcontact": {"uuid": k["uuid"]},
        "onderwerpobjectidentificator": {"objectId": object_id, "codeObjecttype": "zaak",
            "codeRegister": "openzaak", "codeSoortObjectId": "identificatie"},
    })
}

#[tokio::test]
async fn betrokkenen_and_onderwerpobjecten_are_added_changed_and_removed_in_their_klantcontact() {
    let app = TestApp::spawn_bare().await;
    let tenant = app.config.tenant.clone();
    let spec = spec::load(SPEC);
    let partij = new_partij(&app, &persoon(json!([]))).await;
    let k = new_klantcontact(&app).await;
    let mut zgw = support::Notifications::on(&app, "klantcontacten").await;

    let (status, b) = post(&app, "/betrokkenen", &betrokkene(&k, &partij)).await;
    assert_eq!(status, StatusCode::CREATED, "{b:#}");
    spec::assert_valid(&spec, "Betrokkene", &b);
    assert_eq!(b["volledigeNaam"], "Jan Vries");
    let (status, o) = post(&app, "/onderwerpobjecten", &onderwerpobject(&k, "ZAAK-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{o:#}");
    spec::assert_valid(&spec, "Onderwerpobject", &o);

    let detail = get(&app, &path_of(&app, &k)[API.len()..]).await;
    assert_eq!(detail["hadBetrokkenen"][0]["uuid"], b["uuid"]);
    assert_eq!(detail["gingOverOnderwerpobjecten"][0]["uuid"], o["uuid"]);
    let k_uuid = s(&k["uuid"]);
    for (path, count) in [
        (format!("/betrokkenen?hadKlantcontact__uuid={k_uuid}"), 1),
        (
            format!("/betrokkenen?hadKlantcontact__url={}", s(&k["url"])),
            1,
        ),
        (
            format!("/betrokkenen?wasPartij__uuid={}", s(&partij["uuid"])),
            1,
        ),
        ("/betrokkenen?contactnaamVoornaam=Piet".to_owned(), 0),
        (
            "/onderwerpobjecten?onderwerpobjectidentificatorObjectId=ZAAK-1".into(),
            1,
        ),
        (format!("/onderwerpobjecten?klantcontact__uuid={k_uuid}"), 1),
        (
            format!("/klantcontacten?hadBetrokkene__uuid={}", s(&b["uuid"])),
            1,
        ),
    ] {
        let found = get(&app, &path).await;
        assert_eq!(found["count"], count, "{path}: {found:#}");
    }
    let b_path = path_of(&app, &b);
    let read = get(&app, &b_path[API.len()..]).await;
    assert_eq!(read, b);
    assert_eq!(
        reads_of(&app, &k["uuid"], 8).await,
        8,
        "the klantcontact's and its betrokkene's details, and the six list pages above that \
         held it or its parts (the empty one is no read), in the klantcontact's read log"
    );
    let expanded = get(
        &app,
        &format!("{}?expand=digitaleAdressen", &b_path[API.len()..]),
    )
    .await;
    assert_eq!(expanded["_expand"], json!({"digitaleAdressen": []}));

    // PATCH merges onto it; PUT replaces; the klantcontact cannot change.
    let patch = json!({"organisatienaam": "Gemeente"});
    let (status, patched) = send(app.request(Method::PATCH, &b_path).json(&patch)).await;
    assert_eq!(status, StatusCode::OK, "{patched:#}");
    assert_eq!(
        (&patched["organisatienaam"], &patched["rol"]),
        (&json!("Gemeente"), &json!("klant"))
    );
    let o_path = path_of(&app, &o);
    let (status, put) = send(
        app.request(Method::PUT, &o_path)
            .json(&onderwerpobject(&k, "ZAAK-2")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{put:#}");
    assert_eq!(put["onderwerpobjectidentificator"]["objectId"], "ZAAK-2");
    let other = new_klantcontact(&app).await;
    let (status, refused) = send(
        app.request(Method::PUT, &o_path)
            .json(&onderwerpobject(&other, "ZAAK-2")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(
        params(&refused),
        [("klantcontact".into(), "wijzigen-niet-toegelaten".into())]
    );

    for path in [&b_path, &o_path] {
        let (status, _) = send(app.request(Method::DELETE, path)).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = send(app.request(Method::GET, path)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let detail = get(&app, &path_of(&app, &k)[API.len()..]).await;
    assert_eq!(
        (
            &detail["hadBetrokkenen"],
            &detail["gingOverOnderwerpobjecten"]
        ),
        (&json!([]), &json!([]))
    );

    let (subject, body) = zgw.next().await;
    assert_eq!(
        subject,
        format!("zgw.{tenant}.klantcontacten.betrokkene.create")
    );
    assert_eq!(
        (&body["hoofdObject"], &body["kenmerken"]),
        (&k["url"], &json!({"kanaal": "telefoon"}))
    );
    app.stop().await;
}

#[tokio::test]
async fn a_part_naming_what_does_not_exist_is_refused_does_not_exist() {
    let app = TestApp::spawn_bare().await;
    let partij = new_partij(&app, &persoon(json!([]))).await;
    let k = new_klantcontact(&app).await;
    let nobody = json!({"uuid": uuid::Uuid::new_v4()});

    let mut body = betrokkene(&k, &partij);
    body["hadKlantcontact"] = nobody.clone();
    let (status, refused) = post(&app, "/betrokkenen", &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(
        params(&refused),
        [("hadKlantcontact.uuid".into(), "does_not_exist".into())]
    );
    let mut body = betrokkene(&k, &partij);
    body["wasPartij"] = nobody.clone();
    let (status, refused) = post(&app, "/betrokkenen", &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [("wasPartij.uuid".into(), "does_not_exist".into())]
    );
    let mut body = onderwerpobject(&k, "ZAAK-1");
    body["wasKlantcontact"] = nobody;
    let (status, refused) = post(&app, "/onderwerpobjecten", &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [("wasKlantcontact.uuid".into(), "does_not_exist".into())]
    );
    let mut body = betrokkene(&k, &partij);
    body["rol"] = json!("medewerker");
    let (status, refused) = post(&app, "/betrokkenen", &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(params(&refused), [("rol".into(), "invalid_choice".into())]);
    assert_eq!(get(&app, "/betrokkenen").await["count"], 0);
    assert_eq!(get(&app, "/onderwerpobjecten").await["count"], 0);
    app.stop().await;
}

#[tokio::test]
async fn a_client_without_the_klantinteracties_scope_finds_no_betrokkenen_or_onderwerpobjecten() {
    let app = TestApp::spawn_bare().await;
    let partij = new_partij(&app, &persoon(json!([]))).await;
    let k = new_klantcontact(&app).await;
    let (_, b) = post(&app, "/betrokkenen", &betrokkene(&k, &partij)).await;
    let (_, o) = post(&app, "/onderwerpobjecten", &onderwerpobject(&k, "ZAAK-1")).await;
    let paths = [
        format!("{API}/betrokkenen"),
        path_of(&app, &b),
        format!("{API}/onderwerpobjecten"),
        path_of(&app, &o),
    ];
    app.grant_limited(json!([{"component": "ztc", "scopes": ["catalogi.lezen"]}]))
        .await;
    for path in &paths {
        let (status, body) = send(app.limited(Method::GET, path)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body:#}");
        assert!(body.get("results").is_none() && body.get("uuid").is_none());
    }
    let (status, _) = send(app.limited(Method::DELETE, &paths[1])).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(get(&app, "/betrokkenen").await["count"], 1);
    app.stop().await;
}

#[tokio::test]
async fn a_betrokkene_is_changed_only_at_the_version_its_etag_names_and_each_change_is_audited() {
    let app = TestApp::spawn_bare().await;
    let partij = new_partij(&app, &persoon(json!([]))).await;
    let k = new_klantcontact(&app).await;
    let (_, b) = post(&app, "/betrokkenen", &betrokkene(&k, &partij)).await;
    let path = path_of(&app, &b);
    let response = app.request(Method::GET, &path).send().await.unwrap();
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let patch = json!({"organisatienaam": "Gemeente"});
    let stale = app
        .request(Method::PATCH, &path)
        .header("If-Match", "\"stale\"");
    let (status, _) = send(stale.json(&patch)).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let current = app.request(Method::PATCH, &path).header("If-Match", &etag);
    let (status, changed) = send(current.json(&patch)).await;
    assert_eq!(status, StatusCode::OK, "{changed:#}");
    // The klantcontact's stream moved on: the old ETag no longer names it.
    let again = app.request(Method::PATCH, &path).header("If-Match", &etag);
    let (status, _) = send(again.json(&patch)).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let (status, _) = send(app.request(Method::DELETE, &path)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // The audit trail (bron kic), under the klantcontact as hoofdObject.
    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    let uuid: uuid::Uuid = s(&k["uuid"]).parse().unwrap();
    let entries: Vec<(String, String)> = sqlx::query_as(
        "SELECT resource->>'resource', resource->>'actie' FROM audit_trail
         WHERE bron = 'kic' AND hoofd_object = $1 ORDER BY ordinal",
    )
    .bind(uuid)
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    let entries: Vec<(&str, &str)> = entries
        .iter()
        .map(|(r, a)| (r.as_str(), a.as_str()))
        .collect();
    assert_eq!(
        entries,
        [
            ("klantcontact", "create"),
            ("betrokkene", "create"),
            ("betrokkene", "update"),
            ("betrokkene", "destroy"),
        ]
    );
    app.stop().await;
}
