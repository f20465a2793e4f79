//! Documenten API helpers: a published informatieobjecttype and documents.

use base64::Engine as _;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::catalogi::informatieobjecttype_body;
use super::TestApp;

pub const API: &str = "/documenten/api/v1";

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A document of `informatieobjecttype` with the fields a ZGW client typically sends.
pub fn document_body(informatieobjecttype: &str) -> Value {
    json!({
        "bronorganisatie": "517439943",
        "creatiedatum": "2026-11-01",
        "titel": "Aanvraagformulier",
        "auteur": "Tester",
        "taal": "nld",
        "bestandsnaam": "aanvraag.txt",
        "formaat": "text/plain",
        "informatieobjecttype": informatieobjecttype,
    })
}

/// A gebruiksrecht of document `informatieobject`.
pub fn gebruiksrecht(informatieobject: &str) -> Value {
    json!({"informatieobject": informatieobject, "startdatum": "2026-11-01T00:00:00Z",
        "omschrijvingVoorwaarden": "Alleen intern"})
}

impl TestApp {
    /// A published informatieobjecttype (vertrouwelijkheidaanduiding `openbaar`) in the
    /// app's catalogus.
    pub async fn published_informatieobjecttype(&self) -> String {
        let iot = self
            .create_in(
                "informatieobjecttypen",
                &informatieobjecttype_body(&self.types.catalogus),
            )
            .await;
        let url = iot["url"].as_str().unwrap().to_owned();
        let (status, body) = self.publish(&url).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        url
    }

    /// A published informatieobjecttype and a document of it: (type URL, document).
    pub async fn new_document(&self) -> (String, Value) {
        let iot = self.published_informatieobjecttype().await;
        let doc = self.create_document(&document_body(&iot)).await;
        (iot, doc)
    }

    /// A published zaaktype (in the app's catalogus) whose zaken may hold documents of a
    /// new published informatieobjecttype: (informatieobjecttype, the published zaaktype).
    pub async fn zaaktype_with_documents(&self) -> (String, Value) {
        let iot = self.published_informatieobjecttype().await;
        let zaaktype = self
            .complete_zaaktype(&self.types.catalogus, "ZT-DOC")
            .await;
        let relation = json!({"zaaktype": zaaktype, "informatieobjecttype": iot,
            "volgnummer": 1, "richting": "inkomend"});
        self.create_in("zaaktype-informatieobjecttypen", &relation)
            .await;
        let (status, published) = self.publish(&zaaktype).await;
        assert_eq!(status, StatusCode::OK, "{published}");
        (iot, published)
    }

    /// POSTs a document, asserting 201; the created resource.
    pub async fn create_document(&self, body: &Value) -> Value {
        let (status, created) = self
            .send_json(
                Method::POST,
                &format!("{API}/enkelvoudiginformatieobjecten"),
                body,
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created:#}");
        created
    }

    /// The bytes of a download (asserting 200).
    pub async fn download(&self, url: &str) -> Vec<u8> {
        let response = self.get(url).await;
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        response.bytes().await.unwrap().to_vec()
    }

    /// POST `{document}/lock`: the lock id.
    pub async fn lock(&self, document: &str) -> String {
        let (status, body) = self
            .send_json(Method::POST, &format!("{document}/lock"), &json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["lock"].as_str().unwrap().to_owned()
    }

    /// PUT one bestandsdeel as multipart/form-data: status and body.
    pub async fn upload_deel(&self, url: &str, lock: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
        let form = reqwest::multipart::Form::new()
            .text("lock", lock.to_owned())
            .part(
                "inhoud",
                reqwest::multipart::Part::bytes(bytes).file_name("deel"),
            );
        let response = self
            .request(Method::PUT, url)
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}
