//! Sending a request again after a transient error, within a bound.

use std::future::Future;
use std::time::Duration;

use super::errors::is_transient;
use crate::StoreError;

/// An error that may or may not be worth sending the request again for.
pub(super) trait Transient {
    fn is_transient(&self) -> bool;
}

impl Transient for kurrentdb::Error {
    fn is_transient(&self) -> bool {
        is_transient(self)
    }
}

impl Transient for StoreError {
    fn is_transient(&self) -> bool {
        matches!(self, StoreError::Kurrent(e) if is_transient(e))
    }
}

/// How often and how patiently a request is sent again after a transient error: pauses
/// of 0.1 s doubling to 2 s, for at most 10 attempts or 30 s, longer than an election in a
/// 3-node cluster takes (a few seconds).
#[derive(Debug, Clone, Copy)]
pub(super) struct Retry {
    pub(super) attempts: u32,
    pub(super) first_delay: Duration,
    pub(super) max_delay: Duration,
    /// No new attempt starts after this long since the first.
    pub(super) budget: Duration,
}

pub(super) const RETRY: Retry = Retry {
    attempts: 10,
    first_delay: Duration::from_millis(100),
    max_delay: Duration::from_secs(2),
    budget: Duration::from_secs(30),
};

impl Retry {
    /// The pause before the attempt after attempt `attempt` (1-based) failed with `error`,
    /// `elapsed` after the first began; `None` when the error is final or the bound is reached.
    pub(super) fn delay(
        &self,
        attempt: u32,
        elapsed: Duration,
        error: &impl Transient,
    ) -> Option<Duration> {
        if !error.is_transient() || attempt >= self.attempts || elapsed >= self.budget {
            return None;
        }
        let doubled = self.first_delay.saturating_mul(1 << (attempt - 1).min(16));
        Some(doubled.min(self.max_delay))
    }

    /// Runs `op` until it succeeds, fails for good, or the bound is reached.
    pub(super) async fn run<T, E, F, Fut>(&self, what: &str, mut op: F) -> Result<T, E>
    where
        E: Transient + std::fmt::Display,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let started = tokio::time::Instant::now();
        let mut attempt = 1;
        loop {
            match op().await {
                Ok(v) => return Ok(v),
                Err(e) => match self.delay(attempt, started.elapsed(), &e) {
                    Some(pause) => {
                        tracing::warn!(%what, attempt, error = %e, "KurrentDB: sending again");
                        tokio::time::sleep(pause).await;
                        attempt += 1;
                    }
                    None => return Err(e),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ExpectedVersion;

    #[test]
    fn a_transient_error_is_retried_with_growing_pauses_up_to_a_bound() {
        let transient = StoreError::Kurrent(kurrentdb::Error::DeadlineExceeded);
        let pauses: Vec<_> = (1..=RETRY.attempts)
            .map(|attempt| RETRY.delay(attempt, Duration::ZERO, &transient))
            .collect();
        assert_eq!(pauses[0], Some(Duration::from_millis(100)));
        assert_eq!(pauses[1], Some(Duration::from_millis(200)));
        assert_eq!(pauses[5], Some(Duration::from_secs(2)), "capped");
        assert_eq!(pauses.last(), Some(&None), "the last attempt is final");
        let total: Duration = pauses.iter().flatten().sum();
        assert!(
            total > Duration::from_secs(5) && total < Duration::from_secs(20),
            "{total:?}"
        );
        let conflict = StoreError::WrongExpectedVersion {
            stream: "s".into(),
            expected: ExpectedVersion::Exact(0),
            actual: Some(1),
        };
        assert_eq!(RETRY.delay(1, Duration::ZERO, &conflict), None);
        let deleted = StoreError::StreamDeleted("s".into());
        assert_eq!(RETRY.delay(1, Duration::ZERO, &deleted), None);
        assert_eq!(
            RETRY.delay(2, Duration::from_secs(31), &transient),
            None,
            "nor after the time budget"
        );
    }

    #[tokio::test]
    async fn run_sends_again_until_success_and_gives_up_after_the_bound() {
        let quick = Retry {
            first_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            ..RETRY
        };
        let mut calls = 0;
        let done = quick
            .run("test", || {
                calls += 1;
                let fail = calls < 3;
                async move {
                    if fail {
                        Err(StoreError::Kurrent(kurrentdb::Error::DeadlineExceeded))
                    } else {
                        Ok(calls)
                    }
                }
            })
            .await;
        assert_eq!(done.unwrap(), 3);
        let mut calls = 0;
        let failed: Result<(), _> = quick
            .run("test", || {
                calls += 1;
                async { Err(kurrentdb::Error::DeadlineExceeded) }
            })
            .await;
        assert!(failed.is_err());
        assert_eq!(calls, RETRY.attempts);
        let mut calls = 0;
        let final_error: Result<(), _> = quick
            .run("test", || {
                calls += 1;
                async { Err(kurrentdb::Error::AccessDenied) }
            })
            .await;
        assert!(final_error.is_err());
        assert_eq!(calls, 1, "a final error is not sent again");
    }
}
