//! The filters of `GET /zaken` and `GET /rollen` that Open Zaak 1.30 serves besides the
//! standard's (its document marks them EXPERIMENTEEL; clients such as werkvoorraad and
//! portal apps use them), with its semantics: `icontains` ignores case and takes `%` and
//! `_` literally; `kenmerk` is `<bron>:<kenmerk>`; `status__statustype` is the current
//! status's type; identification filters look only at rollen of their betrokkeneType;
//! `machtiging=eigen` is a rol without indicatieMachtiging.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::TestApp;

async fn post(app: &TestApp, path: &str, body: &Value) -> Value {
    let response = app
        .request(Method::POST, path)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{path}: {body}");
    body
}

/// The urls a list filtered by `query` returns, of those in `among`.
async fn selected(app: &TestApp, list: &str, query: &str, among: &[&Value]) -> Vec<String> {
    let page = app.get_json(&format!("{list}?{query}")).await;
    let results = page["results"]
        .as_array()
        .or(page.as_array())
        .unwrap_or_else(|| {
            panic!("{list}?{query}: {page}");
        });
    results
        .iter()
        .filter_map(|r| r["url"].as_str())
        .filter(|u| among.iter().any(|z| z["url"] == *u))
        .map(str::to_owned)
        .collect()
}

fn urls(of: &[&Value]) -> Vec<String> {
    of.iter()
        .map(|z| z["url"].as_str().unwrap().to_owned())
        .collect()
}

async fn refused(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_experimental_zaak_filters_select_as_open_zaak_does() {
    let app = TestApp::spawn().await;
    let mut one = app.zaak_body();
    one["identificatie"] = json!("ABC-123-xyz");
    one["omschrijving"] = json!("Bouwvergunning dakkapel 100%");
    one["kenmerken"] = json!([{"kenmerk": "K1", "bron": "SYS"}]);
    let one = post(&app, "/zaken/api/v1/zaken", &one).await;
    let mut two = app.zaak_body();
    two["omschrijving"] = json!("Kapvergunning");
    two["kenmerken"] = json!([{"kenmerk": "K2", "bron": "OTHER"}]);
    let two = post(&app, "/zaken/api/v1/zaken", &two).await;
    let all = [&one, &two];
    let zaken = "/zaken/api/v1/zaken";
    for (query, expected) in [
        ("identificatie__icontains=abc-123", vec![&one]),
        ("identificatie__icontains=ABC-124", vec![]),
        ("omschrijving=DAKKAPEL", vec![&one]),
        ("omschrijving=vergunning", vec![&one, &two]),
        ("omschrijving=100%25", vec![&one]),
        ("omschrijving=0_%25", vec![]),
        ("kenmerk=SYS:K1", vec![&one]),
        ("kenmerk=SYS:K2", vec![]),
        ("kenmerk__bron=OTHER", vec![&two]),
        ("zaaktype__omschrijving=parkeerVERGUNNING", vec![&one, &two]),
        ("zaaktype__omschrijving=bouw", vec![]),
        // ZAAK-2026-... after ABC-123-xyz, descending: the generated one first.
        ("ordering=-identificatie,registratiedatum", vec![&two, &one]),
    ] {
        assert_eq!(
            selected(&app, zaken, query, &all).await,
            urls(&expected),
            "{query}"
        );
    }
    // Status and resultaat: the current status's type, the resultaat's type.
    let now = chrono::Utc::now();
    let first = app.types.statustypen[0].clone();
    post(
        &app,
        "/zaken/api/v1/statussen",
        &json!({"zaak": one["url"],
        "statustype": first, "datumStatusGezet": (now - chrono::Duration::hours(1)).to_rfc3339()}),
    )
    .await;
    post(
        &app,
        "/zaken/api/v1/resultaten",
        &json!({"zaak": two["url"],
        "resultaattype": app.types.resultaattype}),
    )
    .await;
    let by_status = format!("status__statustype={first}");
    assert_eq!(selected(&app, zaken, &by_status, &all).await, urls(&[&one]));
    let second = format!("status__statustype={}", app.types.statustypen[1]);
    assert_eq!(
        selected(&app, zaken, &second, &all).await,
        Vec::<String>::new()
    );
    let by_resultaat = format!("resultaat__resultaattype={}", app.types.resultaattype);
    assert_eq!(
        selected(&app, zaken, &by_resultaat, &all).await,
        urls(&[&two])
    );
    // Bad values: 400 with the parameter named.
    for query in ["kenmerk=zonder-dubbele-punt", "status__statustype=geen-url"] {
        let body = refused(&app, &format!("{zaken}?{query}")).await;
        let name = query.split('=').next().unwrap();
        assert_eq!(body["invalidParams"][0]["name"], name, "{body}");
    }
    app.stop().await;
}

#[tokio::test]
async fn identification_filters_look_at_rollen_of_their_betrokkene_type() {
    let app = TestApp::spawn().await;
    let nnp_zaak = app.new_zaak().await;
    let vestiging_zaak = app.new_zaak().await;
    let nnp = post(
        &app,
        "/zaken/api/v1/rollen",
        &json!({"zaak": nnp_zaak["url"],
        "betrokkeneType": "niet_natuurlijk_persoon", "roltype": app.types.roltype,
        "roltoelichting": "aanvrager", "indicatieMachtiging": "gemachtigde",
        "betrokkeneIdentificatie": {"kvkNummer": "12345678", "vestigingsNummer": "000012345678"}}),
    )
    .await;
    let vestiging = post(
        &app,
        "/zaken/api/v1/rollen",
        &json!({"zaak": vestiging_zaak["url"],
        "betrokkeneType": "vestiging", "roltype": app.types.roltype,
        "roltoelichting": "aanvrager",
        "betrokkeneIdentificatie": {"kvkNummer": "12345678", "vestigingsNummer": "000099999999"}}),
    )
    .await;
    let zaken = [&nnp_zaak, &vestiging_zaak];
    let z = "/zaken/api/v1/zaken";
    for (query, expected) in [
        (
            "rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__kvkNummer=12345678",
            vec![&nnp_zaak],
        ),
        (
            "rol__betrokkeneIdentificatie__vestiging__kvkNummer=12345678",
            vec![&vestiging_zaak],
        ),
        (
            "rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__vestigingsNummer=000012345678",
            vec![&nnp_zaak],
        ),
        (
            "rol__betrokkeneIdentificatie__vestiging__vestigingsNummer=000012345678",
            vec![],
        ),
        ("rol__machtiging=gemachtigde", vec![&nnp_zaak]),
        ("rol__machtiging=eigen", vec![&vestiging_zaak]),
        ("rol__machtiging=machtiginggever", vec![]),
    ] {
        assert_eq!(
            selected(&app, z, query, &zaken).await,
            urls(&expected),
            "{query}"
        );
    }
    let rollen = [&nnp, &vestiging];
    let r = "/zaken/api/v1/rollen";
    for (query, expected) in [
        (
            "betrokkeneIdentificatie__vestiging__kvkNummer=12345678",
            vec![&vestiging],
        ),
        (
            "betrokkeneIdentificatie__nietNatuurlijkPersoon__kvkNummer=12345678",
            vec![&nnp],
        ),
        ("machtiging=eigen", vec![&vestiging]),
        ("machtiging=gemachtigde", vec![&nnp]),
    ] {
        assert_eq!(
            selected(&app, r, query, &rollen).await,
            urls(&expected),
            "{query}"
        );
    }
    for path in [
        format!("{z}?rol__machtiging=iedereen"),
        format!("{r}?machtiging=iedereen"),
    ] {
        let body = refused(&app, &path).await;
        assert!(body["invalidParams"][0]["name"]
            .as_str()
            .unwrap()
            .ends_with("machtiging"));
    }
    app.stop().await;
}
