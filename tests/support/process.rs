//! The real binary as a child process of a test (kill -9, several processes on one
//! database).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use zaakstroom::Config;

/// A child process that is killed when dropped, so a failing test leaves none behind.
pub struct Server(Child);

impl std::ops::Deref for Server {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Server {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `zaakstroom serve --roles ROLES` on `config`'s database, listening on `listen`.
pub fn start(config: &Config, listen: &str, roles: &str) -> Server {
    start_with(config, listen, roles, &[])
}

/// [`start`] with more environment variables (`env`), e.g. OpenTelemetry's. The test
/// runner's own OTEL_* variables are not passed on.
pub fn start_with(config: &Config, listen: &str, roles: &str, env: &[(&str, &str)]) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zaakstroom"));
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("OTEL_")) {
        command.env_remove(name);
    }
    let child = command
        .arg("serve")
        .env("DATABASE_URL", &config.database_url)
        .env("NATS_URL", &config.nats_url)
        .env("ZAAKSTROOM_TENANT", &config.tenant)
        .env("ZAAKSTROOM_SECRET_KEY", super::SECRET_KEY)
        .env(
            "ZAAKSTROOM_SETUP",
            config
                .setup_file
                .as_ref()
                .expect("test configs have a setup file"),
        )
        .env("ZAAKSTROOM_LISTEN", listen)
        .env("ZAAKSTROOM_PUBLIC_URL", &config.public_url)
        .env("ZAAKSTROOM_ROLES", roles)
        .env("ZAAKSTROOM_READ_YOUR_WRITES_MS", "20000")
        // Tests run processes side by side on PostgreSQL's default 100 connections.
        .env("ZAAKSTROOM_DB_POOL_SIZE", "8")
        .env_remove("EVENTSTORE_URL")
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log_path(listen)).expect("a log file"))
        .spawn()
        .expect("start the zaakstroom binary");
    Server(child)
}

/// Where the process listening on `listen` logs (warnings and errors).
pub fn log_path(listen: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("zaakstroom-{}.log", listen.replace(':', "-")))
}

/// Stops a child as an operator would (SIGTERM: it finishes what is in flight and flushes),
/// and waits for it to exit.
pub async fn stop(child: &mut Child) -> std::process::ExitStatus {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    for _ in 0..1200 {
        if let Some(status) = child.try_wait().expect("the child's status") {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    panic!("zaakstroom did not stop within 60 s of SIGTERM");
}

/// A free port's `127.0.0.1:{port}`.
pub fn free_address() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("127.0.0.1:{port}")
}

/// Waits until the API at `base` answers.
pub async fn wait_up(http: &reqwest::Client, base: &str) {
    for _ in 0..400 {
        if http.get(format!("{base}/graphql")).send().await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let listen = base.trim_start_matches("http://");
    let log = std::fs::read_to_string(log_path(listen)).unwrap_or_default();
    panic!("zaakstroom did not come up at {base}; its log:\n{log}");
}
