//! Hostile clients and a database outage, over real TCP: slow and half-sent requests are cut
//! off and cannot use up connections, oversized bodies are refused before they are read,
//! every refusal is problem+json (GraphQL's own shape for a malformed GraphQL body), a
//! token dated ahead is refused, and while PostgreSQL is down requests get 503 with
//! Retry-After at once instead of hanging. Every count and wait here is bounded.

mod support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use zaakstroom::{Config, Role};

/// One HTTP/1.1 exchange on a fresh connection: `head` (without the blank line) and `body`
/// sent, then everything read until the server closes (`Connection: close`) or `wait`
/// passes. Returns the status, the response head and its body.
async fn exchange(addr: &str, head: &str, body: &[u8], wait: Duration) -> (u16, String, String) {
    let (mut reader, mut writer) = TcpStream::connect(addr).await.unwrap().into_split();
    let mut sent = format!("{head}\r\n\r\n").into_bytes();
    sent.extend_from_slice(body);
    // Written while the answer is read: the server may answer (and close) before it has
    // taken all of an oversized body.
    let writing = tokio::spawn(async move {
        let _ = writer.write_all(&sent).await;
        writer
    });
    let mut bytes = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let deadline = tokio::time::Instant::now() + wait;
    while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, reader.read(&mut buf)).await {
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buf[..n]);
    }
    writing.abort();
    parse_response(&bytes)
}

fn parse_response(bytes: &[u8]) -> (u16, String, String) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_owned())
}

/// Asserts a problem+json answer of `status` with `code`.
#[track_caller]
fn assert_problem(response: &(u16, String, String), status: u16, code: &str) {
    let (got, head, body) = response;
    assert_eq!(*got, status, "{head}\n{body}");
    assert!(
        head.contains("content-type: application/problem+json"),
        "{head}"
    );
    let body: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(body["status"], status, "{body}");
    assert_eq!(body["code"], code, "{body}");
    for field in ["type", "title", "detail", "instance"] {
        assert!(body[field].is_string(), "{field} in {body}");
    }
}

fn addr(app: &support::TestApp) -> String {
    app.base.trim_start_matches("http://").to_owned()
}

fn auth(iat: i64) -> String {
    format!(
        "Authorization: Bearer {}",
        support::token(support::CLIENT_ID, support::SECRET, iat)
    )
}

#[tokio::test]
async fn every_refusal_is_problem_json_and_oversized_bodies_are_not_read() {
    let mut config = support::test_config().await;
    config.max_json_body = 4 * 1024 * 1024;
    let app = support::TestApp::spawn_bare_with(config, &[Role::Api, Role::Projector]).await;
    let addr = addr(&app);
    let now = chrono::Utc::now().timestamp();
    let wait = Duration::from_secs(10);
    let close = "Host: t\r\nConnection: close";
    let json = "Content-Type: application/json";

    // A 105 MB GraphQL body: refused on its Content-Length, before a byte is parsed.
    let started = Instant::now();
    let head = format!(
        "POST /graphql HTTP/1.1\r\n{close}\r\n{}\r\n{json}\r\nContent-Length: 105000000",
        auth(now)
    );
    let response = exchange(&addr, &head, b"", wait).await;
    assert_problem(&response, 413, "request_entity_too_large");
    assert!(started.elapsed() < Duration::from_secs(5));
    // The same sent chunked, without a Content-Length: refused once the limit is passed.
    let head = format!(
        "POST /graphql HTTP/1.1\r\n{close}\r\n{}\r\n{json}\r\nTransfer-Encoding: chunked",
        auth(now)
    );
    let mut chunk = format!("{:x}\r\n", 3 << 20).into_bytes();
    chunk.extend(std::iter::repeat_n(b' ', 3 << 20));
    let response = exchange(&addr, &head, &chunk, wait).await;
    assert_problem(&response, 413, "request_entity_too_large");
    // The Documenten API's JSON (base64 inhoud) has a limit of its own.
    let head = format!(
        "POST /documenten/api/v1/enkelvoudiginformatieobjecten HTTP/1.1\r\n{close}\r\n{}\r\n{json}\r\nContent-Length: 105000000",
        auth(now)
    );
    let response = exchange(&addr, &head, b"", wait).await;
    assert_problem(&response, 413, "request_entity_too_large");

    // A malformed GraphQL body: 400 with the error in GraphQL's own shape.
    let head = format!(
        "POST /graphql HTTP/1.1\r\n{close}\r\n{}\r\n{json}\r\nContent-Length: 9",
        auth(now)
    );
    let (status, head, body) = exchange(&addr, &head, b"{not json", wait).await;
    assert_eq!(status, 400, "{head}\n{body}");
    assert!(head.contains("content-type: application/json"), "{head}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert!(body["errors"][0]["message"].is_string(), "{body}");
    // Too deep a query: GraphQL's error, not an answer.
    let mut deep = "name".to_owned();
    for _ in 0..20 {
        deep = format!("ofType {{ {deep} }}");
    }
    let query = format!("{{ __schema {{ types {{ fields {{ type {{ {deep} }} }} }} }} }}");
    let body = app.graphql(&query).await;
    assert!(body["data"].is_null(), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("nested too deep")),
        "{body}"
    );
    // Too complex a query (many aliases): refused likewise.
    let fields: String = (0..1200)
        .map(|i| format!("a{i}: zaken(first: 1) {{ totalCount }} "))
        .collect();
    let body = app.graphql(&format!("{{ {fields} }}")).await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("too complex")),
        "{body}"
    );

    // A bestandsdeel PUT that is multipart without a boundary.
    let head = format!(
        "PUT /documenten/api/v1/bestandsdelen/{} HTTP/1.1\r\n{close}\r\n{}\r\nContent-Type: multipart/form-data\r\nContent-Length: 4",
        uuid::Uuid::new_v4(),
        auth(now)
    );
    let response = exchange(&addr, &head, b"abcd", wait).await;
    assert_problem(&response, 400, "parse_error");
    // A method the route does not have: 405 with Allow.
    let head = format!(
        "DELETE /zaken/api/v1/zaken HTTP/1.1\r\n{close}\r\n{}",
        auth(now)
    );
    let response = exchange(&addr, &head, b"", wait).await;
    assert_problem(&response, 405, "method_not_allowed");
    assert!(response.1.contains("allow: "), "{}", response.1);
    // A route that does not exist.
    let response = exchange(
        &addr,
        &format!("GET /nergens HTTP/1.1\r\n{close}"),
        b"",
        wait,
    )
    .await;
    assert_problem(&response, 404, "not_found");
    // A URI and a header block over their limits.
    let long = "x".repeat(9 * 1024);
    let head = format!("GET /zaken/api/v1/zaken?q={long} HTTP/1.1\r\n{close}");
    assert_problem(
        &exchange(&addr, &head, b"", wait).await,
        414,
        "uri_too_long",
    );
    let headers: String = (0..40)
        .map(|i| format!("\r\nX-Vulling-{i}: {}", "y".repeat(2000)))
        .collect();
    let head = format!("GET /zaken/api/v1/zaken HTTP/1.1\r\n{close}{headers}");
    let response = exchange(&addr, &head, b"", wait).await;
    assert_problem(&response, 431, "request_header_fields_too_large");

    // A token issued ten years ahead is not valid yet (nor for ten years).
    let ahead = now + 10 * 365 * 24 * 3600;
    let head = format!(
        "GET /zaken/api/v1/zaken HTTP/1.1\r\n{close}\r\n{}\r\nAccept-Crs: EPSG:4326",
        auth(ahead)
    );
    let response = exchange(&addr, &head, b"", wait).await;
    assert_problem(&response, 403, "jwt-immaturesignatureerror");
    app.stop().await;
}

/// A free port on the loopback (bound and released; the server binds it right after).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The connections the child holds open on `port` (its sockets with that local port, the
/// listening one left out): accepted ones only, not those waiting in the backlog.
fn served_connections(child: &Child, port: u16) -> usize {
    let inodes: std::collections::HashSet<String> =
        std::fs::read_dir(format!("/proc/{}/fd", child.id()))
            .unwrap()
            .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
            .filter_map(|link| {
                let link = link.to_string_lossy().into_owned();
                Some(link.strip_prefix("socket:[")?.strip_suffix(']')?.to_owned())
            })
            .collect();
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    table
        .lines()
        .skip(1)
        .filter(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let local_port = cols[1]
                .rsplit(':')
                .next()
                .and_then(|p| u16::from_str_radix(p, 16).ok());
            local_port == Some(port) && cols[3] != "0A" && inodes.contains(cols[9])
        })
        .count()
}

/// The binary, API role only, with small limits so the test stays short.
fn start(config: &Config, listen: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_zaakstroom"))
        .args(["serve", "--roles", "api,projector"])
        .env("DATABASE_URL", &config.database_url)
        .env("ZAAKSTROOM_TENANT", &config.tenant)
        .env("ZAAKSTROOM_SECRET_KEY", support::SECRET_KEY)
        .env("ZAAKSTROOM_SETUP", config.setup_file.as_ref().unwrap())
        .env("ZAAKSTROOM_LISTEN", listen)
        .env("ZAAKSTROOM_PUBLIC_URL", format!("http://{listen}"))
        .env("ZAAKSTROOM_MAX_CONNECTIONS", "20")
        .env("ZAAKSTROOM_HEADER_READ_TIMEOUT", "1")
        .env("ZAAKSTROOM_BODY_READ_TIMEOUT", "2")
        .env("ZAAKSTROOM_DB_POOL_SIZE", "8")
        .env_remove("EVENTSTORE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the zaakstroom binary")
}

#[tokio::test]
async fn slow_and_half_sent_requests_are_cut_off_and_cannot_use_up_connections() {
    let config = support::test_config().await;
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut child = start(&config, &listen);
    let http = reqwest::Client::new();
    let list = format!("http://{listen}/zaken/api/v1/zaken");
    let get = || {
        http.get(&list)
            .bearer_auth(support::token(
                support::CLIENT_ID,
                support::SECRET,
                chrono::Utc::now().timestamp(),
            ))
            .header("Accept-Crs", "EPSG:4326")
            .timeout(Duration::from_secs(20))
            .send()
    };
    let mut up = false;
    for _ in 0..400 {
        if get().await.is_ok_and(|r| r.status() == 200) {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(up, "the server did not come up");

    // 60 connections that send half a request head and then nothing (three times the
    // connection limit of 20, all on the loopback).
    let mut idle = Vec::new();
    for _ in 0..60 {
        let mut s = TcpStream::connect(&listen).await.unwrap();
        s.write_all(b"GET /zaken/api/v1/zaken HTTP/1.1\r\nHost: t\r\n")
            .await
            .unwrap();
        idle.push(s);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let held = served_connections(&child, port);
    assert!(
        (1..=20).contains(&held),
        "{held} connections served at once, 20 allowed"
    );
    // A real client still gets through: the half-sent ones are cut off after the
    // header-read timeout (1 s) and the queue behind them moves on.
    let started = Instant::now();
    let response = get().await.expect("served despite the half-sent requests");
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(15));
    for mut s in idle {
        let mut buf = [0u8; 64];
        let closed = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf)).await;
        assert!(
            matches!(closed, Ok(Ok(0)) | Ok(Err(_))),
            "a half-sent request is closed"
        );
    }

    // Two bytes of a 100-byte body: 408 as problem+json once the body deadline (2 s) passes.
    let head = format!(
        "POST /zaken/api/v1/zaken HTTP/1.1\r\nHost: t\r\n{}\r\nContent-Type: application/json\r\nAccept-Crs: EPSG:4326\r\nContent-Crs: EPSG:4326\r\nContent-Length: 100",
        auth(chrono::Utc::now().timestamp())
    );
    let started = Instant::now();
    let response = exchange(&listen, &head, b"{\"", Duration::from_secs(10)).await;
    assert_problem(&response, 408, "request_timeout");
    assert!(started.elapsed() < Duration::from_secs(6));
    // A kept-alive connection left idle is closed after the header-read timeout.
    let mut s = TcpStream::connect(&listen).await.unwrap();
    s.write_all(b"GET /nergens HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = s.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 404"));
    let closed = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await;
    assert!(
        matches!(closed, Ok(Ok(0)) | Ok(Err(_))),
        "idle connection closed"
    );

    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(served_connections(&child, port), 0, "connections released");
    assert_eq!(get().await.unwrap().status(), 200);
    child.kill().unwrap();
    child.wait().unwrap();
}

/// A PostgreSQL cluster of this test's own on a free port, stopped when dropped.
struct Cluster {
    dir: std::path::PathBuf,
    port: u16,
}

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

impl Cluster {
    /// As the `postgres` user when running as root (initdb refuses root).
    fn run(program: &str, args: &[&str]) -> std::process::Output {
        let path = format!("{PG_BIN}/{program}");
        let mut command = if nix_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", &path]);
            c
        } else {
            Command::new(&path)
        };
        command.args(args).output().expect("run a PostgreSQL tool")
    }

    fn init() -> Self {
        if !std::path::Path::new(PG_BIN).join("initdb").exists() {
            support::not_run("PostgreSQL 15 binaries", PG_BIN);
        }
        let dir = std::env::temp_dir().join(format!("zs-pg-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        if nix_root() {
            let chown = Command::new("chown")
                .args(["postgres:postgres", dir.to_str().unwrap()])
                .status()
                .unwrap();
            assert!(chown.success());
        }
        let data = dir.join("data");
        let out = Self::run(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-A",
                "trust",
                "-U",
                "postgres",
            ],
        );
        assert!(out.status.success(), "initdb: {out:?}");
        let cluster = Self {
            dir,
            port: free_port(),
        };
        cluster.start();
        cluster
    }

    /// `pg_ctl -D {data} {args}`.
    fn pg_ctl(&self, args: &[&str]) -> std::process::Output {
        let data = self.dir.join("data");
        let data = data.to_str().unwrap();
        Self::run("pg_ctl", &[&["-D", data][..], args].concat())
    }

    fn start(&self) {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c max_connections=30",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("log");
        let log = log.to_str().unwrap();
        let out = self.pg_ctl(&["-l", log, "-o", &options, "-w", "start"]);
        assert!(out.status.success(), "pg_ctl start: {out:?}");
    }

    /// Stops the cluster as a crash would (no clean shutdown of its connections).
    fn kill(&self) {
        let out = self.pg_ctl(&["-m", "immediate", "-w", "stop"]);
        assert!(out.status.success(), "pg_ctl stop: {out:?}");
    }

    fn url(&self) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/zaakstroom?sslmode=disable",
            self.port
        )
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.pg_ctl(&["-m", "immediate", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn nix_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

#[tokio::test]
async fn while_postgresql_is_down_requests_get_503_with_retry_after_at_once() {
    let mut config = support::test_config().await;
    let cluster = Cluster::init();
    config.database_url = cluster.url();
    config.db_pool_size = 6;
    config.db_acquire_timeout_ms = 1000;
    let app = support::TestApp::spawn_bare_with(config, &[Role::Api, Role::Projector]).await;
    let list = || {
        app.request(reqwest::Method::GET, "/zaken/api/v1/zaken")
            .timeout(Duration::from_secs(20))
            .send()
    };
    assert_eq!(list().await.unwrap().status(), 200);

    cluster.kill();
    let detail = format!("/zaken/api/v1/zaken/{}", uuid::Uuid::new_v4());
    let zaak = json!({"bronorganisatie": "517439943", "verantwoordelijkeOrganisatie": "517439943",
        "zaaktype": app.url("/catalogi/api/v1/zaaktypen/00000000-0000-0000-0000-000000000000"),
        "startdatum": "2026-01-01"});
    for round in 0..3 {
        for (method, path, body) in [
            (reqwest::Method::GET, "/zaken/api/v1/zaken", None),
            (reqwest::Method::GET, detail.as_str(), None),
            (reqwest::Method::POST, "/zaken/api/v1/zaken", Some(&zaak)),
            (reqwest::Method::POST, "/graphql", None),
        ] {
            let mut request = app
                .request(method.clone(), path)
                .timeout(Duration::from_secs(20));
            request = match (body, path) {
                (Some(b), _) => request.json(b),
                (None, "/graphql") => request.json(&json!({"query": "{ zaken { totalCount } }"})),
                _ => request,
            };
            let started = Instant::now();
            let response = request.send().await.unwrap();
            let elapsed = started.elapsed();
            let status = response.status();
            let retry = response.headers().get("retry-after").cloned();
            let kind = response.headers().get("content-type").cloned();
            let body = response.text().await.unwrap();
            assert_eq!(status, 503, "{method} {path} (round {round}): {body}");
            assert!(retry.is_some(), "Retry-After on {method} {path}");
            assert_eq!(kind.unwrap(), "application/problem+json", "{body}");
            let body: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(body["code"], "service_unavailable");
            assert!(
                elapsed < Duration::from_secs(5),
                "{method} {path} took {elapsed:?}"
            );
        }
    }

    cluster.start();
    let mut back = false;
    for _ in 0..100 {
        if list().await.is_ok_and(|r| r.status() == 200) {
            back = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(back, "requests succeed again once PostgreSQL is back");
    app.stop().await;
}
