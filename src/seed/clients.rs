//! The seed's API side: a temporary superuser client to write the catalogue through the
//! Catalogi API, and the non-superuser bench client (an applicatie with zaken scopes on
//! every seeded zaaktype, up to zeer_geheim, the Notificaties API's scopes for the webhook
//! scenario and klantinteracties.lezen) that every benchmark scenario uses.

use std::sync::Arc;

use event_store::postgres::PgEventStore;
use projections::applicaties::ApplicatiesProjection;
use projections::catalogi::CatalogiProjection;
use projections::render::Urls;
use projections::{Progress, Projection, Runner};
use serde_json::{json, Value};
use sqlx::PgPool;
use tokio::task::JoinSet;

use super::catalogue::{self, ApiClient, SeedCatalogue};
use super::{SeedArgs, SeedError, SEED_CLIENT};
use crate::setup::{self, ClientEntry, Setup};
use crate::Config;

/// The scopes of the bench client on each zaaktype.
const BENCH_SCOPES: &[&str] = &[
    "zaken.lezen",
    "zaken.aanmaken",
    "zaken.bijwerken",
    "zaken.statussen.toevoegen",
];

/// The bench client's Notificaties API scopes (the webhook scenario subscribes with them).
const BENCH_NRC_SCOPES: &[&str] = &["notificaties.consumeren", "notificaties.publiceren"];

/// The bench client's Klantinteracties API scopes (the partij-by-BSN and citizen-picture
/// scenarios read).
const BENCH_KIC_SCOPES: &[&str] = &["klantinteracties.lezen"];

/// Writes (or finds) the catalogue and registers the bench client, with the catalogi and
/// applicaties projections running here for read-your-writes (or, when a server holds
/// their locks, in that server).
pub async fn prepare(
    config: &Config,
    pool: &PgPool,
    urls: &Urls,
    args: &SeedArgs,
) -> anyhow::Result<SeedCatalogue> {
    let store: Arc<dyn event_store::EventStore> = Arc::new(PgEventStore::new(pool.clone()));
    let mut progress = Progress::new(pool.clone());
    let mut runners = JoinSet::new();
    let read_models: [Arc<dyn Projection>; 2] = [
        Arc::new(CatalogiProjection::new(urls.clone())),
        Arc::new(ApplicatiesProjection::new(urls.clone())),
    ];
    for projection in read_models {
        let name = projection.name();
        let runner = Runner::new(pool.clone(), store.clone(), projection);
        progress = progress.with_local(name, runner.progress());
        runners.spawn(runner.run());
    }
    let key = config.secret_key()?;
    let state = crate::app_state(config, key, pool.clone(), store, urls.clone(), progress)?;
    let secret = hex::encode(uuid::Uuid::new_v4().as_bytes());
    let admin = applicatie(
        SEED_CLIENT,
        "zaakstroom seed",
        json!({"heeftAlleAutorisaties": true}),
    );
    apply(&state, SEED_CLIENT, &secret, admin).await?;
    let api = ApiClient {
        app: query_api::app(state.clone()),
        token: token(SEED_CLIENT, &secret),
        base: urls.base().to_owned(),
    };
    let outcome = async {
        let catalogue = catalogue::ensure(&api, args.zaaktypen).await?;
        bench_client(&state, args, &catalogue).await?;
        Ok::<_, SeedError>(catalogue)
    }
    .await;
    query_api::secrets::remove(pool, SEED_CLIENT).await?;
    runners.shutdown().await;
    Ok(outcome?)
}

async fn bench_client(
    state: &query_api::AppState,
    args: &SeedArgs,
    catalogue: &SeedCatalogue,
) -> Result<(), SeedError> {
    let mut autorisaties: Vec<Value> = catalogue
        .zaaktypen
        .iter()
        .map(|z| {
            json!({"component": "zrc", "scopes": BENCH_SCOPES, "zaaktype": z.url,
                "maxVertrouwelijkheidaanduiding": "zeer_geheim"})
        })
        .collect();
    autorisaties.push(json!({"component": "nrc", "scopes": BENCH_NRC_SCOPES}));
    autorisaties.push(json!({"component": "kic", "scopes": BENCH_KIC_SCOPES}));
    let grants = json!({"heeftAlleAutorisaties": false, "autorisaties": autorisaties});
    let body = applicatie(&args.bench_client, "Benchmark", grants);
    apply(state, &args.bench_client, &args.bench_secret, body).await
}

fn applicatie(client_id: &str, label: &str, grants: Value) -> Value {
    let mut body = json!({"clientIds": [client_id], "label": label});
    if let (Some(body), Value::Object(grants)) = (body.as_object_mut(), grants) {
        body.extend(grants);
    }
    body
}

/// Sets the client's secret and registers (or updates) its applicatie, as a setup file does.
async fn apply(
    state: &query_api::AppState,
    client_id: &str,
    secret: &str,
    applicatie: Value,
) -> Result<(), SeedError> {
    let setup = Setup {
        clients: vec![ClientEntry {
            client_id: client_id.to_owned(),
            secret: Some(secret.to_owned()),
            secret_env: None,
        }],
        applicaties: vec![applicatie],
        services: Vec::new(),
        tokens: Vec::new(),
    };
    setup::apply(state, &setup)
        .await
        .map(|_| ())
        .map_err(|e| SeedError::Setup(format!("{e:#}")))
}

/// A JWT-ZGW token (HS256 with the client's secret), as ZGW clients make them.
fn token(client_id: &str, secret: &str) -> String {
    let claims = query_api::token::Claims {
        client_id,
        user_id: "seed",
        user_representation: "zaakstroom seed",
        iat: chrono::Utc::now().timestamp(),
    };
    query_api::token::sign(&claims, secret)
}
