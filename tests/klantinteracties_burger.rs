//! A citizen's picture in one GraphQL query (issue 18): `burger(bsn)` gives the partijen a
//! BSN identifies, with their digitale adressen, rekeningnummers, klantcontacten and the
//! internetaken those led to, and the
//! zaken in which the BSN has a rol; each part under the caller's own grants (klantinteracties by scope,
//! zaken by zaaktype and vertrouwelijkheid), whatever else the query asks.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::klantinteracties::{bsn, maak, new_partij, persoon, post, BSN, OTHER_BSN};
use support::{TestApp, LIMITED_ID, LIMITED_SECRET};

const QUERY: &str = "{ burger(bsn: \"111222333\") { bsn
    partijen { url soortPartij digitaleAdressen { adres soortDigitaalAdres } rekeningnummers { iban }
        klantcontacten { url kanaal } internetaken { url status } }
    zaken { url statussen { url } } } }";

/// A zaak with a rol of the natuurlijk persoon `bsn`, at `vertrouwelijkheid`.
async fn zaak_of(app: &TestApp, vertrouwelijkheid: &str, bsn: &str) -> Value {
    let mut body = app.zaak_body();
    body["vertrouwelijkheidaanduiding"] = json!(vertrouwelijkheid);
    let created = app.create_zaak(&body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let zaak: Value = created.json().await.unwrap();
    let rol = json!({"zaak": zaak["url"], "betrokkeneType": "natuurlijk_persoon",
        "roltype": app.types.roltype, "roltoelichting": "aanvrager",
        "betrokkeneIdentificatie": {"inpBsn": bsn}});
    let response = app
        .request(Method::POST, "/zaken/api/v1/rollen")
        .json(&rol)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    zaak
}

fn urls(list: &Value) -> Vec<&str> {
    let mut urls: Vec<&str> = list
        .as_array()
        .unwrap_or_else(|| panic!("{list}"))
        .iter()
        .map(|v| v["url"].as_str().unwrap())
        .collect();
    urls.sort_unstable();
    urls
}

#[tokio::test]
async fn a_citizens_partijen_and_zaken_come_in_one_query_each_under_the_callers_grants() {
    let app = TestApp::spawn().await;
    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    new_partij(&app, &persoon(json!([bsn(OTHER_BSN)]))).await;
    let adres = json!({"verstrektDoorPartij": {"uuid": partij["uuid"]}, "adres": "jan@example.nl",
        "soortDigitaalAdres": "email", "isStandaardAdres": true, "omschrijving": "Privé"});
    let (status, body) = post(&app, "/digitaleadressen", &adres).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, made) = post(&app, "/maak-klantcontact", &maak(&partij)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let actor = json!({"naam": "Jan", "soortActor": "organisatorische_eenheid"});
    let (status, actor) = post(&app, "/actoren", &actor).await;
    assert_eq!(status, StatusCode::CREATED, "{actor}");
    let taak = json!({"aanleidinggevendKlantcontact": {"uuid": made["klantcontact"]["uuid"]},
        "toegewezenAanActoren": [{"uuid": actor["uuid"]}], "gevraagdeHandeling": "Bellen",
        "status": "te_verwerken"});
    let (status, taak) = post(&app, "/internetaken", &taak).await;
    assert_eq!(status, StatusCode::CREATED, "{taak}");
    let zaaktype = app.types.zaaktype.clone();
    let mine = zaak_of(&app, "openbaar", BSN).await;
    zaak_of(&app, "openbaar", OTHER_BSN).await;
    let secret = zaak_of(&app, "geheim", BSN).await;

    // Everything, for a client that may read everything.
    let all = app.graphql(QUERY).await;
    let burger = &all["data"]["burger"];
    assert_eq!(burger["bsn"], BSN, "{all}");
    assert_eq!(
        burger["partijen"].as_array().map(Vec::len),
        Some(1),
        "{all}"
    );
    assert_eq!(burger["partijen"][0]["url"], partij["url"]);
    assert_eq!(
        burger["partijen"][0]["digitaleAdressen"],
        json!([{"adres": "jan@example.nl", "soortDigitaalAdres": "email"}])
    );
    assert_eq!(
        burger["partijen"][0]["klantcontacten"],
        json!([{"url": made["klantcontact"]["url"], "kanaal": "telefoon"}])
    );
    assert_eq!(
        burger["partijen"][0]["internetaken"],
        json!([{"url": taak["url"], "status": "te_verwerken"}])
    );
    let mut both = vec![
        mine["url"].as_str().unwrap(),
        secret["url"].as_str().unwrap(),
    ];
    both.sort_unstable();
    assert_eq!(urls(&burger["zaken"]), both);

    // A client with zaken.lezen up to openbaar and no klantinteracties scope: the openbare
    // zaak only, no partij.
    app.grant_limited(json!([{"component": "zrc", "scopes": ["zaken.lezen"],
        "zaaktype": zaaktype, "maxVertrouwelijkheidaanduiding": "openbaar"}]))
        .await;
    let limited = app.graphql_as(LIMITED_ID, LIMITED_SECRET, QUERY).await;
    let burger = &limited["data"]["burger"];
    assert_eq!(burger["partijen"], json!([]), "{limited}");
    assert_eq!(urls(&burger["zaken"]), [mine["url"].as_str().unwrap()]);

    // With klantinteracties.lezen too: the partij as well.
    app.grant_limited(json!([
        {"component": "zrc", "scopes": ["zaken.lezen"], "zaaktype": zaaktype,
         "maxVertrouwelijkheidaanduiding": "openbaar"},
        {"component": "kic", "scopes": ["klantinteracties.lezen"]}]))
        .await;
    let more = app.graphql_as(LIMITED_ID, LIMITED_SECRET, QUERY).await;
    assert_eq!(
        urls(&more["data"]["burger"]["partijen"]),
        [partij["url"].as_str().unwrap()]
    );
    app.stop().await;
}
