//! The Besluiten API end to end: besluiten and their rules, besluitinformatieobjecten, the
//! brc grants, the audit trail, and the zaakbesluit the process manager keeps in step.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::besluiten::{besluit_body, documenten, s, status_of, API};
use support::catalogi::{besluittype_body, codes};
use support::TestApp;

#[tokio::test]
async fn a_besluit_needs_a_published_besluittype_of_its_zaaks_zaaktype_and_a_past_datum() {
    let app = TestApp::spawn().await;
    let types = app.besluit_types("RULES").await;
    let mut concept = besluittype_body(&types.catalogus);
    concept["omschrijving"] = json!("Nog niet gepubliceerd");
    let concept = app.create_in("besluittypen", &concept).await;
    let (status, body) = app
        .post_besluit(&besluit_body(s(&concept["url"]), None))
        .await;
    assert_eq!(
        (status, codes(&body)),
        (StatusCode::BAD_REQUEST, vec!["not-published".to_owned()])
    );

    // app.types' zaaktype has no besluittypen.
    let other_zaak = app.new_zaak().await;
    let body = besluit_body(&types.besluittype, Some(s(&other_zaak["url"])));
    let (status, body) = app.post_besluit(&body).await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::BAD_REQUEST,
            vec!["zaaktype-mismatch".to_owned()]
        )
    );

    let mut future = besluit_body(&types.besluittype, None);
    future["datum"] = json!("2999-01-01");
    let (status, body) = app.post_besluit(&future).await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::BAD_REQUEST,
            vec!["future_not_allowed".to_owned()]
        )
    );

    let (status, body) = app.post_besluit(&json!({"besluittype": "geen url"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(codes(&body).contains(&"required".to_owned()), "{body:#}");
    app.stop().await;
}

#[tokio::test]
async fn identificatie_is_unique_per_verantwoordelijke_organisatie_and_identity_fields_do_not_change(
) {
    let app = TestApp::spawn_bare().await;
    let types = app.besluit_types("UNIEK").await;
    let mut body = besluit_body(&types.besluittype, None);
    body["identificatie"] = json!("B-1");
    let besluit = app.new_besluit(&body).await;
    let (status, again) = app.post_besluit(&body).await;
    assert_eq!(
        (status, codes(&again)),
        (
            StatusCode::BAD_REQUEST,
            vec!["identificatie-niet-uniek".to_owned()]
        )
    );
    body["verantwoordelijkeOrganisatie"] = json!("002564440");
    app.new_besluit(&body).await;

    let mut concept = besluittype_body(&types.catalogus);
    concept["omschrijving"] = json!("Ander besluittype");
    let other = app.create_in("besluittypen", &concept).await;
    // The other besluittype is a concept too: both of its field's problems are named, as
    // Open Zaak's field validators (immutable, published) report them together.
    for (field, value, codes) in [
        (
            "identificatie",
            json!("B-2"),
            &["wijzigen-niet-toegelaten"][..],
        ),
        (
            "besluittype",
            other["url"].clone(),
            &["wijzigen-niet-toegelaten", "not-published"][..],
        ),
    ] {
        let (status, refused) = app
            .send_json(Method::PATCH, s(&besluit["url"]), &json!({ field: value }))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
        let expected: Vec<_> = codes
            .iter()
            .map(|c| (field.to_owned(), (*c).to_owned()))
            .collect();
        assert_eq!(support::catalogi::invalid_params(&refused), expected);
    }
    let mut put = besluit_body(&types.besluittype, None);
    put["vervaldatum"] = json!("2027-01-01");
    put["vervalreden"] = json!("tijdelijk");
    let (status, updated) = app.send_json(Method::PUT, s(&besluit["url"]), &put).await;
    assert_eq!(status, StatusCode::OK, "{updated:#}");
    assert_eq!(updated["identificatie"], "B-1");
    assert_eq!(
        updated["vervalredenWeergave"],
        "Besluit met tijdelijke werking"
    );

    // Deleting the besluit frees its identificatie.
    assert_eq!(
        status_of(app.request(Method::DELETE, s(&besluit["url"]))).await,
        StatusCode::NO_CONTENT
    );
    body["verantwoordelijkeOrganisatie"] = json!("517439943");
    app.new_besluit(&body).await;
    app.stop().await;
}

#[tokio::test]
async fn the_besluiten_list_filters_pages_and_refuses_unknown_parameters() {
    let app = TestApp::spawn_bare().await;
    let types = app.besluit_types("LIJST").await;
    let zaak = app.new_zaak_of(&types.zaaktype).await;
    let with_zaak = app
        .new_besluit(&besluit_body(&types.besluittype, Some(s(&zaak["url"]))))
        .await;
    app.new_besluit(&besluit_body(&types.besluittype, None))
        .await;
    let all = app.get_json(&format!("{API}/besluiten")).await;
    assert_eq!(all["count"], 2);
    let filtered = app
        .get_json(&format!("{API}/besluiten?zaak={}", s(&zaak["url"])))
        .await;
    assert_eq!(filtered["results"], json!([with_zaak]));
    let by_id = app
        .get_json(&format!(
            "{API}/besluiten?identificatie={}&verantwoordelijkeOrganisatie=517439943",
            s(&with_zaak["identificatie"])
        ))
        .await;
    assert_eq!(by_id["count"], 1);
    let unknown = app.get(&format!("{API}/besluiten?zaaktype=x")).await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);

    let etag = app.get(s(&with_zaak["url"])).await.headers()["etag"].clone();
    let cached = app
        .request(Method::GET, s(&with_zaak["url"]))
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        status_of(app.request(Method::HEAD, s(&with_zaak["url"]))).await,
        StatusCode::OK
    );
    app.stop().await;
}

#[tokio::test]
async fn a_besluitinformatieobject_is_unique_and_its_document_type_belongs_to_the_besluittype() {
    let app = TestApp::spawn_bare().await;
    let types = app.besluit_types("BIO").await;
    let docs = documenten(&[
        ("d1", &types.informatieobjecttype),
        (
            "d2",
            "http://elders.nl/catalogi/api/v1/informatieobjecttypen/x",
        ),
    ])
    .await;
    let besluit = app
        .new_besluit(&besluit_body(&types.besluittype, None))
        .await;
    let bio_body =
        |doc: &str| json!({"informatieobject": docs.document(doc), "besluit": besluit["url"]});
    let path = format!("{API}/besluitinformatieobjecten");
    let (status, bio) = app.send_json(Method::POST, &path, &bio_body("d1")).await;
    assert_eq!(status, StatusCode::CREATED, "{bio:#}");
    assert_eq!(bio["besluit"], besluit["url"]);
    assert_eq!(app.get_json(s(&bio["url"])).await, bio);

    let (status, again) = app.send_json(Method::POST, &path, &bio_body("d1")).await;
    assert_eq!(
        (status, codes(&again)),
        (StatusCode::BAD_REQUEST, vec!["unique".to_owned()])
    );
    let (status, wrong) = app.send_json(Method::POST, &path, &bio_body("d2")).await;
    assert_eq!(
        (status, codes(&wrong)),
        (
            StatusCode::BAD_REQUEST,
            vec!["missing-besluittype-informatieobjecttype-relation".to_owned()]
        )
    );
    let (status, missing) = app.send_json(Method::POST, &path, &bio_body("d3")).await;
    assert_eq!(
        (status, codes(&missing)),
        (StatusCode::BAD_REQUEST, vec!["bad-url".to_owned()])
    );

    let listed = app
        .get_json(&format!("{path}?besluit={}", s(&besluit["url"])))
        .await;
    assert_eq!(listed, json!([bio]));
    assert_eq!(
        status_of(app.request(Method::DELETE, s(&bio["url"]))).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.get_json(&path).await, json!([]));
    app.stop().await;
}

#[tokio::test]
async fn a_client_sees_and_changes_only_besluiten_of_the_besluittypen_it_was_granted() {
    let app = TestApp::spawn_bare().await;
    let mine = app.besluit_types("MIJN").await;
    let theirs = app.besluit_types("HUN").await;
    let visible = app
        .new_besluit(&besluit_body(&mine.besluittype, None))
        .await;
    let hidden = app
        .new_besluit(&besluit_body(&theirs.besluittype, None))
        .await;
    app.grant_limited(json!([{"component": "brc", "scopes": ["besluiten.lezen"],
        "besluittype": mine.besluittype}]))
        .await;
    let list = app.limited_json(&format!("{API}/besluiten")).await;
    assert_eq!(list["results"], json!([visible]), "{list:#}");
    assert_eq!(
        status_of(app.limited(Method::GET, s(&hidden["url"]))).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status_of(app.limited(Method::DELETE, s(&visible["url"]))).await,
        StatusCode::FORBIDDEN
    );
    app.stop().await;
}

#[tokio::test]
async fn a_besluits_audit_trail_has_an_entry_per_change_with_bron_brc() {
    let app = TestApp::spawn_bare().await;
    let types = app.besluit_types("AUDIT").await;
    let besluit = app
        .new_besluit(&besluit_body(&types.besluittype, None))
        .await;
    let (status, _) = app
        .send_json(
            Method::PATCH,
            s(&besluit["url"]),
            &json!({"toelichting": "Herzien"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let trail = app
        .get_json(&format!("{}/audittrail", s(&besluit["url"])))
        .await;
    let trail = trail.as_array().unwrap();
    let acties: Vec<&str> = trail.iter().map(|e| s(&e["actie"])).collect();
    assert_eq!(acties, ["create", "partial_update"]);
    assert!(trail
        .iter()
        .all(|e| e["bron"] == "brc" && e["hoofdObject"] == besluit["url"]));
    assert_eq!(trail[1]["wijzigingen"]["nieuw"]["toelichting"], "Herzien");
    let one = app
        .get_json(&format!(
            "{}/audittrail/{}",
            s(&besluit["url"]),
            s(&trail[0]["uuid"])
        ))
        .await;
    assert_eq!(&one, &trail[0]);
    app.stop().await;
}

#[tokio::test]
async fn a_besluit_is_announced_on_the_besluiten_kanaal_with_its_kenmerken() {
    let app = TestApp::spawn_bare().await;
    let tenant = app.config.tenant.clone();
    let mut zgw = support::Notifications::on(&app, "besluiten").await;
    let types = app.besluit_types("NOTIF").await;
    let besluit = app
        .new_besluit(&besluit_body(&types.besluittype, None))
        .await;
    let (subject, body) = zgw.next().await;
    assert_eq!(subject, format!("zgw.{tenant}.besluiten.besluit.create"));
    assert_eq!(body["hoofdObject"], besluit["url"]);
    assert_eq!(
        body["kenmerken"],
        json!({"verantwoordelijkeOrganisatie": "517439943", "besluittype": types.besluittype})
    );
    app.stop().await;
}

#[tokio::test]
async fn a_nul_character_in_a_nameless_query_parameter_is_a_non_field_error() {
    let app = TestApp::spawn().await;
    for path in [
        "/besluiten/api/v1/besluitinformatieobjecten?=a%00b",
        "/zaken/api/v1/zaken?=%00",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let err: Value = response.json().await.unwrap();
        assert_eq!(err["invalidParams"][0]["name"], "nonFieldErrors", "{err}");
        assert_eq!(
            err["invalidParams"][0]["code"],
            "null_characters_not_allowed"
        );
    }
    app.stop().await;
}
