//! The benchmark's NATS subscriber (ops/bench): subscribes to event envelopes for a while
//! and prints how long each took from its occurred-at (set when the write request began)
//! to arriving here, as `count p50_ms p99_ms`.
//!
//! `nats-latency NATS_URL SUBJECT SECONDS`

use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use futures::StreamExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, subject, seconds] = args.as_slice() else {
        anyhow::bail!("usage: nats-latency NATS_URL SUBJECT SECONDS");
    };
    let seconds: u64 = seconds.parse().context("SECONDS")?;
    let client = async_nats::connect(url.as_str())
        .await
        .context("NATS_URL")?;
    let mut messages = client.subscribe(subject.clone()).await?;
    client.flush().await?;
    eprintln!("nats-latency: listening on {subject}");
    let mut latencies = Vec::new();
    let deadline = tokio::time::sleep(Duration::from_secs(seconds));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            _ = &mut deadline => break,
            Some(message) = messages.next() => {
                if let Some(ms) = latency_ms(&message.payload, Utc::now()) {
                    latencies.push(ms);
                }
            }
        }
    }
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies.get(((latencies.len() as f64 - 1.0) * q).round() as usize);
    match (at(0.5), at(0.99)) {
        (Some(p50), Some(p99)) => println!("{} {p50:.1} {p99:.1}", latencies.len()),
        _ => println!("0 - -"),
    }
    Ok(())
}

/// Milliseconds from the envelope's occurred-at to `now`.
fn latency_ms(payload: &[u8], now: DateTime<Utc>) -> Option<f64> {
    let envelope: serde_json::Value = serde_json::from_slice(payload).ok()?;
    let at = envelope
        .get("occurredAt")
        .or_else(|| envelope.get("occurred_at"))?
        .as_str()?;
    let at: DateTime<Utc> = at.parse().ok()?;
    Some((now - at).num_microseconds()? as f64 / 1e3)
}
