//! The Contactgegevens API 1.1.1 (Open Klant 2.x) end to end, over real PostgreSQL and
//! NATS: a persoon and an organisatie kept, changed and deleted, each response checked
//! against Open Klant's document, reached with an Open Klant token as its clients send
//! it, each write in the object's audit trail and its past readable with `?asOf=`.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::klantinteracties::{params, path_of, send};
use support::{spec, TestApp, LIMITED_ID};

const API: &str = "/contactgegevens/api/v1";
const SPEC: &str = "contactgegevens-1.1.1-openklant.yaml";

/// A persoon with an adres. (Its nummeraanduidingId is given: Open Klant renders a blank
/// one as `""`, as Zaakstroom does, which its own document's pattern refuses.)
fn persoon() -> Value {
    json!({
        "geboortedatum": "1980-02-03",
        "geslachtsnaam": "Vries",
        "geslacht": "v",
        "voorvoegsel": "de",
        "voornamen": "Anna",
        "adres": {"nummeraanduidingId": "0344200000123456", "straatnaam": "Markt", "huisnummer": 1, "postcode": "1234 AB",
            "stad": "Utrecht", "land": "NL"},
    })
}

#[tokio::test]
async fn a_persoon_and_an_organisatie_are_kept_changed_and_deleted_with_an_open_klant_token() {
    let app = TestApp::spawn().await;
    let spec = spec::load(SPEC);
    app.grant_limited(json!([{"component": "kic", "scopes": [
        "klantinteracties.lezen", "klantinteracties.aanmaken",
        "klantinteracties.bijwerken", "klantinteracties.verwijderen"]}]))
        .await;
    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    let key = query_api::tokens::generate();
    query_api::tokens::set(&pool, LIMITED_ID, &key)
        .await
        .unwrap();
    let with = |method: Method, path: &str| {
        app.http
            .request(method, app.url(path))
            .header("Authorization", format!("Token {key}"))
    };

    let (status, p) = send(with(Method::POST, &format!("{API}/persoon")).json(&persoon())).await;
    assert_eq!(status, StatusCode::CREATED, "{p:#}");
    spec::assert_valid(&spec, "Persoon", &p);
    assert_eq!(p["adres"]["stad"], "Utrecht");
    let path = path_of(&app, &p);
    let created = chrono::Utc::now();

    let (status, patched) =
        send(with(Method::PATCH, &path).json(&json!({"overlijdensdatum": "2026-11-30"}))).await;
    assert_eq!(status, StatusCode::OK, "{patched:#}");
    assert_eq!(
        (&patched["overlijdensdatum"], &patched["voornamen"]),
        (&json!("2026-11-30"), &json!("Anna"))
    );
    let (status, then) = send(with(
        Method::GET,
        &format!(
            "{path}?asOf={}",
            created.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
        ),
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{then:#}");
    assert_eq!(then, p, "as it was before the change");

    let (status, refused) =
        send(with(Method::POST, &format!("{API}/persoon")).json(&json!({"geslacht": "x"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    let names: Vec<String> = params(&refused).into_iter().map(|(n, _)| n).collect();
    for field in ["geboortedatum", "geslachtsnaam", "geslacht"] {
        assert!(names.contains(&field.to_owned()), "{field}: {refused:#}");
    }

    let (status, o) = send(
        with(Method::POST, &format!("{API}/organisatie"))
            .json(&json!({"handelsnaam": "Bakkerij", "oprichtingsdatum": "2001-01-01"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{o:#}");
    spec::assert_valid(&spec, "Organisatie", &o);
    let (status, page) = send(with(Method::GET, &format!("{API}/organisatie"))).await;
    assert_eq!(status, StatusCode::OK);
    spec::assert_valid(&spec, "PaginatedOrganisatieList", &page);
    assert_eq!(page["results"], json!([o]));

    let (status, _) = send(with(Method::DELETE, &path)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(with(Method::GET, &path)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let acties: Vec<String> = sqlx::query_scalar(
        "SELECT resource->>'actie' FROM audit_trail WHERE bron = 'kic'
         AND hoofd_object = $1 ORDER BY ordinal",
    )
    .bind(p["uuid"].as_str().unwrap().parse::<uuid::Uuid>().unwrap())
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(acties, ["create", "partial_update", "destroy"]);
    pool.close().await;
    app.stop().await;
}
