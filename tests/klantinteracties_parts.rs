//! The Klantinteracties API's digitaleadressen and rekeningnummers end to end: parts of a
//! partij (in its stream) with resources of their own, their rules and filters, responses
//! checked against Open Klant's 0.9.0 document.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::klantinteracties::*;
use support::{spec, TestApp};

#[tokio::test]
async fn a_partij_gives_digitale_adressen_once_per_value_and_soort_found_by_its_bsn() {
    let app = TestApp::spawn_bare().await;
    let spec = spec::load(SPEC);
    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    let other = new_partij(&app, &persoon(json!([bsn(OTHER_BSN)]))).await;
    let adres = |partij: &Value, adres: &str| {
        json!({"verstrektDoorPartij": {"uuid": partij["uuid"]}, "adres": adres,
            "soortDigitaalAdres": "email", "isStandaardAdres": true,
            "omschrijving": "Privé", "referentie": "prive-1", "verificatieDatum": "2026-01-15"})
    };
    let (status, created) =
        post(&app, "/digitaleadressen", &adres(&partij, "jan@example.nl")).await;
    assert_eq!(status, StatusCode::CREATED, "{created:#}");
    spec::assert_valid(&spec, "DigitaalAdres", &created);
    assert_eq!(created["verstrektDoorPartij"]["uuid"], partij["uuid"]);
    let (status, _) = post(&app, "/digitaleadressen", &adres(&other, "jan@example.nl")).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the same value for another partij"
    );

    // The same value and soort once per partij; an email must be one.
    let (status, body) = post(&app, "/digitaleadressen", &adres(&partij, "jan@example.nl")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_eq!(
        params(&body),
        [("nonFieldErrors".to_owned(), "unique".to_owned())]
    );
    let (status, body) = post(&app, "/digitaleadressen", &adres(&partij, "geen adres")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_eq!(params(&body), [("adres".to_owned(), "invalid".to_owned())]);
    let missing = json!({"verstrektDoorPartij": {"uuid": uuid::Uuid::new_v4()},
        "adres": "x@example.nl", "soortDigitaalAdres": "email"});
    let (status, body) = post(&app, "/digitaleadressen", &missing).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_eq!(params(&body)[0].1, "does_not_exist");

    let by_bsn = get(
        &app,
        &format!("/digitaleadressen?verstrektDoorPartij__partijIdentificator__objectId={BSN}"),
    )
    .await;
    spec::assert_valid(&spec, "PaginatedDigitaalAdresList", &by_bsn);
    assert_eq!(by_bsn["count"], 1);
    assert_eq!(by_bsn["results"][0], created);
    let listed = |q: &str| {
        let app = &app;
        let q = q.to_owned();
        async move { get(app, &format!("/digitaleadressen?{q}")).await["count"].clone() }
    };
    assert_eq!(listed("adres__icontains=EXAMPLE").await, 2);
    assert_eq!(
        listed("verificatieDatum__gte=2026-01-15&isGeverifieerd=true").await,
        2
    );
    assert_eq!(listed("verificatieDatum__gt=2026-01-15").await, 0);
    assert_eq!(
        listed("verstrektDoorPartij__soortPartij=organisatie").await,
        0
    );
    let own = format!("verstrektDoorPartij__url={}", s(&partij["url"]));
    assert_eq!(listed(&own).await, 1);

    // The partij names it, and embeds it on request.
    let path = path_of(&app, &partij);
    let now = get(
        &app,
        &format!("{}?expand=digitaleAdressen", &path[API.len()..]),
    )
    .await;
    assert_eq!(now["digitaleAdressen"][0]["uuid"], created["uuid"]);
    assert_eq!(now["_expand"]["digitaleAdressen"][0], created);
    let (status, patched) = send(
        app.request(Method::PATCH, &path)
            .json(&json!({"voorkeursDigitaalAdres": {"uuid": created["uuid"]}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{patched:#}");
    assert_eq!(patched["voorkeursDigitaalAdres"]["uuid"], created["uuid"]);

    let adres_path = path_of(&app, &created);
    let (status, changed) = send(
        app.request(Method::PATCH, &adres_path)
            .json(&json!({"adres": "j.de.vries@example.nl"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed:#}");
    assert_eq!(
        (changed["adres"].as_str(), changed["omschrijving"].as_str()),
        (Some("j.de.vries@example.nl"), Some("Privé"))
    );
    let (status, _) = send(app.request(Method::DELETE, &adres_path)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let now = get(&app, &path[API.len()..]).await;
    assert_eq!(
        (
            now["digitaleAdressen"].clone(),
            now["voorkeursDigitaalAdres"].clone()
        ),
        (json!([]), Value::Null)
    );
    app.stop().await;
}

#[tokio::test]
async fn a_rekeningnummer_needs_a_valid_iban_and_belongs_to_its_partij() {
    let app = TestApp::spawn_bare().await;
    let partij = new_partij(&app, &persoon(json!([]))).await;
    let nummer =
        |iban: &str| json!({"partij": {"uuid": partij["uuid"]}, "iban": iban, "bic": "INGBNL2A"});
    let (status, body) = post(&app, "/rekeningnummers", &nummer("NLAB0417164300")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_eq!(params(&body), [("iban".to_owned(), "invalid".to_owned())]);
    let (status, created) = post(&app, "/rekeningnummers", &nummer("NL91ABNA0417164300")).await;
    assert_eq!(status, StatusCode::CREATED, "{created:#}");
    spec::assert_valid(&spec::load(SPEC), "Rekeningnummer", &created);
    let found = get(&app, "/rekeningnummers?iban=NL91ABNA0417164300").await;
    assert_eq!(
        (found["count"].clone(), found["results"][0].clone()),
        (json!(1), created.clone())
    );
    let now = get(&app, &path_of(&app, &partij)[API.len()..]).await;
    assert_eq!(now["rekeningnummers"][0]["uuid"], created["uuid"]);

    // The partij it belongs to does not change.
    let other = new_partij(&app, &persoon(json!([]))).await;
    let (status, body) = send(
        app.request(Method::PATCH, &path_of(&app, &created))
            .json(&json!({"partij": {"uuid": other["uuid"]}})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    let (status, _) = send(app.request(Method::DELETE, &path_of(&app, &created))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(get(&app, "/rekeningnummers").await["count"], 0);
    app.stop().await;
}

#[tokio::test]
async fn a_part_is_changed_only_at_the_version_its_etag_names() {
    let app = TestApp::spawn_bare().await;
    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    let path = path_of(&app, &partij["partijIdentificatoren"][0]);
    let response = app.request(Method::GET, &path).send().await.unwrap();
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let patch = json!({"anderePartijIdentificator": "klantnummer 7"});
    let stale = app
        .request(Method::PATCH, &path)
        .header("If-Match", "\"stale\"");
    let (status, _) = send(stale.json(&patch)).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let current = app.request(Method::PATCH, &path).header("If-Match", &etag);
    let (status, changed) = send(current.json(&patch)).await;
    assert_eq!(status, StatusCode::OK, "{changed:#}");
    assert_eq!(changed["anderePartijIdentificator"], "klantnummer 7");
    // The partij's stream moved on: the old ETag no longer names it.
    let again = app.request(Method::PATCH, &path).header("If-Match", &etag);
    let (status, _) = send(again.json(&patch)).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    app.stop().await;
}

#[tokio::test]
async fn an_abonnement_on_kanaal_partijen_gets_every_change_of_a_persoon_and_its_parts() {
    use support::webhooks::Receiver;
    use zaakstroom::Role;
    let config = support::test_config().await;
    support::nats(&config).await;
    let roles = [Role::Api, Role::Projector, Role::Notifier, Role::Webhooks];
    let app = TestApp::spawn_bare_with(config, &roles).await;
    let receiver = Receiver::start().await;
    let abonnement = json!({"callbackUrl": receiver.url, "auth": "Bearer geheim",
        "kanalen": [{"naam": "partijen", "filters": {"soortPartij": "persoon"}}]});
    let (status, body) = send(
        app.request(Method::POST, "/notificaties/api/v1/abonnement")
            .json(&abonnement),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body:#}");

    let organisatie = json!({"soortPartij": "organisatie", "indicatieActief": true});
    new_partij(&app, &organisatie).await; // not a persoon: not for this abonnement
    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    let adres = json!({"verstrektDoorPartij": {"uuid": partij["uuid"]},
        "adres": "jan@example.nl", "soortDigitaalAdres": "email"});
    let (status, _) = post(&app, "/digitaleadressen", &adres).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = send(app.request(Method::DELETE, &path_of(&app, &partij))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let delivered = |r: &Receiver| r.delivered().into_iter().filter(|d| !d.is_probe()).count();
    receiver
        .wait_for(std::time::Duration::from_secs(30), |d| {
            d.iter().filter(|r| !r.is_probe()).count() >= 4
        })
        .await;
    assert_eq!(delivered(&receiver), 4);
    let seen: Vec<(String, String)> = receiver
        .delivered()
        .iter()
        .filter(|d| !d.is_probe())
        .map(|d| {
            (
                s(&d.body["resource"]).to_owned(),
                s(&d.body["actie"]).to_owned(),
            )
        })
        .collect();
    let expected = [
        ("partij", "create"),
        ("partijidentificator", "create"),
        ("digitaaladres", "create"),
        ("partij", "destroy"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(r, a)| (r.to_string(), a.to_string()))
        .collect();
    assert_eq!(seen, expected);
    let all = receiver.delivered();
    let first = &all.iter().find(|d| !d.is_probe()).unwrap().body;
    assert_eq!(
        (&first["kanaal"], &first["hoofdObject"]),
        (&json!("partijen"), &partij["url"])
    );
    app.stop().await;
}

#[tokio::test]
async fn a_partij_represents_another_once_and_is_found_by_whom_it_represents() {
    let app = TestApp::spawn_bare().await;
    let spec = spec::load(SPEC);
    let curator = new_partij(&app, &persoon(json!([]))).await;
    let client = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    let body = json!({"vertegenwoordigendePartij": {"uuid": curator["uuid"]},
        "vertegenwoordigdePartij": {"uuid": client["uuid"]}});
    let (status, created) = post(&app, "/vertegenwoordigingen", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{created:#}");
    spec::assert_valid(&spec, "Vertegenwoordigden", &created);

    // The pair once; nobody represents themselves; the represented partij must exist.
    let (status, refused) = post(&app, "/vertegenwoordigingen", &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(
        params(&refused),
        [("nonFieldErrors".to_owned(), "unique".to_owned())]
    );
    let mut zichzelf = body.clone();
    zichzelf["vertegenwoordigdePartij"] = json!({"uuid": curator["uuid"]});
    let (status, refused) = post(&app, "/vertegenwoordigingen", &zichzelf).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(params(&refused)[0].0, "vertegenwoordigdePartij");
    let mut niemand = body.clone();
    niemand["vertegenwoordigdePartij"] = json!({"uuid": uuid::Uuid::new_v4()});
    let (status, refused) = post(&app, "/vertegenwoordigingen", &niemand).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(params(&refused)[0].1, "does_not_exist");

    let represented = format!("vertegenwoordigdePartij__uuid={}", s(&client["uuid"]));
    let found = get(&app, &format!("/partijen?{represented}")).await;
    assert_eq!(
        (found["count"].clone(), found["results"][0]["uuid"].clone()),
        (json!(1), curator["uuid"].clone())
    );
    assert_eq!(
        found["results"][0]["vertegenwoordigden"][0]["uuid"],
        client["uuid"]
    );
    let list = get(&app, &format!("/vertegenwoordigingen?{represented}")).await;
    assert_eq!(list["results"], json!([created]));

    // Another partij represented under the same vertegenwoordiging; then none.
    let other = new_partij(&app, &persoon(json!([]))).await;
    let path = path_of(&app, &created);
    let patch = json!({"vertegenwoordigdePartij": {"uuid": other["uuid"]}});
    let (status, changed) = send(app.request(Method::PATCH, &path).json(&patch)).await;
    assert_eq!(status, StatusCode::OK, "{changed:#}");
    assert_eq!(
        (
            &changed["uuid"],
            &changed["vertegenwoordigdePartij"]["uuid"]
        ),
        (&created["uuid"], &other["uuid"])
    );
    assert_eq!(
        get(&app, &format!("/partijen?{represented}")).await["count"],
        0
    );
    let (status, _) = send(app.request(Method::DELETE, &path)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(get(&app, "/vertegenwoordigingen").await["count"], 0);

    // A represented partij deleted takes the vertegenwoordigingen of it along, as Open
    // Klant's cascade does; the partij that represented stays.
    let (status, again) = post(&app, "/vertegenwoordigingen", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{again:#}");
    let (status, _) = send(app.request(Method::DELETE, &path_of(&app, &client))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(get(&app, "/vertegenwoordigingen").await["count"], 0);
    let curator_now = get(&app, &path_of(&app, &curator)[API.len()..]).await;
    assert_eq!(curator_now["vertegenwoordigden"], json!([]));
    app.stop().await;
}
