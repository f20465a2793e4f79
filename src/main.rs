//! The `zaakstroom` command: parse the command line, set up logging, run, stop cleanly.

use clap::Parser;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;
use zaakstroom::config::LogFormat;
use zaakstroom::{Cli, Command};

/// glibc's allocator took ~40 % of a rebuild's CPU (malloc, free and their consolidation in
/// `perf`: every event decodes, folds and renders JSON trees); mimalloc's thread-local free
/// lists take a fraction of that (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // kurrentdb brings aws-lc-rs and sqlx/async-nats bring ring: choose one explicitly, or
    // the first TLS connection panics.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = Cli::parse();
    init_tracing(cli.config.log_format);
    match cli.command {
        Command::Serve(args) => {
            let listener = TcpListener::bind(args.listen).await?;
            zaakstroom::serve(&cli.config, &args, listener, shutdown_signal()).await
        }
        Command::Migrate => zaakstroom::migrate(&cli.config).await.map(|_| ()),
        Command::Applicatie(command) => zaakstroom::applicatie(&cli.config, &command).await,
        Command::Webhooks(command) => zaakstroom::webhooks(&cli.config, &command).await,
        Command::Seed(args) => {
            let report = zaakstroom::seed(&cli.config, &args).await?;
            println!("{report}");
            Ok(())
        }
        Command::Rebuild => {
            let started = std::time::Instant::now();
            let events = zaakstroom::rebuild(&cli.config).await?;
            let secs = started.elapsed().as_secs_f64();
            let rate = events as f64 / secs.max(1e-9);
            println!(
                "rebuilt read models from {events} events in {secs:.1} s ({rate:.0} events/s)"
            );
            Ok(())
        }
    }
}

fn init_tracing(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx::postgres::notice=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// Completes on ctrl-c or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
