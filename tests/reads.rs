//! Who read what (issue 19): each read of a zaak, its parts and documents is recorded —
//! client, user, object, instant and the request's X-Doelbinding — off the request path,
//! and a client holding audittrails.lezen finds them in the object's audit trail with
//! `?reads=true`: a detail read as a `retrieve` entry, a page it was on (a list, `_zoek`,
//! GraphQL, the change feed) as a `list` entry naming the list as asked.

mod support;

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::{TestApp, LIMITED_ID};

/// The object's audit trail with reads, once it holds `n` of them (written in batches).
async fn reads_in(app: &TestApp, trail: &str, n: usize) -> Vec<Value> {
    entries_in(app, trail, "retrieve", n).await
}

/// The object's audit trail entries of `actie`, once it holds `n` of them.
async fn entries_in(app: &TestApp, trail: &str, actie: &str, n: usize) -> Vec<Value> {
    for _ in 0..100 {
        let entries = app.get_json(&format!("{trail}?reads=true")).await;
        let reads: Vec<Value> = entries
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["actie"] == actie)
            .cloned()
            .collect();
        if reads.len() >= n {
            return reads;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{trail}: fewer than {n} reads recorded");
}

#[tokio::test]
async fn reads_of_a_zaak_and_its_rol_are_in_its_audit_trail_on_request() {
    let app = TestApp::spawn().await;
    app.grant_limited(json!([{"component": "zrc", "scopes": ["zaken.lezen"],
        "zaaktype": app.types.zaaktype, "maxVertrouwelijkheidaanduiding": "zeer_geheim"}]))
        .await;
    let zaak = app.new_zaak().await;
    let path = app.path_of(&zaak);
    let rol: Value = app
        .request(Method::POST, "/zaken/api/v1/rollen")
        .json(
            &json!({"zaak": zaak["url"], "betrokkeneType": "natuurlijk_persoon",
            "roltype": app.types.roltype, "roltoelichting": "aanvrager",
            "betrokkeneIdentificatie": {"inpBsn": "111222333"}}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for read in [path.clone(), app.path_of(&rol)] {
        let response = app
            .limited(Method::GET, &read)
            .header("X-Doelbinding", "Bezwaarbehandeling")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{read}");
    }
    let trail = format!("{path}/audittrail");
    let reads = reads_in(&app, &trail, 2).await;
    let of = |resource: &str| {
        reads
            .iter()
            .find(|r| r["resource"] == resource)
            .unwrap()
            .clone()
    };
    let (zaak_read, rol_read) = (of("zaak"), of("rol"));
    assert_eq!(zaak_read["applicatieId"], LIMITED_ID);
    assert_eq!(zaak_read["toelichting"], "Bezwaarbehandeling");
    assert_eq!(zaak_read["resourceUrl"], zaak["url"]);
    assert_eq!(zaak_read["hoofdObject"], zaak["url"]);
    assert_eq!(zaak_read["bron"], "zrc");
    assert_eq!(rol_read["resourceUrl"], rol["url"]);
    assert_eq!(rol_read["hoofdObject"], zaak["url"]);
    // Without asking: the audit trail of changes only, as the standard has it.
    let plain = app.get_json(&trail).await;
    assert!(plain
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["actie"] != "retrieve" && e["actie"] != "list"));
    // Time order: the reads come after the creation.
    let all = app.get_json(&format!("{trail}?reads=true")).await;
    assert_eq!(all[0]["actie"], "create");
    // The limited client holds no audittrails.lezen: it cannot see who read what.
    let refused = app.limited(Method::GET, &trail).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    app.stop().await;
}

#[tokio::test]
async fn reads_of_a_document_and_its_content_are_recorded() {
    let app = TestApp::spawn().await;
    let (_, document) = app.new_document().await;
    let url = document["url"].as_str().unwrap().to_owned();
    let path = url.strip_prefix(&app.url("")).unwrap().to_owned();
    assert_eq!(app.get(&path).await.status(), StatusCode::OK);
    app.download(&url).await;
    let reads = reads_in(&app, &format!("{path}/audittrail"), 2).await;
    assert!(reads
        .iter()
        .all(|r| r["bron"] == "drc" && r["resourceUrl"] == url.as_str()));
    app.stop().await;
}

/// Every way of reading zaken in bulk records one read per page naming each zaak on it,
/// and only those: a filtered list, `_zoek`, a nested list of rollen, GraphQL and the
/// change feed.
#[tokio::test]
async fn a_page_of_zaken_is_recorded_as_one_read_of_each_zaak_on_it() {
    let app = TestApp::spawn().await;
    app.grant_limited(json!([{"component": "zrc", "scopes": ["zaken.lezen"],
        "zaaktype": app.types.zaaktype, "maxVertrouwelijkheidaanduiding": "zeer_geheim"}]))
        .await;
    let mut body = app.zaak_body();
    body["identificatie"] = json!("GELEZEN-1");
    let one: Value = app.create_zaak(&body).await.json().await.unwrap();
    let two = app.new_zaak().await;
    app.request(Method::POST, "/zaken/api/v1/rollen")
        .json(
            &json!({"zaak": one["url"], "betrokkeneType": "natuurlijk_persoon",
            "roltype": app.types.roltype, "roltoelichting": "aanvrager",
            "betrokkeneIdentificatie": {"inpBsn": "111222333"}}),
        )
        .send()
        .await
        .unwrap();
    let purpose = "Klacht 42";
    let search = json!({"zaaktype": app.types.zaaktype});
    let lists = [
        (
            Method::GET,
            "/zaken/api/v1/zaken?identificatie=GELEZEN-1",
            None,
        ),
        (Method::POST, "/zaken/api/v1/zaken/_zoek", Some(search)),
        (Method::GET, "/zaken/api/v1/rollen", None),
        (Method::GET, "/events?limit=500", None),
        (
            Method::POST,
            "/graphql",
            Some(json!({"query": "{ zaken(first: 100) { edges { node { url } } } }"})),
        ),
    ];
    for (method, path, body) in lists {
        let mut request = app.limited(method, path).header("X-Doelbinding", purpose);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    let asked = |path: &str| app.url(path);
    let trail = |zaak: &Value| format!("{}/audittrail", app.path_of(zaak));
    let reads = entries_in(&app, &trail(&one), "list", 5).await;
    let mut urls: Vec<&str> = reads
        .iter()
        .map(|r| r["resourceUrl"].as_str().unwrap())
        .collect();
    urls.sort_unstable();
    let mut expected = vec![
        asked("/events"),
        asked("/graphql"),
        asked("/zaken/api/v1/rollen"),
        asked("/zaken/api/v1/zaken/_zoek"),
        asked("/zaken/api/v1/zaken?identificatie=GELEZEN-1"),
    ];
    expected.sort_unstable();
    assert_eq!(urls, expected);
    for read in &reads {
        assert_eq!(read["hoofdObject"], one["url"], "{read}");
        assert_eq!(read["applicatieId"], LIMITED_ID, "{read}");
        assert_eq!(read["toelichting"], purpose, "{read}");
        assert_eq!(read["actieWeergave"], "Lijst opgevraagd", "{read}");
    }
    // The other zaak was on the pages that held it, and only those.
    let reads = entries_in(&app, &trail(&two), "list", 3).await;
    let mut urls: Vec<&str> = reads
        .iter()
        .map(|r| r["resourceUrl"].as_str().unwrap())
        .collect();
    urls.sort_unstable();
    let expected = [
        asked("/events"),
        asked("/graphql"),
        asked("/zaken/api/v1/zaken/_zoek"),
    ];
    assert_eq!(urls, expected);
    app.stop().await;
}

#[tokio::test]
async fn a_page_of_documents_is_recorded_as_a_read_of_each() {
    let app = TestApp::spawn().await;
    let (_, document) = app.new_document().await;
    let url = document["url"].as_str().unwrap().to_owned();
    let path = url.strip_prefix(&app.url("")).unwrap().to_owned();
    let list = "/documenten/api/v1/enkelvoudiginformatieobjecten";
    assert_eq!(app.get(list).await.status(), StatusCode::OK);
    let reads = entries_in(&app, &format!("{path}/audittrail"), "list", 1).await;
    assert_eq!(reads[0]["resourceUrl"], app.url(list));
    assert_eq!(reads[0]["hoofdObject"], url.as_str());
    assert_eq!(reads[0]["bron"], "drc");
    app.stop().await;
}
