//! `zaakstroom seed`: seeded zaken read through the APIs exactly like API-created ones, by
//! the non-superuser bench client; a second run with the same seed resumes.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::{spec, TestApp};
use zaakstroom::{Role, SeedArgs};

const BENCH: &str = "bench-e2e";
const BENCH_SECRET: &str = "bench-e2e-secret";

fn args(zaken: u64) -> SeedArgs {
    SeedArgs {
        zaken,
        partijen: 0,
        klantcontacten: 0,
        seed: 7,
        zaaktypen: 2,
        chunk: 16,
        bench_client: BENCH.into(),
        bench_secret: BENCH_SECRET.into(),
    }
}

/// GET as the bench client; `url` may be a URL under the seed's public URL.
async fn bench_json(app: &TestApp, url: &str) -> Value {
    let path = url
        .strip_prefix(app.config.public_url.as_str())
        .unwrap_or(url);
    let response = app
        .request_as(BENCH, BENCH_SECRET, Method::GET, path)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn seeded_zaken_read_like_api_created_ones_for_the_bench_client_and_a_rerun_resumes() {
    let mut config = support::test_config().await;
    let spec = spec::load("zaken-1.5.1.yaml");
    config.public_url = "http://zaken.gemeente.test".into();
    let report = zaakstroom::seed(&config, &args(50)).await.unwrap();
    assert_eq!((report.zaken_written, report.zaken_skipped), (50, 0));
    let app = TestApp::spawn_bare_with(config.clone(), &[Role::Api, Role::Projector]).await;

    let page = bench_json(&app, "/zaken/api/v1/zaken").await;
    assert_eq!(page["count"], 50);
    let zaak = page["results"][0].clone();
    let detail = bench_json(&app, zaak["url"].as_str().unwrap()).await;
    spec::assert_valid(&spec, "Zaak", &detail);
    assert_eq!(detail, zaak);

    let rollen = bench_json(
        &app,
        &format!(
            "/zaken/api/v1/rollen?zaak={}",
            zaak["url"].as_str().unwrap()
        ),
    )
    .await;
    let rol = bench_json(&app, rollen["results"][0]["url"].as_str().unwrap()).await;
    spec::assert_valid(&spec, "Rol", &rol);
    let bsn = rol["betrokkeneIdentificatie"]["inpBsn"].as_str().unwrap();
    assert!(
        domain::Rsin::parse(bsn).is_ok(),
        "{bsn} passes the 11-proef"
    );

    let by_bsn = bench_json(
        &app,
        &format!(
            "/zaken/api/v1/zaken?rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn={bsn}"
        ),
    )
    .await;
    assert!(by_bsn["results"].as_array().unwrap().contains(&zaak));
    let zaaktype = zaak["zaaktype"].as_str().unwrap();
    let by_type = bench_json(&app, &format!("/zaken/api/v1/zaken?zaaktype={zaaktype}")).await;
    let all_of_type = by_type["results"].as_array().unwrap();
    assert!(all_of_type.contains(&zaak));
    assert!(all_of_type.iter().all(|z| z["zaaktype"] == zaaktype));

    // A rol the API creates on the same zaak has the same fields as the seeded one.
    let body = json!({"zaak": zaak["url"], "betrokkeneType": "natuurlijk_persoon",
        "roltype": rol["roltype"], "roltoelichting": "aanvrager",
        "betrokkeneIdentificatie": {"inpBsn": bsn, "geslachtsnaam": "Jansen", "voornamen": "Anna"}});
    let (status, created) = app
        .send_json(Method::POST, "/zaken/api/v1/rollen", &body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created:#}");
    let keys = |v: &Value| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>());
    assert_eq!(keys(&created), keys(&rol), "{created:#}");
    app.stop().await;

    let again = zaakstroom::seed(&config, &args(60)).await.unwrap();
    assert_eq!((again.zaken_written, again.zaken_skipped), (10, 50));
}
