//! The one configuration struct: flags with environment fallbacks, read once in main.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use query_api::secrets::SecretKey;

/// PostgreSQL on this machine, without TLS: on the loopback it protects nothing and cost
/// 15–30 % of the CPU per request on both sides (BENCHMARKS.md). A URL of your own keeps
/// libpq's `prefer`, or says `sslmode=require`.
pub const DEFAULT_DATABASE_URL: &str =
    "postgres://postgres@127.0.0.1:5432/zaakstroom?sslmode=disable";

#[derive(Debug, Parser)]
#[command(
    name = "zaakstroom",
    version,
    about = "Event-sourced ZGW case management"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the APIs and run projectors and notifier (each role can run apart).
    Serve(ServeArgs),
    /// Create the database if needed and bring its tables up to date.
    Migrate,
    /// Rebuild the read models from the start of the event log.
    Rebuild,
    /// Load realistic data (a catalogue, a bench client, N zaken) for the benchmark.
    Seed(crate::seed::SeedArgs),
    /// Client secrets and applicaties (Autorisaties API) from the command line.
    #[command(subcommand)]
    Applicatie(ApplicatieCommand),
    /// Webhook deliveries of the Notificaties API: the delivery log and dead letters.
    #[command(subcommand)]
    Webhooks(WebhooksCommand),
    /// Check the event log's hash chains (and `--against` a checkpoint); exit code 1 on
    /// any fault.
    Verify(crate::verify::VerifyArgs),
    /// Signed checkpoints of the log's stream heads: seal, export, list.
    #[command(subcommand)]
    Checkpoint(crate::verify::CheckpointCommand),
}

#[derive(Debug, Subcommand)]
pub enum WebhooksCommand {
    /// Per abonnement: pending, delivered and dead deliveries, attempts, failures, lag.
    Status {
        /// Only this abonnement (its uuid).
        #[arg(long)]
        abonnement: Option<uuid::Uuid>,
    },
    /// An abonnement's newest deliveries with every attempt, as JSON lines.
    Log {
        abonnement: uuid::Uuid,
        /// Only deliveries in this state: pending, delivered or dead.
        #[arg(long)]
        state: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Send dead letters again: one delivery (`--delivery`) or all of an abonnement.
    Resend {
        #[arg(
            long,
            conflicts_with = "abonnement",
            required_unless_present = "abonnement"
        )]
        delivery: Option<uuid::Uuid>,
        #[arg(long)]
        abonnement: Option<uuid::Uuid>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ApplicatieCommand {
    /// Apply a setup file (clients and applicaties), as start-up does with ZAAKSTROOM_SETUP.
    Apply { file: PathBuf },
    /// List the applicaties and which client ids have a secret.
    List,
    /// Register or replace a client's secret: read from stdin, or generated and printed.
    SetSecret {
        client_id: String,
        #[arg(long)]
        generate: bool,
    },
    /// Remove a client's secret: its tokens stop working on the next request.
    RemoveSecret { client_id: String },
    /// Give a client its `Authorization: Token <key>` (Klantinteracties and Contactgegevens
    /// only, as Open Klant's clients authenticate), replacing the one it had: read from
    /// stdin (a client's existing Open Klant token), or generated and printed. It acts as
    /// that client with its applicatie's rights; only its hash is kept.
    SetToken {
        client_id: String,
        #[arg(long)]
        generate: bool,
    },
    /// Take a client's token away: it stops working on the next request.
    RemoveToken { client_id: String },
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[arg(long, env = "ZAAKSTROOM_LISTEN", default_value = "127.0.0.1:8000")]
    pub listen: SocketAddr,
    /// Which parts run in this process.
    #[arg(
        long,
        env = "ZAAKSTROOM_ROLES",
        value_delimiter = ',',
        default_value = "api,projector,notifier,webhooks"
    )]
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Role {
    /// The REST and GraphQL APIs.
    Api,
    /// The read-model projections.
    Projector,
    /// Publishing events and ZGW notifications to NATS.
    Notifier,
    /// Delivering notifications to the Notificaties API's abonnementen (webhooks); any
    /// number of processes may run it.
    Webhooks,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// PostgreSQL: read models, and the event store unless EVENTSTORE_URL is given.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true, hide_env_values = true)]
    pub database_url: String,
    /// EventStoreDB / KurrentDB connection string (e.g. esdb://127.0.0.1:2113?tls=false).
    #[arg(long, env = "EVENTSTORE_URL", global = true, hide_env_values = true)]
    pub eventstore_url: Option<String>,
    #[arg(
        long,
        env = "NATS_URL",
        default_value = "nats://127.0.0.1:4222",
        global = true
    )]
    pub nats_url: String,
    /// The base of every URL the APIs hand out.
    #[arg(
        long,
        env = "ZAAKSTROOM_PUBLIC_URL",
        default_value = "http://localhost:8000",
        global = true
    )]
    pub public_url: String,
    #[arg(
        long,
        env = "ZAAKSTROOM_TENANT",
        default_value = "default",
        global = true
    )]
    pub tenant: String,
    /// Root of the Referentielijsten/Selectielijst API (e.g.
    /// https://selectielijst.openzaak.nl/api/v1/). When given, selectielijstProcestype,
    /// selectielijstklasse and resultaattypeomschrijving must be resources of it; when not,
    /// they are checked as URLs only.
    #[arg(long, env = "ZAAKSTROOM_SELECTIELIJST_URL", global = true)]
    pub selectielijst_url: Option<String>,
    /// Publishing a zaaktype also needs a roltype, a resultaattype and two statustypen, as
    /// Open Zaak demands (Catalogi 1.3 asks only that its besluittypen and
    /// informatieobjecttypen are published).
    #[arg(long, env = "ZAAKSTROOM_PUBLISH_REQUIRES_TYPES", global = true)]
    pub publish_requires_children: bool,
    /// The key client secrets are encrypted with: 64 hex characters (`openssl rand -hex 32`).
    #[arg(
        long,
        env = "ZAAKSTROOM_SECRET_KEY",
        global = true,
        hide_env_values = true
    )]
    pub secret_key: Option<String>,
    /// A setup file (clients and applicaties) applied at start-up; see `src/setup.rs`.
    #[arg(long = "setup", env = "ZAAKSTROOM_SETUP", global = true)]
    pub setup_file: Option<PathBuf>,
    /// Seconds of clock skew accepted on a token's iat.
    #[arg(
        long,
        env = "ZAAKSTROOM_JWT_LEEWAY",
        default_value_t = 0,
        global = true
    )]
    pub jwt_leeway_seconds: i64,
    /// How far (in seconds) the read models may lag behind the log before `/readyz` says
    /// this instance is not ready.
    #[arg(
        long,
        env = "ZAAKSTROOM_READY_MAX_LAG_SECONDS",
        default_value_t = 60,
        global = true
    )]
    pub ready_max_lag_seconds: u64,
    /// Days a recorded read (who read which zaak or document) is kept; 0 keeps them.
    #[arg(
        long,
        env = "ZAAKSTROOM_READ_LOG_RETENTION_DAYS",
        default_value_t = 365,
        global = true
    )]
    pub read_log_retention_days: u64,
    /// How long a write waits for the read models (read-your-writes), in milliseconds.
    #[arg(
        long,
        env = "ZAAKSTROOM_READ_YOUR_WRITES_MS",
        default_value_t = 5000,
        global = true
    )]
    pub read_your_writes_ms: u64,
    /// Connections of the shared PostgreSQL pool. Every projection runner takes one of them
    /// for each batch (and the process manager more for its commands) besides the two it
    /// holds of its own (its lock and its log listener), so keep it well above the number of
    /// runners (seven) plus the requests served at once.
    #[arg(
        long,
        env = "ZAAKSTROOM_DB_POOL_SIZE",
        default_value_t = 32,
        global = true
    )]
    pub db_pool_size: u32,
    /// How long a request waits for a database connection before it is answered 503 with
    /// Retry-After (what a PostgreSQL outage looks like to clients), in milliseconds.
    #[arg(
        long,
        env = "ZAAKSTROOM_DB_ACQUIRE_TIMEOUT_MS",
        default_value_t = 2000,
        global = true
    )]
    pub db_acquire_timeout_ms: u64,
    /// Where document content is stored: a local directory (default `data/content`).
    #[arg(
        long,
        env = "ZAAKSTROOM_CONTENT_DIR",
        default_value = "data/content",
        global = true
    )]
    pub content_dir: PathBuf,
    /// Store document content in the object store this URL names instead (e.g.
    /// `s3://bucket/prefix`; credentials and endpoint from the usual AWS_* variables).
    #[arg(long, env = "ZAAKSTROOM_CONTENT_URL", global = true)]
    pub content_url: Option<String>,
    /// The size of a bestandsdeel (the parts a large document is uploaded in), in bytes.
    #[arg(
        long,
        env = "ZAAKSTROOM_BESTANDSDEEL_SIZE",
        default_value_t = 100 * 1024 * 1024,
        global = true
    )]
    pub bestandsdeel_size: u64,
    /// The largest JSON request body of the Documenten API (base64 `inhoud`), in bytes.
    /// Such a body is held in memory about three times over while it is decoded and stored
    /// (16 MiB: ~57 MiB more resident, measured); larger files go through bestandsdelen.
    #[arg(
        long,
        env = "ZAAKSTROOM_MAX_JSON_BODY",
        default_value_t = 16 * 1024 * 1024,
        global = true
    )]
    pub max_json_body: usize,
    #[command(flatten)]
    pub http: HttpArgs,
    #[command(flatten)]
    pub webhooks: WebhookArgs,
    #[command(flatten)]
    pub telemetry: TelemetryArgs,
    #[arg(
        long,
        env = "ZAAKSTROOM_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,
}

/// What a client may send and how long it may take (slow or hostile clients).
#[derive(Debug, Clone, Args)]
pub struct HttpArgs {
    /// The largest request body of every route but the Documenten API's JSON and
    /// bestandsdelen (GraphQL included), in bytes.
    #[arg(long, env = "ZAAKSTROOM_MAX_BODY", default_value_t = 2 * 1024 * 1024, global = true)]
    pub max_body: usize,
    /// Seconds a client has to send a request's headers; also how long a kept-alive
    /// connection may stay idle between requests.
    #[arg(
        long,
        env = "ZAAKSTROOM_HEADER_READ_TIMEOUT",
        default_value_t = 10,
        global = true
    )]
    pub header_read_timeout_secs: u64,
    /// Seconds a client has to send a request's body, from the end of its headers (408).
    #[arg(
        long,
        env = "ZAAKSTROOM_BODY_READ_TIMEOUT",
        default_value_t = 60,
        global = true
    )]
    pub body_read_timeout_secs: u64,
    /// Connections served at once; more wait in the listen backlog. Keep it below the
    /// process's open-file limit minus the database pool.
    #[arg(
        long,
        env = "ZAAKSTROOM_MAX_CONNECTIONS",
        default_value_t = 512,
        global = true
    )]
    pub max_connections: usize,
    /// Bytes of request bodies read whole (JSON, GraphQL) that may be in flight at once;
    /// a request past it waits (20 s) for its share, then gets 503.
    #[arg(
        long,
        env = "ZAAKSTROOM_MAX_BODY_MEMORY",
        default_value_t = 48 * 1024 * 1024,
        global = true
    )]
    pub max_body_memory: usize,
}

/// OpenTelemetry traces, under the standard variables' names. Nothing is exported unless an
/// endpoint is given (unlike the SDKs' default of localhost:4318). The SDK reads the other
/// standard variables itself: OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG,
/// OTEL_EXPORTER_OTLP_HEADERS and OTEL_EXPORTER_OTLP_TIMEOUT (and their TRACES_ forms),
/// OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_*.
#[derive(Debug, Clone, Args)]
pub struct TelemetryArgs {
    /// Base URL of an OTLP/HTTP receiver (an OpenTelemetry collector), e.g.
    /// http://otel-collector:4318; spans go to its /v1/traces as protobuf.
    #[arg(
        long = "otlp-endpoint",
        env = "OTEL_EXPORTER_OTLP_ENDPOINT",
        global = true
    )]
    pub endpoint: Option<String>,
    /// The full URL spans are sent to; wins over --otlp-endpoint.
    #[arg(
        long = "otlp-traces-endpoint",
        env = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        global = true
    )]
    pub traces_endpoint: Option<String>,
    /// Only http/protobuf is spoken; another value is logged and ignored.
    #[arg(
        long = "otlp-protocol",
        env = "OTEL_EXPORTER_OTLP_PROTOCOL",
        global = true,
        hide = true
    )]
    pub protocol: Option<String>,
    /// The service.name of the exported spans.
    #[arg(
        long = "otel-service-name",
        env = "OTEL_SERVICE_NAME",
        default_value = "zaakstroom",
        global = true
    )]
    pub service_name: String,
    /// `true` exports nothing, whatever the endpoint (OpenTelemetry's switch).
    #[arg(
        long = "otel-sdk-disabled",
        env = "OTEL_SDK_DISABLED",
        global = true,
        hide = true
    )]
    pub disabled: Option<String>,
}

impl Default for TelemetryArgs {
    fn default() -> Self {
        Self {
            endpoint: None,
            traces_endpoint: None,
            protocol: None,
            service_name: "zaakstroom".into(),
            disabled: None,
        }
    }
}

impl TelemetryArgs {
    /// Where spans go, if anywhere: the traces endpoint as given, or the base endpoint's
    /// /v1/traces (empty values count as unset, as the specification says).
    pub fn traces_url(&self) -> Option<String> {
        fn given(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|v| !v.is_empty())
        }
        if self
            .disabled
            .as_deref()
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            return None;
        }
        if let Some(url) = given(&self.traces_endpoint) {
            return Some(url.to_owned());
        }
        given(&self.endpoint).map(|base| format!("{}/v1/traces", base.trim_end_matches('/')))
    }
}

/// How webhooks are delivered (the `webhooks` role).
#[derive(Debug, Clone, Args)]
pub struct WebhookArgs {
    /// Requests in flight at once in this process.
    #[arg(
        long = "webhook-concurrency",
        env = "ZAAKSTROOM_WEBHOOK_CONCURRENCY",
        default_value_t = 256,
        global = true
    )]
    pub concurrency: usize,
    /// Requests in flight to one abonnement (so a slow subscriber cannot hold the rest).
    #[arg(
        long = "webhook-per-abonnement",
        env = "ZAAKSTROOM_WEBHOOK_PER_ABONNEMENT",
        default_value_t = 32,
        global = true
    )]
    pub per_abonnement: usize,
    /// Seconds a callback may take to answer.
    #[arg(
        long = "webhook-timeout",
        env = "ZAAKSTROOM_WEBHOOK_TIMEOUT",
        default_value_t = 10.0,
        global = true
    )]
    pub timeout_secs: f64,
    /// Seconds before the first retry; each next waits `--webhook-retry-factor` times longer.
    #[arg(
        long = "webhook-retry-base",
        env = "ZAAKSTROOM_WEBHOOK_RETRY_BASE",
        default_value_t = 25.0,
        global = true
    )]
    pub retry_base_secs: f64,
    #[arg(
        long = "webhook-retry-factor",
        env = "ZAAKSTROOM_WEBHOOK_RETRY_FACTOR",
        default_value_t = 4.0,
        global = true
    )]
    pub retry_factor: f64,
    /// The longest wait between two tries, in seconds.
    #[arg(
        long = "webhook-retry-max",
        env = "ZAAKSTROOM_WEBHOOK_RETRY_MAX",
        default_value_t = 52_000.0,
        global = true
    )]
    pub retry_max_secs: f64,
    /// Tries before a delivery becomes a dead letter (Open Notificaties: 8, about a day).
    #[arg(
        long = "webhook-attempts",
        env = "ZAAKSTROOM_WEBHOOK_ATTEMPTS",
        default_value_t = 8,
        global = true
    )]
    pub max_attempts: u32,
}

impl Default for WebhookArgs {
    fn default() -> Self {
        Self {
            concurrency: 256,
            per_abonnement: 32,
            timeout_secs: 10.0,
            retry_base_secs: 25.0,
            retry_factor: 4.0,
            retry_max_secs: 52_000.0,
            max_attempts: 8,
        }
    }
}

impl WebhookArgs {
    pub fn settings(&self) -> projections::webhooks::deliver::DeliverySettings {
        use projections::webhooks::deliver::{DeliverySettings, RetrySchedule};
        let secs = |s: f64| std::time::Duration::from_secs_f64(s.clamp(0.0, 1e9));
        DeliverySettings {
            concurrency: self.concurrency.max(1),
            per_abonnement: self.per_abonnement.max(1),
            timeout: secs(self.timeout_secs),
            retry: RetrySchedule {
                base: secs(self.retry_base_secs),
                factor: self.retry_factor.max(1.0),
                max_delay: secs(self.retry_max_secs),
                max_attempts: self.max_attempts.max(1),
            },
            ..DeliverySettings::default()
        }
    }
}

impl Default for HttpArgs {
    fn default() -> Self {
        Self {
            max_body: 2 * 1024 * 1024,
            header_read_timeout_secs: 10,
            body_read_timeout_secs: 60,
            max_connections: 512,
            max_body_memory: 48 * 1024 * 1024,
        }
    }
}

impl HttpArgs {
    /// The limits the API checks per request.
    pub fn limits(&self) -> query_api::limits::HttpLimits {
        query_api::limits::HttpLimits {
            max_body: self.max_body,
            body_read_timeout: std::time::Duration::from_secs(self.body_read_timeout_secs),
            body_memory: query_api::limits::BodyBudget::new(self.max_body_memory),
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
    /// How long recorded reads are kept (`None`: for good).
    pub fn read_log_retention(&self) -> Option<std::time::Duration> {
        (self.read_log_retention_days > 0)
            .then(|| std::time::Duration::from_secs(self.read_log_retention_days * 86_400))
    }

    /// The document content store the configuration names.
    pub fn content_store(&self) -> anyhow::Result<query_api::documenten::ContentStore> {
        use query_api::documenten::ContentStore;
        Ok(match &self.content_url {
            Some(url) => {
                let options = std::env::vars()
                    .filter(|(k, _)| k.starts_with("AWS_"))
                    .map(|(k, v)| (k.to_ascii_lowercase(), v));
                ContentStore::from_url(url, options)?
            }
            None => ContentStore::local(&self.content_dir)?,
        })
    }

    /// The key for client secrets; serving needs one.
    pub fn secret_key(&self) -> anyhow::Result<SecretKey> {
        let Some(hex) = self.secret_key.as_deref() else {
            anyhow::bail!(
                "ZAAKSTROOM_SECRET_KEY is not set: client secrets are stored encrypted with it \
                 (make one with `openssl rand -hex 32`; ops/serve keeps one in data/secret.key)"
            );
        };
        hex.parse()
            .map_err(|e| anyhow::anyhow!("ZAAKSTROOM_SECRET_KEY: {e}"))
    }
}
