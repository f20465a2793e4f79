//! Typed helpers for the Catalogi API: bodies of valid resources and the steps of building
//! a publishable zaaktype.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::TestApp;

pub const API: &str = "/catalogi/api/v1";

/// A catalogus body; `domein` keeps (domein, rsin) unique within a test.
pub fn catalogus_body(domein: &str) -> Value {
    json!({"domein": domein, "rsin": "517439943", "contactpersoonBeheerNaam": "Ad Min",
        "contactpersoonBeheerEmailadres": "beheer@example.nl", "naam": "Test"})
}

pub fn zaaktype_body(catalogus: &str, identificatie: &str) -> Value {
    json!({
        "identificatie": identificatie,
        "omschrijving": "Parkeervergunning aanvragen",
        "vertrouwelijkheidaanduiding": "openbaar",
        "doel": "Een vergunning verlenen",
        "aanleiding": "Een aanvraag",
        "indicatieInternOfExtern": "extern",
        "handelingInitiator": "aanvragen",
        "onderwerp": "Parkeervergunning",
        "handelingBehandelaar": "behandelen",
        "doorlooptijd": "P8W",
        "opschortingEnAanhoudingMogelijk": false,
        "verlengingMogelijk": true,
        "verlengingstermijn": "P2W",
        "publicatieIndicatie": false,
        "productenOfDiensten": ["https://pdc.example.nl/api/v1/producten/1"],
        "referentieproces": {"naam": "Vergunningverlening"},
        "verantwoordelijke": "Team Parkeren",
        "catalogus": catalogus,
        "besluittypen": [],
        "gerelateerdeZaaktypen": [],
        "beginGeldigheid": "2026-01-01",
        "versiedatum": "2026-01-01",
        "trefwoorden": ["parkeren", "vergunning"],
    })
}

pub fn statustype_body(zaaktype: &str, volgnummer: i64) -> Value {
    json!({"zaaktype": zaaktype, "omschrijving": format!("Status {volgnummer}"),
        "volgnummer": volgnummer})
}

pub fn roltype_body(zaaktype: &str) -> Value {
    json!({"zaaktype": zaaktype, "omschrijving": "Aanvrager", "omschrijvingGeneriek": "initiator"})
}

pub fn resultaattype_body(zaaktype: &str) -> Value {
    json!({"zaaktype": zaaktype, "omschrijving": "Verleend",
        "resultaattypeomschrijving": "https://selectielijst.example.nl/api/v1/resultaattypeomschrijvingen/1",
        "selectielijstklasse": "https://selectielijst.example.nl/api/v1/resultaten/1",
        "archiefnominatie": "vernietigen", "archiefactietermijn": "P10Y",
        "brondatumArchiefprocedure": {"afleidingswijze": "afgehandeld"}})
}

pub fn besluittype_body(catalogus: &str) -> Value {
    json!({"catalogus": catalogus, "omschrijving": "Vergunningsbesluit",
        "publicatieIndicatie": false, "informatieobjecttypen": [],
        "beginGeldigheid": "2026-01-01"})
}

pub fn informatieobjecttype_body(catalogus: &str) -> Value {
    json!({"catalogus": catalogus, "omschrijving": "Aanvraagformulier",
        "vertrouwelijkheidaanduiding": "openbaar", "beginGeldigheid": "2026-01-01",
        "informatieobjectcategorie": "Formulier"})
}

/// A published zaaktype and the URLs of its types.
#[derive(Debug, Clone, Default)]
pub struct Types {
    pub catalogus: String,
    pub zaaktype: String,
    /// Volgnummer 1 and 2; the second is the eindstatus.
    pub statustypen: Vec<String>,
    pub roltype: String,
    pub resultaattype: String,
    /// Naam `vervaldatum`, a date.
    pub eigenschap: String,
}

pub fn eigenschap_body(zaaktype: &str) -> Value {
    json!({"zaaktype": zaaktype, "naam": "vervaldatum", "definitie": "Vervaldatum",
        "specificatie": {"formaat": "datum", "lengte": "10", "kardinaliteit": "1"}})
}

impl TestApp {
    /// A new catalogus with a published zaaktype `identificatie` (statustypen 1 and 2, a
    /// roltype, a resultaattype and an eigenschap; itself among its deelzaaktypen).
    pub async fn published_zaaktype(&self, identificatie: &str) -> Types {
        let domein: String = identificatie
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(5)
            .collect();
        let catalogus = self.create_catalogus(&domein.to_uppercase()).await;
        let zaaktype = self.complete_zaaktype(&catalogus, identificatie).await;
        // Its zaken may be each other's deelzaken (hoofdzaak.zaaktype.deelzaaktypen).
        let (status, patched) = self
            .send_json(
                Method::PATCH,
                &zaaktype,
                &json!({"deelzaaktypen": [zaaktype.clone()]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{patched}");
        let eigenschap = self
            .create_in("eigenschappen", &eigenschap_body(&zaaktype))
            .await;
        let (status, published) = self.publish(&zaaktype).await;
        assert_eq!(status, StatusCode::OK, "{published}");
        let url = |v: &Value| v.as_str().unwrap().to_owned();
        Types {
            catalogus,
            statustypen: published["statustypen"]
                .as_array()
                .unwrap()
                .iter()
                .map(url)
                .collect(),
            roltype: url(&published["roltypen"][0]),
            resultaattype: url(&published["resultaattypen"][0]),
            eigenschap: url(&eigenschap["url"]),
            zaaktype,
        }
    }

    /// `method` on `path` (or a full URL) with a JSON body: status and body (null if none).
    pub async fn send_json(&self, method: Method, path: &str, body: &Value) -> (StatusCode, Value) {
        let response = self.request(method, path).json(body).send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// POSTs `body` to `{API}/{collection}`, asserting 201; the created resource.
    pub async fn create_in(&self, collection: &str, body: &Value) -> Value {
        let (status, created) = self
            .send_json(Method::POST, &format!("{API}/{collection}"), body)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{collection}: {created:#}");
        created
    }

    pub async fn create_catalogus(&self, domein: &str) -> String {
        let c = self
            .create_in("catalogussen", &catalogus_body(domein))
            .await;
        c["url"].as_str().unwrap().to_owned()
    }

    /// A concept zaaktype with what publishing needs: two statustypen, a roltype and a
    /// resultaattype. Its URL.
    pub async fn complete_zaaktype(&self, catalogus: &str, identificatie: &str) -> String {
        self.complete_zaaktype_from(&zaaktype_body(catalogus, identificatie))
            .await
    }

    /// Like [`Self::complete_zaaktype`], for the zaaktype `body`.
    pub async fn complete_zaaktype_from(&self, body: &Value) -> String {
        let zaaktype = self.create_in("zaaktypen", body).await;
        let url = zaaktype["url"].as_str().unwrap().to_owned();
        for volgnummer in [1, 2] {
            self.create_in("statustypen", &statustype_body(&url, volgnummer))
                .await;
        }
        self.create_in("roltypen", &roltype_body(&url)).await;
        self.create_in("resultaattypen", &resultaattype_body(&url))
            .await;
        url
    }

    /// POST `{url}/publish`: status and body.
    pub async fn publish(&self, url: &str) -> (StatusCode, Value) {
        self.send_json(Method::POST, &format!("{url}/publish"), &json!({}))
            .await
    }

    pub async fn get_with_status(&self, url_or_path: &str) -> (StatusCode, Value) {
        let response = self.get(url_or_path).await;
        (
            response.status(),
            response.json().await.unwrap_or(Value::Null),
        )
    }
}

/// The `(name, code)` of every invalidParam of a problem body.
pub fn invalid_params(body: &Value) -> Vec<(String, String)> {
    body["invalidParams"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default().to_owned(),
                p["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// The codes of every invalidParam of a problem body.
pub fn codes(body: &Value) -> Vec<String> {
    invalid_params(body).into_iter().map(|(_, c)| c).collect()
}
