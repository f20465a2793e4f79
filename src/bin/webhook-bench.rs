//! The benchmark's webhook scenario (issue 17; `ops/bench --webhooks`): starts local webhook
//! receivers (healthy ones, one that answers only after a while, one that answers 500 to
//! every other request), subscribes each to the zaken kanaal through the Notificaties API,
//! creates zaken through the Zaken API — first open loop at a fixed rate, then as fast as
//! the API takes them — and prints a Markdown table: deliveries/s to the healthy
//! receivers, event → webhook latency (arrival minus the notification's `aanmaakdatum`,
//! which is the event's time, set when the write request began), and what the slow and
//! flaky receivers got. Unsubscribes at the end.
//!
//! `webhook-bench --url URL --zaaktypen FILE [--rate 200 --duration 10 ...]`
//!
//! The client (ZAAKSTROOM_BENCH_CLIENT / _SECRET, the defaults of `zaakstroom seed`) needs
//! zaken.aanmaken on the zaaktypen in FILE (one URL a line) and notificaties.consumeren.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use clap::Parser;
use serde_json::{json, Value};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// The path every receiver is reached under: abonnementen left behind by an interrupted run
/// are recognised by it and removed at the next start.
const PATH: &str = "/webhook-bench/";
const NOTIFICATIES: &str = "/notificaties/api/v1";

#[derive(Debug, Parser)]
#[command(
    about = "Webhook delivery benchmark (ops/bench --webhooks)",
    // ops/bench passes its own --duration before --webhooks-args: the last one counts.
    args_override_self = true
)]
struct Args {
    /// The server's base URL (its ZAAKSTROOM_PUBLIC_URL).
    #[arg(long, default_value = "http://127.0.0.1:8125")]
    url: String,
    #[arg(
        long,
        env = "ZAAKSTROOM_BENCH_CLIENT",
        default_value = "zaakstroom-bench"
    )]
    client: String,
    #[arg(
        long,
        env = "ZAAKSTROOM_BENCH_SECRET",
        default_value = "zaakstroom-bench-secret",
        hide_env_values = true,
        hide_default_value = true
    )]
    secret: String,
    /// A file of zaaktype URLs, one a line (the zaken are spread over them).
    #[arg(long)]
    zaaktypen: PathBuf,
    /// Receivers that answer 204 at once.
    #[arg(long, default_value_t = 4)]
    healthy: usize,
    /// Receivers that answer 204 after --slow-secs.
    #[arg(long, default_value_t = 1)]
    slow: usize,
    #[arg(long, default_value_t = 2.0)]
    slow_secs: f64,
    /// Receivers that answer 500 to every other notification (the test notification of
    /// the subscription is always accepted).
    #[arg(long, default_value_t = 1)]
    flaky: usize,
    /// Zaken per second in the open-loop phase.
    #[arg(long, default_value_t = 200.0)]
    rate: f64,
    /// Seconds of writes in each phase.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Concurrent clients in the max-rate phase (0: skip it).
    #[arg(long, default_value_t = 16)]
    peak_clients: usize,
    /// How long to wait after a phase's last write for the healthy receivers to get
    /// everything, in seconds.
    #[arg(long, default_value_t = 30.0)]
    drain: f64,
    /// Open-loop requests in flight at most; a request due while this many are in flight
    /// is counted as not sent.
    #[arg(long, default_value_t = 512)]
    max_in_flight: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Healthy,
    Slow,
    Flaky,
}

/// One notification as a receiver got it.
struct Arrival {
    at: Instant,
    /// Milliseconds from the body's `aanmaakdatum` to its arrival here.
    latency_ms: Option<f64>,
    id: String,
    hoofd_object: String,
    status: u16,
}

struct Receiver {
    kind: Kind,
    name: String,
    slow: Duration,
    requests: AtomicU64,
    arrivals: Mutex<Vec<Arrival>>,
}

impl Receiver {
    fn arrivals(&self) -> std::sync::MutexGuard<'_, Vec<Arrival>> {
        self.arrivals.lock().unwrap_or_else(|e| e.into_inner())
    }
}

async fn receive(State(r): State<Arc<Receiver>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let now = Utc::now();
    let at = Instant::now();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default();
    let probe = text("kanaal") == "test";
    let status = match r.kind {
        Kind::Flaky if !probe && r.requests.fetch_add(1, Ordering::Relaxed) % 2 == 1 => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => StatusCode::NO_CONTENT,
    };
    if !probe {
        let latency_ms = text("aanmaakdatum")
            .parse::<DateTime<Utc>>()
            .ok()
            .and_then(|t| (now - t).num_microseconds())
            .map(|us| us as f64 / 1e3);
        let id = headers
            .get("x-notificatie-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        r.arrivals().push(Arrival {
            at,
            latency_ms,
            id,
            hoofd_object: text("hoofdObject").to_owned(),
            status: status.as_u16(),
        });
    }
    if r.kind == Kind::Slow {
        tokio::time::sleep(r.slow).await;
    }
    status
}

/// Starts a receiver on 127.0.0.1 (a port of its own); returns its callback URL.
async fn start(receiver: Arc<Receiver>) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let url = format!("http://{addr}{PATH}{}", receiver.name);
    let app = axum::Router::new().fallback(receive).with_state(receiver);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            eprintln!("webhook-bench: receiver stopped: {e}");
        }
    });
    Ok(url)
}

struct Api {
    http: reqwest::Client,
    base: String,
    client_id: String,
    secret: String,
}

impl Api {
    fn token(&self) -> String {
        let claims = query_api::token::Claims {
            client_id: &self.client_id,
            user_id: "bench",
            user_representation: "Benchmark",
            iat: Utc::now().timestamp(),
        };
        query_api::token::sign(&claims, &self.secret)
    }

    fn request(&self, method: reqwest::Method, url: &str, token: &str) -> reqwest::RequestBuilder {
        let url = if url.starts_with("http") {
            url.to_owned()
        } else {
            format!("{}{url}", self.base)
        };
        self.http
            .request(method, url)
            .bearer_auth(token)
            .header("Accept-Crs", "EPSG:4326")
            .header("Content-Crs", "EPSG:4326")
    }

    /// Subscribes `callback` to every zaken notification; returns the abonnement's URL.
    async fn subscribe(&self, callback: &str) -> anyhow::Result<String> {
        let body = json!({
            "callbackUrl": callback,
            "auth": "Bearer webhook-bench",
            "kanalen": [{"naam": "zaken", "filters": {}}],
        });
        let response = self
            .request(
                reqwest::Method::POST,
                &format!("{NOTIFICATIES}/abonnement"),
                &self.token(),
            )
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        if status != reqwest::StatusCode::CREATED {
            let hint = if status == reqwest::StatusCode::FORBIDDEN {
                " (the bench client needs notificaties.consumeren: run `zaakstroom seed` of \
                 this version once more, it updates the client)"
            } else {
                ""
            };
            bail!("subscribing {callback}: HTTP {status}{hint}: {answer}");
        }
        answer["url"]
            .as_str()
            .map(str::to_owned)
            .context("the abonnement has no url")
    }

    async fn unsubscribe(&self, url: &str) -> anyhow::Result<()> {
        let status = self
            .request(reqwest::Method::DELETE, url, &self.token())
            .send()
            .await?
            .status();
        if !status.is_success() && status != reqwest::StatusCode::NOT_FOUND {
            bail!("unsubscribing {url}: HTTP {status}");
        }
        Ok(())
    }

    /// Removes this client's abonnementen on receivers of an earlier run (interrupted
    /// before it unsubscribed): their callbacks are gone, and what is queued for them
    /// would weigh on this run.
    async fn remove_leftovers(&self) -> anyhow::Result<usize> {
        let list: Value = self
            .request(
                reqwest::Method::GET,
                &format!("{NOTIFICATIES}/abonnement"),
                &self.token(),
            )
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let items = list
            .as_array()
            .or_else(|| list["results"].as_array())
            .cloned()
            .unwrap_or_default();
        let mut removed = 0;
        for a in items {
            let callback = a["callbackUrl"].as_str().unwrap_or_default();
            let host_is_local = callback.starts_with("http://127.0.0.1:");
            if let (true, true, Some(url)) =
                (host_is_local, callback.contains(PATH), a["url"].as_str())
            {
                if self.unsubscribe(url).await.is_ok() {
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    /// POST /zaken/api/v1/zaken; the new zaak's URL on 201.
    async fn create_zaak(&self, token: &str, zaaktype: &str) -> Result<String, String> {
        let body = json!({
            "bronorganisatie": "517439943",
            "verantwoordelijkeOrganisatie": "517439943",
            "zaaktype": zaaktype,
            "startdatum": Utc::now().format("%Y-%m-%d").to_string(),
            "omschrijving": "Webhook benchmark",
            "vertrouwelijkheidaanduiding": "openbaar",
        });
        let response = self
            .request(reqwest::Method::POST, "/zaken/api/v1/zaken", token)
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        match (status, answer["url"].as_str()) {
            (reqwest::StatusCode::CREATED, Some(url)) => Ok(url.to_owned()),
            _ => Err(format!("HTTP {status}")),
        }
    }
}

/// What the writes of one phase came to.
#[derive(Default)]
struct Writes {
    title: String,
    started: Option<Instant>,
    ended: Option<Instant>,
    zaken: HashSet<String>,
    latencies_ms: Vec<f64>,
    errors: HashMap<String, u64>,
    not_sent: u64,
}

impl Writes {
    fn new(title: String) -> Self {
        Self {
            title,
            ..Default::default()
        }
    }

    fn record(&mut self, outcome: Result<String, String>, took: Duration) {
        match outcome {
            Ok(url) => {
                self.zaken.insert(url);
                self.latencies_ms.push(took.as_secs_f64() * 1e3);
            }
            Err(e) => *self.errors.entry(e).or_default() += 1,
        }
    }

    fn seconds(&self) -> f64 {
        match (self.started, self.ended) {
            (Some(s), Some(e)) => (e - s).as_secs_f64(),
            _ => 0.0,
        }
    }
}

type Outcome = (Result<String, String>, Duration);

async fn timed(api: Arc<Api>, token: Arc<str>, zaaktype: String) -> Outcome {
    let began = Instant::now();
    let outcome = api.create_zaak(&token, &zaaktype).await;
    (outcome, began.elapsed())
}

/// Open loop: one zaak every 1/rate s whatever the answers, for `seconds`.
async fn open_loop(api: &Arc<Api>, zaaktypen: &[String], args: &Args) -> Writes {
    let mut writes = Writes::new(format!(
        "open loop, {} zaken/s for {} s",
        args.rate, args.duration
    ));
    let token: Arc<str> = api.token().into();
    let total = (args.rate * args.duration).round() as u64;
    let slots = Arc::new(Semaphore::new(args.max_in_flight.max(1)));
    let mut tasks = JoinSet::new();
    let start = Instant::now();
    writes.started = Some(start);
    for i in 0..total {
        let due = start + Duration::from_secs_f64(i as f64 / args.rate.max(0.001));
        tokio::time::sleep_until(due.into()).await;
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            writes.not_sent += 1;
            continue;
        };
        let zaaktype = zaaktypen[i as usize % zaaktypen.len()].clone();
        let (api, token) = (api.clone(), token.clone());
        tasks.spawn(async move {
            let outcome = timed(api, token, zaaktype).await;
            drop(permit);
            outcome
        });
        while let Some(Ok((outcome, took))) = tasks.try_join_next() {
            writes.record(outcome, took);
        }
    }
    writes.ended = Some(Instant::now());
    while let Some(done) = tasks.join_next().await {
        if let Ok((outcome, took)) = done {
            writes.record(outcome, took);
        }
    }
    writes
}

/// Closed loop: `clients` each create zaken one after another for `seconds`.
async fn max_rate(api: &Arc<Api>, zaaktypen: &[String], args: &Args) -> Writes {
    let mut writes = Writes::new(format!(
        "max rate, {} clients for {} s",
        args.peak_clients, args.duration
    ));
    let token: Arc<str> = api.token().into();
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(args.duration);
    writes.started = Some(start);
    let mut tasks = JoinSet::new();
    let clients = args.peak_clients;
    for c in 0..clients {
        let (api, token) = (api.clone(), token.clone());
        let zaaktypen = zaaktypen.to_vec();
        tasks.spawn(async move {
            let mut done = Vec::new();
            let mut i = c;
            while Instant::now() < deadline {
                let zaaktype = zaaktypen[i % zaaktypen.len()].clone();
                done.push(timed(api.clone(), token.clone(), zaaktype).await);
                i += clients;
            }
            (done, Instant::now())
        });
    }
    let mut ended = start;
    while let Some(Ok((done, at))) = tasks.join_next().await {
        ended = ended.max(at);
        for (outcome, took) in done {
            writes.record(outcome, took);
        }
    }
    writes.ended = Some(ended);
    writes
}

/// Waits until every healthy receiver has every zaak of `writes` (or `drain` passed).
async fn drain(receivers: &[Arc<Receiver>], writes: &Writes, drain: f64) {
    let until = Instant::now() + Duration::from_secs_f64(drain);
    let healthy: Vec<_> = receivers
        .iter()
        .filter(|r| r.kind == Kind::Healthy)
        .collect();
    loop {
        let missing: usize = healthy
            .iter()
            .map(|r| {
                let arrivals = r.arrivals();
                let got: HashSet<&str> = arrivals
                    .iter()
                    .filter(|a| a.status < 300 && writes.zaken.contains(&a.hoofd_object))
                    .map(|a| a.hoofd_object.as_str())
                    .collect();
                writes.zaken.len().saturating_sub(got.len())
            })
            .sum();
        if missing == 0 || Instant::now() >= until {
            if missing > 0 {
                eprintln!(
                    "webhook-bench: {missing} healthy deliveries still missing after {drain} s"
                );
            }
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    sorted
        .get(((sorted.len() as f64 - 1.0) * q).round() as usize)
        .copied()
}

fn ms(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.1} ms"))
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What the receivers of one kind got of one phase's zaken.
struct Got {
    receivers: usize,
    requests: u64,
    accepted: u64,
    refused: u64,
    /// Distinct notifications answered 2xx (per receiver, summed).
    unique: u64,
    /// Requests for a notification the receiver had already accepted.
    duplicates: u64,
    /// Unique deliveries that arrived while the phase was writing.
    while_writing: u64,
    first: Option<Instant>,
    last: Option<Instant>,
    latencies_ms: Vec<f64>,
}

fn got(receivers: &[Arc<Receiver>], kind: Kind, writes: &Writes) -> Got {
    let mut g = Got {
        receivers: 0,
        requests: 0,
        accepted: 0,
        refused: 0,
        unique: 0,
        duplicates: 0,
        while_writing: 0,
        first: None,
        last: None,
        latencies_ms: Vec::new(),
    };
    for r in receivers.iter().filter(|r| r.kind == kind) {
        g.receivers += 1;
        let mut seen = HashSet::new();
        for a in r
            .arrivals()
            .iter()
            .filter(|a| writes.zaken.contains(&a.hoofd_object))
        {
            g.requests += 1;
            if a.status >= 300 {
                g.refused += 1;
                continue;
            }
            g.accepted += 1;
            if !seen.insert(a.id.clone()) {
                g.duplicates += 1;
                continue;
            }
            g.unique += 1;
            if writes.ended.is_some_and(|e| a.at <= e) {
                g.while_writing += 1;
            }
            g.first = Some(g.first.map_or(a.at, |f| f.min(a.at)));
            g.last = Some(g.last.map_or(a.at, |l| l.max(a.at)));
            g.latencies_ms.extend(a.latency_ms);
        }
    }
    g.latencies_ms.sort_by(f64::total_cmp);
    g
}

fn per_second(n: u64, seconds: f64) -> String {
    if seconds <= 0.0 {
        return "–".into();
    }
    thousands((n as f64 / seconds).round() as u64)
}

/// The table's column for one phase.
fn column(receivers: &[Arc<Receiver>], w: &Writes, args: &Args) -> Vec<String> {
    let mut posts = w.latencies_ms.clone();
    posts.sort_by(f64::total_cmp);
    let created = w.zaken.len() as u64;
    let errors: u64 = w.errors.values().sum();
    let mut error_text = if errors == 0 {
        "0".to_owned()
    } else {
        let mut e: Vec<_> = w.errors.iter().map(|(k, n)| format!("{n}× {k}")).collect();
        e.sort();
        e.join(", ")
    };
    if w.not_sent > 0 {
        error_text.push_str(&format!(
            "; {} not sent ({} in flight)",
            w.not_sent, args.max_in_flight
        ));
    }
    let healthy = got(receivers, Kind::Healthy, w);
    let slow = got(receivers, Kind::Slow, w);
    let flaky = got(receivers, Kind::Flaky, w);
    let expected = created * healthy.receivers as u64;
    let whole = match (w.started, healthy.last) {
        (Some(s), Some(l)) => (l - s).as_secs_f64(),
        _ => 0.0,
    };
    let drained = match (w.ended, healthy.last) {
        (Some(e), Some(l)) if l > e => format!("{:.2} s", (l - e).as_secs_f64()),
        (Some(_), Some(_)) => "0 s".into(),
        _ => "–".into(),
    };
    let l = &healthy.latencies_ms;
    vec![
        format!(
            "{} in {:.1} s ({}/s); errors: {error_text}",
            thousands(created),
            w.seconds(),
            per_second(created, w.seconds())
        ),
        format!(
            "{} / {}",
            ms(percentile(&posts, 0.5)),
            ms(percentile(&posts, 0.99))
        ),
        format!(
            "{} of {} ({} duplicates)",
            thousands(healthy.unique),
            thousands(expected),
            healthy.duplicates
        ),
        format!(
            "**{}** ({} in {:.1} s)",
            per_second(healthy.while_writing, w.seconds()),
            thousands(healthy.while_writing),
            w.seconds()
        ),
        format!(
            "{} ({:.1} s; the last {drained} after the last write)",
            per_second(healthy.unique, whole),
            whole
        ),
        format!(
            "{} / **{}** / {}",
            ms(percentile(l, 0.5)),
            ms(percentile(l, 0.99)),
            ms(l.last().copied())
        ),
        format!(
            "{} requests, {} of {} notifications accepted, p50 {}",
            thousands(slow.requests),
            thousands(slow.unique),
            thousands(created * slow.receivers as u64),
            ms(percentile(&slow.latencies_ms, 0.5)),
        ),
        format!(
            "{} requests: {} answered 500, {} accepted ({} of {} notifications, {} duplicates)",
            thousands(flaky.requests),
            thousands(flaky.refused),
            thousands(flaky.accepted),
            thousands(flaky.unique),
            thousands(created * flaky.receivers as u64),
            flaky.duplicates
        ),
    ]
}

fn print_table(receivers: &[Arc<Receiver>], phases: &[Writes], args: &Args) {
    let rows = [
        "zaken created (POST 201)",
        "POST zaak p50 / p99",
        "healthy receivers: distinct notifications accepted, of expected",
        "healthy deliveries/s while writing",
        "healthy deliveries/s, first write → last delivery",
        "event → webhook p50 / p99 / max (healthy)",
        "slow receivers",
        "flaky receivers",
    ];
    let columns: Vec<Vec<String>> = phases.iter().map(|w| column(receivers, w, args)).collect();
    println!(
        "Receivers: {} healthy (204 at once), {} slow (204 after {} s), {} flaky (500 to every other notification); all subscribed to kanaal zaken without filters.",
        args.healthy, args.slow, args.slow_secs, args.flaky
    );
    println!();
    let mut header = "| |".to_owned();
    let mut rule = "| --- |".to_owned();
    for w in phases {
        header.push_str(&format!(" {} |", w.title));
        rule.push_str(" --- |");
    }
    println!("{header}\n{rule}");
    for (i, title) in rows.iter().enumerate() {
        let cells: Vec<&str> = columns.iter().map(|c| c[i].as_str()).collect();
        println!("| {title} | {} |", cells.join(" | "));
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let zaaktypen: Vec<String> = std::fs::read_to_string(&args.zaaktypen)
        .with_context(|| format!("reading {}", args.zaaktypen.display()))?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if zaaktypen.is_empty() {
        bail!("no zaaktypen in {}", args.zaaktypen.display());
    }
    let api = Arc::new(Api {
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(args.max_in_flight)
            .timeout(Duration::from_secs(60))
            .build()?,
        base: args.url.trim_end_matches('/').to_owned(),
        client_id: args.client.clone(),
        secret: args.secret.clone(),
    });
    let removed = api.remove_leftovers().await?;
    if removed > 0 {
        eprintln!("webhook-bench: removed {removed} abonnementen of an earlier run");
    }

    let kinds = std::iter::repeat_n(Kind::Healthy, args.healthy)
        .chain(std::iter::repeat_n(Kind::Slow, args.slow))
        .chain(std::iter::repeat_n(Kind::Flaky, args.flaky));
    let mut receivers = Vec::new();
    let mut subscribing = JoinSet::new();
    for (i, kind) in kinds.enumerate() {
        let receiver = Arc::new(Receiver {
            kind,
            name: format!("{kind:?}-{i}").to_lowercase(),
            slow: Duration::from_secs_f64(args.slow_secs),
            requests: AtomicU64::new(0),
            arrivals: Mutex::new(Vec::new()),
        });
        let callback = start(receiver.clone()).await?;
        receivers.push(receiver);
        let api = api.clone();
        subscribing.spawn(async move { api.subscribe(&callback).await });
    }
    let mut abonnementen = Vec::new();
    let mut failure = None;
    while let Some(done) = subscribing.join_next().await {
        match done? {
            Ok(url) => abonnementen.push(url),
            Err(e) => failure = Some(e),
        }
    }
    eprintln!("webhook-bench: {} receivers subscribed", abonnementen.len());

    let outcome = async {
        if let Some(e) = failure {
            return Err(e);
        }
        let mut phases = Vec::new();
        eprintln!(
            "webhook-bench: open loop, {} zaken/s for {} s",
            args.rate, args.duration
        );
        let w = open_loop(&api, &zaaktypen, &args).await;
        drain(&receivers, &w, args.drain).await;
        phases.push(w);
        if args.peak_clients > 0 {
            eprintln!(
                "webhook-bench: max rate, {} clients for {} s",
                args.peak_clients, args.duration
            );
            let w = max_rate(&api, &zaaktypen, &args).await;
            drain(&receivers, &w, args.drain).await;
            phases.push(w);
        }
        Ok(phases)
    }
    .await;

    for url in &abonnementen {
        if let Err(e) = api.unsubscribe(url).await {
            eprintln!("webhook-bench: {e:#}");
        }
    }
    let phases = outcome?;
    print_table(&receivers, &phases, &args);
    Ok(())
}
