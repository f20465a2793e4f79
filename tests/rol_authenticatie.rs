//! A rol's authenticatieContext and geldigheid (Zaken 1.5 experimental, served by Open Zaak
//! 1.30): what portals such as Open Formulieren send when a citizen logged in with DigiD or
//! a company with eHerkenning is stored and returned, refused with Open Zaak's codes, and
//! selected by the `machtiging__loa` filters (at most the level, within its scheme).

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::TestApp;

const DIGID_BASIS: &str = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport";
const DIGID_MIDDEN: &str = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract";
const DIGID_SUBSTANTIEEL: &str = "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard";
const EH_LOA2PLUS: &str = "urn:etoegang:core:assurance-class:loa2plus";
const EH_LOA3: &str = "urn:etoegang:core:assurance-class:loa3";

async fn post(app: &TestApp, path: &str, body: &Value) -> (StatusCode, Value) {
    let r = app
        .request(Method::POST, path)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn params(body: &Value) -> Vec<(String, String)> {
    support::catalogi::invalid_params(body)
}

fn param(name: &str, code: &str) -> (String, String) {
    (name.to_owned(), code.to_owned())
}

fn rol(app: &TestApp, zaak: &Value, betrokkene_type: &str, extra: Value) -> Value {
    let mut body = json!({"zaak": zaak["url"], "betrokkeneType": betrokkene_type,
        "roltype": app.types.roltype, "roltoelichting": "aanvrager",
        "betrokkeneIdentificatie": {}});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

fn digid(level: &str) -> Value {
    json!({"source": "digid", "levelOfAssurance": level})
}

fn eherkenning(level: &str) -> Value {
    json!({"source": "eherkenning", "levelOfAssurance": level, "actingSubject": "4B75A0EA107B3D36"})
}

async fn created(app: &TestApp, body: &Value) -> Value {
    let (status, rol) = post(app, "/zaken/api/v1/rollen", body).await;
    assert_eq!(status, StatusCode::CREATED, "{rol}");
    rol
}

#[tokio::test]
async fn digid_and_eherkenning_contexts_and_the_geldigheid_are_stored_and_returned() {
    let app = TestApp::spawn().await;
    // Each rol on a zaak of its own: the test roltype is the initiator's, one per zaak.
    let gemachtigd = json!({"source": "digid", "levelOfAssurance": DIGID_MIDDEN,
        "representee": {"identifierType": "bsn", "identifier": "111222333"},
        "mandate": {"services": [{"id": "5628edbd-333e-460d-8a69-8f083b8cf1b8"}]}});
    let persoon = created(
        &app,
        &rol(
            &app,
            &app.new_zaak().await,
            "natuurlijk_persoon",
            json!({
            "authenticatieContext": gemachtigd, "indicatieMachtiging": "gemachtigde",
            "beginGeldigheid": "2024-01-01", "eindeGeldigheid": "2024-12-31"}),
        ),
    )
    .await;
    assert_eq!(persoon["authenticatieContext"], gemachtigd);
    assert_eq!(persoon["beginGeldigheid"], "2024-01-01");
    assert_eq!(persoon["eindeGeldigheid"], "2024-12-31");
    assert_eq!(
        app.get_json(persoon["url"].as_str().unwrap()).await,
        persoon
    );

    let mut bedrijf_context = eherkenning(EH_LOA3);
    bedrijf_context["representee"] =
        json!({"identifierType": "kvkNummer", "identifier": "12345678"});
    bedrijf_context["mandate"] = json!({"role": "curator", "services": [
        {"id": "urn:etoegang:DV:00000001002308608000:services:9113",
         "uuid": "34085d78-21aa-4481-a219-b28d7f3282fc"}]});
    let bedrijf = created(
        &app,
        &rol(
            &app,
            &app.new_zaak().await,
            "niet_natuurlijk_persoon",
            json!({
            "authenticatieContext": bedrijf_context, "indicatieMachtiging": "gemachtigde"}),
        ),
    )
    .await;
    assert_eq!(bedrijf["authenticatieContext"], bedrijf_context);
    assert_eq!(bedrijf["beginGeldigheid"], Value::Null);
    let vestiging = created(
        &app,
        &rol(
            &app,
            &app.new_zaak().await,
            "vestiging",
            json!({"authenticatieContext": eherkenning(EH_LOA2PLUS)}),
        ),
    )
    .await;
    assert_eq!(vestiging["authenticatieContext"], eherkenning(EH_LOA2PLUS));

    // Without a context: null. A medewerker has none at all (Open Zaak ignores one sent).
    let zonder = created(
        &app,
        &rol(&app, &app.new_zaak().await, "natuurlijk_persoon", json!({})),
    )
    .await;
    assert_eq!(zonder["authenticatieContext"], Value::Null);
    assert_eq!(zonder["eindeGeldigheid"], Value::Null);
    let medewerker = created(
        &app,
        &rol(
            &app,
            &app.new_zaak().await,
            "medewerker",
            json!({"authenticatieContext": digid(DIGID_BASIS)}),
        ),
    )
    .await;
    assert!(
        medewerker.get("authenticatieContext").is_none(),
        "{medewerker}"
    );
    assert_eq!(
        app.get_json(medewerker["url"].as_str().unwrap()).await,
        medewerker
    );
    app.stop().await;
}

#[tokio::test]
async fn a_context_or_geldigheid_open_zaak_refuses_is_refused_with_its_code() {
    let app = TestApp::spawn().await;
    let zaak = app.new_zaak().await;
    let representee = json!({"identifierType": "bsn", "identifier": "111222333"});
    let cases = [
        // The source and levels of the betrokkeneType's scheme only.
        (
            "natuurlijk_persoon",
            json!({"authenticatieContext": eherkenning(EH_LOA3)}),
            vec![
                param("authenticatieContext.source", "invalid_choice"),
                param("authenticatieContext.levelOfAssurance", "invalid_choice"),
            ],
        ),
        (
            "vestiging",
            json!({"authenticatieContext": {"source": "eherkenning", "levelOfAssurance": EH_LOA3}}),
            vec![param("authenticatieContext.actingSubject", "required")],
        ),
        (
            "natuurlijk_persoon",
            json!({"authenticatieContext": {"source": "digid"}}),
            vec![param("authenticatieContext.levelOfAssurance", "required")],
        ),
        // A representee needs a mandate, a BSN passing the 11-proef, and makes a gemachtigde.
        (
            "natuurlijk_persoon",
            json!({"authenticatieContext": {"source": "digid", "levelOfAssurance": DIGID_MIDDEN,
                "representee": representee}, "indicatieMachtiging": "gemachtigde"}),
            vec![param("authenticatieContext.mandate", "required")],
        ),
        (
            "natuurlijk_persoon",
            json!({"authenticatieContext": {"source": "digid", "levelOfAssurance": DIGID_MIDDEN,
                "representee": {"identifierType": "bsn", "identifier": "123456789"},
                "mandate": {"services": []}}, "indicatieMachtiging": "gemachtigde"}),
            vec![param(
                "authenticatieContext.representee.identifier",
                "invalid",
            )],
        ),
        (
            "niet_natuurlijk_persoon",
            json!({"authenticatieContext": {"source": "eherkenning", "levelOfAssurance": EH_LOA3,
                "actingSubject": "x", "representee": {"identifierType": "kvkNummer", "identifier": "12345678"},
                "mandate": {"services": [{"id": "s", "uuid": "geen-uuid"}]}}, "indicatieMachtiging": "gemachtigde"}),
            vec![param(
                "authenticatieContext.mandate.services.0.uuid",
                "invalid",
            )],
        ),
        (
            "niet_natuurlijk_persoon",
            json!({"authenticatieContext": {"source": "eherkenning", "levelOfAssurance": EH_LOA3,
                "actingSubject": "x", "representee": {"identifierType": "kvkNummer", "identifier": "123456789"},
                "mandate": {"services": []}}, "indicatieMachtiging": "gemachtigde"}),
            vec![param(
                "authenticatieContext.representee.nonFieldErrors",
                "max_length",
            )],
        ),
        (
            "natuurlijk_persoon",
            json!({"authenticatieContext": {"source": "digid", "levelOfAssurance": DIGID_MIDDEN,
                "representee": representee, "mandate": {"services": [{"id": "s"}]}},
                "indicatieMachtiging": "machtiginggever"}),
            vec![param("nonFieldErrors", "indicatie-machtiging-invalid")],
        ),
        // The geldigheid: dates, not ending before it begins.
        (
            "natuurlijk_persoon",
            json!({"beginGeldigheid": "1 januari"}),
            vec![param("beginGeldigheid", "invalid")],
        ),
        (
            "natuurlijk_persoon",
            json!({"beginGeldigheid": "2024-02-01", "eindeGeldigheid": "2024-01-31"}),
            vec![param(
                "eindeGeldigheid",
                "einde-geldigheid-before-begin-geldigheid",
            )],
        ),
    ];
    for (betrokkene_type, extra, expected) in cases {
        let body = rol(&app, &zaak, betrokkene_type, extra);
        let (status, refused) = post(&app, "/zaken/api/v1/rollen", &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {refused}");
        assert_eq!(params(&refused), expected, "{body}");
    }
    // Inside zaak_registreren, named under the rol.
    let mut zaak_body = app.zaak_body();
    zaak_body["identificatie"] = json!("LOA-REG-1");
    let mut bad = rol(
        &app,
        &zaak,
        "natuurlijk_persoon",
        json!({"authenticatieContext": digid("hoog")}),
    );
    bad.as_object_mut().unwrap().remove("zaak");
    let registration = json!({"zaak": zaak_body, "rollen": [bad],
        "status": {"statustype": app.types.statustypen[0], "datumStatusGezet": chrono::Utc::now().to_rfc3339()}});
    let (status, refused) = post(&app, "/zaken/api/v1/zaak_registreren", &registration).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(
        params(&refused),
        [param(
            "rollen.0.authenticatieContext.levelOfAssurance",
            "invalid_choice"
        )]
    );
    app.stop().await;
}

/// The urls a list filtered by `query` returns.
async fn selected(app: &TestApp, list: &str, query: &str) -> Vec<String> {
    let page = app.get_json(&format!("{list}?{query}")).await;
    let results = page["results"]
        .as_array()
        .unwrap_or_else(|| panic!("{list}?{query}: {page}"));
    results
        .iter()
        .map(|r| r["url"].as_str().unwrap().to_owned())
        .collect()
}

fn urls(of: &[&Value]) -> Vec<String> {
    of.iter()
        .map(|z| z["url"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_loa_filters_select_rollen_at_most_the_level_within_its_scheme() {
    let app = TestApp::spawn().await;
    // A zaak with one rol each: DigiD Basis, DigiD Midden, eHerkenning 2+, no context.
    let mut zaken_rollen = Vec::new();
    for (betrokkene_type, context) in [
        ("natuurlijk_persoon", digid(DIGID_BASIS)),
        ("natuurlijk_persoon", digid(DIGID_MIDDEN)),
        ("vestiging", eherkenning(EH_LOA2PLUS)),
        ("natuurlijk_persoon", Value::Null),
    ] {
        let zaak = app.new_zaak().await;
        let extra = json!({ "authenticatieContext": context });
        let rol = created(&app, &rol(&app, &zaak, betrokkene_type, extra)).await;
        zaken_rollen.push((zaak, rol));
    }
    let [(basis_zaak, basis), (midden_zaak, midden), (eh_zaak, eh), _] =
        <[(Value, Value); 4]>::try_from(zaken_rollen).unwrap();
    let loa = |level: &str| level.replace(':', "%3A");
    for (level, rollen, zaken) in [
        (DIGID_BASIS, vec![&basis], vec![&basis_zaak]),
        (
            DIGID_MIDDEN,
            vec![&basis, &midden],
            vec![&basis_zaak, &midden_zaak],
        ),
        (
            DIGID_SUBSTANTIEEL,
            vec![&basis, &midden],
            vec![&basis_zaak, &midden_zaak],
        ),
        ("urn:etoegang:core:assurance-class:loa2", vec![], vec![]),
        (EH_LOA2PLUS, vec![&eh], vec![&eh_zaak]),
        (
            "urn:etoegang:core:assurance-class:loa4",
            vec![&eh],
            vec![&eh_zaak],
        ),
    ] {
        let query = format!("machtiging__loa={}", loa(level));
        assert_eq!(
            selected(&app, "/zaken/api/v1/rollen", &query).await,
            urls(&rollen),
            "{level}"
        );
        let query = format!("rol__machtiging__loa={}", loa(level));
        let mut got = selected(&app, "/zaken/api/v1/zaken", &query).await;
        let mut want = urls(&zaken);
        got.sort();
        want.sort();
        assert_eq!(got, want, "{level}");
    }
    for path in [
        "/zaken/api/v1/rollen?machtiging__loa=loa3",
        "/zaken/api/v1/zaken?rol__machtiging__loa=hoog",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: Value = response.json().await.unwrap();
        let name = path.split(['?', '=']).nth(1).unwrap();
        assert_eq!(params(&body), [param(name, "invalid_choice")], "{path}");
    }
    app.stop().await;
}
