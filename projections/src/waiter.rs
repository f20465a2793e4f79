//! Read-your-writes: wait until a projection has applied a given position.

use std::collections::HashMap;
use std::time::Duration;

use event_store::Position;
use sqlx::PgPool;
use tokio::sync::watch;

/// Knows how far each projection got: from the runners in this process when there are any,
/// otherwise from the checkpoint table (an API-only process).
#[derive(Clone)]
pub struct Progress {
    pool: PgPool,
    local: HashMap<&'static str, watch::Receiver<Option<Position>>>,
}

const POLL: Duration = Duration::from_millis(5);

impl Progress {
    pub fn new(pool: PgPool) -> Self {
        Self {
            pool,
            local: HashMap::new(),
        }
    }

    pub fn with_local(mut self, name: &'static str, rx: watch::Receiver<Option<Position>>) -> Self {
        self.local.insert(name, rx);
        self
    }

    /// True once `projection` has applied `position`; false when `bound` passed first.
    pub async fn wait_for(
        &self,
        projection: &'static str,
        position: Position,
        bound: Duration,
    ) -> bool {
        let reached = |p: &Option<Position>| p.is_some_and(|p| p >= position);
        let wait = async {
            if let Some(rx) = self.local.get(projection) {
                let mut rx = rx.clone();
                let ok = rx.wait_for(reached).await.is_ok();
                ok
            } else {
                self.poll(projection, reached).await
            }
        };
        tokio::time::timeout(bound, wait).await.unwrap_or(false)
    }

    async fn poll(&self, projection: &str, reached: impl Fn(&Option<Position>) -> bool) -> bool {
        loop {
            match crate::runtime::checkpoint(&self.pool, projection).await {
                Ok(p) if reached(&p) => return true,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "reading a projection checkpoint"),
            }
            tokio::time::sleep(POLL).await;
        }
    }
}
