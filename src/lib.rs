//! The composition root: wires the event store, projections, notifier and APIs together
//! from one [`Config`]. `main.rs` only parses the command line and calls in here; the
//! end-to-end tests call in here too.

pub mod config;
pub mod http;
mod rebuild;
pub mod seed;
pub mod setup;
pub mod telemetry;
pub mod verify;

use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use event_store::kurrent::KurrentEventStore;
use event_store::postgres::PgEventStore;
use event_store::EventStore;
use process_managers::{ObjectinformatieobjectReaction, ProcessManager, ZaakbesluitReaction};
use projections::applicaties::ApplicatiesProjection;
use projections::besluiten::BesluitenProjection;
use projections::catalogi::CatalogiProjection;
use projections::documenten::DocumentenProjection;
use projections::notifier::Notifier;
use projections::render::Urls;
use projections::zaken::ZakenProjection;
use projections::Projection;
use projections::{Progress, Runner};
use query_api::{AppState, Credentials};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

pub use config::{
    ApplicatieCommand, Cli, Command, Config, HttpArgs, Role, ServeArgs, TelemetryArgs, WebhookArgs,
    WebhooksCommand,
};
pub use rebuild::rebuild;
pub use seed::{seed, SeedArgs, Seeded};

/// Creates the database when it does not exist yet, then applies every migration.
pub async fn migrate(config: &Config) -> anyhow::Result<PgPool> {
    // No JIT: our statements are short, and a plan costed high (a big table, a guess)
    // spent 70 ms compiling before a 1 ms execution (BENCHMARKS.md).
    let options = database_options(&config.database_url)?.options([("jit", "off")]);
    create_database_if_missing(&options).await?;
    let pool = PgPoolOptions::new()
        .max_connections(config.db_pool_size)
        // Short: during a database outage a request is answered 503 soon, not after 30 s.
        .acquire_timeout(Duration::from_millis(config.db_acquire_timeout_ms.max(1)))
        .connect_with(options.clone())
        .await
        .with_context(|| format!("connecting to PostgreSQL at {}", describe(&options)))?;
    PgEventStore::migrate(&pool)
        .await
        .context("event-log migrations")?;
    projections::migrate(&pool)
        .await
        .context("read-model migrations")?;
    query_api::secrets::migrate(&pool)
        .await
        .context("client-secret migrations")?;
    claim_tenant(&pool, &config.tenant).await?;
    Ok(pool)
}

/// One database belongs to one tenant: the first command on it records its `--tenant`, and
/// every command after refuses to run with another (reads and writes are not separated by
/// tenant, so two would read and change each other's objects).
async fn claim_tenant(pool: &PgPool, tenant: &str) -> anyhow::Result<()> {
    let recorded: String = sqlx::query_scalar(
        "INSERT INTO installation (tenant) VALUES ($1)
         ON CONFLICT (singleton) DO UPDATE SET tenant = installation.tenant
         RETURNING tenant",
    )
    .bind(tenant)
    .fetch_one(pool)
    .await
    .context("recording the database's tenant")?;
    anyhow::ensure!(
        recorded == tenant,
        "this database belongs to tenant {recorded:?}, not to {tenant:?} (--tenant, \
         ZAAKSTROOM_TENANT): one database serves one tenant; give {tenant:?} a database \
         of its own"
    );
    Ok(())
}

/// The connection options of a `postgres://` or `postgresql://` URL. Another scheme is
/// refused before anything connects (sqlx would read `postgress://` as PostgreSQL and the
/// mistyped URL would create a database of its own).
pub fn database_options(url: &str) -> anyhow::Result<PgConnectOptions> {
    let scheme = url.split_once("://").map(|(scheme, _)| scheme);
    if !matches!(scheme, Some("postgres" | "postgresql")) {
        anyhow::bail!(
            "DATABASE_URL must start with postgres:// or postgresql:// (got {:?})",
            scheme.unwrap_or(url)
        );
    }
    PgConnectOptions::from_str(url).context("DATABASE_URL")
}

/// A connection URL without its user and password (`nats://u:p@host` -> `nats://host`).
pub(crate) fn without_credentials(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, _)), Some(at)) => format!("{scheme}://{}", &url[at + 1..]),
        _ => url.to_owned(),
    }
}

/// Where a connection goes, without the password: `host:port/database`.
fn describe(options: &PgConnectOptions) -> String {
    format!(
        "{}:{}/{}",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("postgres")
    )
}

async fn create_database_if_missing(options: &PgConnectOptions) -> anyhow::Result<()> {
    let name = options.get_database().unwrap_or("postgres").to_owned();
    let mut admin = options
        .clone()
        .database("postgres")
        .connect()
        .await
        .with_context(|| format!("connecting to PostgreSQL at {}", describe(options)))?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&name)
            .fetch_one(&mut admin)
            .await?;
    if !exists {
        let quoted = name.replace('"', "\"\"");
        sqlx::query(&format!("CREATE DATABASE \"{quoted}\""))
            .execute(&mut admin)
            .await?;
        tracing::info!(database = %name, "created database");
    }
    Ok(())
}

/// The event store the configuration names: KurrentDB when EVENTSTORE_URL is set,
/// otherwise the PostgreSQL log in the read-model database; its appends counted for
/// `/metrics` either way.
pub async fn event_store(config: &Config, pool: &PgPool) -> anyhow::Result<Arc<dyn EventStore>> {
    let store: Arc<dyn EventStore> =
        match &config.eventstore_url {
            Some(url) => Arc::new(KurrentEventStore::connect(url).await.with_context(|| {
                format!("connecting to KurrentDB at {}", without_credentials(url))
            })?),
            None => Arc::new(PgEventStore::new(pool.clone())),
        };
    Ok(Arc::new(event_store::metered::Metered::new(store)))
}

/// Every read model, as the projector runs them and `rebuild` replays them.
pub fn read_models(urls: &Urls) -> Vec<Arc<dyn Projection>> {
    vec![
        Arc::new(ZakenProjection::new(urls.clone())),
        Arc::new(ApplicatiesProjection::new(urls.clone())),
        Arc::new(CatalogiProjection::new(urls.clone())),
        Arc::new(BesluitenProjection::new(urls.clone())),
        Arc::new(DocumentenProjection::new(urls.clone())),
        Arc::new(projections::partijen::PartijenProjection::new(urls.clone())),
        Arc::new(projections::klantcontacten::KlantcontactenProjection::new(
            urls.clone(),
        )),
        Arc::new(projections::objecten::ObjectenProjection::new(urls)),
        Arc::new(projections::webhooks::NotificatiesProjection::new(
            urls.clone(),
        )),
    ]
}

/// The process manager and its reactions: not a read model (a rebuild does not replay it),
/// it issues commands that keep one aggregate in step with another.
pub fn process_manager(urls: &Urls, store: Arc<dyn EventStore>) -> ProcessManager {
    let reactions: Vec<Arc<dyn process_managers::Reaction>> = vec![
        Arc::new(ZaakbesluitReaction::new(urls.clone())),
        Arc::new(ObjectinformatieobjectReaction::zaken(urls.clone())),
        Arc::new(ObjectinformatieobjectReaction::besluiten(urls.clone())),
    ];
    ProcessManager::new(commands::CommandHandler::new(store), reactions)
}

/// How often the projector analyses and vacuums stale tables where autovacuum is off.
const MAINTENANCE_EVERY: Duration = Duration::from_secs(60);

/// Runs the roles of `args` until `shutdown` completes. `listener` serves the APIs with the
/// api role; without it `/healthz`, `/readyz` and `/metrics` only (the workers' metrics).
pub async fn serve(
    config: &Config,
    args: &ServeArgs,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let key = config.secret_key()?;
    let pool = migrate(config).await?;
    let store = event_store(config, &pool).await?;
    let urls = Urls::new(&config.public_url);
    let mut progress = Progress::new(pool.clone());
    let mut workers = JoinSet::new();
    if args.roles.contains(&Role::Projector) {
        for projection in read_models(&urls) {
            let name = projection.name();
            let runner = Runner::new(pool.clone(), store.clone(), projection);
            progress = progress.with_local(name, runner.progress());
            workers.spawn(runner.run());
        }
        workers.spawn(projections::maintenance::run(
            pool.clone(),
            MAINTENANCE_EVERY,
        ));
        let manager = process_manager(&urls, store.clone());
        let runner = Runner::new(pool.clone(), store.clone(), Arc::new(manager));
        progress = progress.with_local(process_managers::NAME, runner.progress());
        workers.spawn(runner.run());
    }
    let mut nats = None;
    if args.roles.contains(&Role::Notifier) {
        let client = async_nats::ConnectOptions::new()
            .retry_on_initial_connect()
            .connect(config.nats_url.as_str())
            .await
            .with_context(|| {
                format!(
                    "connecting to NATS at {} (NATS_URL)",
                    without_credentials(&config.nats_url)
                )
            })?;
        nats = Some(client.clone());
        let notifier = Notifier::new(client, urls.clone());
        workers.spawn(Runner::new(pool.clone(), store.clone(), Arc::new(notifier)).run());
    }
    if args.roles.contains(&Role::Webhooks) {
        let auth = query_api::notificaties::ports::SealedAuth(key.clone());
        let dispatcher = projections::webhooks::deliver::Dispatcher::new(
            pool.clone(),
            config.webhooks.settings(),
            Arc::new(auth),
        );
        workers.spawn(dispatcher.run());
    }
    let mut state = app_state(config, key, pool, store, urls, progress)?;
    ensure_kanalen(&state).await?;
    state.health = Arc::new(query_api::health::Health {
        nats,
        ..health(config, &state.urls)
    });
    if let Some(file) = &config.setup_file {
        let applied = setup::apply(&state, &setup::load(file)?).await?;
        tracing::info!(file = %file.display(), ?applied, "applied the setup file");
    }
    let app = if args.roles.contains(&Role::Api) {
        query_api::app(state)
    } else {
        query_api::probes(state)
    };
    tracing::info!(addr = %listener.local_addr()?, roles = ?args.roles, "serving");
    http::serve(listener, app, &config.http, shutdown).await?;
    workers.shutdown().await;
    Ok(())
}

/// Our own kanalen, created where missing (every process may: they are made once); a
/// process that created one serves once the Notificaties read model has it, so an
/// abonnement on it is not refused as on an unknown kanaal.
async fn ensure_kanalen(state: &AppState) -> anyhow::Result<()> {
    let ctx = state.system_context("zaakstroom", "Zaakstroom");
    let service = query_api::notificaties::service(state);
    let mut created = None;
    for (naam, filters) in commands::notificaties::OUR_KANALEN {
        let attributes = event_schemas::notificaties::KanaalAttributes {
            naam: (*naam).into(),
            documentatie_link: String::new(),
            filters: filters.iter().map(|f| (*f).to_owned()).collect(),
        };
        let position = service
            .ensure_kanaal(&ctx, attributes)
            .await
            .map_err(|e| anyhow::anyhow!("creating kanaal {naam}: {e:?}"))?;
        created = created.max(position);
    }
    state.wait_for(projections::webhooks::NAME, created).await;
    Ok(())
}

fn app_state(
    config: &Config,
    key: query_api::secrets::SecretKey,
    pool: PgPool,
    store: Arc<dyn EventStore>,
    urls: Urls,
    progress: Progress,
) -> anyhow::Result<AppState> {
    let documenten = query_api::documenten::Settings {
        content: config.content_store().context("document content store")?,
        chunk_size: config.bestandsdeel_size.max(1),
        max_json_body: config.max_json_body,
    };
    let health = Arc::new(health(config, &urls));
    let pool_for_reads = pool.clone();
    Ok(AppState {
        pool,
        commands: commands::CommandHandler::new(store),
        progress,
        urls: Arc::new(urls),
        credentials: Arc::new(Credentials::new(key, config.jwt_leeway_seconds)),
        tenant: config.tenant.as_str().into(),
        graphql: query_api::graphql::schema(),
        remote: Arc::new(query_api::remote::Remote::new()),
        selectielijst: config.selectielijst_url.as_deref().map(Into::into),
        publish_requires_children: config.publish_requires_children,
        read_your_writes: Duration::from_millis(config.read_your_writes_ms),
        documenten: Arc::new(documenten),
        limits: Arc::new(config.http.limits()),
        health,
        metrics: query_api::monitoring::Metrics::new(config.eventstore_url.is_none()),
        reads: query_api::reads::ReadLog::start(pool_for_reads, config.read_log_retention()),
    })
}

/// What `/readyz` checks: the read models and the process manager against the bound, the
/// notifier reported, every migration this binary embeds.
fn health(config: &Config, urls: &Urls) -> query_api::health::Health {
    let mut projections: Vec<&'static str> = read_models(urls).iter().map(|p| p.name()).collect();
    projections.push(process_managers::NAME);
    let migrations = event_store::postgres::PgEventStore::migration_versions()
        .into_iter()
        .chain(projections::migration_versions())
        .chain(query_api::secrets::migration_versions())
        .collect();
    query_api::health::Health {
        projections,
        informational: vec![projections::notifier::NAME],
        migrations,
        nats: None,
        max_lag: Duration::from_secs(config.ready_max_lag_seconds),
    }
}

/// `zaakstroom webhooks ...`: the delivery log and dead letters, for an operator.
pub async fn webhooks(config: &Config, command: &WebhooksCommand) -> anyhow::Result<()> {
    use projections::webhooks::log;
    let pool = migrate(config).await?;
    match command {
        WebhooksCommand::Status { abonnement } => {
            let summaries = log::summaries(&pool, *abonnement).await?;
            if summaries.is_empty() {
                println!("no deliveries");
            }
            for s in summaries {
                let circuit = s
                    .circuit_open_until
                    .map(|t| format!(", circuit open until {}", t.to_rfc3339()))
                    .unwrap_or_default();
                println!(
                    "{} {}: {} pending, {} delivered, {} dead; {} attempts, {} failed; lag {:.1} s{circuit}",
                    s.abonnement,
                    s.callback_url.as_deref().unwrap_or("(ended)"),
                    s.pending,
                    s.delivered,
                    s.dead,
                    s.attempts,
                    s.failures,
                    s.lag_seconds,
                );
            }
        }
        WebhooksCommand::Log {
            abonnement,
            state,
            limit,
        } => {
            for entry in log::entries(&pool, *abonnement, state.as_deref(), *limit).await? {
                println!("{}", serde_json::to_string(&entry)?);
            }
        }
        WebhooksCommand::Resend {
            delivery,
            abonnement,
        } => {
            let what = match (delivery, abonnement) {
                (Some(d), _) => log::Resend::Delivery(*d),
                (None, Some(a)) => log::Resend::Abonnement(*a),
                (None, None) => anyhow::bail!("name --delivery or --abonnement"),
            };
            let n = log::resend(&pool, what).await?;
            println!("{n} dead letter(s) sent again");
        }
    }
    Ok(())
}

/// `zaakstroom applicatie ...`: secrets and applicaties from the command line.
pub async fn applicatie(config: &Config, command: &ApplicatieCommand) -> anyhow::Result<()> {
    let pool = migrate(config).await?;
    match command {
        ApplicatieCommand::Apply { file } => {
            let setup = setup::load(file)?;
            let store = event_store(config, &pool).await?;
            let urls = Urls::new(&config.public_url);
            // Project applicaties here too (or wait for the server's projector, which holds
            // the lock), so what is applied is readable when this returns.
            let runner = Runner::new(
                pool.clone(),
                store.clone(),
                Arc::new(ApplicatiesProjection::new(urls.clone())),
            );
            let projecting = tokio::spawn(runner.run());
            let progress = Progress::new(pool.clone());
            let state = app_state(config, config.secret_key()?, pool, store, urls, progress)?;
            let applied = setup::apply(&state, &setup).await;
            projecting.abort();
            println!("{:?}", applied?);
        }
        ApplicatieCommand::List => {
            let rows: Vec<(String, Vec<String>, bool)> = sqlx::query_as(
                "SELECT resource ->> 'label', client_ids, heeft_alle_autorisaties
                 FROM applicaties ORDER BY ordinal",
            )
            .fetch_all(&pool)
            .await?;
            for (label, client_ids, all) in rows {
                let all = if all { " (heeftAlleAutorisaties)" } else { "" };
                println!("{label}: {}{all}", client_ids.join(", "));
            }
            for (client_id, updated) in query_api::secrets::list(&pool).await? {
                println!("secret: {client_id} (set {updated})");
            }
            for (client_id, updated) in query_api::tokens::list(&pool).await? {
                println!("token: {client_id} (set {updated})");
            }
        }
        ApplicatieCommand::SetSecret {
            client_id,
            generate,
        } => {
            let secret = if *generate {
                let generated = hex::encode(uuid::Uuid::new_v4().as_bytes())
                    + &hex::encode(uuid::Uuid::new_v4().as_bytes());
                println!("{generated}");
                generated
            } else {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                line.trim_end_matches(['\r', '\n']).to_owned()
            };
            anyhow::ensure!(!secret.is_empty(), "an empty secret is not a secret");
            query_api::secrets::set(&pool, &config.secret_key()?, client_id, &secret).await?;
            eprintln!("secret of {client_id} set");
        }
        ApplicatieCommand::SetToken {
            client_id,
            generate,
        } => {
            let token = if *generate {
                let generated = query_api::tokens::generate();
                println!("{generated}");
                generated
            } else {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                line.trim().to_owned()
            };
            anyhow::ensure!(!token.is_empty(), "an empty token is not a token");
            query_api::tokens::set(&pool, client_id, &token).await?;
            eprintln!("token of {client_id} set");
        }
        ApplicatieCommand::RemoveToken { client_id } => {
            let removed = query_api::tokens::remove(&pool, client_id).await?;
            eprintln!(
                "{}",
                if removed {
                    "removed"
                } else {
                    "no token for that client id"
                }
            );
        }
        ApplicatieCommand::RemoveSecret { client_id } => {
            let removed = query_api::secrets::remove(&pool, client_id).await?;
            eprintln!(
                "{}",
                if removed {
                    "removed"
                } else {
                    "no such client id"
                }
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_error_names_the_address_but_not_the_credentials() {
        assert_eq!(
            without_credentials("nats://user:geheim@nats.intern:4222"),
            "nats://nats.intern:4222"
        );
        assert_eq!(
            without_credentials("nats://127.0.0.1:4222"),
            "nats://127.0.0.1:4222"
        );
        let options = database_options("postgres://postgres:geheim@db.intern:5433/zaken").unwrap();
        assert_eq!(describe(&options), "db.intern:5433/zaken");
    }
}
