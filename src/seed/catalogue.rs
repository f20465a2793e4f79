//! The seed's catalogue: one catalogus with published zaaktypen (statustypen, roltypen, a
//! resultaattype and an eigenschap each), written through the Catalogi API itself (in
//! process, as a temporary superuser client), so every object is exactly what a client
//! of the API would have made. A catalogue left by an earlier run is reused.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use tower::ServiceExt;

use super::SeedError;

const API: &str = "/catalogi/api/v1";
/// The catalogus domein of the seed (five characters, as the standard allows).
pub const DOMEIN: &str = "BENCH";
const STATUSTYPEN: &[&str] = &[
    "Ontvangen",
    "In behandeling",
    "Advies gevraagd",
    "Besluit genomen",
    "Afgehandeld",
];

/// A published zaaktype and the URLs of what a zaak of it refers to.
#[derive(Debug, Clone)]
pub struct SeedZaaktype {
    pub url: String,
    /// By volgnummer; the last is the eindstatus.
    pub statustypen: Vec<String>,
    pub roltypen: Vec<String>,
    pub resultaattype: String,
    pub eigenschap: String,
}

#[derive(Debug, Clone)]
pub struct SeedCatalogue {
    pub zaaktypen: Vec<SeedZaaktype>,
}

/// Requests to the in-process API as one client.
pub struct ApiClient {
    pub app: Router,
    pub token: String,
    pub base: String,
}

impl ApiClient {
    pub async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&Value>,
    ) -> Result<(StatusCode, Value), SeedError> {
        let path = url.strip_prefix(&self.base).unwrap_or(url);
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header("Authorization", format!("Bearer {}", self.token))
            .header("Content-Type", "application/json")
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
            .map_err(|e| SeedError::Request(e.to_string()))?;
        let response = self
            .app
            .clone()
            .oneshot(request)
            .await
            .map_err(|e| SeedError::Request(e.to_string()))?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .map_err(|e| SeedError::Request(e.to_string()))?;
        Ok((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        ))
    }

    /// POSTs `body` and expects `expected`; the answer.
    async fn post(
        &self,
        url: &str,
        body: &Value,
        expected: StatusCode,
    ) -> Result<Value, SeedError> {
        let (status, answer) = self.send(Method::POST, url, Some(body)).await?;
        if status != expected {
            return Err(SeedError::Api {
                what: url.to_owned(),
                status,
                body: answer.to_string(),
            });
        }
        Ok(answer)
    }

    async fn create(&self, collection: &str, body: &Value) -> Result<String, SeedError> {
        let created = self
            .post(&format!("{API}/{collection}"), body, StatusCode::CREATED)
            .await?;
        Ok(url_of(&created))
    }

    /// Every result of a paginated list, following `next`.
    async fn list(&self, url: &str) -> Result<Vec<Value>, SeedError> {
        let (mut out, mut next) = (Vec::new(), Some(url.to_owned()));
        while let Some(url) = next {
            let (status, page) = self.send(Method::GET, &url, None).await?;
            if status != StatusCode::OK {
                return Err(SeedError::Api {
                    what: url,
                    status,
                    body: page.to_string(),
                });
            }
            out.extend(page["results"].as_array().cloned().unwrap_or_default());
            next = page["next"].as_str().map(str::to_owned);
        }
        Ok(out)
    }
}

fn url_of(v: &Value) -> String {
    v["url"].as_str().unwrap_or_default().to_owned()
}

/// The seed catalogue with `count` published zaaktypen: the one in the database, or a new one.
pub async fn ensure(api: &ApiClient, count: usize) -> Result<SeedCatalogue, SeedError> {
    let found = api
        .list(&format!("{API}/catalogussen?domein={DOMEIN}"))
        .await?;
    let catalogus = match found.first() {
        Some(c) => url_of(c),
        None => create(api, count).await?,
    };
    let zaaktypen = api
        .list(&format!("{API}/zaaktypen?catalogus={catalogus}"))
        .await?;
    if zaaktypen.len() != count {
        return Err(SeedError::Catalogue(format!(
            "catalogus {DOMEIN} holds {} published zaaktypen, not {count} (an earlier run \
             stopped while creating it or used another --zaaktypen: seed a fresh database; or \
             the read models were built with another ZAAKSTROOM_PUBLIC_URL: rebuild them)",
            zaaktypen.len()
        )));
    }
    let mut out: Vec<SeedZaaktype> = futures::stream::iter(zaaktypen.iter().map(|z| load(api, z)))
        .buffered(8)
        .try_collect()
        .await?;
    out.sort_by(|a, b| a.url.cmp(&b.url));
    Ok(SeedCatalogue { zaaktypen: out })
}

async fn create(api: &ApiClient, count: usize) -> Result<String, SeedError> {
    let catalogus = api
        .create("catalogussen", &json!({"domein": DOMEIN, "rsin": "517439943", "naam": "Benchmark",
            "contactpersoonBeheerNaam": "Beheer", "contactpersoonBeheerEmailadres": "beheer@example.nl"}))
        .await?;
    futures::stream::iter((0..count).map(|i| zaaktype(api, &catalogus, i)))
        .buffer_unordered(4)
        .try_collect::<Vec<()>>()
        .await?;
    Ok(catalogus)
}

/// One zaaktype with everything publishing needs, published.
async fn zaaktype(api: &ApiClient, catalogus: &str, i: usize) -> Result<(), SeedError> {
    let url = api
        .create("zaaktypen", &json!({
            "identificatie": format!("BENCH-{i:03}"), "omschrijving": format!("Benchmarkzaak {i}"),
            "vertrouwelijkheidaanduiding": "openbaar", "doel": "Een benchmark", "aanleiding": "Een aanvraag",
            "indicatieInternOfExtern": "extern", "handelingInitiator": "aanvragen", "onderwerp": "Benchmark",
            "handelingBehandelaar": "behandelen", "doorlooptijd": "P8W",
            "opschortingEnAanhoudingMogelijk": false, "verlengingMogelijk": false,
            "publicatieIndicatie": false, "productenOfDiensten": [],
            "referentieproces": {"naam": "Benchmark"}, "verantwoordelijke": "Team Benchmark",
            "catalogus": catalogus, "besluittypen": [], "gerelateerdeZaaktypen": [],
            "beginGeldigheid": "2019-01-01", "versiedatum": "2019-01-01", "trefwoorden": [],
        }))
        .await?;
    for (n, omschrijving) in STATUSTYPEN.iter().enumerate() {
        let body = json!({"zaaktype": url, "omschrijving": omschrijving, "volgnummer": n + 1});
        api.create("statustypen", &body).await?;
    }
    for (omschrijving, generiek) in [
        ("Aanvrager", "initiator"),
        ("Belanghebbende", "belanghebbende"),
    ] {
        let body = json!({"zaaktype": url, "omschrijving": omschrijving, "omschrijvingGeneriek": generiek});
        api.create("roltypen", &body).await?;
    }
    api.create("resultaattypen", &json!({"zaaktype": url, "omschrijving": "Verleend",
        "resultaattypeomschrijving": "https://selectielijst.example.nl/api/v1/resultaattypeomschrijvingen/1",
        "selectielijstklasse": "https://selectielijst.example.nl/api/v1/resultaten/1",
        "archiefnominatie": "vernietigen", "archiefactietermijn": "P10Y",
        "brondatumArchiefprocedure": {"afleidingswijze": "afgehandeld"}}))
        .await?;
    api.create(
        "eigenschappen",
        &json!({"zaaktype": url, "naam": "kenteken", "definitie": "Kenteken",
        "specificatie": {"formaat": "tekst", "lengte": "8", "kardinaliteit": "1"}}),
    )
    .await?;
    api.post(&format!("{url}/publish"), &json!({}), StatusCode::OK)
        .await?;
    Ok(())
}

/// A published zaaktype's statustypen (by volgnummer), roltypen, resultaattype, eigenschap.
async fn load(api: &ApiClient, zaaktype: &Value) -> Result<SeedZaaktype, SeedError> {
    let url = url_of(zaaktype);
    let mut statustypen = api
        .list(&format!("{API}/statustypen?zaaktype={url}"))
        .await?;
    statustypen.sort_by_key(|s| s["volgnummer"].as_i64());
    let urls = |field: &str| -> Vec<String> {
        zaaktype[field]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    let (roltypen, resultaattypen, eigenschappen) = (
        urls("roltypen"),
        urls("resultaattypen"),
        urls("eigenschappen"),
    );
    match (
        statustypen.len(),
        roltypen.is_empty(),
        resultaattypen.first(),
        eigenschappen.first(),
    ) {
        (n, false, Some(resultaattype), Some(eigenschap)) if n >= 3 => Ok(SeedZaaktype {
            statustypen: statustypen.iter().map(url_of).collect(),
            resultaattype: resultaattype.clone(),
            eigenschap: eigenschap.clone(),
            roltypen,
            url,
        }),
        _ => Err(SeedError::Catalogue(format!(
            "zaaktype {url} lacks what a seeded zaak needs"
        ))),
    }
}
