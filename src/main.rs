//! The `zaakstroom` command: parse the command line, set up logging and tracing, run, stop
//! cleanly (flushing the traces).

use clap::Parser;
use tokio::net::TcpListener;
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
    let telemetry = zaakstroom::telemetry::init(cli.config.log_format, &cli.config.telemetry)?;
    let result = run(cli).await;
    telemetry.shutdown().await;
    result
}

async fn run(cli: Cli) -> anyhow::Result<()> {
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
        Command::Verify(args) => {
            exit_on_fault(zaakstroom::verify::verify(&cli.config, &args).await)
        }
        Command::Checkpoint(command) => {
            exit_on_fault(zaakstroom::verify::checkpoint(&cli.config, &command).await)
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

/// Exit code 1 when the log has a fault (an error of its own is returned, exit code 1 too).
fn exit_on_fault(clean: anyhow::Result<bool>) -> anyhow::Result<()> {
    if !clean? {
        std::process::exit(1);
    }
    Ok(())
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
