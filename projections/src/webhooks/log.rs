//! The delivery log as an administrator reads it (CLI and admin endpoint alike): per
//! abonnement what is pending, delivered and dead, the lag of the oldest undelivered
//! notification, every attempt; and dead letters sent again.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgPool, Row};
use uuid::Uuid;

/// What an abonnement's operator needs at a glance.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub abonnement: Uuid,
    pub callback_url: Option<String>,
    pub pending: i64,
    pub delivered: i64,
    pub dead: i64,
    pub attempts: i64,
    pub failures: i64,
    /// Seconds since the oldest undelivered notification happened (0: none waiting).
    pub lag_seconds: f64,
    /// Until when nothing is sent (the circuit breaker), if open.
    pub circuit_open_until: Option<DateTime<Utc>>,
}

/// One delivery with its attempts.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: Uuid,
    pub notification: Uuid,
    pub kanaal: String,
    pub hoofd_object: String,
    pub state: String,
    pub attempts: i32,
    pub occurred_at: DateTime<Utc>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub body: serde_json::Value,
    pub tries: Vec<Try>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Try {
    pub attempt: i32,
    pub at: DateTime<Utc>,
    pub status: Option<i32>,
    pub duration_ms: i32,
    pub error: Option<String>,
}

/// The summary of every abonnement that has deliveries, or of one.
pub async fn summaries(
    pool: &PgPool,
    abonnement: Option<Uuid>,
) -> Result<Vec<Summary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT d.abonnement, a.callback_url,
                count(*) FILTER (WHERE d.state = 'pending') AS pending,
                count(*) FILTER (WHERE d.state = 'delivered') AS delivered,
                count(*) FILTER (WHERE d.state = 'dead') AS dead,
                coalesce(sum(d.attempts), 0)::bigint AS attempts,
                (SELECT count(*) FROM nrc_attempts t JOIN nrc_deliveries x ON x.id = t.delivery
                  WHERE x.abonnement = d.abonnement AND t.error IS NOT NULL) AS failures,
                coalesce(extract(epoch FROM now() - min(d.occurred_at)
                  FILTER (WHERE d.state = 'pending')), 0)::float8 AS lag,
                c.open_until
         FROM nrc_deliveries d
         LEFT JOIN nrc_abonnementen a ON a.uuid = d.abonnement
         LEFT JOIN nrc_circuits c ON c.abonnement = d.abonnement AND c.open_until > now()
         WHERE $1::uuid IS NULL OR d.abonnement = $1
         GROUP BY d.abonnement, a.callback_url, c.open_until
         ORDER BY d.abonnement",
    )
    .bind(abonnement)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Summary {
                abonnement: r.try_get("abonnement")?,
                callback_url: r.try_get("callback_url")?,
                pending: r.try_get("pending")?,
                delivered: r.try_get("delivered")?,
                dead: r.try_get("dead")?,
                attempts: r.try_get("attempts")?,
                failures: r.try_get("failures")?,
                lag_seconds: r.try_get("lag")?,
                circuit_open_until: r.try_get("open_until")?,
            })
        })
        .collect()
}

/// The newest `limit` deliveries of an abonnement (only those in `state` when given),
/// newest first, each with its attempts.
pub async fn entries(
    pool: &PgPool,
    abonnement: Uuid,
    state: Option<&str>,
    limit: i64,
) -> Result<Vec<Entry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, notification, kanaal, hoofd_object, state, attempts, occurred_at,
                CASE WHEN state = 'pending' THEN next_attempt_at END AS next_attempt_at,
                delivered_at, last_status, last_error, body,
                coalesce((SELECT jsonb_agg(jsonb_build_object('attempt', t.attempt, 'at', t.at,
                    'status', t.status, 'durationMs', t.duration_ms, 'error', t.error)
                    ORDER BY t.id) FROM nrc_attempts t WHERE t.delivery = d.id),
                  '[]') AS tries
         FROM nrc_deliveries d
         WHERE abonnement = $1 AND ($2::text IS NULL OR state = $2)
         ORDER BY seq DESC LIMIT $3",
    )
    .bind(abonnement)
    .bind(state)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            let tries: serde_json::Value = r.try_get("tries")?;
            let tries = tries
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|t| {
                            Some(Try {
                                attempt: t.get("attempt")?.as_i64()? as i32,
                                at: serde_json::from_value(t.get("at")?.clone()).ok()?,
                                status: t.get("status").and_then(|s| s.as_i64()).map(|s| s as i32),
                                duration_ms: t.get("durationMs")?.as_i64()? as i32,
                                error: t.get("error").and_then(|e| e.as_str()).map(str::to_owned),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            Ok(Entry {
                id: r.try_get("id")?,
                notification: r.try_get("notification")?,
                kanaal: r.try_get("kanaal")?,
                hoofd_object: r.try_get("hoofd_object")?,
                state: r.try_get("state")?,
                attempts: r.try_get("attempts")?,
                occurred_at: r.try_get("occurred_at")?,
                next_attempt_at: r.try_get("next_attempt_at")?,
                delivered_at: r.try_get("delivered_at")?,
                last_status: r.try_get("last_status")?,
                last_error: r.try_get("last_error")?,
                body: r.try_get("body")?,
                tries,
            })
        })
        .collect()
}

/// What to send again.
#[derive(Debug, Clone, Copy)]
pub enum Resend {
    /// One dead letter.
    Delivery(Uuid),
    /// Every dead letter of an abonnement that still exists.
    Abonnement(Uuid),
}

/// Makes dead letters pending again, due now, with a fresh count of attempts (their
/// earlier attempts stay in the log); the same notification id. Returns how many. A
/// delivery to an abonnement that has ended stays dead.
pub async fn resend(pool: &PgPool, what: Resend) -> Result<u64, sqlx::Error> {
    let (delivery, abonnement) = match what {
        Resend::Delivery(id) => (Some(id), None),
        Resend::Abonnement(id) => (None, Some(id)),
    };
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE nrc_deliveries d SET state = 'pending', attempts = 0, next_attempt_at = now(),
            lease_until = NULL, enqueued_at = now()
         WHERE d.state = 'dead' AND ($1::uuid IS NULL OR d.id = $1)
           AND ($2::uuid IS NULL OR d.abonnement = $2)
           AND EXISTS (SELECT 1 FROM nrc_abonnementen a WHERE a.uuid = d.abonnement)",
    )
    .bind(delivery)
    .bind(abonnement)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query(
        "DELETE FROM nrc_circuits WHERE abonnement = ANY(
        SELECT abonnement FROM nrc_deliveries WHERE ($1::uuid IS NULL OR id = $1)
          AND ($2::uuid IS NULL OR abonnement = $2))",
    )
    .bind(delivery)
    .bind(abonnement)
    .execute(&mut *tx)
    .await?;
    sqlx::query("SELECT pg_notify($1, '')")
        .bind(super::CHANNEL)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done)
}
