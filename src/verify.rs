//! `zaakstroom verify` and `zaakstroom checkpoint`: the event log's hash chains checked, and
//! its stream heads sealed into signed checkpoints an outside party keeps
//! (docs/hash-chain.md). The PostgreSQL log is walked with its stream table; a KurrentDB
//! log (EVENTSTORE_URL) through the event-store port (`event_store::verify::port`), its
//! checkpoints kept in the PostgreSQL database beside the read models.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use ed25519_dalek::SigningKey;
use event_store::kurrent::KurrentEventStore;
use event_store::postgres::PgEventStore;
use event_store::verify::checkpoint::{parse_public_key, Checkpoint};
use event_store::verify::{port, Progress, Report};
use event_store::EventStore;
use indicatif::{ProgressBar, ProgressStyle};
use sqlx::postgres::PgPoolOptions;
use sqlx::ConnectOptions;

use crate::Config;

/// Where the checkpoint signing key lives unless told otherwise.
pub const DEFAULT_SIGNING_KEY: &str = "data/checkpoint-signing.key";
/// On a terminal a bar; elsewhere (cron, CI) one line per this many events.
const PROGRESS_LINE_EVERY: u64 = 100_000;

#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// Only this stream (e.g. zaak-6f1c...).
    #[arg(long)]
    pub stream: Option<String>,
    /// Also check that the log still extends this exported checkpoint (JSON).
    #[arg(long, value_name = "CHECKPOINT.json")]
    pub against: Option<PathBuf>,
    /// The public key (64 hex characters) the checkpoint must be signed with; without it,
    /// the key the checkpoint names is used, and printed so it can be compared.
    #[arg(long, env = "ZAAKSTROOM_CHECKPOINT_PUBLIC_KEY")]
    pub public_key: Option<String>,
    /// Events read per statement.
    #[arg(long, default_value_t = 1_000)]
    pub batch: usize,
}

#[derive(Debug, Clone, Subcommand)]
pub enum CheckpointCommand {
    /// Verify the whole log, then seal every stream's head into a signed checkpoint and
    /// store it (`--out`: also export it).
    Seal {
        #[command(flatten)]
        key: KeyArgs,
        /// Write the checkpoint's JSON document here too.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write a stored checkpoint (the newest unless `--id`) as its JSON document.
    Export {
        #[arg(long)]
        id: Option<i64>,
        #[arg(long)]
        out: PathBuf,
    },
    /// The stored checkpoints, newest first.
    List,
    /// Print the public key of the signing key (made if missing), to hand to auditors.
    PublicKey {
        #[command(flatten)]
        key: KeyArgs,
    },
}

#[derive(Debug, Clone, Args)]
pub struct KeyArgs {
    /// The Ed25519 signing key: a file holding its 32-byte secret seed as 64 hex
    /// characters. Made (mode 0600) when missing.
    #[arg(long, env = "ZAAKSTROOM_CHECKPOINT_KEY", default_value = DEFAULT_SIGNING_KEY)]
    pub signing_key: PathBuf,
}

/// Where the log is, and where its checkpoints are kept.
enum Log {
    /// The PostgreSQL log, walked with its stream table; checkpoints beside it.
    Postgres(PgEventStore),
    /// Another store (KurrentDB), walked through the port; checkpoints in `checkpoints`.
    Port {
        store: Arc<dyn EventStore>,
        checkpoints: PgEventStore,
    },
}

impl Log {
    fn checkpoints(&self) -> &PgEventStore {
        match self {
            Self::Postgres(store) => store,
            Self::Port { checkpoints, .. } => checkpoints,
        }
    }

    /// The log verified (or one stream), against a checkpoint when given; with the heads
    /// it found when walked through the port (what sealing needs there).
    async fn verify(
        &self,
        stream: Option<&str>,
        batch: usize,
        checkpoint: Option<&Checkpoint>,
    ) -> anyhow::Result<(Report, Option<Vec<event_store::verify::checkpoint::Head>>)> {
        let mut shown = Shown::new()?;
        match self {
            Self::Postgres(store) => {
                let mut report = store.verify(stream, batch, |p| shown.show(p)).await?;
                shown.finish();
                if let Some(cp) = checkpoint {
                    store.verify_against(cp, stream, &mut report).await?;
                }
                Ok((report, None))
            }
            Self::Port { store, .. } => {
                let mut walk = port::walk(store.as_ref(), stream, batch, |p| shown.show(p)).await?;
                shown.finish();
                if let Some(cp) = checkpoint {
                    walk.against(store.as_ref(), cp, stream).await?;
                }
                let heads = walk.heads();
                Ok((walk.report, Some(heads)))
            }
        }
    }
}

/// Whether the log verified clean (the process exits 1 when not).
pub async fn verify(config: &Config, args: &VerifyArgs) -> anyhow::Result<bool> {
    let log = connect(config).await?;
    let checkpoint = match &args.against {
        Some(path) => Some(read_checkpoint(path, args.public_key.as_deref())?),
        None => None,
    };
    let (report, _) = log
        .verify(
            args.stream.as_deref(),
            args.batch.max(1),
            checkpoint.as_ref(),
        )
        .await?;
    print_report(&report, checkpoint.as_ref());
    Ok(report.is_clean())
}

/// Runs a checkpoint command; `false` when sealing was refused over faults in the log.
pub async fn checkpoint(config: &Config, command: &CheckpointCommand) -> anyhow::Result<bool> {
    match command {
        CheckpointCommand::Seal { key, out } => {
            seal(config, &key.signing_key, out.as_deref()).await
        }
        CheckpointCommand::Export { id, out } => {
            let log = connect(config).await?;
            let sealed = export(log.checkpoints(), *id, out).await?;
            println!("exported checkpoint {} to {}", sealed.id, out.display());
            Ok(true)
        }
        CheckpointCommand::List => {
            let log = connect(config).await?;
            let store = log.checkpoints();
            PgEventStore::migrate(store.pool()).await?;
            for c in store.checkpoints().await? {
                println!(
                    "{}\t{}\t{} streams\troot {}\tkey {}",
                    c.id, c.seal.sealed_at, c.seal.streams, c.seal.root, c.public_key
                );
            }
            Ok(true)
        }
        CheckpointCommand::PublicKey { key } => {
            let key = signing_key(&key.signing_key)?;
            println!("{}", hex::encode(key.verifying_key().as_bytes()));
            Ok(true)
        }
    }
}

async fn seal(config: &Config, key_path: &Path, out: Option<&Path>) -> anyhow::Result<bool> {
    let key = signing_key(key_path)?;
    let log = connect(config).await?;
    let store = log.checkpoints();
    PgEventStore::migrate(store.pool())
        .await
        .context("event-log migrations")?;
    let (report, heads) = log.verify(None, 1_000, None).await?;
    if !report.is_clean() {
        print_report(&report, None);
        println!("nothing sealed: the log has faults");
        return Ok(false);
    }
    let sealed = match heads {
        None => store.seal_checkpoint(&key).await?,
        Some(heads) => store.seal_heads(&key, heads).await?,
    };
    println!(
        "sealed checkpoint {} at {}: {} streams, root {}, public key {}",
        sealed.id, sealed.seal.sealed_at, sealed.seal.streams, sealed.seal.root, sealed.public_key
    );
    if let Some(out) = out {
        export(store, Some(sealed.id), out).await?;
        println!("exported to {}", out.display());
    }
    Ok(true)
}

/// Writes next to `out` first and renames, so a failed export leaves no document behind.
async fn export(
    store: &PgEventStore,
    id: Option<i64>,
    out: &Path,
) -> anyhow::Result<event_store::postgres::Sealed> {
    let partial = out.with_extension("partial");
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(&partial)
            .with_context(|| format!("creating {}", partial.display()))?,
    );
    let sealed = match store.export_checkpoint(id, &mut file).await {
        Ok(s) => s,
        Err(e) => {
            drop(file);
            let _ = std::fs::remove_file(&partial);
            return Err(e.into());
        }
    };
    file.flush()?;
    drop(file);
    std::fs::rename(&partial, out).with_context(|| format!("writing {}", out.display()))?;
    Ok(sealed)
}

/// A walk's progress on stderr: a bar on a terminal, a line now and then elsewhere.
struct Shown {
    bar: ProgressBar,
    terminal: bool,
    next_line: u64,
}

impl Shown {
    fn new() -> anyhow::Result<Self> {
        let terminal = std::io::stderr().is_terminal();
        let bar = if terminal {
            ProgressBar::new(0).with_style(
                ProgressStyle::with_template(
                    "verifying {bar:40} {pos}/{len} events ({per_sec}, {eta})",
                )
                .context("progress style")?,
            )
        } else {
            ProgressBar::hidden()
        };
        bar.enable_steady_tick(Duration::from_millis(200));
        Ok(Self {
            bar,
            terminal,
            next_line: PROGRESS_LINE_EVERY,
        })
    }

    fn show(&mut self, p: Progress) {
        // A log walked through the port is not counted first: its length grows with it.
        self.bar.set_length(p.total.max(p.events));
        self.bar.set_position(p.events);
        if !self.terminal && p.events >= self.next_line {
            let of = if p.total > 0 {
                format!(" of {}", p.total)
            } else {
                String::new()
            };
            eprintln!("verify: {}{of} events, {} streams", p.events, p.streams);
            self.next_line = p.events + PROGRESS_LINE_EVERY;
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn print_report(report: &Report, checkpoint: Option<&Checkpoint>) {
    for fault in &report.faults {
        println!("FAULT {fault}");
    }
    if report.more_faults > 0 {
        println!("... and {} more faults", report.more_faults);
    }
    for stream in &report.deleted_since_checkpoint {
        println!("note: {stream} was deleted since the checkpoint (a tombstone in es_streams)");
    }
    let against = checkpoint.map_or(String::new(), |cp| {
        format!(
            ", {} heads of checkpoint {} (sealed {}, key {})",
            report.checkpoint_heads, cp.id, cp.seal.sealed_at, cp.public_key
        )
    });
    match report.fault_count() {
        0 => println!(
            "verified {} events in {} streams{against}: no faults",
            report.events, report.streams
        ),
        1 => println!(
            "verified {} events in {} streams{against}: 1 faulty stream",
            report.events, report.streams
        ),
        n => println!(
            "verified {} events in {} streams{against}: {n} faulty streams",
            report.events, report.streams
        ),
    }
}

/// Reads an exported checkpoint and checks it on its own (sorted heads, root, signature).
fn read_checkpoint(path: &Path, trusted: Option<&str>) -> anyhow::Result<Checkpoint> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let cp: Checkpoint = serde_json::from_reader(std::io::BufReader::new(file))
        .with_context(|| format!("reading checkpoint {}", path.display()))?;
    let trusted = trusted.map(parse_public_key).transpose()?;
    cp.check(trusted.as_ref())
        .with_context(|| format!("checkpoint {} does not check", path.display()))?;
    if trusted.is_none() {
        eprintln!(
            "note: checkpoint signature checked with the key it names ({}); pass --public-key \
             to require yours",
            cp.public_key
        );
    }
    Ok(cp)
}

/// The signing key at `path`, made when missing. Its secret is never printed.
pub fn signing_key(path: &Path) -> anyhow::Result<SigningKey> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let seed: [u8; 32] = hex::decode(text.trim())
                .ok()
                .and_then(|b| b.try_into().ok())
                .with_context(|| {
                    format!(
                        "{} must hold the Ed25519 secret seed as 64 hex characters",
                        path.display()
                    )
                })?;
            Ok(SigningKey::from_bytes(&seed))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut seed = [0u8; 32];
            getrandom::getrandom(&mut seed).context("random bytes for a signing key")?;
            let key = SigningKey::from_bytes(&seed);
            write_secret(path, &hex::encode(seed))?;
            eprintln!(
                "made a new checkpoint signing key in {} (public key {}): keep the file secret \
                 and safe, and give the public key to whoever checks checkpoints",
                path.display(),
                hex::encode(key.verifying_key().as_bytes())
            );
            Ok(key)
        }
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

fn write_secret(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    writeln!(file, "{text}").with_context(|| format!("writing {}", path.display()))
}

/// The log, without migrating or claiming the tenant: verifying changes nothing. The
/// PostgreSQL database is where checkpoints are kept either way.
async fn connect(config: &Config) -> anyhow::Result<Log> {
    // A walk streams for minutes: sqlx's slow-statement warnings would only be noise.
    let options = crate::database_options(&config.database_url)?
        .options([("jit", "off")])
        .disable_statement_logging();
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .connect_with(options.clone())
        .await
        .with_context(|| format!("connecting to PostgreSQL at {}", crate::describe(&options)))?;
    let local = PgEventStore::new(pool);
    Ok(match &config.eventstore_url {
        None => Log::Postgres(local),
        Some(url) => Log::Port {
            store: Arc::new(KurrentEventStore::connect(url).await.with_context(|| {
                format!(
                    "connecting to KurrentDB at {}",
                    crate::without_credentials(url)
                )
            })?),
            checkpoints: local,
        },
    })
}
