//! Webhook delivery, as its own role: reads `nrc_deliveries`, POSTs each to its
//! abonnement's callback, records every attempt. At least once (a dispatcher that dies
//! mid-request lets its lease lapse and the delivery is sent again, with the same
//! notification id); in order per abonnement and hoofdObject (only the oldest undelivered
//! delivery of each is sent); a slow or failing subscriber holds at most
//! `per_abonnement` of the `concurrency` requests in flight, so it never delays the
//! others. Failures are retried with exponential backoff, a circuit breaker per
//! abonnement stops hammering one that is down, and after the last try a delivery becomes a
//! dead letter that an administrator can send again (`log::resend`).
//!
//! Any number of dispatchers may run against one database: they lease what they send.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::postgres::PgListener;
use sqlx::{PgPool, Row};
use tokio::sync::{mpsc, Notify, Semaphore};
use tracing::Instrument;
use uuid::Uuid;

use crate::trace;

/// The header every delivery carries with the notification's id (the event's id): the same
/// for every attempt and every abonnement, for subscribers to deduplicate on.
pub const NOTIFICATION_ID_HEADER: &str = "X-Notificatie-Id";

/// Attempts made (POSTs to a callback, recorded), by abonnement.
pub const ATTEMPTS: &str = "zaakstroom_webhook_attempts_total";
/// Attempts answered 2xx: deliveries done, by abonnement.
pub const DELIVERED: &str = "zaakstroom_webhook_deliveries_total";
/// Attempts that failed (another status, a timeout, no connection), by abonnement.
pub const FAILED: &str = "zaakstroom_webhook_failures_total";
/// Deliveries that became dead letters after their last attempt, by abonnement.
pub const DEAD_LETTERS: &str = "zaakstroom_webhook_dead_letters_total";

/// How long the dispatcher lets work accumulate before leasing or recording again.
const LINGER: Duration = Duration::from_millis(5);

/// How long past its request timeout a lease holds.
const LEASE_MARGIN: Duration = Duration::from_secs(5);

/// Opens an abonnement's sealed Authorization (the server key lives with query-api).
pub trait AuthSource: Send + Sync {
    fn open(&self, abonnement: Uuid, sealed: &[u8]) -> Option<String>;
}

/// When a failed delivery is tried again: `base * factor^(n-1)` after the n-th failure, at
/// most `max_delay`; a dead letter after `max_attempts`, or once it has waited longer than
/// the whole schedule (Open Notificaties: 25 s x 4^n, 8 tries, about a day).
#[derive(Debug, Clone)]
pub struct RetrySchedule {
    pub base: Duration,
    pub factor: f64,
    pub max_delay: Duration,
    pub max_attempts: u32,
}

impl Default for RetrySchedule {
    fn default() -> Self {
        Self {
            base: Duration::from_secs(25),
            factor: 4.0,
            max_delay: Duration::from_secs(52_000),
            max_attempts: 8,
        }
    }
}

impl RetrySchedule {
    /// The wait after the `failures`-th failure (1 = the first).
    pub fn delay(&self, failures: u32) -> Duration {
        let exponent = failures.saturating_sub(1).min(64) as i32;
        let secs = self.base.as_secs_f64() * self.factor.powi(exponent);
        Duration::from_secs_f64(secs.min(self.max_delay.as_secs_f64()))
    }

    /// How long a delivery is tried in all: the sum of its waits.
    pub fn window(&self) -> Duration {
        (1..self.max_attempts).map(|n| self.delay(n)).sum()
    }
}

#[derive(Debug, Clone)]
pub struct DeliverySettings {
    /// Requests in flight in this process.
    pub concurrency: usize,
    /// Requests in flight to one abonnement (over all dispatchers).
    pub per_abonnement: usize,
    /// How long one request may take.
    pub timeout: Duration,
    pub retry: RetrySchedule,
    /// Consecutive failures after which an abonnement's circuit opens (nothing is sent to
    /// it until its backoff passed).
    pub circuit_threshold: u32,
    /// How often the queue is looked at when nothing woke the dispatcher.
    pub poll: Duration,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        Self {
            concurrency: 256,
            per_abonnement: 32,
            timeout: Duration::from_secs(10),
            retry: RetrySchedule::default(),
            circuit_threshold: 5,
            poll: Duration::from_secs(1),
        }
    }
}

pub struct Dispatcher {
    pool: PgPool,
    settings: DeliverySettings,
    client: reqwest::Client,
    auth: Arc<dyn AuthSource>,
}

/// A leased delivery, ready to send.
struct Leased {
    id: Uuid,
    abonnement: Uuid,
    notification: Uuid,
    callback_url: String,
    sealed_auth: Option<Vec<u8>>,
    cloudevent: bool,
    body: Value,
    attempts: i32,
    enqueued_at: DateTime<Utc>,
    /// The notified event's `traceparent`.
    traceparent: Option<String>,
}

/// What one attempt came to.
struct Attempt {
    id: Uuid,
    abonnement: Uuid,
    attempt: i32,
    at: DateTime<Utc>,
    status: Option<i32>,
    duration_ms: i32,
    error: Option<String>,
    enqueued_at: DateTime<Utc>,
}

impl Attempt {
    fn succeeded(&self) -> bool {
        self.error.is_none()
    }
}

impl Dispatcher {
    pub fn new(pool: PgPool, settings: DeliverySettings, auth: Arc<dyn AuthSource>) -> Self {
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(5)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("zaakstroom/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Self {
            pool,
            settings,
            client,
            auth,
        }
    }

    /// Runs until the task is dropped; after a database failure it starts over (leases of
    /// what was in flight lapse and are sent again).
    pub async fn run(self) {
        let this = Arc::new(self);
        let mut backoff = Duration::from_millis(100);
        loop {
            match this.clone().run_once().await {
                Ok(()) => backoff = Duration::from_millis(100),
                Err(e) => {
                    tracing::warn!(error = %e, ?backoff, "webhook delivery stopped; retrying");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
            }
        }
    }

    async fn run_once(self: Arc<Self>) -> Result<(), sqlx::Error> {
        let mut listener = PgListener::connect_with(&self.pool).await?;
        listener.listen(super::CHANNEL).await?;
        let slots = Arc::new(Semaphore::new(self.settings.concurrency));
        let wake = Arc::new(Notify::new());
        let (done, results) = mpsc::unbounded_channel::<Attempt>();
        let recorder = tokio::spawn(self.clone().record(results, wake.clone()));
        tracing::info!(
            concurrency = self.settings.concurrency,
            "webhook delivery running"
        );
        let outcome = loop {
            let free = slots.available_permits();
            let leased = if free > 0 {
                match self.lease(free).await {
                    Ok(l) => l,
                    Err(e) => break Err(e),
                }
            } else {
                Vec::new()
            };
            let full = !leased.is_empty() && leased.len() == free;
            for delivery in leased {
                let Ok(permit) = slots.clone().acquire_owned().await else {
                    break;
                };
                let this = self.clone();
                let done = done.clone();
                tokio::spawn(async move {
                    let attempt = this.send(delivery).await;
                    let _ = done.send(attempt);
                    drop(permit);
                });
            }
            if full {
                continue;
            }
            tokio::select! {
                n = listener.try_recv() => if let Err(e) = n { break Err(e) },
                _ = wake.notified() => {}
                _ = tokio::time::sleep(self.settings.poll) => {}
            }
            // Let more of what woke us arrive (recorded attempts, new deliveries): each
            // lease costs PostgreSQL a few milliseconds whatever it brings, and one per
            // wake-up left it doing little else (BENCHMARKS.md).
            tokio::time::sleep(LINGER).await;
        };
        recorder.abort();
        outcome
    }

    /// Leases up to `limit` deliveries that may be sent now. Driven by the abonnementen:
    /// those whose circuit is closed and who have free slots (`per_abonnement` minus their
    /// deliveries in flight over all dispatchers; one, a trial, while their circuit is
    /// half-open), each giving its oldest due deliveries that no older pending delivery of
    /// the same hoofdObject precedes. Its cost follows the abonnementen and their free
    /// slots, not the backlog (a whole-queue `DISTINCT ON` took seconds at a few thousand
    /// pending with idle-time statistics: BENCHMARKS.md). `attempts >= 0` selects the walk's
    /// index (migration 20261206100003); the head check is a correlated subquery so it is
    /// always an index probe by (abonnement, hoofdObject), whatever the statistics.
    async fn lease(&self, limit: usize) -> Result<Vec<Leased>, sqlx::Error> {
        // A request ends within the timeout; the margin covers recording its outcome. A
        // dispatcher killed mid-request leaves leases that lapse this long after.
        let lease = self.settings.timeout.as_secs_f64() + LEASE_MARGIN.as_secs_f64();
        let rows = sqlx::query(
            "WITH busy AS MATERIALIZED (
                SELECT abonnement, count(*) AS n FROM nrc_deliveries
                WHERE state = 'pending' AND lease_until IS NOT NULL AND lease_until > now()
                GROUP BY abonnement
             ), open AS MATERIALIZED (
                SELECT a.uuid,
                       CASE WHEN coalesce(c.failures, 0) >= $4 THEN 1 ELSE $2 END
                         - coalesce(b.n, 0) AS free
                FROM nrc_abonnementen a
                LEFT JOIN busy b ON b.abonnement = a.uuid
                LEFT JOIN nrc_circuits c ON c.abonnement = a.uuid
                WHERE c.open_until IS NULL OR c.open_until <= now()
             ), picked AS MATERIALIZED (
                SELECT p.id, p.seq FROM open o CROSS JOIN LATERAL (
                    SELECT d.id, d.seq FROM nrc_deliveries d
                    WHERE d.abonnement = o.uuid AND d.state = 'pending' AND d.attempts >= 0
                      AND d.next_attempt_at <= now()
                      AND (d.lease_until IS NULL OR d.lease_until <= now())
                      AND d.seq = (
                        SELECT e.seq FROM nrc_deliveries e
                        WHERE e.abonnement = d.abonnement AND e.hoofd_object = d.hoofd_object
                          AND e.state = 'pending'
                        ORDER BY e.seq LIMIT 1)
                    ORDER BY d.seq LIMIT greatest(o.free, 0)) p
                ORDER BY p.seq LIMIT $1
             )
             UPDATE nrc_deliveries d
             SET lease_until = now() + make_interval(secs => $3)
             FROM picked, nrc_abonnementen a
             LEFT JOIN nrc_secrets s ON s.abonnement = a.uuid
             WHERE d.id = picked.id AND a.uuid = d.abonnement AND d.state = 'pending'
               AND (d.lease_until IS NULL OR d.lease_until <= now())
             RETURNING d.id, d.abonnement, d.notification, d.cloudevent, d.body, d.attempts,
                       d.enqueued_at, d.traceparent, a.callback_url, s.sealed",
        )
        .bind(limit as i64)
        .bind(self.settings.per_abonnement as i64)
        .bind(lease)
        .bind(self.settings.circuit_threshold as i32)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Leased {
                    id: r.try_get("id")?,
                    abonnement: r.try_get("abonnement")?,
                    notification: r.try_get("notification")?,
                    callback_url: r.try_get("callback_url")?,
                    sealed_auth: r.try_get("sealed")?,
                    cloudevent: r.try_get("cloudevent")?,
                    body: r.try_get("body")?,
                    attempts: r.try_get("attempts")?,
                    enqueued_at: r.try_get("enqueued_at")?,
                    traceparent: r.try_get("traceparent")?,
                })
            })
            .collect()
    }

    /// One POST: any 2xx is delivered; another status, a timeout or a connection error is
    /// a failure. Traced as a client span in the trace of the request that wrote the event,
    /// whose `traceparent` the POST carries.
    async fn send(&self, d: Leased) -> Attempt {
        let at = Utc::now();
        let started = Instant::now();
        let span = tracing::debug_span!(
            "webhook",
            otel.name = "POST webhook",
            otel.kind = "client",
            otel.status_code = tracing::field::Empty,
            http.request.method = "POST",
            http.response.status_code = tracing::field::Empty,
            notification = %d.notification,
            abonnement = %d.abonnement,
            attempt = d.attempts + 1,
        );
        trace::set_parent(&span, d.traceparent.as_deref(), None);
        let content_type = if d.cloudevent {
            "application/cloudevents+json"
        } else {
            "application/json"
        };
        let mut request = self
            .client
            .post(&d.callback_url)
            .header("Content-Type", content_type)
            .header(NOTIFICATION_ID_HEADER, d.notification.to_string())
            .body(serde_json::to_vec(&d.body).unwrap_or_default());
        if let Some(auth) = d
            .sealed_auth
            .as_deref()
            .and_then(|s| self.auth.open(d.abonnement, s))
        {
            if !auth.is_empty() {
                request = request.header("Authorization", auth);
            }
        }
        if let Some(traceparent) = trace::outgoing(&span, d.traceparent.as_deref()) {
            request = request.header(trace::TRACEPARENT, traceparent);
        }
        let sent = request.send().instrument(span.clone()).await;
        if let Ok(response) = &sent {
            span.record("http.response.status_code", response.status().as_u16());
        }
        let (status, error) = match sent {
            Ok(response) => {
                let status = response.status();
                let error = (!status.is_success()).then(|| format!("HTTP {}", status.as_u16()));
                (Some(i32::from(status.as_u16())), error)
            }
            Err(e) => (None, Some(describe(&e))),
        };
        if error.is_some() {
            span.record("otel.status_code", "error");
        }
        Attempt {
            id: d.id,
            abonnement: d.abonnement,
            attempt: d.attempts + 1,
            at,
            status,
            duration_ms: i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX),
            error,
            enqueued_at: d.enqueued_at,
        }
    }

    /// Writes attempts as they come back, many per transaction, and wakes the leasing loop
    /// (a delivered head lets the next of its hoofdObject go).
    async fn record(
        self: Arc<Self>,
        mut results: mpsc::UnboundedReceiver<Attempt>,
        wake: Arc<Notify>,
    ) {
        let mut batch = Vec::new();
        while results.recv_many(&mut batch, 512).await > 0 {
            // Collect what else ends meanwhile: one transaction for many attempts.
            tokio::time::sleep(LINGER).await;
            while batch.len() < 512 {
                match results.try_recv() {
                    Ok(attempt) => batch.push(attempt),
                    Err(_) => break,
                }
            }
            let mut pause = Duration::from_millis(50);
            loop {
                match self.write(&batch).await {
                    Ok(states) => {
                        count(&batch, &states);
                        break;
                    }
                    Err(e) => {
                        // The leases lapse meanwhile and the deliveries are sent again: at
                        // least once. Keep trying to record what was sent.
                        tracing::warn!(error = %e, "recording webhook attempts failed; retrying");
                        tokio::time::sleep(pause).await;
                        pause = (pause * 2).min(Duration::from_secs(5));
                    }
                }
            }
            batch.clear();
            wake.notify_one();
        }
    }

    /// Records `batch`; returns the state each delivery is in after its attempt.
    async fn write(&self, batch: &[Attempt]) -> Result<Vec<&'static str>, sqlx::Error> {
        let retry = &self.settings.retry;
        // Past its whole schedule (plus one request's time, so a schedule shorter than a
        // request still gets its tries) a delivery that fails is dead at once: it waited
        // behind an open circuit or a slow head for longer than it would have been retried.
        let window = chrono::Duration::from_std(retry.window() + self.settings.timeout)
            .unwrap_or(chrono::Duration::MAX);
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO nrc_attempts (delivery, attempt, at, status, duration_ms, error)
             SELECT * FROM UNNEST($1::uuid[], $2::int[], $3::timestamptz[], $4::int[],
                $5::int[], $6::text[])",
        )
        .bind(batch.iter().map(|a| a.id).collect::<Vec<_>>())
        .bind(batch.iter().map(|a| a.attempt).collect::<Vec<_>>())
        .bind(batch.iter().map(|a| a.at).collect::<Vec<_>>())
        .bind(batch.iter().map(|a| a.status).collect::<Vec<_>>())
        .bind(batch.iter().map(|a| a.duration_ms).collect::<Vec<_>>())
        .bind(batch.iter().map(|a| a.error.clone()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
        let states: Vec<&str> = batch
            .iter()
            .map(|a| {
                if a.succeeded() {
                    "delivered"
                } else if a.attempt as u32 >= retry.max_attempts || now - a.enqueued_at >= window {
                    "dead"
                } else {
                    "pending"
                }
            })
            .collect();
        let next: Vec<DateTime<Utc>> = batch
            .iter()
            .map(|a| {
                now + chrono::Duration::from_std(retry.delay(a.attempt as u32))
                    .unwrap_or(chrono::Duration::MAX)
            })
            .collect();
        sqlx::query(
            "UPDATE nrc_deliveries d SET state = u.state, attempts = u.attempt,
                next_attempt_at = u.next, lease_until = NULL, last_status = u.status,
                last_error = u.error,
                delivered_at = CASE WHEN u.state = 'delivered' THEN u.at END
             FROM UNNEST($1::uuid[], $2::text[], $3::int[], $4::timestamptz[], $5::int[],
                $6::text[], $7::timestamptz[]) AS u(id, state, attempt, next, status, error, at)
             WHERE d.id = u.id AND d.state = 'pending'",
        )
        .bind(batch.iter().map(|a| a.id).collect::<Vec<_>>())
        .bind(&states)
        .bind(batch.iter().map(|a| a.attempt).collect::<Vec<_>>())
        .bind(next)
        .bind(batch.iter().map(|a| a.status).collect::<Vec<_>>())
        .bind(batch.iter().map(|a| a.error.clone()).collect::<Vec<_>>())
        .bind(batch.iter().map(|a| a.at).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
        self.trip_circuits(&mut tx, batch).await?;
        tx.commit().await?;
        Ok(states)
    }

    /// The circuit breaker. Per abonnement the batch's attempts are folded in the order
    /// they ended: a success closes its circuit and counts only the failures after it; the
    /// failures of a batch without success add to the stored count. At `circuit_threshold`
    /// consecutive failures the circuit opens for 1 s, doubling with every further failure
    /// (at most the retry schedule's longest wait); once it has passed, one trial delivery
    /// goes (see `lease`) and its outcome closes or reopens it.
    async fn trip_circuits(
        &self,
        tx: &mut sqlx::PgConnection,
        batch: &[Attempt],
    ) -> Result<(), sqlx::Error> {
        let runs = circuit_runs(batch);
        let abonnementen: Vec<Uuid> = runs.keys().copied().collect();
        // After a success the count is what failed since; without one, it grows.
        for (succeeded, update) in [
            (true, "EXCLUDED.failures"),
            (false, "nrc_circuits.failures + EXCLUDED.failures"),
        ] {
            let (ids, failures): (Vec<Uuid>, Vec<i32>) = runs
                .iter()
                .filter(|(_, run)| run.succeeded == succeeded)
                .map(|(a, run)| (*a, run.trailing_failures))
                .unzip();
            sqlx::query(&format!(
                "INSERT INTO nrc_circuits (abonnement, failures)
                 SELECT * FROM UNNEST($1::uuid[], $2::int[])
                 ON CONFLICT (abonnement) DO UPDATE SET failures = {update}"
            ))
            .bind(ids)
            .bind(failures)
            .execute(&mut *tx)
            .await?;
        }
        let retry = &self.settings.retry;
        sqlx::query(
            "UPDATE nrc_circuits SET open_until = CASE WHEN failures >= $2
                THEN now() + make_interval(secs => least($3, power(2, failures - $2)))
             END
             WHERE abonnement = ANY($1)",
        )
        .bind(&abonnementen)
        .bind(self.settings.circuit_threshold as i32)
        .bind(retry.max_delay.as_secs_f64())
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM nrc_circuits WHERE abonnement = ANY($1) AND failures = 0")
            .bind(&abonnementen)
            .execute(&mut *tx)
            .await?;
        Ok(())
    }
}

/// One abonnement's attempts in a recorded batch: whether one succeeded, and how many
/// failed after the last success (all of them when none succeeded).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct CircuitRun {
    succeeded: bool,
    trailing_failures: i32,
}

fn circuit_runs(batch: &[Attempt]) -> std::collections::HashMap<Uuid, CircuitRun> {
    let mut runs: std::collections::HashMap<Uuid, CircuitRun> = Default::default();
    for a in batch {
        let run = runs.entry(a.abonnement).or_default();
        if a.succeeded() {
            *run = CircuitRun {
                succeeded: true,
                trailing_failures: 0,
            };
        } else {
            run.trailing_failures += 1;
        }
    }
    runs
}

/// Counts recorded attempts per abonnement (once each: after their transaction committed).
fn count(batch: &[Attempt], states: &[&str]) {
    for (a, state) in batch.iter().zip(states) {
        let abonnement = a.abonnement.to_string();
        metrics::counter!(ATTEMPTS, "abonnement" => abonnement.clone()).increment(1);
        let outcome = if a.succeeded() { DELIVERED } else { FAILED };
        metrics::counter!(outcome, "abonnement" => abonnement.clone()).increment(1);
        if *state == "dead" {
            metrics::counter!(DEAD_LETTERS, "abonnement" => abonnement).increment(1);
        }
    }
}

/// A request error in a few words (for the delivery log).
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        format!("connection failed: {}", root_cause(e))
    } else {
        root_cause(e)
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(abonnement: Uuid, ok: bool) -> Attempt {
        Attempt {
            id: Uuid::new_v4(),
            abonnement,
            attempt: 1,
            at: Utc::now(),
            status: Some(if ok { 204 } else { 500 }),
            duration_ms: 1,
            error: (!ok).then(|| "HTTP 500".into()),
            enqueued_at: Utc::now(),
        }
    }

    #[test]
    fn a_success_in_a_batch_counts_only_the_failures_after_it() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let batch = [
            attempt(a, false),
            attempt(a, true),
            attempt(a, false),
            attempt(b, false),
            attempt(b, false),
        ];
        let runs = circuit_runs(&batch);
        assert_eq!(
            runs[&a],
            CircuitRun {
                succeeded: true,
                trailing_failures: 1
            }
        );
        assert_eq!(
            runs[&b],
            CircuitRun {
                succeeded: false,
                trailing_failures: 2
            }
        );
    }

    #[test]
    fn the_default_schedule_is_open_notificaties_one_day() {
        let r = RetrySchedule::default();
        let delays: Vec<u64> = (1..8).map(|n| r.delay(n).as_secs()).collect();
        assert_eq!(delays, [25, 100, 400, 1600, 6400, 25600, 52000]);
        let window = r.window().as_secs();
        assert!((80_000..90_000).contains(&window), "about a day: {window}");
    }
}
