//! The Klantinteracties API's klantcontacten end to end, over real PostgreSQL and NATS: each
//! rule a test with Open Klant's codes, responses checked against Open Klant's 0.9.0
//! document, under JWT-ZGW and the applicatie's klantinteracties scopes.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::klantinteracties::*;
use support::{spec, TestApp};

async fn new_klantcontact(app: &TestApp, body: &Value) -> Value {
    let (status, k) = post(app, "/klantcontacten", body).await;
    assert_eq!(status, StatusCode::CREATED, "{k:#}");
    k
}

/// The audit trail entries (bron kic) of klantcontact `uuid`, oldest first: their actie.
async fn audit_of(app: &TestApp, uuid: &Value) -> Vec<String> {
    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    let uuid: uuid::Uuid = s(uuid).parse().unwrap();
    let acties: Vec<String> = sqlx::query_scalar(
        "SELECT resource->>'actie' FROM audit_trail WHERE bron = 'kic' AND hoofd_object = $1
         ORDER BY ordinal",
    )
    .bind(uuid)
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    acties
}

#[tokio::test]
async fn a_klantcontact_is_created_found_by_its_filters_read_in_the_read_log_and_announced() {
    let app = TestApp::spawn_bare().await;
    let tenant = app.config.tenant.clone();
    let mut zgw = support::Notifications::on(&app, "klantcontacten").await;
    let spec = spec::load(SPEC);

    let k = new_klantcontact(&app, &klantcontact("telefoon")).await;
    spec::assert_valid(&spec, "Klantcontact", &k);
    assert_eq!(k["plaatsgevondenOp"], "2026-12-01T10:00:00Z");
    assert_eq!(k["hadBetrokkenen"], json!([]));
    new_klantcontact(&app, &klantcontact("e-mail")).await;

    let found = get(&app, "/klantcontacten?kanaal=telefoon").await;
    spec::assert_valid(&spec, "PaginatedKlantcontactList", &found);
    assert_eq!(found["count"], 1, "{found:#}");
    assert_eq!(found["results"][0], k);
    let at = get(
        &app,
        "/klantcontacten?plaatsgevondenOp=2026-12-01T10:00:00Z&vertrouwelijk=false",
    )
    .await;
    assert_eq!(at["count"], 2);
    let page = get(&app, "/klantcontacten?pageSize=1").await;
    assert_eq!(
        (&page["count"], page["results"].as_array().unwrap().len()),
        (&json!(2), 1)
    );
    assert!(
        page["next"].as_str().unwrap().contains("page=2"),
        "{page:#}"
    );
    assert_eq!(
        page["results"][0]["kanaal"], "e-mail",
        "as Open Klant: the latest plaatsgevondenOp first, then the newest"
    );
    let none = get(&app, "/klantcontacten?leiddeTotInterneTaken=true").await;
    assert_eq!(none["count"], 0, "neither led to an internetaak");

    let detail = get(&app, &path_of(&app, &k)[API.len()..]).await;
    assert_eq!(detail, k);
    assert_eq!(
        reads_of(&app, &k["uuid"], 3).await,
        3,
        "who read it is kept: its detail and the two list pages above that held it"
    );

    let (subject, body) = zgw.next().await;
    assert_eq!(
        subject,
        format!("zgw.{tenant}.klantcontacten.klantcontact.create")
    );
    assert_eq!(
        (&body["kanaal"], &body["hoofdObject"]),
        (&json!("klantcontacten"), &k["url"])
    );
    assert_eq!(body["kenmerken"], json!({"kanaal": "telefoon"}));
    app.stop().await;
}

#[tokio::test]
async fn a_klantcontact_is_refused_with_open_klants_codes() {
    let app = TestApp::spawn_bare().await;
    // no-further-action-when-contact-succesful
    let mut body = klantcontact("telefoon");
    body["verdereActieOndernomen"] = json!(true);
    let (status, refused) = post(&app, "/klantcontacten", &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(
        params(&refused),
        [(
            "nonFieldErrors".into(),
            "no-further-action-when-contact-succesful".into()
        )]
    );
    // A metadata value longer than 255 characters.
    let mut body = klantcontact("telefoon");
    body["metadata"] = json!({"lang": "x".repeat(256)});
    let (status, refused) = post(&app, "/klantcontacten", &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(params(&refused), [("metadata".into(), "invalid".into())]);
    // The required fields.
    let (status, refused) = post(&app, "/klantcontacten", &json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let names: Vec<String> = params(&refused).into_iter().map(|(n, _)| n).collect();
    for field in ["kanaal", "onderwerp", "taal", "vertrouwelijk"] {
        assert!(names.contains(&field.to_owned()), "{field}: {refused:#}");
    }
    assert_eq!(
        get(&app, "/klantcontacten").await["count"],
        0,
        "nothing stored"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_klantcontact_is_replaced_patched_and_deleted_each_in_its_audit_trail() {
    let app = TestApp::spawn_bare().await;
    let spec = spec::load(SPEC);
    let k = new_klantcontact(&app, &klantcontact("telefoon")).await;
    let path = path_of(&app, &k);

    let mut put = klantcontact("balie");
    put["indicatieContactGelukt"] = json!(false);
    put["verdereActieOndernomen"] = json!(true);
    let (status, replaced) = send(app.request(Method::PUT, &path).json(&put)).await;
    assert_eq!(status, StatusCode::OK, "{replaced:#}");
    spec::assert_valid(&spec, "Klantcontact", &replaced);
    assert_eq!(replaced["kanaal"], "balie");

    // PATCH merges onto it as it is; the rule holds for the result.
    let patch = json!({"onderwerp": "Rijbewijs"});
    let (status, patched) = send(app.request(Method::PATCH, &path).json(&patch)).await;
    assert_eq!(status, StatusCode::OK, "{patched:#}");
    assert_eq!(
        (&patched["onderwerp"], &patched["kanaal"]),
        (&json!("Rijbewijs"), &json!("balie"))
    );
    let patch = json!({"indicatieContactGelukt": true});
    let (status, refused) = send(app.request(Method::PATCH, &path).json(&patch)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(
        params(&refused),
        [(
            "nonFieldErrors".into(),
            "no-further-action-when-contact-succesful".into()
        )]
    );
    assert_eq!(get(&app, "/klantcontacten?kanaal=balie").await["count"], 1);
    assert_eq!(
        get(&app, "/klantcontacten?kanaal=telefoon").await["count"],
        0
    );

    let (status, _) = send(app.request(Method::DELETE, &path)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(app.request(Method::GET, &path)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, "/klantcontacten").await["count"], 0);
    assert_eq!(
        audit_of(&app, &k["uuid"]).await,
        ["create", "update", "partial_update", "destroy"]
    );
    app.stop().await;
}

#[tokio::test]
async fn expand_on_a_klantcontact_takes_only_the_specs_names() {
    let app = TestApp::spawn_bare().await;
    let k = new_klantcontact(&app, &klantcontact("telefoon")).await;
    let path = &path_of(&app, &k)[API.len()..];
    let expanded = get(
        &app,
        &format!("{path}?expand=hadBetrokkenen,gingOverOnderwerpobjecten"),
    )
    .await;
    assert_eq!(
        expanded["_expand"],
        json!({"hadBetrokkenen": [], "gingOverOnderwerpobjecten": []})
    );
    let (status, refused) =
        send(app.request(Method::GET, &format!("{API}/klantcontacten?expand=partij"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [("expand".into(), "invalid_choice".into())]
    );
    app.stop().await;
}

#[tokio::test]
async fn a_client_without_the_klantinteracties_scope_finds_no_klantcontacten() {
    let app = TestApp::spawn_bare().await;
    let k = new_klantcontact(&app, &klantcontact("telefoon")).await;
    let paths = [
        format!("{API}/klantcontacten"),
        format!("{API}/klantcontacten?kanaal=telefoon"),
        path_of(&app, &k),
        format!("{}?expand=hadBetrokkenen", path_of(&app, &k)),
    ];
    app.grant_limited(json!([{"component": "ztc", "scopes": ["catalogi.lezen"]}]))
        .await;
    for path in &paths {
        let (status, body) = send(app.limited(Method::GET, path)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body:#}");
        assert!(body.get("results").is_none() && body.get("uuid").is_none());
    }
    let (status, _) = send(
        app.limited(Method::POST, &paths[0])
            .json(&klantcontact("balie")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        feed_events(&app, "klantcontact").await,
        0,
        "the change feed hides them too"
    );

    // Reading is not writing.
    app.grant_limited(json!([{"component": "kic", "scopes": ["klantinteracties.lezen"]}]))
        .await;
    for path in &paths {
        let (status, body) = send(app.limited(Method::GET, path)).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body:#}");
    }
    assert_eq!(feed_events(&app, "klantcontact").await, 1);
    for (method, path) in [
        (Method::POST, paths[0].clone()),
        (Method::PATCH, paths[2].clone()),
        (Method::DELETE, paths[2].clone()),
    ] {
        let (status, body) = send(app.limited(method.clone(), &path).json(&json!({}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {body:#}");
    }
    assert_eq!(get(&app, "/klantcontacten").await["count"], 1);
    app.stop().await;
}

/// The transactions and event types of the klantcontact streams in the event log.
async fn klantcontact_log(app: &TestApp) -> (i64, Vec<String>) {
    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    let log: (i64, Option<Vec<String>>) = sqlx::query_as(
        "SELECT count(DISTINCT tx_id), array_agg(event_type ORDER BY seq) FROM es_events
         WHERE stream LIKE 'klantcontact-%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    (log.0, log.1.unwrap_or_default())
}

#[tokio::test]
async fn maak_klantcontact_stores_the_klantcontact_betrokkene_and_onderwerpobject_in_one_append() {
    let app = TestApp::spawn_bare().await;
    let spec = spec::load(SPEC);
    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;

    let (status, made) = post(&app, "/maak-klantcontact", &maak(&partij)).await;
    assert_eq!(status, StatusCode::CREATED, "{made:#}");
    spec::assert_valid(&spec, "MaakKlantcontact", &made);
    let (k, b, o) = (
        &made["klantcontact"],
        &made["betrokkene"],
        &made["onderwerpobject"],
    );
    assert_eq!(k["hadBetrokkenen"][0]["uuid"], b["uuid"]);
    assert_eq!(k["gingOverOnderwerpobjecten"][0]["uuid"], o["uuid"]);
    assert_eq!(b["hadKlantcontact"]["uuid"], k["uuid"]);
    assert_eq!(b["wasPartij"]["uuid"], partij["uuid"]);
    assert_eq!(b["volledigeNaam"], "Jan de Vries");
    assert_eq!(o["klantcontact"]["uuid"], k["uuid"]);
    assert_eq!(
        klantcontact_log(&app).await,
        (
            1,
            vec![
                "KlantcontactCreated".into(),
                "BetrokkeneAdded".into(),
                "OnderwerpobjectAdded".into()
            ]
        ),
        "one append"
    );

    // Found by its betrokkene, the partij it was and its onderwerpobject.
    for filter in [
        format!("hadBetrokkene__uuid={}", s(&b["uuid"])),
        format!("hadBetrokkene__wasPartij__uuid={}", s(&partij["uuid"])),
        format!("onderwerpobject__uuid={}", s(&o["uuid"])),
    ] {
        let found = get(&app, &format!("/klantcontacten?{filter}")).await;
        assert_eq!(found["count"], 1, "{filter}: {found:#}");
    }
    let path = &path_of(&app, k)[API.len()..];
    let expanded = get(
        &app,
        &format!("{path}?expand=hadBetrokkenen.wasPartij,gingOverOnderwerpobjecten"),
    )
    .await;
    assert_eq!(expanded["_expand"]["gingOverOnderwerpobjecten"][0], *o);
    let betrokkene = &expanded["_expand"]["hadBetrokkenen"][0];
    assert_eq!(betrokkene["uuid"], b["uuid"]);
    assert_eq!(betrokkene["_expand"]["wasPartij"]["uuid"], partij["uuid"]);
    app.stop().await;
}

#[tokio::test]
async fn maak_klantcontact_is_all_or_nothing() {
    let app = TestApp::spawn_bare().await;
    let partij = new_partij(&app, &persoon(json!([]))).await;

    // A refused onderwerpobject: the klantcontact it was does not exist.
    let mut body = maak(&partij);
    body["onderwerpobject"]["wasKlantcontact"] = json!({"uuid": uuid::Uuid::new_v4()});
    let (status, refused) = post(&app, "/maak-klantcontact", &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(
        params(&refused),
        [(
            "onderwerpobject.wasKlantcontact.uuid".into(),
            "does_not_exist".into()
        )]
    );
    // A malformed onderwerpobject.
    let mut body = maak(&partij);
    body["onderwerpobject"]["onderwerpobjectidentificator"]["objectId"] = json!("x".repeat(201));
    let (status, refused) = post(&app, "/maak-klantcontact", &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [(
            "onderwerpobject.onderwerpobjectidentificator.objectId".into(),
            "max_length".into()
        )]
    );
    // A refused betrokkene: the partij it was does not exist.
    let mut body = maak(&partij);
    body["betrokkene"]["wasPartij"] = json!({"uuid": uuid::Uuid::new_v4()});
    let (status, refused) = post(&app, "/maak-klantcontact", &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [("betrokkene.wasPartij.uuid".into(), "does_not_exist".into())]
    );
    // A refused klantcontact with valid parts.
    let mut body = maak(&partij);
    body["klantcontact"]["verdereActieOndernomen"] = json!(true);
    let (status, refused) = post(&app, "/maak-klantcontact", &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [(
            "nonFieldErrors".into(),
            "no-further-action-when-contact-succesful".into()
        )]
    );

    assert_eq!(klantcontact_log(&app).await, (0, vec![]), "nothing stored");
    assert_eq!(get(&app, "/klantcontacten").await["count"], 0);

    // Without klantinteracties.aanmaken: refused, nothing stored.
    app.grant_limited(json!([{"component": "kic", "scopes": ["klantinteracties.lezen"]}]))
        .await;
    let request = app.limited(Method::POST, &format!("{API}/maak-klantcontact"));
    let (status, _) = send(request.json(&maak(&partij))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(klantcontact_log(&app).await, (0, vec![]));
    app.stop().await;
}

#[tokio::test]
async fn klantcontacten_are_listed_latest_first_by_when_they_took_place_as_open_klant_lists_them() {
    let app = TestApp::spawn_bare().await;
    let at = |when: &str, kanaal: &str| {
        let mut body = klantcontact(kanaal);
        body["plaatsgevondenOp"] = json!(when);
        body
    };
    for (when, kanaal) in [
        ("2026-12-01T10:00:00Z", "telefoon"),
        ("2026-12-01T10:00:00.5Z", "balie"),
        ("2026-11-01T09:00:00Z", "e-mail"),
    ] {
        new_klantcontact(&app, &at(when, kanaal)).await;
    }
    let list = get(&app, "/klantcontacten").await;
    let kanalen: Vec<&str> = list["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kanaal"].as_str().unwrap())
        .collect();
    assert_eq!(kanalen, ["balie", "telefoon", "e-mail"]);
    app.stop().await;
}
