//! Logs and traces: the process's `tracing` subscriber. Logs are text or JSON lines filtered
//! by RUST_LOG. When an OTLP endpoint is configured, an OpenTelemetry layer records the spans
//! Zaakstroom opens for tracing (the server span of a request, a projection's batch, the
//! publishing of an event, a webhook delivery; `projections::trace`) and the SDK exports
//! them in batches over OTLP/HTTP (protobuf). Without an endpoint there is no such layer:
//! those spans (DEBUG level) stay disabled and the logs are what they always were.

use anyhow::Context as _;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry::KeyValue;
use opentelemetry_http::{Bytes, HttpClient, HttpError, Request, Response};
use opentelemetry_otlp::{Protocol, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::trace::SdkTracerProvider;
use opentelemetry_sdk::Resource;
use std::time::Duration;
use tracing::subscriber::Interest;
use tracing::{Level, Metadata, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{self, Filter, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::config::{LogFormat, TelemetryArgs};

/// What is logged when RUST_LOG does not say.
const DEFAULT_LOG_FILTER: &str = "info,sqlx::postgres::notice=warn";

/// The crates whose spans are exported from DEBUG up (the tracing spans are DEBUG, so that
/// the logs at INFO do not show them); everything else from INFO up. Events inside an
/// exported span become its span events.
const OUR_CRATES: &[&str] = &[
    "zaakstroom",
    "query_api",
    "projections",
    "process_managers",
    "commands",
    "event_store",
];

/// How long one export request may take (OTLP's default timeout).
const EXPORT_TIMEOUT: Duration = Duration::from_secs(10);

/// The installed subscriber's exporter, if any: [`Telemetry::shutdown`] flushes it.
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

/// Installs the process's subscriber. Call once, inside the tokio runtime (the exporter sends
/// on it).
pub fn init(format: LogFormat, args: &TelemetryArgs) -> anyhow::Result<Telemetry> {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_LOG_FILTER));
    let Some(url) = args.traces_url() else {
        let builder = tracing_subscriber::fmt().with_env_filter(filter);
        match format {
            LogFormat::Json => builder.json().init(),
            LogFormat::Text => builder.init(),
        }
        return Ok(Telemetry { provider: None });
    };
    let provider = tracer_provider(&url, args)?;
    traced(format, filter, &provider, std::io::stdout).init();
    if let Some(protocol) = args.protocol.as_deref().filter(|p| *p != "http/protobuf") {
        tracing::warn!(
            protocol,
            "OTEL_EXPORTER_OTLP_PROTOCOL is not supported; spans are sent as http/protobuf"
        );
    }
    tracing::info!(endpoint = %url, service = %args.service_name, "exporting traces over OTLP");
    Ok(Telemetry {
        provider: Some(provider),
    })
}

impl Telemetry {
    /// Exports what is still buffered, then stops the exporter.
    pub async fn shutdown(self) {
        let Some(provider) = self.provider else {
            return;
        };
        // Blocks until the batch processor's thread has sent the rest, which it does on
        // this runtime: not on one of its workers.
        match tokio::task::spawn_blocking(move || provider.shutdown()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("flushing the trace exporter failed: {e}"),
            Err(e) => eprintln!("flushing the trace exporter failed: {e}"),
        }
    }
}

/// The logs (to `writer`, filtered by `filter`) beside the OpenTelemetry layer of `provider`.
fn traced<W>(
    format: LogFormat,
    filter: EnvFilter,
    provider: &SdkTracerProvider,
    writer: W,
) -> impl Subscriber + Send + Sync
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let logs = tracing_subscriber::fmt::layer().with_writer(writer);
    let logs = match format {
        LogFormat::Json => logs.json().with_filter(filter).boxed(),
        LogFormat::Text => logs.with_filter(filter).boxed(),
    };
    let spans = tracing_opentelemetry::layer()
        .with_tracer(provider.tracer("zaakstroom"))
        .with_filter(Exported)
        .boxed();
    tracing_subscriber::registry().with(vec![logs, spans])
}

/// What the OpenTelemetry layer records (see [`lowest_exported`]).
struct Exported;

impl<S> Filter<S> for Exported {
    fn enabled(&self, meta: &Metadata<'_>, _: &layer::Context<'_, S>) -> bool {
        *meta.level() <= lowest_exported(meta.target(), meta.is_span())
    }

    /// Never `always`: per-layer filters hand their decision from `enabled` to the event
    /// through a thread-local, which an `enabled` check without an event (sqlx's query
    /// logger makes one after every query) leaves stale, and a callsite cached as `always`
    /// skips `enabled`: its events were lost to the logs (tokio-rs/tracing#2519). With
    /// `sometimes` every event is decided afresh.
    fn callsite_enabled(&self, meta: &'static Metadata<'static>) -> Interest {
        if *meta.level() <= lowest_exported(meta.target(), meta.is_span()) {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }
}

/// Our spans from DEBUG, the rest from INFO.
fn lowest_exported(target: &str, is_span: bool) -> Level {
    let ours = target
        .split("::")
        .next()
        .is_some_and(|krate| OUR_CRATES.contains(&krate));
    if is_span && ours {
        Level::DEBUG
    } else {
        Level::INFO
    }
}

fn tracer_provider(url: &str, args: &TelemetryArgs) -> anyhow::Result<SdkTracerProvider> {
    let client = ExportClient {
        client: reqwest::Client::builder()
            .timeout(EXPORT_TIMEOUT)
            .build()
            .context("the OTLP exporter's HTTP client")?,
        runtime: tokio::runtime::Handle::try_current()
            .context("the trace exporter needs the tokio runtime")?,
    };
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(url)
        .with_http_client(client)
        .build()
        .with_context(|| format!("the OTLP exporter to {url}"))?;
    let resource = Resource::builder()
        .with_service_name(args.service_name.clone())
        .with_attribute(KeyValue::new("service.version", env!("CARGO_PKG_VERSION")))
        .build();
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build())
}

/// The exporter's HTTP client: our reqwest (rustls on ring, as every other client here), its
/// requests run on the tokio runtime, since the SDK's batch processor exports from a thread
/// of its own.
#[derive(Debug)]
struct ExportClient {
    client: reqwest::Client,
    runtime: tokio::runtime::Handle,
}

#[async_trait::async_trait]
impl HttpClient for ExportClient {
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let request = reqwest::Request::try_from(request)?;
        let client = self.client.clone();
        let sent = self.runtime.spawn(async move {
            let response = client.execute(request).await?;
            let mut answer = Response::builder().status(response.status());
            if let Some(headers) = answer.headers_mut() {
                *headers = response.headers().clone();
            }
            let body = response.bytes().await?;
            Ok::<_, HttpError>(answer.body(body)?)
        });
        sent.await?
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing::callsite::Callsite as _;

    use super::*;

    fn args(endpoint: Option<&str>, traces: Option<&str>) -> TelemetryArgs {
        TelemetryArgs {
            endpoint: endpoint.map(Into::into),
            traces_endpoint: traces.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn spans_go_to_the_traces_endpoint_or_the_base_endpoints_v1_traces_and_nowhere_by_default() {
        assert_eq!(args(None, None).traces_url(), None);
        assert_eq!(
            args(Some(" "), Some("")).traces_url(),
            None,
            "empty is unset"
        );
        assert_eq!(
            args(Some("http://collector:4318"), None).traces_url(),
            Some("http://collector:4318/v1/traces".into())
        );
        assert_eq!(
            args(Some("http://collector:4318/otlp/"), None).traces_url(),
            Some("http://collector:4318/otlp/v1/traces".into())
        );
        assert_eq!(
            args(
                Some("http://collector:4318"),
                Some("http://other:4318/traces")
            )
            .traces_url(),
            Some("http://other:4318/traces".into()),
            "the signal's own endpoint wins, as given"
        );
        let disabled = TelemetryArgs {
            disabled: Some("TRUE".into()),
            ..args(Some("http://collector:4318"), None)
        };
        assert_eq!(disabled.traces_url(), None, "OTEL_SDK_DISABLED");
    }

    /// Log lines in memory.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'w> MakeWriter<'w> for Captured {
        type Writer = Captured;
        fn make_writer(&'w self) -> Captured {
            self.clone()
        }
    }

    #[test]
    fn while_exporting_the_logs_are_what_they_were() {
        let logs = Captured::default();
        let provider = SdkTracerProvider::builder().build();
        let subscriber = traced(
            LogFormat::Text,
            EnvFilter::new(DEFAULT_LOG_FILTER),
            &provider,
            logs.clone(),
        );
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(target: "projections::runtime", "first");
            // What sqlx's query logger does after every query: asks whether DEBUG is on,
            // and logs nothing.
            let query = tracing::callsite!(
                name: "query",
                kind: tracing::metadata::Kind::EVENT,
                target: "sqlx::query",
                level: Level::DEBUG,
                fields: []
            );
            tracing::dispatcher::get_default(|d| d.enabled(query.metadata()));
            tracing::info!(target: "projections::runtime", "second");
            let span = tracing::debug_span!(target: "projections::runtime", "batch");
            span.in_scope(|| tracing::info!(target: "projections::runtime", "inside"));
        });
        let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        for (line, message) in lines.iter().zip(["first", "second", "inside"]) {
            assert!(
                line.contains("projections::runtime") && line.ends_with(message),
                "{line}"
            );
        }
    }

    #[test]
    fn our_spans_are_exported_from_debug_and_the_rest_from_info() {
        assert_eq!(lowest_exported("projections::runtime", true), Level::DEBUG);
        assert_eq!(lowest_exported("query_api::trace", true), Level::DEBUG);
        assert_eq!(lowest_exported("zaakstroom", true), Level::DEBUG);
        assert_eq!(lowest_exported("projections::runtime", false), Level::INFO);
        assert_eq!(
            lowest_exported("tower_http::trace::make_span", true),
            Level::INFO
        );
        assert_eq!(lowest_exported("sqlx::query", false), Level::INFO);
    }
}
