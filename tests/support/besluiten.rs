//! Besluiten for tests: a catalogue whose zaaktype may have besluiten of a besluittype
//! (with an informatieobjecttype), besluit bodies, and a Documenten API stub on port 0
//! serving enkelvoudiginformatieobjecten of given informatieobjecttypen.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use reqwest::Method;
use serde_json::{json, Value};

use super::catalogi::{besluittype_body, informatieobjecttype_body, zaaktype_body};
use super::TestApp;

pub const API: &str = "/besluiten/api/v1";

/// A published zaaktype with a published besluittype, and that besluittype's
/// informatieobjecttype.
#[derive(Debug, Clone)]
pub struct BesluitTypes {
    pub catalogus: String,
    pub zaaktype: String,
    pub besluittype: String,
    pub informatieobjecttype: String,
}

fn url(v: &Value) -> String {
    v["url"].as_str().unwrap().to_owned()
}

pub fn besluit_body(besluittype: &str, zaak: Option<&str>) -> Value {
    json!({"verantwoordelijkeOrganisatie": "517439943", "besluittype": besluittype,
        "zaak": zaak.unwrap_or_default(), "datum": "2026-11-20", "ingangsdatum": "2026-11-21",
        "toelichting": "Vergunning verleend"})
}

impl TestApp {
    /// A new catalogus `domein` with the types of [`BesluitTypes`], all published.
    pub async fn besluit_types(&self, domein: &str) -> BesluitTypes {
        let catalogus = self.create_catalogus(domein).await;
        let iot = url(&self
            .create_in(
                "informatieobjecttypen",
                &informatieobjecttype_body(&catalogus),
            )
            .await);
        assert!(self.publish(&iot).await.0.is_success());
        let mut bt = besluittype_body(&catalogus);
        bt["informatieobjecttypen"] = json!([iot]);
        let besluittype = url(&self.create_in("besluittypen", &bt).await);
        assert!(self.publish(&besluittype).await.0.is_success());
        let mut zt = zaaktype_body(&catalogus, &format!("ZT-{domein}"));
        zt["besluittypen"] = json!([besluittype]);
        let zaaktype = self.complete_zaaktype_from(&zt).await;
        let (status, body) = self.publish(&zaaktype).await;
        assert!(status.is_success(), "{body:#}");
        BesluitTypes {
            catalogus,
            zaaktype,
            besluittype,
            informatieobjecttype: iot,
        }
    }

    /// A new zaak of `zaaktype`, as created.
    pub async fn new_zaak_of(&self, zaaktype: &str) -> Value {
        let created = self.create_zaak(&super::zaak_body_for(zaaktype)).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        created.json().await.unwrap()
    }

    /// POST /besluiten: status and body.
    pub async fn post_besluit(&self, body: &Value) -> (StatusCode, Value) {
        self.send_json(Method::POST, &format!("{API}/besluiten"), body)
            .await
    }

    /// A new besluit, asserting 201.
    pub async fn new_besluit(&self, body: &Value) -> Value {
        let (status, created) = self.post_besluit(body).await;
        assert_eq!(status, StatusCode::CREATED, "{created:#}");
        created
    }
}

/// The text of a JSON string value.
pub fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

/// The status of a request without a body.
pub async fn status_of(request: reqwest::RequestBuilder) -> StatusCode {
    request.send().await.unwrap().status()
}

/// A Documenten API for tests: `documents` maps a uuid to its informatieobjecttype.
pub struct Documenten {
    pub root: String,
}

impl Documenten {
    pub fn document(&self, uuid: &str) -> String {
        format!("{}enkelvoudiginformatieobjecten/{uuid}", self.root)
    }
}

pub async fn documenten(documents: &[(&str, &str)]) -> Documenten {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let root = format!(
        "http://{}/documenten/api/v1/",
        listener.local_addr().unwrap()
    );
    let resources: HashMap<String, Value> = documents
        .iter()
        .map(|(uuid, iot)| {
            let body = json!({"url": format!("{root}enkelvoudiginformatieobjecten/{uuid}"),
                "identificatie": uuid, "informatieobjecttype": iot, "titel": "Besluit"});
            (uuid.to_string(), body)
        })
        .collect();
    let app = Router::new()
        .route(
            "/documenten/api/v1/enkelvoudiginformatieobjecten/{uuid}",
            get(document),
        )
        .with_state(Arc::new(resources));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Documenten { root }
}

async fn document(
    State(resources): State<Arc<HashMap<String, Value>>>,
    Path(uuid): Path<String>,
) -> Result<Json<Value>, StatusCode> {
    resources
        .get(&uuid)
        .cloned()
        .map(Json)
        .ok_or(StatusCode::NOT_FOUND)
}
