//! The Documenten API end to end: documents with content in object storage, versions,
//! the lock, bestandsdelen, gebruiksrechten, objectinformatieobjecten, lists under grants.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use support::catalogi::codes;
use support::documenten::{b64, document_body, API};
use support::TestApp;

fn eio(path: &str) -> String {
    format!("{API}/enkelvoudiginformatieobjecten{path}")
}

#[tokio::test]
async fn a_document_created_with_base64_inhoud_is_served_and_downloaded_byte_for_byte() {
    let app = TestApp::spawn().await;
    let iot = app.published_informatieobjecttype().await;
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let mut body = document_body(&iot);
    body["inhoud"] = b64(&bytes).into();
    let doc = app.create_document(&body).await;
    assert_eq!(doc["versie"], 1);
    assert_eq!(doc["locked"], false);
    assert_eq!(doc["bestandsomvang"], 200_000);
    assert_eq!(
        doc["vertrouwelijkheidaanduiding"], "openbaar",
        "from the type"
    );
    assert!(doc["identificatie"]
        .as_str()
        .unwrap()
        .starts_with("DOCUMENT-"));
    let url = doc["url"].as_str().unwrap();
    let inhoud = doc["inhoud"].as_str().unwrap();
    assert!(inhoud.starts_with(&format!("{url}/download")), "{inhoud}");
    let fetched = app.get_json(url).await;
    assert_eq!(fetched["inhoud"], doc["inhoud"]);
    let downloaded = app.download(inhoud).await;
    assert_eq!(Sha256::digest(&downloaded), Sha256::digest(&bytes));

    let mut bad = document_body(&iot);
    bad["ondertekening"] = json!({"soort": "inkt", "datum": "gisteren"});
    let (status, body) = app.send_json(Method::POST, &eio(""), &bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let names: Vec<String> = support::catalogi::invalid_params(&body)
        .into_iter()
        .map(|(n, c)| format!("{n}:{c}"))
        .collect();
    assert_eq!(
        names,
        [
            "ondertekening.soort:invalid_choice",
            "ondertekening.datum:invalid"
        ]
    );
    let (status, body) = app
        .send_json(Method::POST, &eio(""), &json!({"titel": "zonder velden"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(codes(&body).contains(&"required".to_owned()), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn a_concept_informatieobjecttype_is_refused() {
    let app = TestApp::spawn().await;
    let concept = app
        .create_in(
            "informatieobjecttypen",
            &support::catalogi::informatieobjecttype_body(&app.types.catalogus),
        )
        .await;
    let (status, body) = app
        .send_json(
            Method::POST,
            &eio(""),
            &document_body(concept["url"].as_str().unwrap()),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (StatusCode::BAD_REQUEST, vec!["not-published".to_owned()])
    );
    app.stop().await;
}

#[tokio::test]
async fn every_update_is_a_new_version_readable_by_versie_and_registratie_op() {
    let app = TestApp::spawn().await;
    let iot = app.published_informatieobjecttype().await;
    let mut body = document_body(&iot);
    body["inhoud"] = b64(b"eerste").into();
    let doc = app.create_document(&body).await;
    let url = doc["url"].as_str().unwrap();
    let lock = app.lock(url).await;
    let patch = json!({"titel": "Tweede", "inhoud": b64(b"tweede versie"), "lock": lock});
    let (status, v2) = app.send_json(Method::PATCH, url, &patch).await;
    assert_eq!(status, StatusCode::OK, "{v2}");
    assert_eq!(
        (v2["versie"].clone(), v2["titel"].clone()),
        (json!(2), json!("Tweede"))
    );
    assert_eq!(app.get_json(url).await["versie"], 2);

    let v1 = app.get_json(&format!("{url}?versie=1")).await;
    assert_eq!(
        (v1["versie"].clone(), v1["titel"].clone()),
        (json!(1), json!("Aanvraagformulier"))
    );
    let at = doc["beginRegistratie"].as_str().unwrap();
    let by_time = app
        .get_json(&format!("{url}?registratieOp={}", at.replace('+', "%2B")))
        .await;
    assert_eq!(by_time["versie"], 1);
    assert_eq!(
        app.download(v1["inhoud"].as_str().unwrap()).await,
        b"eerste"
    );
    assert_eq!(
        app.download(v2["inhoud"].as_str().unwrap()).await,
        b"tweede versie"
    );
    assert_eq!(
        app.get(&format!("{url}?versie=9")).await.status(),
        StatusCode::NOT_FOUND
    );
    // A PUT of the whole resource with its own bestandsomvang keeps the content.
    let mut put = document_body(&iot);
    put["bestandsomvang"] = v2["bestandsomvang"].clone();
    put["lock"] = lock.clone().into();
    let (status, v3) = app.send_json(Method::PUT, url, &put).await;
    assert_eq!(
        (status, v3["versie"].clone()),
        (StatusCode::OK, json!(3)),
        "{v3}"
    );
    assert_eq!(
        app.download(v3["inhoud"].as_str().unwrap()).await,
        b"tweede versie"
    );

    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("{url}/unlock"),
            &json!({"lock": lock}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let trail: Value = app.get_json(&format!("{url}/audittrail")).await;
    let acties: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actie"].as_str().unwrap())
        .collect();
    assert_eq!(acties, ["create", "partial_update", "update"]);
    assert_eq!(trail[1]["bron"], "drc");
    assert_eq!(trail[1]["wijzigingen"]["oud"]["versie"], 1);
    app.stop().await;
}

#[tokio::test]
async fn updates_and_unlocks_need_the_lock_id_unless_forced() {
    let app = TestApp::spawn().await;
    let (iot, doc) = app.new_document().await;
    let url = doc["url"].as_str().unwrap();
    let patch = |lock: Option<&str>| {
        let mut p = json!({"titel": "Anders"});
        if let Some(l) = lock {
            p["lock"] = l.into();
        }
        p
    };
    let code_of = |body: &Value| codes(body).first().cloned().unwrap_or_default();
    let (s, body) = app.send_json(Method::PATCH, url, &patch(Some("x"))).await;
    assert_eq!(
        (s, code_of(&body)),
        (StatusCode::BAD_REQUEST, "unlocked".into())
    );
    let lock = app.lock(url).await;
    assert_eq!(app.get_json(url).await["locked"], true);
    let (s, body) = app.send_json(Method::PATCH, url, &patch(None)).await;
    assert_eq!(
        (s, code_of(&body)),
        (StatusCode::BAD_REQUEST, "missing-lock-id".into())
    );
    let (s, body) = app
        .send_json(Method::PATCH, url, &patch(Some("wrong")))
        .await;
    assert_eq!(
        (s, code_of(&body)),
        (StatusCode::BAD_REQUEST, "incorrect-lock-id".into())
    );
    let (s, body) = app
        .send_json(Method::POST, &format!("{url}/lock"), &json!({}))
        .await;
    assert_eq!(
        (s, code_of(&body)),
        (StatusCode::BAD_REQUEST, "existing-lock".into())
    );
    let (s, body) = app.send_json(Method::DELETE, url, &json!({})).await;
    assert_eq!(
        (s, code_of(&body)),
        (StatusCode::BAD_REQUEST, "destroy-locked".into()),
        "a locked document is not deleted, with Open Zaak's code"
    );

    // A client with documenten.lock only cannot unlock without the id.
    app.grant_limited(
        json!([{"component": "drc", "scopes": ["documenten.lock", "documenten.lezen"],
        "informatieobjecttype": iot, "maxVertrouwelijkheidaanduiding": "zeer_geheim"}]),
    )
    .await;
    let response = app
        .limited(Method::POST, &format!("{url}/unlock"))
        .json(&json!({"lock": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // The superuser holds documenten.geforceerd-unlock.
    let (s, body) = app
        .send_json(Method::POST, &format!("{url}/unlock"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(app.get_json(url).await["locked"], false);
    let _ = lock;
    let (s, _) = app.send_json(Method::DELETE, url, &json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(app.get(url).await.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn a_document_with_bestandsomvang_is_uploaded_in_bestandsdelen_and_merged_on_unlock() {
    let app = TestApp::spawn().await;
    let iot = app.published_informatieobjecttype().await;
    let size = 2 * 1024 * 1024 + 123; // three parts of the test server's 1 MiB
    let bytes: Vec<u8> = (0..size).map(|i| (i * 7 % 256) as u8).collect();
    let mut body = document_body(&iot);
    body["bestandsomvang"] = size.into();
    body["inhoud"] = Value::Null;
    let doc = app.create_document(&body).await;
    let url = doc["url"].as_str().unwrap();
    let lock = doc["lock"].as_str().unwrap().to_owned();
    assert_eq!(doc["locked"], true);
    assert!(doc["inhoud"].is_null());
    let delen = doc["bestandsdelen"].as_array().unwrap().clone();
    let omvang: Vec<u64> = delen
        .iter()
        .map(|d| d["omvang"].as_u64().unwrap())
        .collect();
    assert_eq!(omvang, vec![1 << 20, 1 << 20, 123]);

    let (s, body) = app
        .send_json(
            Method::POST,
            &format!("{url}/unlock"),
            &json!({"lock": lock}),
        )
        .await;
    assert_eq!(
        (s, codes(&body)),
        (
            StatusCode::BAD_REQUEST,
            vec!["incomplete-upload".to_owned()]
        )
    );
    let first = delen[0]["url"].as_str().unwrap();
    let (s, body) = app
        .upload_deel(first, "wrong", bytes[..1 << 20].to_vec())
        .await;
    assert_eq!(
        (s, codes(&body)),
        (
            StatusCode::BAD_REQUEST,
            vec!["incorrect-lock-id".to_owned()]
        )
    );
    let (s, body) = app.upload_deel(first, &lock, bytes[..10].to_vec()).await;
    assert_eq!(
        (s, codes(&body)),
        (StatusCode::BAD_REQUEST, vec!["file-size".to_owned()])
    );
    let mut offset = 0;
    for (deel, n) in delen.iter().zip(&omvang) {
        let end = offset + *n as usize;
        let (s, body) = app
            .upload_deel(
                deel["url"].as_str().unwrap(),
                &lock,
                bytes[offset..end].to_vec(),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body["voltooid"], true);
        offset = end;
    }
    let shown = app.get_json(url).await;
    assert!(shown["bestandsdelen"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["voltooid"] == true));
    let (s, body) = app
        .send_json(
            Method::POST,
            &format!("{url}/unlock"),
            &json!({"lock": lock}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
    let done = app.get_json(url).await;
    assert_eq!(done["locked"], false);
    assert_eq!(done["bestandsdelen"], json!([]));
    let downloaded = app.download(done["inhoud"].as_str().unwrap()).await;
    assert_eq!(Sha256::digest(&downloaded), Sha256::digest(&bytes));
    app.stop().await;
}

#[tokio::test]
async fn lists_show_only_what_the_grants_allow_and_refuse_unknown_parameters() {
    let app = TestApp::spawn().await;
    let iot = app.published_informatieobjecttype().await;
    let open = app.create_document(&document_body(&iot)).await;
    let mut geheim = document_body(&iot);
    geheim["vertrouwelijkheidaanduiding"] = "geheim".into();
    geheim["trefwoorden"] = json!(["bouw", "vergunning"]);
    let secret = app.create_document(&geheim).await;
    app.grant_limited(json!([{"component": "drc", "scopes": ["documenten.lezen"],
        "informatieobjecttype": iot, "maxVertrouwelijkheidaanduiding": "openbaar"}]))
        .await;
    let page = app.limited_json(&eio("")).await;
    assert_eq!(page["count"], 1);
    assert_eq!(page["results"][0]["url"], open["url"]);
    let response = app
        .limited(Method::GET, secret["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get_json(&eio("")).await["count"], 2);
    assert_eq!(app.get_json(&eio("?trefwoorden=bouw")).await["count"], 1);
    let ident = open["identificatie"].as_str().unwrap();
    assert_eq!(
        app.get_json(&eio(&format!("?identificatie={ident}"))).await["count"],
        1
    );
    assert_eq!(
        app.get(&eio("?onbekend=1")).await.status(),
        StatusCode::BAD_REQUEST
    );
    let uuid = secret["url"].as_str().unwrap().rsplit('/').next().unwrap();
    let (s, found) = app
        .send_json(Method::POST, &eio("/_zoek"), &json!({"uuid__in": [uuid]}))
        .await;
    assert_eq!((s, found["count"].clone()), (StatusCode::OK, json!(1)));
    let etag = app.get(open["url"].as_str().unwrap()).await.headers()["etag"].clone();
    let cached = app
        .request(Method::GET, open["url"].as_str().unwrap())
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
    let head = app
        .request(Method::HEAD, open["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert!(head.headers().contains_key("etag"));
    app.stop().await;
}

#[tokio::test]
async fn a_definitief_document_is_changed_only_with_geforceerd_bijwerken() {
    let app = TestApp::spawn().await;
    let iot = app.published_informatieobjecttype().await;
    let mut body = document_body(&iot);
    body["status"] = "definitief".into();
    let doc = app.create_document(&body).await;
    let url = doc["url"].as_str().unwrap();
    let grant = |scopes: &[&str]| {
        json!([{"component": "drc", "scopes": scopes, "informatieobjecttype": iot,
            "maxVertrouwelijkheidaanduiding": "zeer_geheim"}])
    };
    app.grant_limited(grant(&["documenten.lock", "documenten.bijwerken"]))
        .await;
    let lock: Value = app
        .limited(Method::POST, &format!("{url}/lock"))
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let patch = json!({"titel": "Gewijzigd", "lock": lock["lock"]});
    let send = || async {
        let response = app
            .limited(Method::PATCH, url)
            .json(&patch)
            .send()
            .await
            .unwrap();
        (response.status(), response.json::<Value>().await.unwrap())
    };
    let (status, body) = send().await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::BAD_REQUEST,
            vec!["modify-status-definitief".to_owned()]
        )
    );
    app.grant_limited(grant(&[
        "documenten.lock",
        "documenten.geforceerd-bijwerken",
    ]))
    .await;
    let (status, body) = send().await;
    assert_eq!(
        (status, body["versie"].clone()),
        (StatusCode::OK, json!(2)),
        "{body}"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_identificatie_is_unique_per_bronorganisatie_and_a_refused_document_does_not_take_it() {
    let app = TestApp::spawn().await;
    let iot = app.published_informatieobjecttype().await;
    let mut body = document_body(&iot);
    body["identificatie"] = "DOC-UNIEK".into();
    body["indicatieGebruiksrecht"] = true.into();
    let (status, refused) = app.send_json(Method::POST, &eio(""), &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    body["indicatieGebruiksrecht"] = Value::Null;
    app.create_document(&body).await;
    let (status, again) = app.send_json(Method::POST, &eio(""), &body).await;
    assert_eq!(
        (status, codes(&again)),
        (
            StatusCode::BAD_REQUEST,
            vec!["identificatie-niet-uniek".to_owned()]
        )
    );
    body["bronorganisatie"] = "002220647".into();
    app.create_document(&body).await;
    app.stop().await;
}
