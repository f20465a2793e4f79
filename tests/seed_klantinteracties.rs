//! `zaakstroom seed` with Klantinteracties: seeded partijen are found by their BSN through
//! the API and the citizen picture (with their klantcontacten and the zaken of that BSN),
//! their BSNs stay unique in the register, and a rerun resumes.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::klantinteracties::{bsn, params, persoon, post, send, API};
use support::TestApp;
use zaakstroom::{Role, SeedArgs, Seeded};

const BENCH: &str = "bench-e2e";
const BENCH_SECRET: &str = "bench-e2e-secret";

fn args() -> SeedArgs {
    SeedArgs {
        zaken: 30,
        partijen: 20,
        klantcontacten: 100,
        seed: 7,
        zaaktypen: 2,
        chunk: 8,
        bench_client: BENCH.into(),
        bench_secret: BENCH_SECRET.into(),
    }
}

async fn bench_get(app: &TestApp, path: &str) -> Value {
    let (status, body) = send(app.request_as(BENCH, BENCH_SECRET, Method::GET, path)).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body:#}");
    body
}

#[tokio::test]
async fn seeded_partijen_are_found_by_bsn_with_their_klantcontacten_and_zaken_and_keep_their_bsn() {
    let mut config = support::test_config().await;
    config.public_url = "http://klanten.gemeente.test".into();
    let report = zaakstroom::seed(&config, &args()).await.unwrap();
    assert_eq!(
        report.partijen,
        Seeded {
            written: 20,
            skipped: 0
        }
    );
    assert_eq!(
        report.klantcontacten,
        Seeded {
            written: 100,
            skipped: 0
        }
    );
    let app = TestApp::spawn_bare_with(config.clone(), &[Role::Api, Role::Projector]).await;

    let identificatoren = bench_get(&app, &format!("{API}/partij-identificatoren")).await;
    assert_eq!(identificatoren["count"], 20);
    let identificator = &identificatoren["results"][0];
    let seeded_bsn = identificator["partijIdentificator"]["objectId"]
        .as_str()
        .unwrap();
    assert!(
        domain::Rsin::parse(seeded_bsn).is_ok(),
        "{seeded_bsn} passes the 11-proef"
    );

    let found = bench_get(
        &app,
        &format!("{API}/partijen?partijIdentificator__codeSoortObjectId=bsn&partijIdentificator__objectId={seeded_bsn}"),
    )
    .await;
    assert_eq!(found["count"], 1, "{found:#}");
    assert_eq!(
        found["results"][0]["uuid"],
        identificator["identificeerdePartij"]["uuid"]
    );
    assert_eq!(found["results"][0]["soortPartij"], "persoon");

    let query = format!(
        "{{ burger(bsn: \"{seeded_bsn}\") {{ partijen {{ url klantcontacten {{ url kanaal }} }} zaken {{ url }} }} }}"
    );
    let picture = app.graphql_as(BENCH, BENCH_SECRET, &query).await;
    let burger = &picture["data"]["burger"];
    assert_eq!(
        burger["partijen"].as_array().map(Vec::len),
        Some(1),
        "{picture:#}"
    );
    // 100 klantcontacten over 20 partijen: five each.
    let klantcontacten = burger["partijen"][0]["klantcontacten"].as_array().unwrap();
    assert_eq!(klantcontacten.len(), 5, "{picture:#}");
    assert!(
        !burger["zaken"].as_array().unwrap().is_empty(),
        "the BSN has a rol: {picture:#}"
    );

    // The seeded BSN is claimed: the API refuses it to a new partij.
    let (status, body) = post(&app, "/partijen", &persoon(json!([bsn(seeded_bsn)]))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_eq!(
        params(&body),
        [("__all__".to_owned(), "invalid".to_owned())]
    );
    app.stop().await;

    let again = zaakstroom::seed(&config, &args()).await.unwrap();
    assert_eq!(
        again.partijen,
        Seeded {
            written: 0,
            skipped: 20
        }
    );
    assert_eq!(
        again.klantcontacten,
        Seeded {
            written: 0,
            skipped: 100
        }
    );
}
