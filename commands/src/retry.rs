//! How long a command keeps deciding again when other writers change its stream first.
//!
//! Writers of one busy stream (a KCC and a workflow engine on one zaak) that retry at once
//! collide again; each waits a random time up to an exponentially growing bound ("full
//! jitter"), so they spread out, and gives up only when the time budget is spent.

use std::time::{Duration, Instant};

/// The bound on retrying a command after concurrent writes to its stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// No new attempt starts once this much time has passed since the first.
    pub budget: Duration,
    /// The bound of the first pause; it doubles with every conflict up to `max_pause`.
    pub first_pause: Duration,
    pub max_pause: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            budget: Duration::from_secs(5),
            first_pause: Duration::from_millis(4),
            max_pause: Duration::from_millis(250),
        }
    }
}

impl RetryPolicy {
    pub(crate) fn start(&self) -> Backoff {
        Backoff {
            policy: *self,
            started: Instant::now(),
            attempts: 1,
        }
    }
}

/// The pauses of one command's attempts.
pub(crate) struct Backoff {
    policy: RetryPolicy,
    started: Instant,
    attempts: u32,
}

impl Backoff {
    /// The pause before the next attempt; `None` when it would start past the budget.
    pub(crate) fn next(&mut self) -> Option<Duration> {
        let bound = self
            .policy
            .first_pause
            .saturating_mul(1 << self.attempts.saturating_sub(1).min(16))
            .min(self.policy.max_pause);
        let pause = bound.mul_f64(jitter());
        if self.started.elapsed() + pause >= self.policy.budget {
            return None;
        }
        self.attempts += 1;
        Some(pause)
    }

    /// Attempts made so far.
    pub(crate) fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// A uniform random fraction in [0, 1): the 48 random bits before a v4 uuid's version.
fn jitter() -> f64 {
    (uuid::Uuid::new_v4().as_u128() >> 80) as f64 / (1u64 << 48) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_up_to_the_maximum_and_stop_at_the_budget() {
        let policy = RetryPolicy {
            budget: Duration::from_millis(50),
            first_pause: Duration::from_millis(1),
            max_pause: Duration::from_millis(8),
        };
        let mut backoff = policy.start();
        let mut pauses = Vec::new();
        while let Some(p) = backoff.next() {
            pauses.push(p);
            std::thread::sleep(p.max(Duration::from_millis(1)));
        }
        assert!(pauses.iter().all(|p| *p < Duration::from_millis(8)));
        assert!(pauses
            .first()
            .is_some_and(|p| *p < Duration::from_millis(1)));
        assert_eq!(backoff.attempts() as usize, pauses.len() + 1);
        assert!(policy.start().started.elapsed() < policy.budget);
    }

    #[test]
    fn jitter_is_a_fraction() {
        for _ in 0..1000 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j), "{j}");
        }
    }
}
