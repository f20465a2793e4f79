//! The Klantinteracties API's partijen and partij-identificatoren end to end, over real
//! PostgreSQL and NATS: each rule a test, responses checked against Open Klant's 0.9.0
//! document, under JWT-ZGW and the applicatie's klantinteracties scopes.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::json;
use support::klantinteracties::*;
use support::{spec, TestApp};

#[tokio::test]
async fn a_partij_created_with_a_bsn_identificator_is_found_by_the_bsn_filter_and_announced() {
    let app = TestApp::spawn_bare().await;
    let tenant = app.config.tenant.clone();
    let mut zgw = support::Notifications::on(&app, "partijen").await;
    let spec = spec::load(SPEC);

    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    spec::assert_valid(&spec, "persoon_PartijSerializer", &partij);
    assert_eq!(
        partij["partijIdentificatie"]["volledigeNaam"],
        "Jan de Vries"
    );
    let identificator = &partij["partijIdentificatoren"][0];
    spec::assert_valid(&spec, "PartijIdentificator", identificator);
    assert_eq!(
        identificator["identificeerdePartij"]["uuid"],
        partij["uuid"]
    );
    new_partij(&app, &persoon(json!([bsn(OTHER_BSN)]))).await;

    let found = get(
        &app,
        &format!("/partijen?partijIdentificator__objectId={BSN}&partijIdentificator__codeSoortObjectId=bsn"),
    )
    .await;
    assert_eq!(found["count"], 1, "{found:#}");
    assert_eq!(found["results"][0], partij);
    spec::assert_valid(&spec, "persoon_PartijSerializer", &found["results"][0]);
    let detail = get(
        &app,
        &format!("/partijen/{}", partij["uuid"].as_str().unwrap()),
    )
    .await;
    assert_eq!(detail, partij);
    get(&app, &path_of(&app, identificator)[API.len()..]).await;
    assert_eq!(
        reads_of(&app, &partij["uuid"], 3).await,
        3,
        "who looked the BSN up (the filtered list) and who read it (two details) is kept"
    );

    let identificatoren = get(
        &app,
        &format!("/partij-identificatoren?partijIdentificatorObjectId={BSN}"),
    )
    .await;
    spec::assert_valid(&spec, "PaginatedPartijIdentificatorList", &identificatoren);
    assert_eq!(identificatoren["count"], 1);
    assert_eq!(&identificatoren["results"][0], identificator);

    let (subject, body) = zgw.next().await;
    assert_eq!(subject, format!("zgw.{tenant}.partijen.partij.create"));
    assert_eq!(
        (&body["kanaal"], &body["hoofdObject"]),
        (&json!("partijen"), &partij["url"])
    );
    assert_eq!(body["kenmerken"], json!({"soortPartij": "persoon"}));
    let (subject, body) = zgw.next().await;
    assert_eq!(
        subject,
        format!("zgw.{tenant}.partijen.partijidentificator.create")
    );
    assert_eq!(
        body["kenmerken"],
        json!({"soortPartij": "persoon"}),
        "the partij's"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_invalid_bsn_is_refused_with_open_klants_field_and_nothing_is_stored() {
    let app = TestApp::spawn_bare().await;
    let (status, body) = post(&app, "/partijen", &persoon(json!([bsn("123456789")]))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_eq!(
        params(&body),
        [(
            "partijIdentificatorObjectId".to_owned(),
            "invalid".to_owned()
        )]
    );
    assert!(body["title"].is_string(), "problem+json: {body:#}");
    let (status, body) = post(&app, "/partijen", &persoon(json!([bsn("12345678")]))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_eq!(get(&app, "/partijen").await["count"], 0);
    assert_eq!(get(&app, "/partij-identificatoren").await["count"], 0);

    // A vestigingsnummer needs the kvk_nummer it is under; a contactpersoon works for an
    // organisatie.
    let vestiging = json!({"partijIdentificator": {"codeObjecttype": "vestiging",
        "codeSoortObjectId": "vestigingsnummer", "objectId": "123456789012",
        "codeRegister": "hr"}});
    let organisatie = json!({"soortPartij": "organisatie", "indicatieActief": true,
        "partijIdentificatie": {"naam": "Gemeente"}, "partijIdentificatoren": [vestiging]});
    let (status, body) = post(&app, "/partijen", &organisatie).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_eq!(
        params(&body),
        [("subIdentificatorVan".to_owned(), "invalid".to_owned())]
    );
    let jan = new_partij(&app, &persoon(json!([]))).await;
    let contactpersoon = json!({"soortPartij": "contactpersoon", "indicatieActief": true,
        "partijIdentificatie": {"werkteVoorPartij": {"uuid": jan["uuid"]}}});
    let (status, body) = post(&app, "/partijen", &contactpersoon).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_eq!(
        params(&body),
        [(
            "partijIdentificatie.werkteVoorPartij.uuid".to_owned(),
            "invalid".to_owned()
        )]
    );
    app.stop().await;
}

#[tokio::test]
async fn an_organisatie_with_several_matching_identificatoren_is_listed_once() {
    let app = TestApp::spawn_bare().await;
    let hr = |soort: &str, id: &str| {
        json!({"partijIdentificator": {"codeObjecttype": "niet_natuurlijk_persoon",
            "codeSoortObjectId": soort, "objectId": id, "codeRegister": "hr"}})
    };
    let organisatie = json!({"soortPartij": "organisatie", "indicatieActief": true,
        "partijIdentificatie": {"naam": "Gemeente Utrecht"},
        "partijIdentificatoren": [hr("kvk_nummer", "12345678"), hr("rsin", "002220647")]});
    let created = new_partij(&app, &organisatie).await;
    spec::assert_valid(&spec::load(SPEC), "organisatie_PartijSerializer", &created);
    let list = get(
        &app,
        "/partijen?partijIdentificator__codeRegister=hr&soortPartij=organisatie",
    )
    .await;
    assert_eq!(list["count"], 1, "{list:#}");
    assert_eq!(list["results"].as_array().unwrap().len(), 1);
    assert_eq!(
        get(
            &app,
            "/partij-identificatoren?partijIdentificatorCodeRegister=hr"
        )
        .await["count"],
        2
    );
    assert_eq!(get(&app, "/partijen?soortPartij=persoon").await["count"], 0);
    let (status, body) =
        send(app.request(Method::GET, &format!("{API}/partijen?kleur=rood"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    app.stop().await;
}

#[tokio::test]
async fn a_partij_is_changed_by_put_and_patch_expanded_and_deleted_with_its_identificatoren() {
    let app = TestApp::spawn_bare().await;
    let spec = spec::load(SPEC);
    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    let path = path_of(&app, &partij);

    let (status, patched) = send(
        app.request(Method::PATCH, &path)
            .json(&json!({"interneNotitie": "Belt liever niet", "indicatieGeheimhouding": true})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{patched:#}");
    assert_eq!(patched["interneNotitie"], "Belt liever niet");
    assert_eq!(
        patched["partijIdentificatoren"],
        partij["partijIdentificatoren"]
    );

    // PUT without partijIdentificatoren keeps them; with an empty list removes them.
    let mut whole = persoon(json!([]));
    whole
        .as_object_mut()
        .unwrap()
        .remove("partijIdentificatoren");
    whole["voorkeurstaal"] = json!("eng");
    let (status, put) = send(app.request(Method::PUT, &path).json(&whole)).await;
    assert_eq!(status, StatusCode::OK, "{put:#}");
    spec::assert_valid(&spec, "persoon_PartijSerializer", &put);
    assert_eq!(
        (
            put["voorkeurstaal"].as_str(),
            put["interneNotitie"].as_str()
        ),
        (Some("eng"), Some(""))
    );
    assert_eq!(put["partijIdentificatoren"].as_array().unwrap().len(), 1);
    whole["partijIdentificatoren"] = json!([]);
    let (status, put) = send(app.request(Method::PUT, &path).json(&whole)).await;
    assert_eq!(status, StatusCode::OK, "{put:#}");
    assert_eq!(put["partijIdentificatoren"], json!([]));
    assert_eq!(get(&app, "/partij-identificatoren").await["count"], 0);

    let expanded = get(
        &app,
        &format!("{}?expand=digitaleAdressen,betrokkenen", &path[API.len()..]),
    )
    .await;
    assert_eq!(
        expanded["_expand"],
        json!({"digitaleAdressen": [], "betrokkenen": []})
    );
    spec::assert_valid(&spec, "persoon_PartijSerializer", &expanded);
    let (status, _) = send(app.request(Method::GET, &format!("{path}?expand=zaken"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, _) = send(app.request(Method::DELETE, &path)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, gone) = send(app.request(Method::GET, &path)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{gone:#}");
    assert_eq!(get(&app, "/partijen").await["count"], 0);
    app.stop().await;
}

#[tokio::test]
async fn a_client_without_the_klantinteracties_scope_finds_nothing() {
    let app = TestApp::spawn_bare().await;
    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    let identificator = path_of(&app, &partij["partijIdentificatoren"][0]);
    let paths = [
        format!("{API}/partijen"),
        format!("{API}/partijen?partijIdentificator__objectId={BSN}"),
        path_of(&app, &partij),
        format!("{}?expand=digitaleAdressen", path_of(&app, &partij)),
        format!("{API}/partij-identificatoren"),
        identificator.clone(),
    ];

    // No token at all: 403 not_authenticated, as every ZGW API here answers.
    let (status, body) = send(app.http.get(app.url(&paths[0]))).await;
    assert_eq!(
        (status, &body["code"]),
        (StatusCode::FORBIDDEN, &json!("not_authenticated"))
    );

    // An applicatie with rights elsewhere, none on kic.
    app.grant_limited(json!([{"component": "ztc", "scopes": ["catalogi.lezen"]}]))
        .await;
    for path in &paths {
        let (status, body) = send(app.limited(Method::GET, path)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body:#}");
        assert!(body.get("results").is_none() && body.get("uuid").is_none());
    }
    let (status, _) = send(
        app.limited(Method::POST, &paths[0])
            .json(&persoon(json!([]))),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        feed_events(&app, "partij").await,
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
    for (method, path) in [
        (Method::POST, paths[0].clone()),
        (Method::PATCH, paths[2].clone()),
        (Method::DELETE, paths[2].clone()),
        (Method::DELETE, identificator),
    ] {
        let (status, body) = send(app.limited(method.clone(), &path).json(&json!({}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {body:#}");
    }
    assert_eq!(
        feed_events(&app, "partij").await,
        2,
        "created, with its identificator"
    );
    assert_eq!(get(&app, "/partijen").await["count"], 1);
    app.stop().await;
}

/// How many partij events the limited client reads in the change feed.
#[tokio::test]
async fn a_patch_of_a_partij_leaves_its_identificatoren_alone() {
    let app = TestApp::spawn_bare().await;
    let mut zgw = support::Notifications::on(&app, "partijen").await;
    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    let patch = json!({"interneNotitie": "Nieuw"});
    let (status, _) = send(
        app.request(Method::PATCH, &path_of(&app, &partij))
            .json(&patch),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(
            zgw.next()
                .await
                .0
                .rsplit('.')
                .take(2)
                .collect::<Vec<_>>()
                .join("."),
        );
    }
    assert_eq!(
        seen,
        [
            "create.partij",
            "create.partijidentificator",
            "partial_update.partij"
        ],
        "no identificator update"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_open_klant_token_carries_its_applicaties_rights_and_no_more() {
    const TOKEN: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b";
    let mut config = support::test_config().await;
    let setup = std::env::temp_dir().join(format!("kic-token-{}.yaml", uuid::Uuid::new_v4()));
    let yaml = format!(
        "clients:\n  - clientId: {}\n    secret: {}\ntokens:\n  - clientId: kcc\n    token: {TOKEN}\n\
         applicaties:\n  - label: End-to-end tests\n    clientIds: [{}]\n    heeftAlleAutorisaties: true\n\
         \x20 - label: KCC\n    clientIds: [kcc]\n    autorisaties:\n      - component: kic\n\
         \x20       scopes: [klantinteracties.lezen, klantinteracties.aanmaken]\n",
        support::CLIENT_ID,
        support::SECRET,
        support::CLIENT_ID
    );
    std::fs::write(&setup, yaml).unwrap();
    config.setup_file = Some(setup);
    support::nats(&config).await;
    let roles = [zaakstroom::Role::Api, zaakstroom::Role::Projector];
    let app = TestApp::spawn_bare_with(config, &roles).await;
    let with = |method: Method, path: &str, token: &str| {
        app.http
            .request(method, app.url(path))
            .header("Authorization", format!("Token {token}"))
    };

    let (status, created) =
        send(with(Method::POST, &format!("{API}/partijen"), TOKEN).json(&persoon(json!([])))).await;
    assert_eq!(status, StatusCode::CREATED, "{created:#}");
    let (status, list) = send(with(Method::GET, &format!("{API}/partijen"), TOKEN)).await;
    assert_eq!((status, list["count"].clone()), (StatusCode::OK, json!(1)));
    for (method, path) in [
        (Method::DELETE, path_of(&app, &created)),
        (Method::GET, "/zaken/api/v1/zaken".to_owned()),
    ] {
        let (status, body) = send(with(method.clone(), &path, TOKEN)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {body:#}");
    }
    let (status, body) = send(with(Method::GET, &format!("{API}/partijen"), "geen-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body:#}");
    assert_eq!(body["code"], "authentication_failed");
    assert!(body.get("results").is_none());
    app.stop().await;
}
