//! Requests and bodies of the Klantinteracties API's end-to-end tests.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::TestApp;

pub const API: &str = "/klantinteracties/api/v1";
pub const SPEC: &str = "klantinteracties-0.9.0-openklant.yaml";
/// Valid BSNs (11-proef).
pub const BSN: &str = "111222333";
pub const OTHER_BSN: &str = "999993653";

pub async fn send(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub async fn post(app: &TestApp, path: &str, body: &Value) -> (StatusCode, Value) {
    send(
        app.request(Method::POST, &format!("{API}{path}"))
            .json(body),
    )
    .await
}

pub async fn get(app: &TestApp, path: &str) -> Value {
    let (status, body) = send(app.request(Method::GET, &format!("{API}{path}"))).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {body:#}");
    body
}

pub fn bsn(object_id: &str) -> Value {
    json!({"partijIdentificator": {
        "codeObjecttype": "natuurlijk_persoon", "codeSoortObjectId": "bsn",
        "objectId": object_id, "codeRegister": "brp"}})
}

pub fn persoon(identificatoren: Value) -> Value {
    json!({
        "soortPartij": "persoon",
        "indicatieActief": true,
        "voorkeurstaal": "nld",
        "partijIdentificatie": {"contactnaam": {
            "voorletters": "J", "voornaam": "Jan", "voorvoegselAchternaam": "de",
            "achternaam": "Vries"}},
        "partijIdentificatoren": identificatoren,
    })
}

pub async fn new_partij(app: &TestApp, body: &Value) -> Value {
    let (status, partij) = post(app, "/partijen", body).await;
    assert_eq!(status, StatusCode::CREATED, "{partij:#}");
    partij
}

/// The `(name, code)` of each invalidParam.
pub fn params(body: &Value) -> Vec<(String, String)> {
    body["invalidParams"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["name"].as_str().unwrap().into(),
                p["code"].as_str().unwrap().into(),
            )
        })
        .collect()
}

pub fn path_of(app: &TestApp, resource: &Value) -> String {
    resource["url"]
        .as_str()
        .unwrap()
        .strip_prefix(&app.base)
        .unwrap()
        .to_owned()
}

pub fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

/// How many reads of partij `uuid` (its own, its parts', or a list page it was on) the read
/// log holds, once the
/// background writer has written them (waits up to 5 s for at least `expected`).
pub async fn reads_of(app: &TestApp, uuid: &Value, expected: i64) -> i64 {
    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    let uuid: uuid::Uuid = uuid.as_str().unwrap().parse().unwrap();
    let mut count = 0;
    for _ in 0..50 {
        count = sqlx::query_scalar(
            "SELECT count(*) FROM read_log
             WHERE bron = 'kic' AND (hoofd_object = $1 OR objects @> ARRAY[$1])",
        )
        .bind(uuid)
        .fetch_one(&pool)
        .await
        .unwrap();
        if count >= expected {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    pool.close().await;
    count
}

/// How many events of streams `{category}-...` the change feed shows the limited client.
pub async fn feed_events(app: &TestApp, category: &str) -> usize {
    let (status, page) = send(app.limited(Method::GET, "/events?limit=1000")).await;
    assert_eq!(status, StatusCode::OK, "{page:#}");
    let prefix = format!("{category}-");
    page["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["stream"].as_str().unwrap().starts_with(&prefix))
        .count()
}

/// A klantcontact's body, by `kanaal`.
pub fn klantcontact(kanaal: &str) -> Value {
    json!({
        "kanaal": kanaal,
        "onderwerp": "Paspoort aanvragen",
        "inhoud": "Hoe vraag ik een paspoort aan?",
        "indicatieContactGelukt": true,
        "taal": "nld",
        "vertrouwelijk": false,
        "plaatsgevondenOp": "2026-12-01T10:00:00Z",
        "metadata": {"bron": "kcc"},
    })
}

/// The body of POST /maak-klantcontact: a telefoon klantcontact with `partij` as its
/// betrokkene, about zaak ZAAK-1.
pub fn maak(partij: &Value) -> Value {
    json!({
        "klantcontact": klantcontact("telefoon"),
        "betrokkene": {
            "wasPartij": {"uuid": partij["uuid"]},
            "rol": "klant",
            "initiator": true,
            "contactnaam": {"voorletters": "J", "voornaam": "Jan",
                "voorvoegselAchternaam": "de", "achternaam": "Vries"},
        },
        "onderwerpobject": {
            "onderwerpobjectidentificator": {"objectId": "ZAAK-1", "codeObjecttype": "zaak",
                "codeRegister": "openzaak", "codeSoortObjectId": "identificatie"},
        },
    })
}
