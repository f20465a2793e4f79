//! The list filters Open Zaak 1.30 serves on the Documenten and Catalogi APIs beyond the
//! standard's, with its semantics: each test makes objects that do and do not match.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::catalogi::{codes, invalid_params, roltype_body, zaaktype_body};
use support::documenten::{document_body, API};
use support::TestApp;

/// The values of `field` of every result of the list at `path`, in order.
async fn listed(app: &TestApp, path: &str, field: &str) -> Vec<String> {
    let page = app.get_json(path).await;
    let results = page["results"]
        .as_array()
        .unwrap_or_else(|| panic!("{path}: {page}"));
    results
        .iter()
        .map(|r| r[field].as_str().unwrap().to_owned())
        .collect()
}

fn eio(query: &str) -> String {
    format!("{API}/enkelvoudiginformatieobjecten?{query}")
}

/// Three documents: (titel, auteur, beschrijving, creatiedatum, vertrouwelijkheid,
/// trefwoorden, second type?), the third locked.
async fn three_documents(app: &TestApp) -> (String, String) {
    let iot = app.published_informatieobjecttype().await;
    let mut body = support::catalogi::informatieobjecttype_body(&app.types.catalogus);
    body["omschrijving"] = "Bezwaar".into();
    let other = app.create_in("informatieobjecttypen", &body).await;
    let other = other["url"].as_str().unwrap().to_owned();
    assert_eq!(app.publish(&other).await.0, StatusCode::OK);
    let docs = [
        (
            "Aanvraag Bouwvergunning",
            "Jan Jansen",
            "Eerste aanvraag",
            "2026-01-10",
            "openbaar",
            json!(["bouw", "vergunning"]),
            &iot,
        ),
        (
            "Bezwaarschrift",
            "Piet Pieters",
            "",
            "2026-03-01",
            "intern",
            json!(["bezwaar"]),
            &other,
        ),
        (
            "Besluit op aanvraag",
            "jan de Vries",
            "Tweede",
            "2026-02-01",
            "geheim",
            json!([]),
            &iot,
        ),
    ];
    let mut last = Value::Null;
    for (titel, auteur, beschrijving, creatiedatum, vertrouwelijk, trefwoorden, iot) in docs {
        let mut body = document_body(iot);
        body["titel"] = titel.into();
        body["auteur"] = auteur.into();
        body["beschrijving"] = beschrijving.into();
        body["creatiedatum"] = creatiedatum.into();
        body["vertrouwelijkheidaanduiding"] = vertrouwelijk.into();
        body["trefwoorden"] = trefwoorden;
        last = app.create_document(&body).await;
    }
    app.lock(last["url"].as_str().unwrap()).await;
    (iot, other)
}

#[tokio::test]
async fn documents_are_filtered_and_ordered_as_open_zaak_does_under_the_callers_grants() {
    let app = TestApp::spawn().await;
    let (iot, other) = three_documents(&app).await;
    const BOUW: &str = "Aanvraag Bouwvergunning";
    const BEZWAAR: &str = "Bezwaarschrift";
    const BESLUIT: &str = "Besluit op aanvraag";
    let cases: Vec<(String, Vec<&str>)> = vec![
        ("".into(), vec![BOUW, BEZWAAR, BESLUIT]),
        // auteur, titel and beschrijving: a part, case-insensitively.
        ("auteur=JAN".into(), vec![BOUW, BESLUIT]),
        ("titel=aanvraag".into(), vec![BOUW, BESLUIT]),
        ("beschrijving=EERSTE".into(), vec![BOUW]),
        (
            "creatiedatum__gte=2026-02-01".into(),
            vec![BEZWAAR, BESLUIT],
        ),
        ("creatiedatum__lte=2026-02-01".into(), vec![BOUW, BESLUIT]),
        (
            "creatiedatum__gte=2026-02-01&creatiedatum__lte=2026-02-01".into(),
            vec![BESLUIT],
        ),
        (format!("informatieobjecttype={other}"), vec![BEZWAAR]),
        (format!("informatieobjecttype={iot}"), vec![BOUW, BESLUIT]),
        ("locked=true".into(), vec![BESLUIT]),
        ("locked=False".into(), vec![BOUW, BEZWAAR]),
        // Neither true nor false: no filter (django-filter's BooleanWidget).
        ("locked=misschien".into(), vec![BOUW, BEZWAAR, BESLUIT]),
        ("vertrouwelijkheidaanduiding=intern".into(), vec![BEZWAAR]),
        // __overlap: any of them; the plain filter: all of them.
        (
            "trefwoorden__overlap=bouw,bezwaar".into(),
            vec![BOUW, BEZWAAR],
        ),
        ("trefwoorden=bouw,bezwaar".into(), vec![]),
        ("trefwoorden=vergunning,bouw".into(), vec![BOUW]),
        ("ordering=titel".into(), vec![BOUW, BESLUIT, BEZWAAR]),
        (
            "ordering=-creatiedatum".into(),
            vec![BEZWAAR, BESLUIT, BOUW],
        ),
        // The value's text, as Open Zaak's CharField sorts: geheim, intern, openbaar.
        (
            "ordering=vertrouwelijkheidaanduiding".into(),
            vec![BESLUIT, BEZWAAR, BOUW],
        ),
        ("ordering=-titel&auteur=jan".into(), vec![BESLUIT, BOUW]),
    ];
    for (query, want) in cases {
        let got = listed(&app, &eio(&query), "titel").await;
        assert_eq!(got, want, "?{query}");
    }
    let response = app
        .get(&eio("ordering=kleur&vertrouwelijkheidaanduiding=stil&creatiedatum__gte=gisteren&informatieobjecttype=iot"))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(
        invalid_params(&problem),
        [
            ("ordering", "invalid_choice"),
            ("vertrouwelijkheidaanduiding", "invalid_choice"),
            ("creatiedatum__gte", "invalid"),
            ("informatieobjecttype", "invalid"),
        ]
        .map(|(n, c)| (n.to_owned(), c.to_owned()))
    );
    // The filters narrow what the grants allow: the geheim document stays out of sight.
    app.grant_limited(json!([{"component": "drc", "scopes": ["documenten.lezen"],
        "informatieobjecttype": iot, "maxVertrouwelijkheidaanduiding": "openbaar"}]))
        .await;
    let page = app.limited_json(&eio("titel=aanvraag")).await;
    assert_eq!(page["count"], 1);
    assert_eq!(page["results"][0]["titel"], BOUW);
    app.stop().await;
}

#[tokio::test]
async fn documents_are_filtered_on_the_objects_they_are_linked_to_and_their_type() {
    let app = TestApp::spawn().await;
    let remote = support::remote::RemoteApis::start().await;
    let iot = app.published_informatieobjecttype().await;
    let oio = format!("{API}/objectinformatieobjecten");
    let zaak = remote.zaak();
    let verzoek = remote.verzoek();
    let mut titels = Vec::new();
    for (titel, object, object_type) in [
        ("Bij de zaak", Some(&zaak), "zaak"),
        ("Bij het verzoek", Some(&verzoek), "verzoek"),
        ("Los", None, ""),
    ] {
        let mut body = document_body(&iot);
        body["titel"] = titel.into();
        let doc = app.create_document(&body).await;
        titels.push(titel);
        if let Some(object) = object {
            let link = json!({"informatieobject": doc["url"], "object": object,
                "objectType": object_type});
            let (s, created) = app.send_json(Method::POST, &oio, &link).await;
            assert_eq!(s, StatusCode::CREATED, "{created}");
        }
    }
    let cases = [
        (
            format!("objectinformatieobjecten__object={zaak}"),
            vec!["Bij de zaak"],
        ),
        (
            format!("objectinformatieobjecten__object={verzoek}"),
            vec!["Bij het verzoek"],
        ),
        (
            "objectinformatieobjecten__objectType=verzoek".into(),
            vec!["Bij het verzoek"],
        ),
        (
            "objectinformatieobjecten__objectType=besluit".into(),
            vec![],
        ),
        // Open Zaak's ObjectFilter: a URL that is no zaak, besluit or verzoek matches nothing.
        (
            format!("objectinformatieobjecten__object={}", remote.object()),
            vec![],
        ),
    ];
    for (query, want) in cases {
        assert_eq!(listed(&app, &eio(&query), "titel").await, want, "?{query}");
    }
    let response = app
        .get(&eio(
            "objectinformatieobjecten__objectType=rol&objectinformatieobjecten__object=x",
        ))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(codes(&problem), ["invalid_choice", "invalid"]);
    app.stop().await;
}

fn catalogi(path: &str) -> String {
    format!("{}/{path}", support::catalogi::API)
}

#[tokio::test]
async fn catalogi_lists_take_open_zaaks_extra_filters() {
    let app = TestApp::spawn_bare().await;
    let catalogus = app.create_catalogus("FILTR").await;
    let park = app.complete_zaaktype(&catalogus, "ZT-PARK-01").await;
    let zot = |zaaktype: &str, omschrijving: &str| {
        json!({"zaaktype": zaaktype, "anderObjecttype": false,
            "objecttype": "https://objecttypen.example.nl/api/v1/objecttypes/1",
            "relatieOmschrijving": omschrijving})
    };
    app.create_in("zaakobjecttypen", &zot(&park, "Voertuig"))
        .await;
    let (status, published) = app.publish(&park).await;
    assert_eq!(status, StatusCode::OK, "{published}");
    let mut bouw = zaaktype_body(&catalogus, "ZT-BOUW-02");
    bouw["omschrijving"] = "Bouwvergunning".into();
    let bouw = app.complete_zaaktype_from(&bouw).await; // stays a concept
    app.create_in("zaakobjecttypen", &zot(&bouw, "Pand")).await;
    let mut behandelaar = roltype_body(&bouw);
    behandelaar["omschrijving"] = "Behandelaar".into();
    behandelaar["omschrijvingGeneriek"] = "behandelaar".into();
    app.create_in("roltypen", &behandelaar).await;
    let mut formulier = support::catalogi::informatieobjecttype_body(&catalogus);
    formulier["omschrijving"] = "Aanvraagformulier".into();
    let formulier = app.create_in("informatieobjecttypen", &formulier).await;
    let mut tekening = support::catalogi::informatieobjecttype_body(&catalogus);
    tekening["omschrijving"] = "Bouwtekening".into();
    app.create_in("informatieobjecttypen", &tekening).await;
    let relation = json!({"zaaktype": bouw, "informatieobjecttype": formulier["url"],
        "volgnummer": 1, "richting": "inkomend"});
    app.create_in("zaaktype-informatieobjecttypen", &relation)
        .await;

    let all = format!("catalogus={catalogus}&status=alles");
    let cases: Vec<(String, &str, Vec<&str>)> = vec![
        (
            format!("zaaktypen?{all}&identificatie__icontains=park"),
            "identificatie",
            vec!["ZT-PARK-01"],
        ),
        (
            format!("zaaktypen?{all}&omschrijving__icontains=VERGUNNING"),
            "identificatie",
            vec!["ZT-PARK-01", "ZT-BOUW-02"],
        ),
        (
            format!("zaaktypen?{all}&omschrijving__icontains=bouw"),
            "identificatie",
            vec!["ZT-BOUW-02"],
        ),
        (
            format!("informatieobjecttypen?{all}&omschrijving__icontains=TEKEN"),
            "omschrijving",
            vec!["Bouwtekening"],
        ),
        // zaaktype: through the zaaktype-informatieobjecttypen.
        (
            format!("informatieobjecttypen?status=alles&zaaktype={bouw}"),
            "omschrijving",
            vec!["Aanvraagformulier"],
        ),
        (
            format!("informatieobjecttypen?status=alles&zaaktype={park}"),
            "omschrijving",
            vec![],
        ),
        // roltypen' omschrijving: a part, case-insensitively.
        (
            format!("roltypen?status=alles&zaaktype={bouw}&omschrijving=VRAGER"),
            "omschrijving",
            vec!["Aanvrager"],
        ),
        (
            format!("roltypen?status=alles&zaaktype={bouw}&omschrijving=handel"),
            "omschrijving",
            vec!["Behandelaar"],
        ),
        (
            "resultaattypen?zaaktypeIdentificatie=ZT-PARK-01".into(),
            "zaaktype",
            vec![park.as_str()],
        ),
        (
            "resultaattypen?zaaktype_identificatie=ZT-PARK-01".into(),
            "zaaktype",
            vec![park.as_str()],
        ),
        (
            "resultaattypen?zaaktypeIdentificatie=ZT-PARK-01&datumGeldigheid=2025-06-01".into(),
            "zaaktype",
            vec![],
        ),
        (
            "resultaattypen?zaaktypeIdentificatie=ZT-PARK-01&datumGeldigheid=2026-06-01".into(),
            "zaaktype",
            vec![park.as_str()],
        ),
        // zaakobjecttypen: published zaaktypen' only, unless status says otherwise.
        (
            format!("zaakobjecttypen?catalogus={catalogus}"),
            "relatieOmschrijving",
            vec!["Voertuig"],
        ),
        (
            format!("zaakobjecttypen?catalogus={catalogus}&status=concept"),
            "relatieOmschrijving",
            vec!["Pand"],
        ),
        (
            format!("zaakobjecttypen?catalogus={catalogus}&status=alles"),
            "relatieOmschrijving",
            vec!["Voertuig", "Pand"],
        ),
    ];
    for (path, field, want) in cases {
        let got = listed(&app, &catalogi(&path), field).await;
        assert_eq!(got, want, "{path}");
    }
    let (status, problem) = app
        .get_with_status(&catalogi("informatieobjecttypen?zaaktype=geen-url"))
        .await;
    assert_eq!(
        (status, invalid_params(&problem)),
        (
            StatusCode::BAD_REQUEST,
            vec![("zaaktype".to_owned(), "invalid".to_owned())]
        )
    );
    app.stop().await;
}
