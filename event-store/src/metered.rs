//! The store as the composition root hands it out: any adapter, with every append counted
//! (Prometheus, through the `metrics` facade; nothing is recorded until a recorder is
//! installed). One place for both adapters and for every writer: commands, claims, the
//! process manager, the Notificaties API.

use std::sync::Arc;

use async_trait::async_trait;
use futures::stream::BoxStream;

use crate::{
    AppendResult, EventStore, ExpectedVersion, NewEvent, Position, RecordedEvent, StoreError,
};

/// Appends stored, by aggregate category (`zaak`, `claim`, ...).
pub const APPENDS: &str = "zaakstroom_event_appends_total";
/// Events stored, by aggregate category.
pub const EVENTS: &str = "zaakstroom_events_appended_total";
/// Appends refused because the stream was not at the expected version, by category: each
/// is a command decided again on fresh state, a claim already held, or an `If-Match` that
/// no longer holds.
pub const CONFLICTS: &str = "zaakstroom_append_conflicts_total";

/// An [`EventStore`] that counts appends and concurrency conflicts, then does what `inner`
/// does.
pub struct Metered {
    inner: Arc<dyn EventStore>,
}

impl Metered {
    pub fn new(inner: Arc<dyn EventStore>) -> Self {
        Self { inner }
    }
}

/// The aggregate category of a stream name (`zaak-{uuid}` -> `zaak`), as
/// [`RecordedEvent::category`] reads it.
fn category(stream: &str) -> String {
    stream.split('-').next().unwrap_or_default().to_owned()
}

#[async_trait]
impl EventStore for Metered {
    async fn append(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> Result<AppendResult, StoreError> {
        let count = events.len() as u64;
        let result = self.inner.append(stream, expected, events).await;
        match &result {
            Ok(_) => {
                let category = category(stream);
                metrics::counter!(APPENDS, "category" => category.clone()).increment(1);
                metrics::counter!(EVENTS, "category" => category).increment(count);
            }
            Err(StoreError::WrongExpectedVersion { .. }) => {
                metrics::counter!(CONFLICTS, "category" => category(stream)).increment(1);
            }
            Err(_) => {}
        }
        result
    }

    async fn read_stream(&self, stream: &str, from: u64) -> Result<Vec<RecordedEvent>, StoreError> {
        self.inner.read_stream(stream, from).await
    }

    async fn read_stream_page(
        &self,
        stream: &str,
        from: u64,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.inner.read_stream_page(stream, from, limit).await
    }

    async fn stream_head(&self, stream: &str) -> Result<Option<Position>, StoreError> {
        self.inner.stream_head(stream).await
    }

    async fn read_all(
        &self,
        after: Option<Position>,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.inner.read_all(after, limit).await
    }

    fn subscribe_all(
        &self,
        after: Option<Position>,
    ) -> BoxStream<'static, Result<RecordedEvent, StoreError>> {
        self.inner.subscribe_all(after)
    }

    async fn delete_stream(
        &self,
        stream: &str,
        expected: ExpectedVersion,
    ) -> Result<(), StoreError> {
        self.inner.delete_stream(stream, expected).await
    }
}

#[cfg(test)]
mod tests {
    use super::category;

    #[test]
    fn a_streams_category_is_its_name_before_the_first_dash() {
        assert_eq!(
            category("zaak-0190c2a4-0000-7000-8000-000000000000"),
            "zaak"
        );
        assert_eq!(category("claim-ab12"), "claim");
        assert_eq!(category("plain"), "plain");
    }
}
