//! Other ZGW APIs for tests, on port 0: answers GETs of the resources put into it (another
//! Zaken API's zaak, another Documenten API's document, a contactmoment, a verzoek, a
//! communicatiekanaal of a Referentielijsten API) with 200 and their JSON; `/html` with 200
//! and a page that is not JSON; anything else with 404.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::http::{header, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::{Json, Router};
use serde_json::{json, Value};

type Resources = Arc<Mutex<HashMap<String, Value>>>;

pub struct RemoteApis {
    /// `http://127.0.0.1:{port}`
    pub base: String,
    resources: Resources,
}

impl RemoteApis {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let resources: Resources = Arc::default();
        let served = resources.clone();
        let app = Router::new().fallback(move |uri: Uri| {
            let served = served.clone();
            async move {
                if uri.path() == "/html" {
                    return (
                        [(header::CONTENT_TYPE, "text/html")],
                        "<html>geen JSON</html>",
                    )
                        .into_response();
                }
                match served.lock().unwrap().get(uri.path()) {
                    Some(v) => Json(v.clone()).into_response(),
                    None => StatusCode::NOT_FOUND.into_response(),
                }
            }
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base, resources }
    }

    /// Serves `body` (with its `url`) at `path`; its URL.
    pub fn put(&self, path: &str, mut body: Value) -> String {
        let url = format!("{}{path}", self.base);
        body["url"] = json!(url);
        self.resources.lock().unwrap().insert(path.to_owned(), body);
        url
    }

    fn path(collection: &str) -> String {
        format!("{collection}/{}", uuid::Uuid::new_v4())
    }

    pub fn zaak(&self) -> String {
        self.put(
            &Self::path("/zaken/api/v1/zaken"),
            json!({"bronorganisatie": "000000000", "verantwoordelijkeOrganisatie": "000000000",
                "zaaktype": format!("{}/catalogi/api/v1/zaaktypen/1", self.base),
                "startdatum": "2026-01-01", "identificatie": "ELDERS-1"}),
        )
    }

    pub fn document(&self) -> String {
        self.put(
            &Self::path("/documenten/api/v1/enkelvoudiginformatieobjecten"),
            json!({"bronorganisatie": "000000000", "titel": "Elders", "auteur": "Ad",
                "informatieobjecttype": format!("{}/catalogi/api/v1/informatieobjecttypen/1", self.base),
                "creatiedatum": "2026-01-01", "taal": "nld", "versie": 1, "locked": false,
                "indicatieGebruiksrecht": false}),
        )
    }

    pub fn contactmoment(&self) -> String {
        self.put(
            &Self::path("/contactmomenten/api/v1/contactmomenten"),
            json!({"bronorganisatie": "000000000", "kanaal": "telefoon"}),
        )
    }

    pub fn verzoek(&self) -> String {
        self.put(
            &Self::path("/verzoeken/api/v1/verzoeken"),
            json!({"bronorganisatie": "000000000", "identificatie": "V-1"}),
        )
    }

    pub fn communicatiekanaal(&self) -> String {
        self.put(
            &Self::path("/referentielijsten/api/v1/communicatiekanalen"),
            json!({"naam": "E-mail", "omschrijving": "Per e-mail"}),
        )
    }

    pub fn resultaat(&self) -> String {
        self.put(
            &Self::path("/selectielijst/api/v1/resultaten"),
            json!({"procesType": format!("{}/selectielijst/api/v1/procestypen/1", self.base),
                "nummer": 1, "volledigNummer": "1.1", "naam": "Ingericht", "waardering": "vernietigen",
                "procestermijn": "nihil", "bewaartermijn": "P10Y"}),
        )
    }

    /// Any object (a BAG pand, an Objects API object): only that it answers.
    pub fn object(&self) -> String {
        self.put(
            &Self::path("/objecten/api/v1/objecten"),
            json!({"type": "pand"}),
        )
    }

    /// A URL that answers 200 with JSON that is no ZGW resource.
    pub fn unrelated(&self) -> String {
        self.put("/unrelated", json!({"iets": "anders"}))
    }

    /// A URL that answers 404.
    pub fn missing(&self) -> String {
        format!("{}/zaken/api/v1/zaken/{}", self.base, uuid::Uuid::new_v4())
    }

    /// A URL that answers 200 with HTML.
    pub fn html(&self) -> String {
        format!("{}/html", self.base)
    }
}
